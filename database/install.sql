-- install.sql — installs the whole schema with psql alone, in the spec's order:
--   createdb vipride
--   psql -v ON_ERROR_STOP=1 -d vipride -f database/install.sql      (as a superuser)
-- It produces the same schema the service applies with Flyway at start (SchemaInstallIT proves it).
\set ON_ERROR_STOP on
\ir 00_cluster_setup.sql
-- Everything from here on is created by, and owned by, the owner role — exactly as under Flyway.
SET ROLE vipride_owner;
\ir 01_extensions_and_schemas.sql
\ir 02_main_tables.sql
\ir 03_vip_schema.sql
\ir 04_rides_and_bookings.sql
\ir 05_payments_and_finance.sql
\ir 06_audit_schema.sql
\ir 07_security_policies.sql
\ir 08_analytics_and_archive.sql
\ir 09_deployment_setup.sql
\ir 10_audit_tamper_evidence.sql
\ir 11_vip_encryption.sql
\ir 12_geofencing.sql
\ir 13_ride_status_expired.sql
\ir 14_pricing.sql
\ir 15_dispatch.sql
\ir 16_ride_lifecycle.sql
\ir 17_ledger.sql
\ir 18_payouts_and_subscriptions.sql
\ir 19_lease_statements.sql
\ir 20_scheduled_jobs_and_partitions.sql
\ir 21_archive_and_retention.sql
\ir 22_vacuum_and_statistics.sql
\ir 23_archive_money_and_dispatch.sql
\ir 24_hotel_booking_payments.sql
\ir 25_monitoring_health.sql
\ir 26_security_alert_signals.sql
\ir 27_analytics_views.sql
\ir 28_audit_update_once.sql
\ir 29_lease_and_subscription_payments.sql
\ir 30_link_subscription_payments.sql
\ir 31_ledger_period_close.sql
\ir 32_journal_lines_page_index.sql
\ir 33_dispatch_plane.sql
\ir 34_audit_inbox.sql
\ir 35_ride_request_in_one_step.sql
\ir 36_hot_driver_availability.sql
\ir 37_ride_rules_in_one_check.sql
\ir 38_driver_and_quote_rules_in_one_check.sql
RESET ROLE;
