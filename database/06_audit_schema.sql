-- Part 06 — audit schema. This part starts with authentication events (registrations, logins,
-- failures, lock-outs, refresh-token reuse, log-outs), which feed security monitoring; the general
-- change audit trail and the VIP access log are added by the VIP data protection issue.

-- Where the request came from. The service passes the end user's address in app.client_ip; any other
-- session is described by its own connection, so a psql user cannot put words in the log.
CREATE FUNCTION audit.request_client_ip() RETURNS inet
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT CASE WHEN session_user = 'app_backend'
                THEN nullif(current_setting('app.client_ip', true), '')::inet
                ELSE inet_client_addr()
           END
$$;

CREATE FUNCTION audit.request_user_agent() RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT CASE WHEN session_user = 'app_backend'
                THEN left(nullif(current_setting('app.user_agent', true), ''), 512)
                ELSE 'sql:' || session_user
           END
$$;

CREATE TABLE audit.auth_events (
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    user_id      uuid,
    event        text        NOT NULL,
    client_ip    inet,
    user_agent   text,
    occurred_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT auth_events_pkey PRIMARY KEY (id),
    CONSTRAINT auth_events_event_chk CHECK (event IN (
        'registered', 'login_succeeded', 'login_failed', 'account_locked', 'refresh_token_reused', 'logged_out'))
);
-- No foreign key to users on purpose: erasing or anonymising an account must never delete its log.
COMMENT ON TABLE audit.auth_events IS
    'Append-only log of authentication events; written only by the account functions.';
CREATE INDEX auth_events_user_time_idx ON audit.auth_events (user_id, occurred_at DESC);
CREATE INDEX auth_events_event_time_idx ON audit.auth_events (event, occurred_at DESC);
