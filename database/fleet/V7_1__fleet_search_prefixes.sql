-- V7_1__fleet_search_prefixes.sql — drivers found by the start of their licence number through a
-- btree range scan (accounts' V7 does the same for names, emails and phones); the trigram index of
-- V6_1 stays for fragments from inside the number.

CREATE INDEX drivers_license_prefix_idx ON public.drivers (public.search_text(license_number) text_pattern_ops);

-- With statistics (unlike the trigram index): the planner needs them to know that a range is narrow.
