-- Part 01 — extensions, schemas, enum types, the role tree and the helpers every later part uses.
-- Runs as vipride_owner (the database owner). earthdistance needs a superuser, so 00_cluster_setup.sql
-- creates it (with cube); it is repeated here so that this part states everything it depends on.

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

-- ---------------------------------------------------------------------------------------------
-- Role tree (spec, "User Roles Hierarchy")
--
-- An edge parent -> child is expressed as GRANT child TO parent: the parent may act as the child
-- (SET ROLE), never the other way round. Every group role is NOINHERIT, so a membership confers the
-- right to switch, not privileges: a vip_admin can switch into vip_operator, a vip_operator can never
-- gain vip_admin's writes, and authenticated_user holds nothing by itself. Roles belong to the cluster,
-- so they are created only when missing and every grant is repeatable.
-- anonymous_user is not in the tree: it is what unauthenticated requests run as (register, log in).
-- ---------------------------------------------------------------------------------------------
DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY[
        'system_admin', 'audit_admin', 'compliance_officer', 'authenticated_user',
        'vip_admin', 'vip_operator', 'emergency_responder', 'fleet_admin', 'driver_user',
        'customer_user', 'support_agent', 'hotel_staff', 'anonymous_user']
    LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r) THEN
            EXECUTE format('CREATE ROLE %I NOLOGIN NOINHERIT', r);
        END IF;
        EXECUTE format('ALTER ROLE %I NOLOGIN NOINHERIT', r);
    END LOOP;
END
$$;

GRANT audit_admin, compliance_officer, authenticated_user TO system_admin;
GRANT vip_admin, fleet_admin, driver_user, customer_user, support_agent, hotel_staff TO authenticated_user;
GRANT vip_operator, emergency_responder TO vip_admin;

-- ---------------------------------------------------------------------------------------------
-- Caller identity
-- ---------------------------------------------------------------------------------------------
-- The service sets app.current_user_id transaction-locally after switching into the caller's role.
-- Only the service login is trusted with that setting: any other session (a psql user, a BI tool)
-- gets NULL here and so matches no "own row" policy, whatever it sets. A setting made with
-- set_config(..., true) reads back as '' after the transaction, which also means NULL.
-- The function is deliberately a plain, inlinable SQL expression — no SET clause (that would block
-- inlining and cost a function call with a GUC switch per query), every name schema-qualified instead
-- so no search_path can redirect it. Policies compare columns with it directly; inlined, it is a
-- stable expression that an index scan on the policy column evaluates once per scan
-- (bench/README.md: rls-history measured 1.29x with a (SELECT …) InitPlan, 1.14x like this).
CREATE FUNCTION public.current_app_user_id() RETURNS uuid
    LANGUAGE sql STABLE PARALLEL SAFE
AS $$
    SELECT CASE WHEN session_user OPERATOR(pg_catalog.=) 'app_backend'::pg_catalog.name
                 AND pg_catalog.current_setting('app.current_user_id', true) OPERATOR(pg_catalog.<>) ''
                THEN pg_catalog.current_setting('app.current_user_id', true)::pg_catalog.uuid
           END
$$;
COMMENT ON FUNCTION public.current_app_user_id() IS
    'The end user the current transaction acts for; NULL unless set by the trusted service login.';

-- ---------------------------------------------------------------------------------------------
-- Shared trigger: updated_at is maintained by the database, not by each caller.
-- ---------------------------------------------------------------------------------------------
CREATE FUNCTION public.touch_updated_at() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Monthly partitions
-- ---------------------------------------------------------------------------------------------
-- Creates the partition of a monthly range-partitioned table for the month containing p_month and
-- returns its name; calling it again for the same month is a no-op. Bounds are UTC month starts, so
-- they do not depend on the session's time zone. Rows that already fell into the table's default
-- partition for that month are moved into the new partition before it is attached, so creating a
-- partition late never fails and never strands rows.
CREATE FUNCTION maintenance.create_monthly_partition(p_parent regclass, p_month date) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_schema    text;
    v_table     text;
    v_column    text;
    v_start     date := date_trunc('month', p_month)::date;
    v_from      timestamptz;
    v_to        timestamptz;
    v_name      text;
    v_default   text;
BEGIN
    IF p_month IS NULL THEN
        RAISE EXCEPTION 'month must not be null' USING ERRCODE = '22004';
    END IF;
    SELECT n.nspname, c.relname, a.attname
      INTO v_schema, v_table, v_column
      FROM pg_class c
      JOIN pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_partitioned_table p ON p.partrelid = c.oid
      JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = p.partattrs[0]
     WHERE c.oid = p_parent AND p.partstrat = 'r';
    IF NOT FOUND THEN
        RAISE EXCEPTION '% is not a range-partitioned table', p_parent USING ERRCODE = '42809';
    END IF;

    v_name := format('%s_y%sm%s', v_table, to_char(v_start, 'YYYY'), to_char(v_start, 'MM'));
    IF EXISTS (SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = v_schema AND c.relname = v_name) THEN
        RETURN format('%I.%I', v_schema, v_name);
    END IF;

    v_from := v_start::timestamp AT TIME ZONE 'UTC';
    v_to := (v_start + interval '1 month')::timestamp AT TIME ZONE 'UTC';

    SELECT format('%I.%I', dn.nspname, d.relname) INTO v_default
      FROM pg_partitioned_table p
      JOIN pg_class d ON d.oid = p.partdefid
      JOIN pg_namespace dn ON dn.oid = d.relnamespace
     WHERE p.partrelid = p_parent;

    EXECUTE format('CREATE TABLE %I.%I (LIKE %s INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING STORAGE)',
                   v_schema, v_name, p_parent);
    IF v_default IS NOT NULL THEN
        EXECUTE format('WITH moved AS (DELETE FROM %s WHERE %I >= $1 AND %I < $2 RETURNING *) '
                       'INSERT INTO %I.%I SELECT * FROM moved',
                       v_default, v_column, v_column, v_schema, v_name)
          USING v_from, v_to;
    END IF;
    EXECUTE format('ALTER TABLE %s ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                   p_parent, v_schema, v_name, v_from, v_to);
    RETURN format('%I.%I', v_schema, v_name);
END
$$;
COMMENT ON FUNCTION maintenance.create_monthly_partition(regclass, date) IS
    'Idempotently creates the UTC-month partition containing p_month, moving strays out of the default partition.';

-- Creates the default partition and the partitions of the current month and the next three.
CREATE FUNCTION maintenance.ensure_partitions_ahead(p_parent regclass, p_months_ahead integer DEFAULT 3)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_schema text;
    v_table  text;
BEGIN
    SELECT n.nspname, c.relname INTO v_schema, v_table
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.oid = p_parent;
    IF NOT EXISTS (SELECT FROM pg_partitioned_table WHERE partrelid = p_parent AND partdefid <> 0) THEN
        EXECUTE format('CREATE TABLE %I.%I PARTITION OF %s DEFAULT', v_schema, v_table || '_default', p_parent);
    END IF;
    FOR i IN 0 .. p_months_ahead LOOP
        PERFORM maintenance.create_monthly_partition(
            p_parent, ((now() AT TIME ZONE 'UTC')::date + make_interval(months => i))::date);
    END LOOP;
END
$$;
COMMENT ON FUNCTION maintenance.ensure_partitions_ahead(regclass, integer) IS
    'Ensures a default partition and monthly partitions from the current UTC month to p_months_ahead months ahead.';
