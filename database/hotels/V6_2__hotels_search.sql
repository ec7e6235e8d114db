-- V6_2__hotels_search.sql — a trigram index for searching partner hotels by name, over
-- public.search_text (accounts' V6: lower case, accents removed).

CREATE INDEX hotel_partners_name_search_trgm_idx ON public.hotel_partners
    USING gin (public.search_text(name) gin_trgm_ops);
