-- V7__accounts_search_prefixes.sql — the fast side of people search: btree indexes that find the
-- accounts whose name, surname-first name, email or phone starts with the query. What support types
-- is usually the start of a field (a full name, an email, a phone number); a range scan of one of
-- these indexes answers it in about a millisecond, where the trigram index of V6 must intersect long
-- posting lists. The trigram index stays for fragments from inside a field.
--
-- The name indexes cover the columns a search reads (INCLUDE): a search of a common name then reads
-- the index alone, not one heap page per match.

CREATE INDEX users_name_prefix_idx ON public.users
    (public.search_text(first_name || ' ' || last_name) text_pattern_ops)
    INCLUDE (id, first_name, last_name, created_at, deleted_at, user_type);

CREATE INDEX users_surname_prefix_idx ON public.users
    (public.search_text(last_name || ' ' || first_name) text_pattern_ops)
    INCLUDE (id, first_name, last_name, created_at, deleted_at, user_type);

-- Emails are stored in lower case (users_email_format_chk); phones in E.164.
CREATE INDEX users_email_prefix_idx ON public.users (email text_pattern_ops);

CREATE INDEX users_phone_prefix_idx ON public.users (phone text_pattern_ops);

-- Unlike the trigram index, these keep their statistics (ANALYZE unaccents its sample, once): the
-- planner needs them to know that a range of names is narrow.
