-- V10_2__safety_incidents.sql — safety incidents of every ride (an SOS by its rider or driver), their
-- timeline (opened, alerted, acknowledged, assigned, notes, escalations, every read of the ride's live
-- position or the parties' contacts, resolution) and the control centre's settings.
-- Rules: every timestamp is timestamptz; RLS is enabled and FORCED (the policies live in the repeatable file).

-- One row: how long the control centre has to acknowledge an incident before it escalates, and how long
-- responders may read an incident's ride position and contacts.
CREATE TABLE public.safety_settings (
    id                    boolean  NOT NULL DEFAULT true,
    acknowledge_within_s  integer  NOT NULL DEFAULT 120,
    access_window_s       integer  NOT NULL DEFAULT 14400,
    CONSTRAINT safety_settings_pkey PRIMARY KEY (id),
    CONSTRAINT safety_settings_one_row_chk CHECK (id),
    CONSTRAINT safety_settings_ack_chk CHECK (acknowledge_within_s BETWEEN 5 AND 3600),
    CONSTRAINT safety_settings_window_chk CHECK (access_window_s BETWEEN 300 AND 86400)
);

COMMENT ON TABLE public.safety_settings IS
    'Control-centre timers: acknowledge an incident within acknowledge_within_s or it escalates; responders read for access_window_s.';

INSERT INTO public.safety_settings DEFAULT VALUES;

CREATE TABLE public.safety_incidents (
    id                 uuid        NOT NULL DEFAULT gen_random_uuid(),
    ride_id            uuid        NOT NULL,
    ride_requested_at  timestamptz NOT NULL,
    rider_id           uuid        NOT NULL,
    driver_id          uuid,
    raised_by          uuid        NOT NULL,
    raised_as          text        NOT NULL,
    kind               text        NOT NULL DEFAULT 'sos',
    severity           smallint    NOT NULL DEFAULT 4,
    status             text        NOT NULL DEFAULT 'open',
    opened_at          timestamptz NOT NULL DEFAULT now(),
    acknowledge_due_at timestamptz NOT NULL,
    escalations        smallint    NOT NULL DEFAULT 0,
    access_expires_at  timestamptz NOT NULL,
    acknowledged_at    timestamptz,
    acknowledged_by    uuid,
    assigned_to        uuid,
    assigned_at        timestamptz,
    resolved_at        timestamptz,
    resolved_by        uuid,
    outcome            text,
    CONSTRAINT safety_incidents_pkey PRIMARY KEY (id),
    CONSTRAINT safety_incidents_rider_fk FOREIGN KEY (rider_id) REFERENCES public.users (id),
    CONSTRAINT safety_incidents_driver_fk FOREIGN KEY (driver_id) REFERENCES public.drivers (id),
    CONSTRAINT safety_incidents_raised_by_fk FOREIGN KEY (raised_by) REFERENCES public.users (id),
    CONSTRAINT safety_incidents_ack_by_fk FOREIGN KEY (acknowledged_by) REFERENCES public.users (id),
    CONSTRAINT safety_incidents_assigned_fk FOREIGN KEY (assigned_to) REFERENCES public.users (id),
    CONSTRAINT safety_incidents_resolved_by_fk FOREIGN KEY (resolved_by) REFERENCES public.users (id),
    CONSTRAINT safety_incidents_raised_as_chk CHECK (raised_as IN ('rider', 'driver')),
    CONSTRAINT safety_incidents_kind_chk CHECK (kind IN ('sos', 'medical', 'security', 'vehicle_breakdown', 'accident')),
    CONSTRAINT safety_incidents_severity_chk CHECK (severity BETWEEN 1 AND 5),
    CONSTRAINT safety_incidents_status_chk CHECK (status IN ('open', 'acknowledged', 'resolved')),
    CONSTRAINT safety_incidents_ack_chk CHECK ((acknowledged_at IS NULL) = (status = 'open')),
    CONSTRAINT safety_incidents_resolved_chk CHECK ((status = 'resolved') = (resolved_at IS NOT NULL)
                                                   AND (status = 'resolved') = (outcome IS NOT NULL)),
    CONSTRAINT safety_incidents_outcome_chk CHECK (outcome IN ('resolved', 'false_alarm', 'police_called',
                                                               'medical_assistance', 'ride_ended')),
    CONSTRAINT safety_incidents_window_chk CHECK (access_expires_at > opened_at
                                                  AND access_expires_at <= opened_at + interval '24 hours')
);

COMMENT ON TABLE public.safety_incidents IS
    'Emergencies on rides (SOS of a rider or driver): open until acknowledged by the control centre, then resolved with an outcome.';

-- At most one unresolved incident per ride: a second SOS on the same ride joins it.
CREATE UNIQUE INDEX safety_incidents_one_live_key ON public.safety_incidents (ride_id) WHERE status <> 'resolved';

-- The control centre's queue and the escalation job.
CREATE INDEX safety_incidents_live_idx ON public.safety_incidents (status, acknowledge_due_at) WHERE status <> 'resolved';

CREATE INDEX safety_incidents_rider_idx ON public.safety_incidents (rider_id, opened_at DESC);

CREATE INDEX safety_incidents_driver_idx ON public.safety_incidents (driver_id, opened_at DESC) WHERE driver_id IS NOT NULL;

CREATE TABLE public.safety_incident_events (
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    incident_id  uuid        NOT NULL,
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    actor_id     uuid,
    kind         text        NOT NULL,
    note         text,
    details      jsonb       NOT NULL DEFAULT '{}',
    CONSTRAINT safety_incident_events_pkey PRIMARY KEY (id),
    CONSTRAINT safety_incident_events_incident_fk FOREIGN KEY (incident_id) REFERENCES public.safety_incidents (id),
    CONSTRAINT safety_incident_events_actor_fk FOREIGN KEY (actor_id) REFERENCES public.users (id),
    CONSTRAINT safety_incident_events_kind_chk CHECK (kind IN ('opened', 'raised_again', 'alerted', 'acknowledged',
                                                               'assigned', 'note', 'escalated', 'access', 'resolved')),
    CONSTRAINT safety_incident_events_note_chk CHECK (note IS NULL OR length(note) BETWEEN 1 AND 2000)
);

COMMENT ON TABLE public.safety_incident_events IS
    'An incident''s timeline, append-only: every step, note and every read of the ride''s position or the parties'' contacts.';

CREATE INDEX safety_incident_events_incident_idx ON public.safety_incident_events (incident_id, id);

ALTER TABLE public.safety_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.safety_settings FORCE ROW LEVEL SECURITY;
ALTER TABLE public.safety_incidents ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.safety_incidents FORCE ROW LEVEL SECURITY;
ALTER TABLE public.safety_incident_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.safety_incident_events FORCE ROW LEVEL SECURITY;
