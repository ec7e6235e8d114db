-- V12_1__safety_emergency_contacts.sql — the people a rider or driver wants reached in an emergency.
-- Each person keeps their own (at most five, enforced in R__15_safety.sql); responders read the parties'
-- contacts only through an open incident of their ride, and every such read is written to its timeline.
-- Rules: every timestamp is timestamptz; RLS is enabled and FORCED (the policies live in the repeatable file).

CREATE TABLE public.emergency_contacts (
    id            uuid        NOT NULL DEFAULT gen_random_uuid(),
    user_id       uuid        NOT NULL,
    name          text        NOT NULL,
    phone         text        NOT NULL,
    relationship  text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT emergency_contacts_pkey PRIMARY KEY (id),
    CONSTRAINT emergency_contacts_user_fk FOREIGN KEY (user_id) REFERENCES public.users (id),
    CONSTRAINT emergency_contacts_name_chk CHECK (length(btrim(name)) BETWEEN 1 AND 100),
    CONSTRAINT emergency_contacts_phone_e164_chk CHECK (phone ~ '^\+[1-9][0-9]{7,14}$'),
    CONSTRAINT emergency_contacts_relationship_chk CHECK (length(btrim(relationship)) BETWEEN 1 AND 50),
    CONSTRAINT emergency_contacts_phone_once UNIQUE (user_id, phone)
);

COMMENT ON TABLE public.emergency_contacts IS
    'Whom to reach when a rider or driver raises an SOS: kept by each person, read by responders only through an open incident.';

ALTER TABLE public.emergency_contacts ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.emergency_contacts FORCE ROW LEVEL SECURITY;
