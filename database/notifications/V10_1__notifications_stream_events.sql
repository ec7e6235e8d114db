-- V10_1__notifications_stream_events.sql — public.stream_events: what the live streams carry (offers,
-- ride state, the assigned driver's position, in-app notifications, incidents and alerts), one row per
-- event and addressee, kept a day so that a client reconnecting with Last-Event-ID gets what it missed.
-- Each insert is announced with NOTIFY at commit; row-level security decides who reads a row.
-- Rules: every timestamp is timestamptz; RLS is enabled and FORCED (the policies live in the repeatable file).

CREATE TABLE public.stream_events (
    id            bigint      GENERATED ALWAYS AS IDENTITY,
    recipient_id  uuid,
    audience      text,
    kind          text        NOT NULL,
    payload       jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT stream_events_pkey PRIMARY KEY (id),
    CONSTRAINT stream_events_addressee_chk CHECK ((recipient_id IS NULL) <> (audience IS NULL)),
    CONSTRAINT stream_events_audience_chk CHECK (audience IN ('control_centre')),
    CONSTRAINT stream_events_kind_chk CHECK (kind IN ('offer', 'ride', 'position', 'notification', 'incident', 'alert')),
    CONSTRAINT stream_events_payload_chk CHECK (jsonb_typeof(payload) = 'object')
);

COMMENT ON TABLE public.stream_events IS
    'Live-stream events for one user (recipient_id) or a staff audience (control_centre); kept a day for Last-Event-ID replay.';

CREATE INDEX stream_events_recipient_idx ON public.stream_events (recipient_id, id) WHERE recipient_id IS NOT NULL;

CREATE INDEX stream_events_audience_idx ON public.stream_events (audience, id) WHERE audience IS NOT NULL;

CREATE INDEX stream_events_created_idx ON public.stream_events (created_at);

ALTER TABLE public.stream_events ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.stream_events FORCE ROW LEVEL SECURITY;
