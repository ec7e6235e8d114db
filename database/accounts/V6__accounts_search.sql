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

-- One expression over name, email and phone: a search is one index scan whichever field matches. It
-- is an expression, not a stored column: a stored copy of name, email and phone would change with
-- them and appear in every audit row of the account.
CREATE INDEX users_search_trgm_idx ON public.users
    USING gin (public.search_text(first_name || ' ' || last_name || ' ' || email || ' ' || coalesce(phone, ''))
               gin_trgm_ops);

-- ANALYZE would otherwise compute the expression (unaccent) for every sampled account to gather
-- statistics no plan needs: a search has one way in, this index.
ALTER INDEX public.users_search_trgm_idx ALTER COLUMN 1 SET STATISTICS 0;
