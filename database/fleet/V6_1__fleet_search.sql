-- V6_1__fleet_search.sql — trigram indexes for searching drivers by licence number, vehicles by plate
-- and fleets by name, over public.search_text (accounts' V6: lower case, accents removed). Drivers are
-- also found by name through the users' search index. No stored search column here: drivers rows are
-- updated by every position ping, and a licence number needs no accent folding to be cheap to check.

CREATE INDEX drivers_license_search_trgm_idx ON public.drivers
    USING gin (public.search_text(license_number) gin_trgm_ops);

-- No statistics of the expression: ANALYZE need not compute it for every sampled driver.
ALTER INDEX public.drivers_license_search_trgm_idx ALTER COLUMN 1 SET STATISTICS 0;

CREATE INDEX vehicles_plate_search_trgm_idx ON public.vehicles
    USING gin (public.search_text(plate_number) gin_trgm_ops);

CREATE INDEX fleet_companies_name_search_trgm_idx ON public.fleet_companies
    USING gin (public.search_text(name) gin_trgm_ops);
