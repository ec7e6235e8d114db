-- V1_01__platform_tables.sql — what every capability builds on: extensions, the schemas (vip_data,
-- audit, analytics, archive, monitoring, maintenance), the enum types, and the scheduled-job tables:
-- maintenance.scheduled_tasks is db-scheduler's table (a due execution is picked by exactly one service
-- instance) and maintenance.job_runs the operators' record of what every job did, one row per run.
-- earthdistance and cube need a superuser, so cluster.sql creates them; they are repeated here so that
-- this file states everything it depends on.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE EXTENSION IF NOT EXISTS "uuid-ossp";

CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE EXTENSION IF NOT EXISTS cube;

CREATE EXTENSION IF NOT EXISTS earthdistance;

CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE EXTENSION IF NOT EXISTS hstore;

-- ---------------------------------------------------------------------------------------------
-- Schemas
-- ---------------------------------------------------------------------------------------------
COMMENT ON SCHEMA public IS 'Main application data: accounts, drivers, fleets, vehicles, rides, payments.';

CREATE SCHEMA vip_data;

COMMENT ON SCHEMA vip_data IS 'VIP data, isolated from public: encrypted profile fields and location history.';

CREATE SCHEMA audit;

COMMENT ON SCHEMA audit IS 'Append-only audit trail, VIP access log, authentication events, compliance records.';

CREATE SCHEMA analytics;

COMMENT ON SCHEMA analytics IS 'Business intelligence: materialized views and reports, readable by analytics roles only.';

CREATE SCHEMA archive;

COMMENT ON SCHEMA archive IS 'Long-term storage of data past its live retention period, same shape as the live tables.';

CREATE SCHEMA monitoring;

COMMENT ON SCHEMA monitoring IS 'Health, performance and security views for operators and auditors.';

CREATE SCHEMA maintenance;

COMMENT ON SCHEMA maintenance IS 'Upkeep routines: partitions, vacuum and statistics, retention jobs.';

-- Nothing this owner creates from here on is usable by PUBLIC unless a later part grants it.
ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;

-- ---------------------------------------------------------------------------------------------
-- Enum types
-- ---------------------------------------------------------------------------------------------
CREATE TYPE public.user_tier AS ENUM ('normal', 'premium', 'vip');

COMMENT ON TYPE public.user_tier IS 'Rider tier; drives commission band and service level.';

CREATE TYPE public.user_type AS ENUM (
    'customer', 'driver', 'fleet_admin', 'hotel_staff', 'support_agent',
    'vip_admin', 'vip_operator', 'emergency_responder',
    'audit_admin', 'compliance_officer', 'system_admin');

COMMENT ON TYPE public.user_type IS
    'Kind of account; each maps to exactly one database role (customer -> customer_user, driver -> driver_user, others by name).';

CREATE TYPE public.ride_status AS ENUM (
    'pending', 'driver_assigned', 'driver_arrived', 'in_progress', 'completed', 'cancelled', 'emergency');

CREATE TYPE public.payment_status AS ENUM (
    'pending', 'processing', 'completed', 'failed', 'refunded', 'disputed');

CREATE TYPE public.driver_category AS ENUM ('private_driver', 'fleet_driver', 'owner_operator');

CREATE TYPE public.vehicle_type AS ENUM ('sedan', 'suv', 'luxury', 'van', 'premium');

CREATE TYPE public.billing_model AS ENUM (
    'per_ride', 'time_based', 'distance_based', 'flat_rate', 'surge_pricing');

CREATE TYPE public.driver_subscription_tier AS ENUM ('basic', 'premium', 'elite');

CREATE TYPE public.hotel_partnership_tier AS ENUM ('standard', 'preferred', 'exclusive');

ALTER TYPE public.ride_status ADD VALUE IF NOT EXISTS 'expired' AFTER 'cancelled';

CREATE TABLE maintenance.scheduled_tasks (
    task_name             text        NOT NULL,
    task_instance         text        NOT NULL,
    task_data             bytea,
    execution_time        timestamptz NOT NULL,
    picked                boolean     NOT NULL,
    picked_by             text,
    last_success          timestamptz,
    last_failure          timestamptz,
    consecutive_failures  integer,
    last_heartbeat        timestamptz,
    version               bigint      NOT NULL,
    priority              smallint,
    CONSTRAINT scheduled_tasks_pkey PRIMARY KEY (task_name, task_instance)
);

COMMENT ON TABLE maintenance.scheduled_tasks IS
    'db-scheduler''s executions: when each job is next due and which service instance has picked it. No personal data.';

CREATE INDEX scheduled_tasks_execution_time_idx ON maintenance.scheduled_tasks (execution_time);

CREATE INDEX scheduled_tasks_last_heartbeat_idx ON maintenance.scheduled_tasks (last_heartbeat);

CREATE INDEX scheduled_tasks_priority_execution_time_idx ON maintenance.scheduled_tasks (priority DESC, execution_time);

-- ---------------------------------------------------------------------------------------------
-- Job run history
-- ---------------------------------------------------------------------------------------------
CREATE TABLE maintenance.job_runs (
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    job_name     text        NOT NULL,
    instance     text        NOT NULL,
    started_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    finished_at  timestamptz,
    outcome      text        NOT NULL DEFAULT 'running',
    counts       jsonb       NOT NULL DEFAULT '{}',
    error        text,
    CONSTRAINT job_runs_pkey PRIMARY KEY (id),
    CONSTRAINT job_runs_outcome_chk CHECK (outcome IN ('running', 'succeeded', 'failed')),
    CONSTRAINT job_runs_finished_chk CHECK ((outcome = 'running') = (finished_at IS NULL)),
    CONSTRAINT job_runs_error_chk CHECK ((outcome = 'failed') = (error IS NOT NULL)),
    CONSTRAINT job_runs_counts_chk CHECK (jsonb_typeof(counts) = 'object')
);

COMMENT ON TABLE maintenance.job_runs IS
    'One row per run of a scheduled or operator-triggered job: who ran it, when, the outcome and what it counted.';

COMMENT ON COLUMN maintenance.job_runs.instance IS 'The service instance (db-scheduler name) that ran the job.';

CREATE INDEX job_runs_job_started_idx ON maintenance.job_runs (job_name, started_at DESC);

