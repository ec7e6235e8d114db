-- V22_1__fleet_search_newest_first.sql — the drivers' name indexes of V12 keep each name's drivers
-- newest first (as accounts' V22 does for people): a common name's drivers are read in the order search
-- shows them, and the scan stops at the page's end instead of sorting every driver of that name.

DROP INDEX public.drivers_name_key_idx;
DROP INDEX public.drivers_surname_key_idx;

CREATE INDEX drivers_name_key_idx ON public.drivers (name_key text_pattern_ops, created_at DESC, id DESC)
    INCLUDE (deleted_at, fleet_company_id);

CREATE INDEX drivers_surname_key_idx ON public.drivers (surname_key text_pattern_ops, created_at DESC, id DESC)
    INCLUDE (deleted_at, fleet_company_id);
