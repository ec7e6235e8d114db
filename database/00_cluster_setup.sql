-- 00_cluster_setup.sql — prerequisites only a superuser can lay down, run once per cluster/database
-- before the numbered parts. The embedded default runs it at every start (it is idempotent); a DBA runs
-- it through install.sql, or alone before letting the service migrate an external database.
--
-- * vipride_owner owns every schema object. It logs in only to migrate (Flyway) and is the
--   database owner, so both install paths create objects under the same owner.
-- * vipride_backup is the pg_dump login: it must read every row, so it bypasses RLS and reads all data,
--   but owns nothing and cannot write. VIP fields stay ciphertext in its dumps.
-- * earthdistance (great-circle search over cube) and pg_stat_statements are not trusted extensions,
--   so they are created here; pg_stat_statements only when the server preloads it.
-- Passwords are never set in SQL: the DBA sets them (ALTER ROLE … PASSWORD) on a real server.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'vipride_owner') THEN
        CREATE ROLE vipride_owner LOGIN CREATEROLE;
    END IF;
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'vipride_backup') THEN
        CREATE ROLE vipride_backup LOGIN BYPASSRLS NOINHERIT;
    END IF;
END
$$;

-- NOINHERIT on the backup login would hide pg_read_all_data's privileges, so it inherits exactly that.
ALTER ROLE vipride_backup INHERIT;
GRANT pg_read_all_data TO vipride_backup;

DO $$
BEGIN
    EXECUTE format('ALTER DATABASE %I OWNER TO vipride_owner', current_database());
    EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO vipride_backup', current_database());
    CREATE EXTENSION IF NOT EXISTS cube;
    CREATE EXTENSION IF NOT EXISTS earthdistance;
    IF current_setting('shared_preload_libraries') ~ 'pg_stat_statements' THEN
        CREATE EXTENSION IF NOT EXISTS pg_stat_statements;
    END IF;
END
$$;
