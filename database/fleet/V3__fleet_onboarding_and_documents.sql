-- V3__fleet_onboarding_and_documents.sql — fleet applications and their vetting, driver applications
-- and their decision, and the documents of drivers and vehicles (licence, insurance, registration,
-- background check) with the date until which all of a driver's or vehicle's documents are valid.
-- Rules: every timestamp is timestamptz; RLS is enabled and FORCED on every table (the policies live
-- in the repeatable file).

-- ---------------------------------------------------------------------------------------------
-- fleet companies: who applied, and why the last vetting decision was taken
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.fleet_companies
    ADD COLUMN applicant_user_id uuid,
    ADD COLUMN status_reason     text,
    ADD COLUMN status_changed_at timestamptz,
    ADD COLUMN status_changed_by uuid,
    ADD CONSTRAINT fleet_companies_applicant_fk FOREIGN KEY (applicant_user_id) REFERENCES public.users (id),
    ADD CONSTRAINT fleet_companies_status_changed_by_fk FOREIGN KEY (status_changed_by) REFERENCES public.users (id),
    ADD CONSTRAINT fleet_companies_reason_chk CHECK (status_reason IS NULL OR length(btrim(status_reason)) BETWEEN 1 AND 500),
    ADD CONSTRAINT fleet_companies_registration_chk CHECK (length(btrim(registration_number)) BETWEEN 1 AND 64);

-- A rejected application stays on record, with its reason.
ALTER TABLE public.fleet_companies DROP CONSTRAINT fleet_companies_status_chk;

ALTER TABLE public.fleet_companies ADD CONSTRAINT fleet_companies_status_chk
    CHECK (status IN ('pending', 'active', 'suspended', 'rejected', 'closed'));

COMMENT ON COLUMN public.fleet_companies.applicant_user_id IS
    'The account that applied for the fleet; it becomes the fleet''s first fleet_admin when the fleet is approved.';

COMMENT ON COLUMN public.fleet_companies.status_reason IS 'Why the last vetting decision (approve, reject, suspend, reinstate) was taken.';

CREATE INDEX fleet_companies_applicant_idx ON public.fleet_companies (applicant_user_id);

-- One open application per applicant.
CREATE UNIQUE INDEX fleet_companies_one_pending_application_key ON public.fleet_companies (applicant_user_id)
    WHERE status = 'pending';

-- ---------------------------------------------------------------------------------------------
-- drivers: the reason of the application decision, and until when all their documents hold
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.drivers
    ADD COLUMN status_reason         text,
    ADD COLUMN status_changed_at     timestamptz,
    ADD COLUMN status_changed_by     uuid,
    ADD COLUMN documents_valid_until date NOT NULL DEFAULT 'infinity',
    ADD CONSTRAINT drivers_status_changed_by_fk FOREIGN KEY (status_changed_by) REFERENCES public.users (id);

COMMENT ON COLUMN public.drivers.documents_valid_until IS
    'Last day on which every required document of the driver and of their current vehicle is valid (kept by '
    'trigger): the driver cannot go online, and is never dispatched, after it.';

UPDATE public.drivers SET documents_valid_until = license_expires_on;

-- ---------------------------------------------------------------------------------------------
-- vehicles: until when all their documents hold
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.vehicles
    ADD COLUMN documents_valid_until date NOT NULL DEFAULT 'infinity',
    ADD COLUMN vip_certified_at      timestamptz;

COMMENT ON COLUMN public.vehicles.documents_valid_until IS
    'Last day on which every required document of the vehicle is valid (kept by trigger).';

UPDATE public.vehicles
   SET documents_valid_until = coalesce(least(insurance_expires_on, registration_expires_on), 'infinity')
 WHERE insurance_expires_on IS NOT NULL OR registration_expires_on IS NOT NULL;

-- ---------------------------------------------------------------------------------------------
-- documents of drivers and vehicles. The file is kept by the service's document store under
-- storage_key; the database keeps its SHA-256, so a file that changed in the store is detected. A
-- renewal is a new row: the one it replaces is marked superseded, so each driver or vehicle has one
-- current document of each kind and the history stays.
-- ---------------------------------------------------------------------------------------------
CREATE TABLE public.fleet_documents (
    id               uuid        NOT NULL DEFAULT gen_random_uuid(),
    driver_id        uuid,
    vehicle_id       uuid,
    kind             text        NOT NULL,
    document_number  text        NOT NULL,
    issuer           text        NOT NULL,
    expires_on       date        NOT NULL,
    storage_key      text        NOT NULL,
    content_type     text        NOT NULL,
    size_bytes       integer     NOT NULL,
    sha256           bytea       NOT NULL,
    uploaded_by      uuid        NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    superseded_at    timestamptz,
    -- The smallest number of days before expiry (30, 7 or 1) whose reminder was already sent.
    reminded_days    smallint,
    CONSTRAINT fleet_documents_pkey PRIMARY KEY (id),
    CONSTRAINT fleet_documents_driver_fk FOREIGN KEY (driver_id) REFERENCES public.drivers (id),
    CONSTRAINT fleet_documents_vehicle_fk FOREIGN KEY (vehicle_id) REFERENCES public.vehicles (id),
    CONSTRAINT fleet_documents_uploaded_by_fk FOREIGN KEY (uploaded_by) REFERENCES public.users (id),
    CONSTRAINT fleet_documents_storage_key UNIQUE (storage_key),
    CONSTRAINT fleet_documents_one_subject_chk CHECK ((driver_id IS NULL) <> (vehicle_id IS NULL)),
    CONSTRAINT fleet_documents_kind_chk CHECK (
        (driver_id IS NOT NULL AND kind IN ('driver_licence', 'background_check'))
        OR (vehicle_id IS NOT NULL AND kind IN ('insurance', 'vehicle_registration'))),
    CONSTRAINT fleet_documents_number_chk CHECK (length(btrim(document_number)) BETWEEN 1 AND 100),
    CONSTRAINT fleet_documents_issuer_chk CHECK (length(btrim(issuer)) BETWEEN 1 AND 200),
    CONSTRAINT fleet_documents_content_type_chk CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
    CONSTRAINT fleet_documents_size_chk CHECK (size_bytes > 0),
    CONSTRAINT fleet_documents_sha256_chk CHECK (length(sha256) = 32),
    CONSTRAINT fleet_documents_reminded_chk CHECK (reminded_days IS NULL OR reminded_days IN (30, 7, 1))
);

COMMENT ON TABLE public.fleet_documents IS
    'Licences, insurance, registrations and background checks of drivers and vehicles; the file''s SHA-256, not the file.';

CREATE UNIQUE INDEX fleet_documents_current_driver_key ON public.fleet_documents (driver_id, kind)
    WHERE superseded_at IS NULL AND driver_id IS NOT NULL;

CREATE UNIQUE INDEX fleet_documents_current_vehicle_key ON public.fleet_documents (vehicle_id, kind)
    WHERE superseded_at IS NULL AND vehicle_id IS NOT NULL;

CREATE INDEX fleet_documents_vehicle_idx ON public.fleet_documents (vehicle_id);

-- The reminder job reads current documents by expiry date.
CREATE INDEX fleet_documents_current_expiry_idx ON public.fleet_documents (expires_on) WHERE superseded_at IS NULL;

ALTER TABLE public.fleet_documents ENABLE ROW LEVEL SECURITY;

ALTER TABLE public.fleet_documents FORCE ROW LEVEL SECURITY;
