-- V12__fleet_driver_name_keys.sql — a driver's name as search reads it, kept on the driver's own row.
-- Finding drivers by name through the accounts' name index means probing the drivers table once per
-- account with that name, riders included: thousands of probes for a common name, for a handful of
-- drivers. With the name's search form on the driver row, a range scan of the drivers' own index finds
-- them, newest first, without leaving the index. The keys follow the account (triggers in
-- R__05_fleet_search.sql) and are NULL once the account is deleted or erased.

ALTER TABLE public.drivers
    ADD COLUMN name_key text,
    ADD COLUMN surname_key text;

COMMENT ON COLUMN public.drivers.name_key IS
    'public.search_text(first name || '' '' || last name) of the driver''s account, for search; NULL once the account is deleted.';
COMMENT ON COLUMN public.drivers.surname_key IS
    'public.search_text(last name || '' '' || first name) of the driver''s account, for search; NULL once the account is deleted.';

UPDATE public.drivers d
   SET name_key = public.search_text(u.first_name || ' ' || u.last_name),
       surname_key = public.search_text(u.last_name || ' ' || u.first_name)
  FROM public.users u
 WHERE u.id = d.user_id AND u.deleted_at IS NULL;

-- Covering: the columns search filters and sorts on, so that a common name is read from the index alone.
CREATE INDEX drivers_name_key_idx ON public.drivers (name_key text_pattern_ops)
    INCLUDE (id, created_at, deleted_at, fleet_company_id);

CREATE INDEX drivers_surname_key_idx ON public.drivers (surname_key text_pattern_ops)
    INCLUDE (id, created_at, deleted_at, fleet_company_id);
