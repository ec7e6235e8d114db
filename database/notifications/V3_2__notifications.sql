-- V3_2__notifications.sql — public.notifications: messages to one user (a document about to expire, …),
-- written by the capabilities' SQL through public.notify and read by their recipient. Delivery channels
-- (push, e-mail, SMS) read them later; in-app, the recipient lists their own.
-- Rules: every timestamp is timestamptz; RLS is enabled and FORCED (the policies live in the repeatable file).

CREATE TABLE public.notifications (
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    recipient_id  uuid        NOT NULL,
    type          text        NOT NULL,
    payload       jsonb       NOT NULL DEFAULT '{}',
    created_at    timestamptz NOT NULL DEFAULT now(),
    read_at       timestamptz,
    CONSTRAINT notifications_pkey PRIMARY KEY (id),
    CONSTRAINT notifications_recipient_fk FOREIGN KEY (recipient_id) REFERENCES public.users (id),
    CONSTRAINT notifications_type_chk CHECK (type ~ '^[a-z][a-z0-9_.-]{1,63}$'),
    CONSTRAINT notifications_payload_chk CHECK (jsonb_typeof(payload) = 'object'),
    CONSTRAINT notifications_read_chk CHECK (read_at IS NULL OR read_at >= created_at)
);

COMMENT ON TABLE public.notifications IS 'Messages to one user, newest first; read_at is set when the recipient has read it.';

-- A recipient's list, newest first (and the policies' filter).
CREATE INDEX notifications_recipient_idx ON public.notifications (recipient_id, created_at DESC);

ALTER TABLE public.notifications ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.notifications FORCE ROW LEVEL SECURITY;
