-- Part 08 — analytics and archive. This part starts with the retention rules per data class, which
-- the archival jobs (operations issue) apply; the analytics materialized views arrive with it too.

CREATE TABLE archive.retention_rules (
    data_class        text        NOT NULL,
    live_months       integer     NOT NULL,
    action            text        NOT NULL,
    legal_basis       text        NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT retention_rules_pkey PRIMARY KEY (data_class),
    CONSTRAINT retention_rules_months_chk CHECK (live_months BETWEEN 1 AND 1200),
    CONSTRAINT retention_rules_action_chk CHECK (action IN ('archive', 'anonymize', 'delete'))
);
COMMENT ON TABLE archive.retention_rules IS
    'How long each data class stays live before it is archived, anonymised or deleted (NDPR/GDPR).';

INSERT INTO archive.retention_rules (data_class, live_months, action, legal_basis) VALUES
    ('rides', 84, 'archive', 'Spec: automated archival after 7 years; tax and transport records.'),
    ('payments', 84, 'archive', 'Financial records kept 7 years.'),
    ('vip_location_history', 24, 'delete', 'Data minimisation: precise VIP positions are not kept longer than needed.'),
    ('audit_log', 84, 'archive', 'Accountability records kept 7 years.'),
    ('auth_events', 24, 'delete', 'Security monitoring window.');

CREATE TRIGGER retention_rules_touch_updated_at BEFORE UPDATE ON archive.retention_rules
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

GRANT USAGE ON SCHEMA archive TO system_admin, audit_admin, compliance_officer;
GRANT SELECT ON archive.retention_rules TO system_admin, audit_admin, compliance_officer;
GRANT UPDATE (live_months, action, legal_basis) ON archive.retention_rules TO compliance_officer;
SELECT audit.enable_audit('archive.retention_rules', 'data_class');
