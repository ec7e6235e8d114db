-- V6__accounts_search.sql — search over people: the normalised search text (lower case, accents
-- removed) and the trigram indexes that find accounts by a fragment of their name, email or phone.
-- The fleet and hotels capabilities index their searchable columns with the same function (V6_1, V6_2).

-- unaccent() is only STABLE (its dictionary could change), so an index cannot use it directly. This
-- wrapper names the dictionary explicitly and is declared IMMUTABLE: the index and every query compute
-- exactly the same text. If the unaccent rules are ever changed, reindex the *_search_trgm_idx indexes.
-- It is part of the indexes below, so it is defined here and changes only by a new versioned migration.
CREATE OR REPLACE FUNCTION public.search_text(p_text text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
    SELECT pg_catalog.lower(public.unaccent('public.unaccent'::regdictionary, p_text))
$$;

COMMENT ON FUNCTION public.search_text(text) IS
    'Search form of a text: lower case, accents removed (immutable unaccent); what the trigram search indexes hold.';

-- The search text of an account (name, email and phone in one) is kept in a stored column: a trigram
-- index only narrows a LIKE down to candidate rows, which are then checked again, and computing
-- unaccent for every candidate costs more than the rest of the search. Recomputed by PostgreSQL
-- whenever the row changes.
ALTER TABLE public.users ADD COLUMN search_doc text
    GENERATED ALWAYS AS (public.search_text(first_name || ' ' || last_name || ' ' || email || ' ' || coalesce(phone, '')))
    STORED;

COMMENT ON COLUMN public.users.search_doc IS
    'Name, email and phone in search form (public.search_text); read only by the search functions.';

-- A search is one index scan whichever field matches.
CREATE INDEX users_search_trgm_idx ON public.users USING gin (search_doc gin_trgm_ops);
