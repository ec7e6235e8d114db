-- V4_1__pricing_reference_data.sql — reference data that system admins manage through the API: a city
-- settles in a currency the platform knows, and exchange rates stay within sane bounds with a named
-- source. Their history is the audit log (city_settings) and the dated rows themselves (exchange_rates).

ALTER TABLE public.city_settings
    ADD CONSTRAINT city_settings_currency_fk FOREIGN KEY (currency) REFERENCES public.currencies (code);

-- Upper bounds that no real setting reaches, so that a typo cannot stall dispatch or quotes.
ALTER TABLE public.city_settings ADD CONSTRAINT city_settings_bounds_chk CHECK (
    surge_radius_m <= 100000 AND surge_window_s <= 86400 AND quote_ttl_s <= 3600
    AND max_pickup_distance_m <= 100000 AND offer_timeout_s <= 600 AND dispatch_retry_s <= 3600
    AND dispatch_deadline_s <= 86400 AND driver_stale_after_s <= 3600);

-- One unit of any currency is worth at most a million units of another.
ALTER TABLE public.exchange_rates
    ADD CONSTRAINT exchange_rates_rate_max_chk CHECK (rate <= 1000000),
    ADD CONSTRAINT exchange_rates_source_chk CHECK (length(btrim(source)) BETWEEN 1 AND 200);
