-- Part 09 — deployment: the runtime login and what it may become.
--
-- app_backend is the service's login (spec, Step 4). It is NOINHERIT, owns nothing, is not a superuser
-- and cannot bypass RLS, so on its own it can read no table: every transaction the service opens first
-- switches (SET LOCAL ROLE) into the caller's role. Through the tree it may become any end-user role;
-- anonymous_user is what it becomes for unauthenticated requests. Its password is set by the DBA
-- (ALTER ROLE app_backend PASSWORD ...), never in this file.

DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'app_backend') THEN
        CREATE ROLE app_backend LOGIN NOINHERIT;
    END IF;
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO app_backend', current_database());
END
$$;
ALTER ROLE app_backend NOINHERIT;

GRANT authenticated_user, system_admin, anonymous_user TO app_backend;

-- Runaway or forgotten transactions must not hold locks or connections for long.
ALTER ROLE app_backend SET idle_in_transaction_session_timeout = '60s';
