-- V11__accounts_login_attempts.sql — password tries counted per email and client address.
--
-- A login first claims a try here, in one statement, before its password is checked: at most
-- max-failed-logins tries of one email from one address are ever checked per lock period, however many
-- run at once. The count belongs to the pair, not to the account, so a stranger who sends wrong
-- passwords for someone's email locks out only their own address; and an email without an account is
-- counted exactly like one with, so the answers never tell the two apart. Only the SHA-256 of the
-- normalised email is kept.
CREATE TABLE public.login_attempts (
    email_hash    bytea       NOT NULL,
    client_ip     inet        NOT NULL,
    tries         integer     NOT NULL,
    first_try_at  timestamptz NOT NULL DEFAULT now(),
    locked_until  timestamptz,
    CONSTRAINT login_attempts_pkey PRIMARY KEY (email_hash, client_ip),
    CONSTRAINT login_attempts_hash_len_chk CHECK (length(email_hash) = 32),
    CONSTRAINT login_attempts_tries_chk CHECK (tries BETWEEN 0 AND 100)
);

COMMENT ON TABLE public.login_attempts IS
    'Password tries per (email hash, client address) in the current lock period; reachable only through the login functions.';

CREATE INDEX login_attempts_first_try_idx ON public.login_attempts (first_try_at);

ALTER TABLE public.login_attempts ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.login_attempts FORCE ROW LEVEL SECURITY;
