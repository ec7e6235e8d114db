-- V22__accounts_search_newest_first.sql — the name indexes of V7 also keep each name's accounts newest
-- first. Search shows the newest matching accounts first; for a common full name (thousands of
-- accounts) a range scan of V7's indexes had to read and sort every one of them to show twenty. With
-- the creation time and id after the name in the key, the accounts of exactly that name are read in
-- the order shown and the scan stops at the page's end. A range over the name (names that only start
-- with the query) still works as before, on the leading column.

DROP INDEX public.users_name_prefix_idx;
DROP INDEX public.users_surname_prefix_idx;

CREATE INDEX users_name_prefix_idx ON public.users
    (public.search_text(first_name || ' ' || last_name) text_pattern_ops, created_at DESC, id DESC)
    INCLUDE (first_name, last_name, deleted_at, user_type);

CREATE INDEX users_surname_prefix_idx ON public.users
    (public.search_text(last_name || ' ' || first_name) text_pattern_ops, created_at DESC, id DESC)
    INCLUDE (first_name, last_name, deleted_at, user_type);
