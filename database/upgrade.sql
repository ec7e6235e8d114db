-- upgrade.sql — brings a database to the current schema with psql alone; install.sql runs it after
-- cluster.sql. Run it as a superuser or as vipride_owner:
--   psql -v ON_ERROR_STOP=1 -d vipride -f database/upgrade.sql
-- It applies, in version order, every versioned migration not yet recorded in
-- public.flyway_schema_history — the table the service's Flyway reads, so either may upgrade a database
-- the other installed — then re-applies every capability's definitions (functions, triggers, views,
-- policies, grants), which are written to be re-run.
\set ON_ERROR_STOP on
SET ROLE vipride_owner;

-- Flyway's own history table, created exactly as Flyway creates it.
CREATE TABLE IF NOT EXISTS public.flyway_schema_history (
    installed_rank integer       NOT NULL,
    version        varchar(50),
    description    varchar(200)  NOT NULL,
    type           varchar(20)   NOT NULL,
    script         varchar(1000) NOT NULL,
    checksum       integer,
    installed_by   varchar(100)  NOT NULL,
    installed_on   timestamp     NOT NULL DEFAULT now(),
    execution_time integer       NOT NULL,
    success        boolean       NOT NULL,
    CONSTRAINT flyway_schema_history_pk PRIMARY KEY (installed_rank)
);
CREATE INDEX IF NOT EXISTS flyway_schema_history_s_idx ON public.flyway_schema_history (success);

-- Versioned migrations: tables, types, indexes, reference data. Add each new one here, in version order.
\set version 1.01
\set description 'platform tables'
\set script platform/V1_01__platform_tables.sql
\ir migrate.sql
\set version 1.02
\set description 'accounts tables'
\set script accounts/V1_02__accounts_tables.sql
\ir migrate.sql
\set version 1.03
\set description 'fleet tables'
\set script fleet/V1_03__fleet_tables.sql
\ir migrate.sql
\set version 1.04
\set description 'pricing tables'
\set script pricing/V1_04__pricing_tables.sql
\ir migrate.sql
\set version 1.05
\set description 'vip tables'
\set script vip/V1_05__vip_tables.sql
\ir migrate.sql
\set version 1.06
\set description 'rides tables'
\set script rides/V1_06__rides_tables.sql
\ir migrate.sql
\set version 1.07
\set description 'dispatch tables'
\set script dispatch/V1_07__dispatch_tables.sql
\ir migrate.sql
\set version 1.08
\set description 'hotels tables'
\set script hotels/V1_08__hotels_tables.sql
\ir migrate.sql
\set version 1.09
\set description 'payments tables'
\set script payments/V1_09__payments_tables.sql
\ir migrate.sql
\set version 1.10
\set description 'audit tables'
\set script audit/V1_10__audit_tables.sql
\ir migrate.sql
\set version 1.11
\set description 'ops tables'
\set script ops/V1_11__ops_tables.sql
\ir migrate.sql
\set version 1.12
\set description 'analytics tables'
\set script analytics/V1_12__analytics_tables.sql
\ir migrate.sql
\set version 2
\set description 'accounts staff'
\set script accounts/V2__accounts_staff.sql
\ir migrate.sql
\set version 3
\set description 'fleet onboarding and documents'
\set script fleet/V3__fleet_onboarding_and_documents.sql
\ir migrate.sql
\set version 3.2
\set description 'notifications'
\set script notifications/V3_2__notifications.sql
\ir migrate.sql
\set version 4
\set description 'fleet lease contracts'
\set script fleet/V4__fleet_lease_contracts.sql
\ir migrate.sql
\set version 4.1
\set description 'pricing reference data'
\set script pricing/V4_1__pricing_reference_data.sql
\ir migrate.sql
\set version 4.2
\set description 'payments lease contracts and plan prices'
\set script payments/V4_2__payments_lease_contracts_and_plan_prices.sql
\ir migrate.sql
\set version 5
\set description 'rides sealed vip routes'
\set script rides/V5__rides_sealed_vip_routes.sql
\ir migrate.sql
\set version 5.1
\set description 'pricing sealed vip quotes'
\set script pricing/V5_1__pricing_sealed_vip_quotes.sql
\ir migrate.sql
\set version 6
\set description 'accounts search'
\set script accounts/V6__accounts_search.sql
\ir migrate.sql
\set version 6.1
\set description 'fleet search'
\set script fleet/V6_1__fleet_search.sql
\ir migrate.sql
\set version 6.2
\set description 'hotels search'
\set script hotels/V6_2__hotels_search.sql
\ir migrate.sql
\set version 7
\set description 'accounts search prefixes'
\set script accounts/V7__accounts_search_prefixes.sql
\ir migrate.sql
\set version 7.1
\set description 'fleet search prefixes'
\set script fleet/V7_1__fleet_search_prefixes.sql
\ir migrate.sql
\set version 7.2
\set description 'fleet driver invitations'
\set script fleet/V7_2__fleet_driver_invitations.sql
\ir migrate.sql
\set version 8
\set description 'hotels partnerships'
\set script hotels/V8__hotels_partnerships.sql
\ir migrate.sql
\set version 8.1
\set description 'rides scheduled'
\set script rides/V8_1__rides_scheduled.sql
\ir migrate.sql
\set version 8.2
\set description 'payments hotel commission entries'
\set script payments/V8_2__payments_hotel_commission_entries.sql
\ir migrate.sql
\set version 9
\set description 'compliance tables'
\set script compliance/V9__compliance_tables.sql
\ir migrate.sql
\set version 10
\set description 'notifications outbox'
\set script notifications/V10__notifications_outbox.sql
\ir migrate.sql
\set version 10.1
\set description 'notifications stream events'
\set script notifications/V10_1__notifications_stream_events.sql
\ir migrate.sql
\set version 10.2
\set description 'safety incidents'
\set script safety/V10_2__safety_incidents.sql
\ir migrate.sql
\set version 11
\set description 'accounts login attempts'
\set script accounts/V11__accounts_login_attempts.sql
\ir migrate.sql
\set version 11.1
\set description 'platform rate limits'
\set script platform/V11_1__platform_rate_limits.sql
\ir migrate.sql
\set version 11.2
\set description 'pricing money maxima'
\set script pricing/V11_2__pricing_money_maxima.sql
\ir migrate.sql
\set version 11.3
\set description 'rides money maxima'
\set script rides/V11_3__rides_money_maxima.sql
\ir migrate.sql
\set version 11.4
\set description 'payments money maxima'
\set script payments/V11_4__payments_money_maxima.sql
\ir migrate.sql
\set version 12
\set description 'fleet driver name keys'
\set script fleet/V12__fleet_driver_name_keys.sql
\ir migrate.sql
\set version 12.1
\set description 'safety emergency contacts'
\set script safety/V12_1__safety_emergency_contacts.sql
\ir migrate.sql
\set version 13
\set description 'hotels search offers'
\set script hotels/V13__hotels_search_offers.sql
\ir migrate.sql
\set version 13.1
\set description 'notifications hotel booking expired'
\set script notifications/V13_1__notifications_hotel_booking_expired.sql
\ir migrate.sql
\set version 13.2
\set description 'payments hotel billed rides'
\set script payments/V13_2__payments_hotel_billed_rides.sql
\ir migrate.sql
\set version 14
\set description 'compliance processing restrictions'
\set script compliance/V14__compliance_processing_restrictions.sql
\ir migrate.sql
\set version 17.1
\set description 'audit inbox uncompressed'
\set script audit/V17_1__audit_inbox_uncompressed.sql
\ir migrate.sql
\set version 22
\set description 'accounts search newest first'
\set script accounts/V22__accounts_search_newest_first.sql
\ir migrate.sql
\set version 22.1
\set description 'fleet search newest first'
\set script fleet/V22_1__fleet_search_newest_first.sql
\ir migrate.sql
\set version 23
\set description 'audit inbox json'
\set script audit/V23__audit_inbox_json.sql
\ir migrate.sql

-- Definitions, each capability after those it uses.
\ir platform/R__01_platform.sql
\ir audit/R__02_audit.sql
\ir accounts/R__03_accounts.sql
\ir vip/R__04_vip.sql
\ir fleet/R__05_fleet.sql
\ir fleet/R__05_fleet_invitations.sql
\ir fleet/R__05_fleet_leases.sql
\ir fleet/R__05_fleet_search.sql
\ir pricing/R__06_pricing.sql
\ir rides/R__07_rides.sql
\ir dispatch/R__08_dispatch.sql
\ir hotels/R__09_hotels.sql
\ir hotels/R__09_hotels_partnerships.sql
\ir hotels/R__09_hotels_search.sql
\ir payments/R__10_payments.sql
\ir analytics/R__11_analytics.sql
\ir ops/R__12_ops.sql
\ir notifications/R__13_notifications.sql
\ir notifications/R__13_notifications_streams.sql
\ir compliance/R__14_compliance.sql
\ir safety/R__15_safety.sql
\ir ops/afterMigrate.sql

RESET ROLE;
