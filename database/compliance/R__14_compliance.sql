-- R__14_compliance.sql — privacy operations: the data map (every column holding personal data, its
-- category and how erasure treats it), the seal on personal values in the audit trail (per-subject keys),
-- erasure driven by the data map with its blockers and log (replayed after a restore), subject-access
-- exports, consent history and its enforcement, data-subject requests with their deadlines, breach
-- incidents on the 72-hour clock, and retention's anonymise action.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'compliance.subject_requests',
    'compliance.request_events',
    'compliance.legal_holds',
    'compliance.erasure_log',
    'compliance.subject_audit_keys',
    'compliance.exports',
    'compliance.consent_purposes',
    'compliance.consent_notices',
    'compliance.consent_events',
    'compliance.breach_incidents',
    'compliance.breach_events',
    'compliance.breach_subjects',
    'compliance.privacy_alerts',
    'compliance.processing_restrictions');

-- =============================================================================================
-- The data map
-- =============================================================================================
-- Which tables hold rows about a person, how a row is found for a subject ($1 is the subject's user
-- id), and what erasure does with those rows:
--   anonymise     the row stays; its columns marked "anonymise" are overwritten irreversibly
--   delete        the rows are deleted
--   pseudonymise  the row stays unchanged for a legal reason; it names the person only by the id of an
--                 account that erasure anonymises. legal_basis and retention_years say why and how long
--   sealed        audit rows: personal values were sealed under the subject's audit key at capture;
--                 erasure destroys the key (the hash chain is untouched)
--   derived       a materialized view recomputed from the live tables at its next refresh
--   transient     rows that live seconds (the audit inbox, drained into the sealed audit log)
--   none          the table holds no personal data (reference data, configuration, hashes)
-- subject_column names the column holding the subject's user id where the link is direct; the audit
-- seal uses it to find whose key seals a value. A driver invitation names its invitee by e-mail only
-- (they may have no account yet): its subject_column is its own id, it is sealed under a key of its own,
-- and erasure shreds the keys of the invitations it finds for the subject with the subject's key.
-- purposes and recipients feed the export's manifest.
CREATE OR REPLACE VIEW compliance.data_map_tables AS
SELECT t.table_name, t.link, t.subject_filter, t.erasure, t.subject_column, t.legal_basis, t.retention_years,
       t.purposes, t.recipients
  FROM (VALUES
    ('public.users', 'account', 'id = $1', 'anonymise', 'id', NULL, NULL,
     'service', 'none'),
    ('public.refresh_tokens', 'account', 'user_id = $1', 'delete', 'user_id', NULL, NULL, 'service', 'none'),
    ('public.emergency_contacts', 'account', 'user_id = $1', 'delete', 'user_id', NULL, NULL, 'safety',
     'emergency responders, during an incident'),
    ('public.staff_invitations', 'staff', 'user_id = $1 OR invited_by = $1', 'pseudonymise', 'user_id',
     'Accountability for staff access (NDPA s.24(1)(e), GDPR art. 5(2)).', 7, 'service', 'none'),
    ('public.notifications', 'recipient', 'recipient_id = $1', 'delete', 'recipient_id', NULL, NULL,
     'service, marketing when consented', 'messaging providers'),
    ('public.rides', 'rider', 'customer_id = $1', 'anonymise', 'customer_id',
     'Tax and transport records (7 years): kept with places coarsened to about 1 km.', 7,
     'service, safety', 'the ride''s driver; payment processors'),
    ('public.rides', 'driver', 'driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = $1)',
     'pseudonymise', NULL, 'Tax and transport records (7 years).', 7, 'service', 'riders of the rides'),
    ('public.fare_quotes', 'rider', 'customer_id = $1', 'delete', 'customer_id', NULL, NULL, 'service', 'none'),
    ('public.ride_request_keys', 'rider', 'customer_id = $1', 'delete', 'customer_id', NULL, NULL, 'service', 'none'),
    ('public.ride_offers', 'driver', 'driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = $1)',
     'pseudonymise', NULL, 'Dispatch fairness records, kept with the rides (7 years).', 7, 'service', 'none'),
    ('public.ride_earnings', 'driver',
     'driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = $1) OR vehicle_owner_id = $1',
     'pseudonymise', NULL, 'Accounting records (7 years).', 7, 'service', 'tax authority on request'),
    ('public.drivers', 'driver', 'user_id = $1', 'pseudonymise', 'user_id',
     'Transport licensing records: who drove, with which licence (7 years).', 7, 'service, safety', 'regulator on request'),
    ('public.fleet_admins', 'fleet admin', 'user_id = $1', 'pseudonymise', 'user_id',
     'Accountability for fleet administration.', 7, 'service', 'none'),
    ('public.fleet_companies', 'applicant', 'applicant_user_id = $1 OR status_changed_by = $1', 'pseudonymise', NULL,
     'Business records of a company (its contacts are the company''s).', 7, 'service', 'none'),
    ('public.fleet_documents', 'driver',
     'driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = $1) OR uploaded_by = $1', 'pseudonymise', NULL,
     'Transport licensing: proof of vetted documents (7 years).', 7, 'service', 'regulator on request'),
    ('public.vehicles', 'owner', 'owner_user_id = $1', 'pseudonymise', NULL,
     'Vehicle registration records.', 7, 'service', 'regulator on request'),
    ('public.vehicle_leases', 'party',
     'owner_user_id = $1 OR driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = $1) OR terminated_by = $1',
     'pseudonymise', NULL, 'Contracts and accounting records (7 years).', 7, 'service', 'none'),
    ('public.lease_statements', 'party',
     'lease_id IN (SELECT l.id FROM public.vehicle_leases l WHERE l.owner_user_id = $1 OR l.driver_id IN '
     '(SELECT d.id FROM public.drivers d WHERE d.user_id = $1))',
     'pseudonymise', NULL, 'Accounting records (7 years).', 7, 'service', 'none'),
    ('public.driver_subscriptions', 'driver', 'driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = $1)',
     'pseudonymise', NULL, 'Accounting records (7 years).', 7, 'service', 'payment processors'),
    ('public.hotel_staff_members', 'staff', 'user_id = $1', 'pseudonymise', 'user_id',
     'Accountability for hotel staff access.', 7, 'service', 'none'),
    ('public.hotel_bookings', 'guest', 'customer_id = $1', 'anonymise', 'customer_id',
     'Accounting records (7 years): kept without the guest''s name and phone.', 7, 'service', 'the hotel'),
    ('public.payment_methods', 'holder', 'user_id = $1', 'delete', 'user_id', NULL, NULL, 'service', 'payment processors'),
    ('public.payments', 'payer', 'payer_id = $1 OR payee_user_id = $1', 'pseudonymise', NULL,
     'Tax and accounting law: payment records kept 7 years.', 7, 'service', 'payment processors; tax authority on request'),
    ('public.refunds', 'payer', 'payment_id IN (SELECT p.id FROM public.payments p WHERE p.payer_id = $1) OR requested_by = $1',
     'pseudonymise', NULL, 'Accounting records (7 years).', 7, 'service', 'payment processors'),
    ('public.payment_disputes', 'payer', 'payment_id IN (SELECT p.id FROM public.payments p WHERE p.payer_id = $1)',
     'pseudonymise', NULL, 'Accounting records and legal claims (7 years).', 7, 'service', 'payment processors'),
    ('public.processor_events', 'payer', 'payment_id IN (SELECT p.id FROM public.payments p WHERE p.payer_id = $1)',
     'pseudonymise', NULL, 'Accounting records (7 years).', 7, 'service', 'payment processors'),
    ('public.ledger_accounts', 'holder', 'holder_id = $1', 'pseudonymise', 'holder_id',
     'Double-entry ledger: accounting law (7 years).', 7, 'service', 'tax authority on request'),
    ('public.journal_lines', 'holder', 'account_id IN (SELECT a.id FROM public.ledger_accounts a WHERE a.holder_id = $1)',
     'pseudonymise', NULL, 'Double-entry ledger: accounting law (7 years).', 7, 'service', 'tax authority on request'),
    ('public.journal_entries', 'holder',
     'id IN (SELECT l.entry_id FROM public.journal_lines l JOIN public.ledger_accounts a ON a.id = l.account_id '
     'WHERE a.holder_id = $1)', 'pseudonymise', NULL, 'Double-entry ledger: accounting law (7 years).', 7, 'service',
     'tax authority on request'),
    ('public.ledger_period_balances', 'holder', 'account_id IN (SELECT a.id FROM public.ledger_accounts a WHERE a.holder_id = $1)',
     'pseudonymise', NULL, 'Double-entry ledger: accounting law (7 years).', 7, 'service', 'none'),
    ('public.payouts', 'payee', 'holder_id = $1', 'pseudonymise', 'holder_id',
     'Accounting records (7 years).', 7, 'service', 'banks'),
    ('vip_data.vip_profiles', 'vip', 'user_id = $1', 'shred', 'user_id', NULL, NULL,
     'VIP protection', 'emergency responders during an emergency'),
    ('vip_data.subject_keys', 'vip', 'subject_id = $1', 'shred', 'subject_id', NULL, NULL, 'VIP protection', 'none'),
    ('vip_data.vip_location_history', 'vip', 'user_id = $1', 'delete', 'user_id', NULL, NULL,
     'VIP protection, safety', 'emergency responders during an emergency'),
    ('vip_data.geofence_events', 'vip', 'vip_user_id = $1', 'delete', 'vip_user_id', NULL, NULL, 'VIP protection', 'none'),
    ('vip_data.geofence_states', 'vip', 'vip_user_id = $1', 'delete', 'vip_user_id', NULL, NULL, 'VIP protection', 'none'),
    ('vip_data.security_alerts', 'vip', 'vip_user_id = $1', 'delete', 'vip_user_id', NULL, NULL, 'VIP protection', 'none'),
    ('vip_data.geofences', 'vip', 'vip_user_id = $1', 'delete', 'vip_user_id', NULL, NULL, 'VIP protection', 'none'),
    ('vip_data.emergency_incidents', 'vip', 'vip_user_id = $1 OR raised_by = $1', 'pseudonymise', 'vip_user_id',
     'Safety incident records (legal claims, 7 years).', 7, 'safety', 'emergency services'),
    ('audit.audit_log', 'subject', 'user_id = $1 OR (table_name = ''users'' AND record_id = $1::text)', 'sealed', NULL,
     'Accountability (NDPA s.24, GDPR art. 5(2)): personal values are sealed under the subject''s key, destroyed at erasure.',
     7, 'accountability', 'auditors'),
    ('audit.audit_inbox', 'subject', 'user_id = $1', 'transient', NULL, NULL, NULL, 'accountability', 'none'),
    ('audit.auth_events', 'subject', 'user_id = $1', 'delete', 'user_id', NULL, NULL, 'security', 'none'),
    ('audit.vip_access_log', 'vip', 'vip_user_id = $1 OR accessor_user_id = $1', 'pseudonymise', NULL,
     'Accountability for every read of VIP data.', 7, 'accountability', 'auditors'),
    ('audit.data_subject_requests', 'subject', 'user_id = $1', 'pseudonymise', 'user_id',
     'Proof that requests were handled (NDPA s.34-38, GDPR art. 12).', 7, 'compliance', 'regulator on request'),
    ('audit.breach_reports', 'reporter', 'reported_by = $1', 'pseudonymise', NULL,
     'Breach records (GDPR art. 33(5)).', 7, 'compliance', 'regulator'),
    ('archive.rides', 'rider', 'customer_id = $1', 'anonymise', 'customer_id',
     'Tax and transport records (7 years): kept with places coarsened to about 1 km.', 7, 'service', 'none'),
    ('archive.rides', 'driver', 'driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = $1)', 'pseudonymise',
     NULL, 'Tax and transport records (7 years).', 7, 'service', 'none'),
    ('archive.ride_offers', 'driver', 'driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = $1)',
     'pseudonymise', NULL, 'Kept with the rides (7 years).', 7, 'service', 'none'),
    ('archive.ride_earnings', 'driver',
     'driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = $1) OR vehicle_owner_id = $1',
     'pseudonymise', NULL, 'Accounting records (7 years).', 7, 'service', 'none'),
    ('archive.payments', 'payer', 'payer_id = $1 OR payee_user_id = $1', 'pseudonymise', NULL,
     'Tax and accounting law: payment records kept 7 years.', 7, 'service', 'none'),
    ('archive.refunds', 'payer', 'payment_id IN (SELECT p.id FROM archive.payments p WHERE p.payer_id = $1) OR requested_by = $1',
     'pseudonymise', NULL, 'Accounting records (7 years).', 7, 'service', 'none'),
    ('archive.payment_disputes', 'payer', 'payment_id IN (SELECT p.id FROM archive.payments p WHERE p.payer_id = $1)',
     'pseudonymise', NULL, 'Accounting records (7 years).', 7, 'service', 'none'),
    ('archive.processor_events', 'payer', 'payment_id IN (SELECT p.id FROM archive.payments p WHERE p.payer_id = $1)',
     'pseudonymise', NULL, 'Accounting records (7 years).', 7, 'service', 'none'),
    ('archive.hotel_bookings', 'guest', 'customer_id = $1', 'anonymise', 'customer_id',
     'Accounting records (7 years): kept without the guest''s name and phone.', 7, 'service', 'none'),
    ('archive.audit_log', 'subject', 'user_id = $1 OR (table_name = ''users'' AND record_id = $1::text)', 'sealed', NULL,
     'Accountability: archived audit months, sealed values.', 7, 'accountability', 'auditors'),
    ('analytics.driver_performance', 'driver', 'driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = $1)',
     'derived', NULL, NULL, NULL, 'analytics', 'none'),
    ('compliance.subject_requests', 'subject', 'user_id = $1', 'anonymise', 'user_id',
     'Proof that requests were handled (NDPA s.34-38, GDPR art. 12).', 7, 'compliance', 'regulator on request'),
    ('compliance.request_events', 'subject', 'request_id IN (SELECT r.id FROM compliance.subject_requests r WHERE r.user_id = $1)',
     'pseudonymise', NULL, 'Proof that requests were handled.', 7, 'compliance', 'regulator on request'),
    ('compliance.legal_holds', 'subject', 'user_id = $1', 'pseudonymise', 'user_id',
     'Record of a legal hold (legal claims).', 7, 'compliance', 'courts on order'),
    ('compliance.erasure_log', 'subject', 'user_id = $1', 'pseudonymise', 'user_id',
     'Proof of erasure, replayed after restores.', NULL, 'compliance', 'regulator on request'),
    ('compliance.subject_audit_keys', 'subject', 'user_id = $1', 'shred', 'user_id', NULL, NULL, 'accountability', 'none'),
    ('compliance.processing_restrictions', 'subject', 'user_id = $1', 'pseudonymise', 'user_id',
     'Proof that a restriction was honoured (NDPA s.34, GDPR art. 18).', 7, 'compliance', 'none'),
    ('compliance.exports', 'subject', 'user_id = $1', 'delete', 'user_id', NULL, NULL, 'compliance', 'the subject'),
    ('compliance.consent_events', 'subject', 'user_id = $1', 'pseudonymise', 'user_id',
     'Proof of consent (NDPA s.26(1), GDPR art. 7(1)).', 7, 'compliance', 'regulator on request'),
    ('compliance.breach_incidents', 'recorder', 'recorded_by = $1', 'pseudonymise', NULL,
     'Breach records (GDPR art. 33(5)).', 7, 'compliance', 'regulator'),
    ('compliance.breach_events', 'actor', 'actor_id = $1', 'pseudonymise', NULL, 'Breach records.', 7, 'compliance', 'regulator'),
    ('compliance.breach_subjects', 'affected', 'user_id = $1', 'pseudonymise', 'user_id',
     'Breach records: who was affected and told (GDPR art. 34).', 7, 'compliance', 'regulator'),
    ('compliance.privacy_alerts', 'subject', 'subject_user_id = $1', 'pseudonymise', 'subject_user_id',
     'Compliance monitoring.', 2, 'compliance', 'none'),
    ('public.fleet_driver_invitations', 'invitee',
     'email = (SELECT lower(u.email) FROM public.users u WHERE u.id = $1) '
     'OR driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = $1)',
     'anonymise', 'id', NULL, NULL, 'service', 'the inviting fleet'),
    ('public.fleet_driver_invitations', 'inviter', 'invited_by = $1', 'pseudonymise', NULL,
     'Accountability for fleet administration.', 7, 'service', 'none'),
    ('public.login_attempts', 'sign-in',
     'email_hash = public.login_email_hash((SELECT u.email FROM public.users u WHERE u.id = $1))',
     'delete', NULL, NULL, NULL, 'security', 'none'),
    ('public.notification_preferences', 'recipient', 'user_id = $1', 'delete', 'user_id', NULL, NULL, 'service', 'none'),
    ('public.notification_outbox', 'recipient', 'recipient_id = $1', 'delete', 'recipient_id', NULL, NULL,
     'service, marketing when consented', 'messaging providers'),
    ('public.notification_delivery_log', 'recipient',
     'outbox_id IN (SELECT o.id FROM public.notification_outbox o WHERE o.recipient_id = $1)', 'delete', NULL, NULL, NULL,
     'service', 'messaging providers'),
    ('public.stream_events', 'recipient', 'recipient_id = $1 OR (audience IS NOT NULL AND strpos(payload::text, $1::text) > 0)',
     'delete', 'recipient_id', NULL, NULL, 'service, safety', 'none'),
    ('public.safety_incidents', 'party',
     'rider_id = $1 OR raised_by = $1 OR driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = $1) '
     'OR acknowledged_by = $1 OR assigned_to = $1 OR resolved_by = $1',
     'pseudonymise', NULL, 'Safety incident records (legal claims, 7 years).', 7, 'safety', 'emergency services; police on request'),
    ('public.safety_incident_events', 'author', 'actor_id = $1 AND kind IN (''opened'', ''raised_again'')', 'anonymise',
     'actor_id', NULL, NULL, 'safety', 'emergency services'),
    ('public.safety_incident_events', 'party',
     'actor_id = $1 OR incident_id IN (SELECT i.id FROM public.safety_incidents i WHERE i.rider_id = $1 OR i.raised_by = $1 '
     'OR i.driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = $1))',
     'pseudonymise', NULL, 'Safety incident records (legal claims, 7 years): kept without what the subject wrote.', 7,
     'safety', 'emergency services; police on request'),
    ('public.hotel_bookings', 'booker', 'booked_by = $1', 'pseudonymise', NULL,
     'Accounting records (7 years): who made a booking.', 7, 'service', 'the hotel'),
    ('public.hotel_rides', 'guest',
     'booking_id IN (SELECT b.id FROM public.hotel_bookings b WHERE b.customer_id = $1) '
     'OR ride_id IN (SELECT r.id FROM public.rides r WHERE r.customer_id = $1) OR requested_by = $1',
     'pseudonymise', NULL, 'Accounting records: the referral commission owed on the ride (7 years).', 7, 'service', 'the hotel'),
    ('public.hotel_statements', 'guest',
     'EXISTS (SELECT FROM public.hotel_bookings b WHERE b.customer_id = $1 '
     'AND body -> ''bookings'' @> jsonb_build_array(jsonb_build_object(''bookingId'', b.id))) '
     'OR EXISTS (SELECT FROM public.hotel_rides l JOIN public.rides r ON r.id = l.ride_id WHERE r.customer_id = $1 '
     'AND body -> ''rides'' @> jsonb_build_array(jsonb_build_object(''rideId'', l.ride_id)))',
     'pseudonymise', NULL, 'Accounting records: a hotel''s monthly statement lists bookings and rides by id only (7 years).', 7,
     'service', 'the hotel'),
    ('archive.hotel_bookings', 'booker', 'booked_by = $1', 'pseudonymise', NULL,
     'Accounting records (7 years): who made a booking.', 7, 'service', 'none'),
    -- No personal data: reference data, configuration, hashes, aggregates over many people.
    ('public.city_settings', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.commission_band_positions', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.commission_bands', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.currencies', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.exchange_rates', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.flyway_schema_history', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.ledger_books', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.payout_minimums', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.subscription_plan_prices', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.subscription_plans', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.surge_rules', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.tariffs', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.hotel_partners', 'staff', 'applied_by = $1 OR vetted_by = $1', 'pseudonymise', NULL,
     'Accountability for partner vetting: who applied for and who vetted a partnership.', 7, 'hotel partnerships', 'none'),
    ('public.hotel_rooms', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('vip_data.geofence_settings', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('audit.audit_log_seals', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('audit.chain_anchors', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('audit.privilege_changes', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('archive.retention_rules', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('analytics.refresh_log', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('analytics.compliance_statistics', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('analytics.revenue_daily', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('analytics.rides_hourly', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('analytics.vip_usage', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('analytics.hotel_referral_revenue', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('analytics.fleet_utilisation', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.hotel_tier_rates', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.hotel_room_types', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.hotel_rate_plans', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.hotel_rate_plan_seasons', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.hotel_blackout_dates', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.hotel_inventory_nights', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.hotel_search_offers', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.notification_types', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.notification_templates', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('public.safety_settings', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('analytics.hotel_occupancy_revenue', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('compliance.consent_purposes', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL),
    ('compliance.consent_notices', NULL, NULL, 'none', NULL, NULL, NULL, NULL, NULL)
  ) AS t(table_name, link, subject_filter, erasure, subject_column, legal_basis, retention_years, purposes, recipients);

COMMENT ON VIEW compliance.data_map_tables IS
    'The data map, by table: how a table''s rows are found for a subject and what erasure does with them (docs/data-protection.md).';

-- Column by column: category (identity, contact, location, financial, vip_sensitive, device, free_text,
-- credential, link = identifies a person by id, reference = not personal) and treatment (anonymise:
-- overwritten at erasure with replacement, %I being the column; delete: goes with its row; shred: VIP
-- ciphertext made unreadable by destroying the key; secret: a hash or token, never exported; keep).
-- Columns marked anonymise or delete are sealed under the subject's key whenever an audit row holds them.
CREATE OR REPLACE VIEW compliance.data_map_columns AS
SELECT g.table_name, c.column_name, g.category, g.treatment, g.replacement
  FROM (VALUES
    ('public.users', 'link', 'keep', '{id}', NULL),
    ('public.users', 'contact', 'anonymise', '{email}', $$'erased-' || id || '@erased.invalid'$$),
    ('public.users', 'contact', 'anonymise', '{phone}', $$'+999' || lpad(mod(abs(hashtextextended(id::text, 0)), 10000000000)::text, 10, '0')$$),
    ('public.users', 'identity', 'anonymise', '{first_name,last_name}', $$'Erased'$$),
    ('public.users', 'credential', 'secret', '{password_hash}', $$'erased:' || encode(public.gen_random_bytes(32), 'hex')$$),
    ('public.users', 'account', 'keep', '{preferred_language,home_city}', NULL),
    ('public.refresh_tokens', 'link', 'keep', '{id,user_id,family_id}', NULL),
    ('public.emergency_contacts', 'link', 'keep', '{id,user_id}', NULL),
    ('public.emergency_contacts', 'contact', 'delete', '{name,phone,relationship}', NULL),
    ('public.refresh_tokens', 'credential', 'secret', '{token_hash}', NULL),
    ('public.staff_invitations', 'link', 'keep', '{id,user_id,invited_by}', NULL),
    ('public.staff_invitations', 'credential', 'secret', '{token_hash}', NULL),
    ('public.notifications', 'link', 'keep', '{id,recipient_id}', NULL),
    ('public.notifications', 'free_text', 'delete', '{type,payload}', NULL),
    ('public.rides', 'link', 'keep', '{id,customer_id,driver_id,vehicle_id,fleet_company_id,quote_id,tariff_id}', NULL),
    ('public.rides', 'reference', 'keep', '{city}', NULL),
    ('public.rides', 'location', 'anonymise', '{pickup_lat,pickup_lng}', 'round(%I::numeric, 2)::float8'),
    ('public.rides', 'location', 'anonymise', '{dropoff_lat,dropoff_lng}', 'round(%I::numeric, 2)::float8 + 0.005'),
    ('public.rides', 'location', 'anonymise', '{pickup_address,dropoff_address,pickup_cell}', NULL),
    ('public.rides', 'free_text', 'anonymise', '{cancellation_reason}', NULL),
    ('public.rides', 'vip_sensitive', 'shred', '{route_enc}', NULL),
    ('public.fare_quotes', 'link', 'keep', '{id,customer_id,tariff_id}', NULL),
    ('public.fare_quotes', 'reference', 'keep', '{city}', NULL),
    ('public.fare_quotes', 'location', 'delete', '{pickup_lat,pickup_lng,dropoff_lat,dropoff_lng}', NULL),
    ('public.fare_quotes', 'vip_sensitive', 'shred', '{route_enc}', NULL),
    ('public.ride_request_keys', 'link', 'keep', '{customer_id,ride_id}', NULL),
    ('public.ride_request_keys', 'reference', 'delete', '{idempotency_key,request_fingerprint}', NULL),
    ('public.ride_offers', 'link', 'keep', '{ride_id,driver_id}', NULL),
    ('public.ride_offers', 'reference', 'keep', '{status}', NULL),
    ('public.ride_earnings', 'link', 'keep', '{ride_id,driver_id,fleet_company_id,vehicle_owner_id}', NULL),
    ('public.ride_earnings', 'reference', 'keep', '{commission_rule}', NULL),
    ('public.drivers', 'link', 'keep', '{id,user_id,fleet_company_id,current_vehicle_id,status_changed_by}', NULL),
    ('public.drivers', 'identity', 'keep', '{license_number}', NULL),
    ('public.drivers', 'identity', 'anonymise', '{name_key,surname_key}', NULL),
    ('public.drivers', 'location', 'keep', '{current_lat,current_lng,dispatch_xy}', NULL),
    ('public.drivers', 'reference', 'keep', '{status,city}', NULL),
    ('public.drivers', 'free_text', 'keep', '{status_reason}', NULL),
    ('public.fleet_admins', 'link', 'keep', '{user_id,fleet_company_id}', NULL),
    ('public.fleet_companies', 'link', 'keep', '{id,applicant_user_id,status_changed_by}', NULL),
    ('public.fleet_companies', 'contact', 'keep', '{name,registration_number,contact_email,contact_phone}', NULL),
    ('public.fleet_companies', 'reference', 'keep', '{operating_cities,status}', NULL),
    ('public.fleet_companies', 'free_text', 'keep', '{status_reason}', NULL),
    ('public.fleet_documents', 'link', 'keep', '{id,driver_id,vehicle_id,uploaded_by}', NULL),
    ('public.fleet_documents', 'identity', 'keep', '{document_number,issuer,storage_key}', NULL),
    ('public.fleet_documents', 'reference', 'keep', '{kind,content_type}', NULL),
    ('public.fleet_documents', 'credential', 'secret', '{sha256}', NULL),
    ('public.vehicles', 'link', 'keep', '{id,fleet_company_id,owner_user_id}', NULL),
    ('public.vehicles', 'identity', 'keep', '{plate_number,vin}', NULL),
    ('public.vehicles', 'reference', 'keep', '{make,model,color,status}', NULL),
    ('public.vehicle_leases', 'link', 'keep', '{id,vehicle_id,owner_user_id,fleet_company_id,driver_id,terminated_by,termination_entry_id}', NULL),
    ('public.vehicle_leases', 'reference', 'keep', '{lease_type,status}', NULL),
    ('public.lease_statements', 'link', 'keep', '{id,lease_id,entry_id}', NULL),
    ('public.lease_statements', 'reference', 'keep', '{status}', NULL),
    ('public.driver_subscriptions', 'link', 'keep', '{id,driver_id}', NULL),
    ('public.driver_subscriptions', 'reference', 'keep', '{status}', NULL),
    ('public.hotel_staff_members', 'link', 'keep', '{user_id,hotel_id}', NULL),
    ('public.hotel_bookings', 'link', 'keep', '{id,hotel_id,room_id,customer_id,ride_id}', NULL),
    ('public.hotel_bookings', 'reference', 'keep', '{booking_reference,status}', NULL),
    ('public.hotel_bookings', 'identity', 'anonymise', '{guest_name}', $$'Erased guest'$$),
    ('public.hotel_bookings', 'contact', 'anonymise', '{guest_phone}', $$''$$),
    ('public.payment_methods', 'link', 'keep', '{id,user_id}', NULL),
    ('public.payment_methods', 'financial', 'delete', '{method,processor,brand,last4}', NULL),
    ('public.payment_methods', 'credential', 'secret', '{processor_token}', NULL),
    ('public.payments', 'link', 'keep', '{id,payer_id,ride_id,hotel_booking_id,payer_fleet_company_id,payee_user_id,lease_statement_id,driver_subscription_id,payer_hotel_id}', NULL),
    ('public.payments', 'financial', 'keep', '{payment_type,method,processor,processor_reference,idempotency_key}', NULL),
    ('public.payments', 'free_text', 'keep', '{failure_reason}', NULL),
    ('public.refunds', 'link', 'keep', '{id,payment_id,requested_by}', NULL),
    ('public.refunds', 'financial', 'keep', '{reason,idempotency_key}', NULL),
    ('public.payment_disputes', 'link', 'keep', '{id,payment_id}', NULL),
    ('public.payment_disputes', 'financial', 'keep', '{reason,status}', NULL),
    ('public.processor_events', 'link', 'keep', '{payment_id}', NULL),
    ('public.processor_events', 'financial', 'keep', '{processor,event_id,event_type}', NULL),
    ('public.ledger_accounts', 'link', 'keep', '{id,holder_id}', NULL),
    ('public.ledger_accounts', 'financial', 'keep', '{holder_kind,purpose}', NULL),
    ('public.journal_lines', 'link', 'keep', '{entry_id,account_id}', NULL),
    ('public.journal_entries', 'link', 'keep', '{id,payment_id,ride_id}', NULL),
    ('public.journal_entries', 'financial', 'keep', '{entry_type,description}', NULL),
    ('public.ledger_period_balances', 'link', 'keep', '{account_id}', NULL),
    ('public.payouts', 'link', 'keep', '{id,account_id,holder_id,entry_id}', NULL),
    ('public.payouts', 'financial', 'keep', '{holder_kind,status}', NULL),
    ('vip_data.vip_profiles', 'link', 'keep', '{id,user_id}', NULL),
    ('vip_data.vip_profiles', 'vip_sensitive', 'keep', '{clearance_level,threat_level}', NULL),
    ('vip_data.vip_profiles', 'vip_sensitive', 'shred',
     '{home_address_enc,emergency_contacts_enc,medical_notes_enc,preferences_enc,security_notes_enc}', NULL),
    ('vip_data.subject_keys', 'link', 'keep', '{subject_id}', NULL),
    ('vip_data.subject_keys', 'credential', 'shred', '{keyset_enc,master_key_id}', NULL),
    ('vip_data.vip_location_history', 'link', 'keep', '{id,user_id,ride_id}', NULL),
    ('vip_data.vip_location_history', 'location', 'shred', '{encrypted_coordinates}', NULL),
    ('vip_data.vip_location_history', 'location', 'delete', '{accuracy_m,speed_kmh,heading_deg,location_type}', NULL),
    ('vip_data.geofence_events', 'link', 'keep', '{geofence_id,vip_user_id,reported_by}', NULL),
    ('vip_data.geofence_events', 'location', 'delete', '{event,reporter_role}', NULL),
    ('vip_data.geofence_states', 'link', 'keep', '{geofence_id,vip_user_id}', NULL),
    ('vip_data.security_alerts', 'link', 'keep', '{id,vip_user_id,geofence_id,acknowledged_by}', NULL),
    ('vip_data.security_alerts', 'vip_sensitive', 'delete', '{kind,severity}', NULL),
    ('vip_data.geofences', 'link', 'keep', '{id,vip_user_id,created_by,deactivated_by}', NULL),
    ('vip_data.geofences', 'location', 'delete', '{kind,name,shape,boundary,center_lat,center_lng,bounds}', NULL),
    ('vip_data.emergency_incidents', 'link', 'keep', '{id,vip_user_id,ride_id,raised_by,acknowledged_by,resolved_by}', NULL),
    ('vip_data.emergency_incidents', 'reference', 'keep', '{kind,status}', NULL),
    ('vip_data.emergency_incidents', 'free_text', 'keep', '{resolution_note}', NULL),
    ('audit.audit_log', 'link', 'keep', '{user_id,record_id}', NULL),
    ('audit.audit_log', 'reference', 'keep', '{table_schema,table_name,operation,changed_fields,db_role}', NULL),
    ('audit.audit_log', 'free_text', 'keep', '{old_values,new_values}', NULL),
    ('audit.audit_log', 'device', 'keep', '{client_ip,user_agent}', NULL),
    ('archive.audit_log', 'link', 'keep', '{user_id,record_id}', NULL),
    ('archive.audit_log', 'reference', 'keep', '{table_schema,table_name,operation,changed_fields,db_role}', NULL),
    ('archive.audit_log', 'free_text', 'keep', '{old_values,new_values}', NULL),
    ('archive.audit_log', 'device', 'keep', '{client_ip,user_agent}', NULL),
    ('audit.audit_inbox', 'link', 'keep', '{user_id}', NULL),
    ('audit.audit_inbox', 'reference', 'keep', '{table_schema,table_name,key_column,ignored_columns,operation,db_role}', NULL),
    ('audit.audit_inbox', 'free_text', 'keep', '{old_rows,new_rows}', NULL),
    ('audit.audit_inbox', 'device', 'keep', '{client_ip,user_agent}', NULL),
    ('audit.auth_events', 'link', 'keep', '{user_id}', NULL),
    ('audit.auth_events', 'reference', 'keep', '{event}', NULL),
    ('audit.auth_events', 'device', 'delete', '{client_ip,user_agent}', NULL),
    ('audit.vip_access_log', 'link', 'keep', '{vip_user_id,accessor_user_id,incident_id}', NULL),
    ('audit.vip_access_log', 'reference', 'keep', '{accessor_role,data_accessed,purpose}', NULL),
    ('audit.vip_access_log', 'device', 'keep', '{client_ip,user_agent}', NULL),
    ('audit.data_subject_requests', 'link', 'keep', '{id,user_id,handled_by}', NULL),
    ('audit.data_subject_requests', 'reference', 'keep', '{request_type,status}', NULL),
    ('audit.data_subject_requests', 'free_text', 'keep', '{notes}', NULL),
    ('audit.breach_reports', 'link', 'keep', '{id,reported_by}', NULL),
    ('audit.breach_reports', 'reference', 'keep', '{description,status}', NULL),
    ('archive.rides', 'link', 'keep', '{id,customer_id,driver_id,vehicle_id,fleet_company_id,quote_id,tariff_id}', NULL),
    ('archive.rides', 'reference', 'keep', '{city}', NULL),
    ('archive.rides', 'location', 'anonymise', '{pickup_lat,pickup_lng}', 'round(%I::numeric, 2)::float8'),
    ('archive.rides', 'location', 'anonymise', '{dropoff_lat,dropoff_lng}', 'round(%I::numeric, 2)::float8 + 0.005'),
    ('archive.rides', 'location', 'anonymise', '{pickup_address,dropoff_address,pickup_cell}', NULL),
    ('archive.rides', 'free_text', 'anonymise', '{cancellation_reason}', NULL),
    ('archive.rides', 'vip_sensitive', 'shred', '{route_enc}', NULL),
    ('archive.ride_offers', 'link', 'keep', '{ride_id,driver_id}', NULL),
    ('archive.ride_offers', 'reference', 'keep', '{status}', NULL),
    ('archive.ride_earnings', 'link', 'keep', '{ride_id,driver_id,fleet_company_id,vehicle_owner_id}', NULL),
    ('archive.ride_earnings', 'reference', 'keep', '{commission_rule}', NULL),
    ('archive.payments', 'link', 'keep', '{id,payer_id,ride_id,hotel_booking_id,payer_fleet_company_id,payee_user_id,lease_statement_id,driver_subscription_id,payer_hotel_id}', NULL),
    ('archive.payments', 'financial', 'keep', '{payment_type,method,processor,processor_reference,idempotency_key}', NULL),
    ('archive.payments', 'free_text', 'keep', '{failure_reason}', NULL),
    ('archive.refunds', 'link', 'keep', '{id,payment_id,requested_by}', NULL),
    ('archive.refunds', 'financial', 'keep', '{reason,idempotency_key}', NULL),
    ('archive.payment_disputes', 'link', 'keep', '{id,payment_id}', NULL),
    ('archive.payment_disputes', 'financial', 'keep', '{reason,status}', NULL),
    ('archive.processor_events', 'link', 'keep', '{payment_id}', NULL),
    ('archive.processor_events', 'financial', 'keep', '{processor,event_id,event_type}', NULL),
    ('archive.hotel_bookings', 'link', 'keep', '{id,hotel_id,room_id,customer_id,ride_id}', NULL),
    ('archive.hotel_bookings', 'reference', 'keep', '{booking_reference,status}', NULL),
    ('archive.hotel_bookings', 'identity', 'anonymise', '{guest_name}', $$'Erased guest'$$),
    ('archive.hotel_bookings', 'contact', 'anonymise', '{guest_phone}', $$''$$),
    ('analytics.driver_performance', 'link', 'keep', '{driver_id}', NULL),
    ('public.fleet_driver_invitations', 'link', 'keep', '{id,fleet_company_id,invited_by,driver_id}', NULL),
    ('public.fleet_driver_invitations', 'contact', 'anonymise', '{email}', $$'erased-' || id || '@erased.invalid'$$),
    ('public.login_attempts', 'contact', 'delete', '{email_hash}', NULL),
    ('public.login_attempts', 'device', 'delete', '{client_ip}', NULL),
    ('public.notification_preferences', 'link', 'keep', '{user_id}', NULL),
    ('public.notification_outbox', 'link', 'keep', '{notification_id,recipient_id}', NULL),
    ('public.notification_outbox', 'reference', 'keep', '{channel,status}', NULL),
    ('public.notification_outbox', 'free_text', 'delete', '{last_error}', NULL),
    ('public.notification_delivery_log', 'reference', 'keep', '{outcome,instance}', NULL),
    ('public.notification_delivery_log', 'free_text', 'delete', '{error}', NULL),
    ('public.stream_events', 'link', 'keep', '{recipient_id}', NULL),
    ('public.stream_events', 'reference', 'keep', '{audience,kind}', NULL),
    ('public.stream_events', 'free_text', 'delete', '{payload}', NULL),
    ('public.safety_incidents', 'link', 'keep', '{id,ride_id,rider_id,driver_id,raised_by,acknowledged_by,assigned_to,resolved_by}', NULL),
    ('public.safety_incidents', 'reference', 'keep', '{raised_as,kind,status,outcome}', NULL),
    ('public.safety_incident_events', 'link', 'keep', '{incident_id,actor_id}', NULL),
    ('public.safety_incident_events', 'reference', 'keep', '{kind,details}', NULL),
    ('public.safety_incident_events', 'free_text', 'anonymise', '{note}', NULL),
    ('public.hotel_rides', 'link', 'keep', '{ride_id,hotel_id,booking_id,requested_by,referral_entry_id}', NULL),
    ('public.hotel_rides', 'reference', 'keep', '{purpose,billed_to}', NULL),
    ('public.hotel_statements', 'link', 'keep', '{id,hotel_id}', NULL),
    ('public.hotel_statements', 'financial', 'keep', '{body}', NULL),
    ('public.hotel_bookings', 'link', 'keep', '{room_type_id,rate_plan_id,booked_by,commission_entry_id}', NULL),
    ('public.hotel_bookings', 'financial', 'keep', '{price_breakdown,idempotency_key}', NULL),
    ('public.hotel_bookings', 'credential', 'secret', '{request_fingerprint}', NULL),
    ('archive.hotel_bookings', 'link', 'keep', '{room_type_id,rate_plan_id,booked_by,commission_entry_id}', NULL),
    ('archive.hotel_bookings', 'financial', 'keep', '{price_breakdown,idempotency_key}', NULL),
    ('archive.hotel_bookings', 'credential', 'secret', '{request_fingerprint}', NULL),
    ('compliance.subject_requests', 'link', 'keep', '{id,user_id,filed_by,identity_verified_by}', NULL),
    ('compliance.subject_requests', 'reference', 'keep', '{request_type,status,channel,identity_method,outcome}', NULL),
    ('compliance.subject_requests', 'free_text', 'anonymise', '{details}', NULL),
    ('compliance.subject_requests', 'free_text', 'keep', '{extension_reason,deferred_reason}', NULL),
    ('compliance.request_events', 'link', 'keep', '{request_id,actor_id}', NULL),
    ('compliance.request_events', 'reference', 'keep', '{event,actor_role,detail}', NULL),
    ('compliance.legal_holds', 'link', 'keep', '{id,user_id,placed_by,released_by}', NULL),
    ('compliance.legal_holds', 'free_text', 'keep', '{reason}', NULL),
    ('compliance.erasure_log', 'link', 'keep', '{user_id,request_id,erased_by}', NULL),
    ('compliance.erasure_log', 'reference', 'keep', '{retained,summary}', NULL),
    ('compliance.subject_audit_keys', 'link', 'keep', '{user_id}', NULL),
    ('compliance.subject_audit_keys', 'credential', 'shred', '{audit_key}', NULL),
    ('compliance.exports', 'link', 'keep', '{id,request_id,user_id}', NULL),
    ('compliance.exports', 'reference', 'keep', '{status,error}', NULL),
    ('compliance.exports', 'free_text', 'delete', '{archive}', NULL),
    ('compliance.exports', 'credential', 'secret', '{token_hash}', NULL),
    ('compliance.consent_events', 'link', 'keep', '{user_id,recorded_by}', NULL),
    ('compliance.consent_events', 'reference', 'keep', '{purpose,channel}', NULL),
    ('compliance.breach_incidents', 'link', 'keep', '{id,recorded_by}', NULL),
    ('compliance.breach_incidents', 'reference', 'keep', '{nature,data_categories,likely_consequences,measures,status}', NULL),
    ('compliance.breach_events', 'link', 'keep', '{incident_id,actor_id}', NULL),
    ('compliance.breach_events', 'reference', 'keep', '{event,detail}', NULL),
    ('compliance.breach_subjects', 'link', 'keep', '{incident_id,user_id,notification_id}', NULL),
    ('compliance.privacy_alerts', 'link', 'keep', '{reference,subject_user_id}', NULL),
    ('compliance.privacy_alerts', 'reference', 'keep', '{kind,severity,detail}', NULL),
    ('compliance.processing_restrictions', 'link', 'keep', '{id,user_id,request_id,placed_by,lifted_by}', NULL),
    ('public.hotel_partners', 'link', 'keep', '{id,applied_by,vetted_by}', NULL),
    ('public.hotel_partners', 'reference', 'keep', '{name,partnership_tier,city,payment_terms,status,status_reason}', NULL),
    ('public.hotel_partners', 'contact', 'keep', '{address,lat,lng,contact_email,contact_phone}', NULL)
  ) AS g(table_name, category, treatment, columns, replacement)
 CROSS JOIN LATERAL unnest(g.columns::text[]) AS c(column_name);

COMMENT ON VIEW compliance.data_map_columns IS
    'The data map, by column: category of personal data and how erasure treats it (docs/data-protection.md).';

-- What the data map misses or names wrongly. Empty when the map is complete (DataMapCompletenessIT):
--   unclassified_table   a table or materialized view in a data schema the map does not list
--   unclassified_column  a column that may hold personal data (text, json, network, binary, geometric,
--                        floating-point or uuid) in a table with personal data, not in the map
--   unknown              a map entry naming a table or column that does not exist
--   unmapped_person_link a table mapped as holding no personal data ("none") with a column naming a
--                        person: a foreign key to public.users, or a uuid called *_by or *user_id
CREATE OR REPLACE VIEW compliance.data_map_gaps AS
WITH relations AS (
    SELECT c.oid, n.nspname || '.' || c.relname AS table_name
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname IN ('public', 'vip_data', 'audit', 'archive', 'analytics', 'compliance')
       AND c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition
), candidates AS (
    SELECT r.table_name, a.attname::text AS column_name
      FROM relations r JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
     WHERE a.atttypid IN ('text'::regtype, 'varchar'::regtype, 'jsonb'::regtype, 'json'::regtype, 'inet'::regtype,
                          'bytea'::regtype, 'float8'::regtype, 'float4'::regtype, 'point'::regtype, 'polygon'::regtype,
                          'box'::regtype, 'uuid'::regtype, 'text[]'::regtype, 'cidr'::regtype)
)
SELECT 'unclassified_table' AS problem, r.table_name, NULL::text AS column_name
  FROM relations r WHERE NOT EXISTS (SELECT FROM compliance.data_map_tables m WHERE m.table_name = r.table_name)
UNION ALL
SELECT 'unclassified_column', c.table_name, c.column_name
  FROM candidates c
 WHERE EXISTS (SELECT FROM compliance.data_map_tables m WHERE m.table_name = c.table_name AND m.erasure <> 'none')
   AND NOT EXISTS (SELECT FROM compliance.data_map_columns m WHERE m.table_name = c.table_name AND m.column_name = c.column_name)
UNION ALL
SELECT DISTINCT 'unknown', m.table_name, NULL
  FROM compliance.data_map_tables m WHERE NOT EXISTS (SELECT FROM relations r WHERE r.table_name = m.table_name)
UNION ALL
SELECT 'unknown', m.table_name, m.column_name
  FROM compliance.data_map_columns m
 WHERE NOT EXISTS (SELECT FROM relations r JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0
                    WHERE r.table_name = m.table_name AND a.attname::text = m.column_name AND NOT a.attisdropped)
UNION ALL
SELECT 'unmapped_person_link', r.table_name, a.attname::text
  FROM relations r JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
 WHERE a.atttypid = 'uuid'::regtype
   AND NOT EXISTS (SELECT FROM compliance.data_map_tables m WHERE m.table_name = r.table_name AND m.erasure <> 'none')
   AND (a.attname ~ '(_by|user_id)$'
        OR EXISTS (SELECT FROM pg_catalog.pg_constraint k
                    WHERE k.conrelid = r.oid AND k.contype = 'f' AND k.confrelid = 'public.users'::regclass
                      AND a.attnum = ANY (k.conkey)));

COMMENT ON VIEW compliance.data_map_gaps IS
    'Tables and columns that may hold personal data but are missing from the data map, and map entries that name nothing.';

-- =============================================================================================
-- Personal values in the audit trail: sealed under the subject's key at capture
-- =============================================================================================
-- The columns the audit seal covers for a table (those erasure anonymises or deletes) and the column
-- naming their subject; NULL for a table with none. audit.drain_inbox() asks once per table and batch.
CREATE OR REPLACE FUNCTION compliance.audit_seal_spec(p_schema text, p_table text) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT jsonb_build_object('subject', t.subject_column, 'columns', jsonb_agg(DISTINCT c.column_name))
      FROM compliance.data_map_tables t
      JOIN compliance.data_map_columns c ON c.table_name = t.table_name
     WHERE t.table_name = p_schema || '.' || p_table AND t.subject_column IS NOT NULL
       AND t.erasure IN ('anonymise', 'delete') AND c.treatment IN ('anonymise', 'delete')
     GROUP BY t.subject_column
     LIMIT 1
$$;

-- The subject's audit key, made on first use; NULL once the subject is erased.
CREATE OR REPLACE FUNCTION compliance.subject_audit_key(p_user uuid) RETURNS bytea
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_key bytea;
    v_shredded timestamptz;
BEGIN
    SELECT k.audit_key, k.shredded_at INTO v_key, v_shredded FROM compliance.subject_audit_keys k WHERE k.user_id = p_user;
    IF FOUND THEN
        RETURN v_key;
    END IF;
    INSERT INTO compliance.subject_audit_keys (user_id, audit_key) VALUES (p_user, public.gen_random_bytes(32))
        ON CONFLICT (user_id) DO NOTHING;
    SELECT k.audit_key INTO v_key FROM compliance.subject_audit_keys k WHERE k.user_id = p_user;
    RETURN v_key;
END
$$;

-- Replaces each personal value of an audit row by "sealed:v1:<subject>:<base64 iv||AES-256-CBC>" under
-- the subject's key, or by "[erased]" once the subject is erased. Everything else is left as it is.
CREATE OR REPLACE FUNCTION compliance.seal_audit_values(p_spec jsonb, p_row jsonb) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_subject uuid;
    v_key     bytea;
    v_column  text;
    v_iv      bytea;
    v_result  jsonb := p_row;
BEGIN
    IF p_spec IS NULL OR p_row IS NULL THEN
        RETURN p_row;
    END IF;
    v_subject := (p_row ->> (p_spec ->> 'subject'))::uuid;
    IF v_subject IS NULL THEN
        RETURN p_row;
    END IF;
    v_key := compliance.subject_audit_key(v_subject);
    FOR v_column IN SELECT jsonb_array_elements_text(p_spec -> 'columns') LOOP
        CONTINUE WHEN NOT (p_row ? v_column) OR p_row -> v_column = 'null'::jsonb;
        IF v_key IS NULL THEN
            v_result := jsonb_set(v_result, ARRAY[v_column], '"[erased]"');
        ELSE
            v_iv := public.gen_random_bytes(16);
            v_result := jsonb_set(v_result, ARRAY[v_column], to_jsonb(
                'sealed:v1:' || v_subject || ':' || translate(encode(v_iv || public.encrypt_iv(
                    convert_to((p_row -> v_column)::text, 'UTF8'), v_key, v_iv, 'aes-cbc/pad:pkcs'), 'base64'), E'\n', '')));
        END IF;
    END LOOP;
    RETURN v_result;
END
$$;

-- Opens the sealed values of audit values (old_values or new_values) for the audit roles; a value
-- whose subject was erased reads "[erased]".
CREATE OR REPLACE FUNCTION compliance.reveal_audit_values(p_values jsonb) RETURNS jsonb
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_entry  record;
    v_parts  text[];
    v_key    bytea;
    v_raw    bytea;
    v_result jsonb := p_values;
BEGIN
    IF p_values IS NULL OR jsonb_typeof(p_values) <> 'object' THEN
        RETURN p_values;
    END IF;
    FOR v_entry IN SELECT key, value FROM jsonb_each_text(p_values) WHERE value LIKE 'sealed:v1:%' LOOP
        v_parts := regexp_match(v_entry.value, '^sealed:v1:([0-9a-f-]{36}):(.+)$');
        CONTINUE WHEN v_parts IS NULL;
        SELECT k.audit_key INTO v_key FROM compliance.subject_audit_keys k WHERE k.user_id = v_parts[1]::uuid;
        IF v_key IS NULL THEN
            v_result := jsonb_set(v_result, ARRAY[v_entry.key], '"[erased]"');
        ELSE
            BEGIN
                v_raw := decode(v_parts[2], 'base64');
                v_result := jsonb_set(v_result, ARRAY[v_entry.key], convert_from(public.decrypt_iv(
                    substring(v_raw FROM 17), v_key, substring(v_raw FROM 1 FOR 16), 'aes-cbc/pad:pkcs'), 'UTF8')::jsonb);
            EXCEPTION WHEN OTHERS THEN
                -- A value that does not open under the key (damaged, or not ours) is shown as such, never guessed.
                v_result := jsonb_set(v_result, ARRAY[v_entry.key], '"[unreadable]"');
            END;
        END IF;
    END LOOP;
    RETURN v_result;
END
$$;

COMMENT ON FUNCTION compliance.reveal_audit_values(jsonb) IS
    'Audit values with their sealed personal values opened under the subjects'' keys ("[erased]" once erased).';

-- The subject's own sealed values in audit values, opened set-based with their key (the export); values
-- sealed under anyone else's key stay sealed.
CREATE OR REPLACE FUNCTION compliance.open_sealed(p_values jsonb, p_subject uuid, p_key bytea) RETURNS jsonb
    LANGUAGE sql IMMUTABLE
AS $$
    SELECT CASE
        WHEN p_key IS NULL OR p_values IS NULL OR pg_catalog.jsonb_typeof(p_values) OPERATOR(pg_catalog.<>) 'object'
            THEN p_values
        ELSE (SELECT pg_catalog.jsonb_object_agg(e.key, CASE
                  WHEN pg_catalog.starts_with(e.value OPERATOR(pg_catalog.#>>) '{}', 'sealed:v1:' OPERATOR(pg_catalog.||) p_subject::text OPERATOR(pg_catalog.||) ':')
                  THEN pg_catalog.convert_from(public.decrypt_iv(
                           pg_catalog.substr(d.raw, 17), p_key, pg_catalog.substr(d.raw, 1, 16), 'aes-cbc/pad:pkcs'), 'UTF8')::jsonb
                  ELSE e.value END)
                FROM pg_catalog.jsonb_each(p_values) e
                CROSS JOIN LATERAL (SELECT CASE WHEN pg_catalog.starts_with(e.value OPERATOR(pg_catalog.#>>) '{}', 'sealed:v1:')
                                                THEN pg_catalog.decode(pg_catalog.substr(e.value OPERATOR(pg_catalog.#>>) '{}', 48), 'base64')
                                           END AS raw) d)
    END
$$;

-- =============================================================================================
-- Caller helpers
-- =============================================================================================
CREATE OR REPLACE FUNCTION compliance.require_role(VARIADIC p_roles text[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
BEGIN
    IF NOT (audit.acting_role() = ANY (p_roles)) THEN
        RAISE EXCEPTION 'Only % may do this.', array_to_string(p_roles, ', ') USING ERRCODE = 'VR403', HINT = 'forbidden';
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION compliance.log_request_event(p_request uuid, p_event text, p_detail jsonb DEFAULT '{}')
    RETURNS void
    LANGUAGE sql
    SET search_path = pg_catalog
AS $$
    INSERT INTO compliance.request_events (request_id, event, actor_id, actor_role, detail)
    VALUES (p_request, p_event, public.current_app_user_id(), audit.acting_role(), coalesce(p_detail, '{}'))
$$;

CREATE OR REPLACE FUNCTION compliance.officers() RETURNS SETOF uuid
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT u.id FROM public.users u
     WHERE u.user_type = 'compliance_officer' AND u.is_active AND u.deleted_at IS NULL
$$;

-- =============================================================================================
-- Consent
-- =============================================================================================
-- The latest decision per purpose; an essential purpose is granted while the account exists, a
-- non-essential one is off until granted. Before any history, the account's own flags count.
CREATE OR REPLACE FUNCTION compliance.has_consent(p_user uuid, p_purpose text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT CASE
        WHEN p.essential THEN true
        ELSE coalesce(
            (SELECT e.granted FROM compliance.consent_events e
              WHERE e.user_id = p_user AND e.purpose = p_purpose ORDER BY e.id DESC LIMIT 1),
            CASE p_purpose WHEN 'marketing' THEN (SELECT u.marketing_consent FROM public.users u WHERE u.id = p_user) END,
            false)
        END
      FROM compliance.consent_purposes p WHERE p.purpose = p_purpose
$$;

COMMENT ON FUNCTION compliance.has_consent(uuid, text) IS
    'Whether the user consents to the purpose now (essential purposes always; others only after a grant not withdrawn since).';

CREATE OR REPLACE FUNCTION compliance.my_consents()
    RETURNS TABLE (purpose text, title text, essential boolean, granted boolean, notice_version integer,
                   notice_text text, decided_at timestamptz, channel text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT p.purpose, p.title, p.essential, compliance.has_consent(public.current_app_user_id(), p.purpose),
           n.version, n.text, e.recorded_at, e.channel
      FROM compliance.consent_purposes p
      JOIN LATERAL (SELECT n.version, n.text FROM compliance.consent_notices n WHERE n.purpose = p.purpose
                     ORDER BY n.version DESC LIMIT 1) n ON true
      LEFT JOIN LATERAL (SELECT e.recorded_at, e.channel FROM compliance.consent_events e
                          WHERE e.user_id = public.current_app_user_id() AND e.purpose = p.purpose
                          ORDER BY e.id DESC LIMIT 1) e ON true
     WHERE public.current_app_user_id() IS NOT NULL
     ORDER BY p.essential DESC, p.purpose
$$;

-- Records a grant or withdrawal by the signed-in user under the purpose's current notice. Withdrawing an
-- essential purpose is refused: that is closing the account (an erasure request).
CREATE OR REPLACE FUNCTION compliance.record_consent(p_purpose text, p_granted boolean, p_channel text)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_user    uuid := public.current_app_user_id();
    v_purpose compliance.consent_purposes;
    v_version integer;
    v_id      bigint;
BEGIN
    IF v_user IS NULL THEN
        RAISE EXCEPTION 'Sign in to change consent.' USING ERRCODE = 'VR401', HINT = 'unauthenticated';
    END IF;
    SELECT * INTO v_purpose FROM compliance.consent_purposes p WHERE p.purpose = p_purpose;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No consent purpose %.', p_purpose USING ERRCODE = 'VR404', HINT = 'consent-purpose-not-found';
    END IF;
    IF v_purpose.essential AND NOT p_granted THEN
        RAISE EXCEPTION 'The % purpose is needed to provide the service; request erasure to close the account.', p_purpose
            USING ERRCODE = 'VR409', HINT = 'consent-essential';
    END IF;
    SELECT max(n.version) INTO v_version FROM compliance.consent_notices n WHERE n.purpose = p_purpose;
    INSERT INTO compliance.consent_events (user_id, purpose, granted, notice_version, channel, recorded_by)
    VALUES (v_user, p_purpose, p_granted, v_version, coalesce(p_channel, 'api'), v_user)
    RETURNING id INTO v_id;
    IF p_purpose = 'marketing' THEN
        UPDATE public.users u SET marketing_consent = p_granted WHERE u.id = v_user AND u.marketing_consent <> p_granted;
    END IF;
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION compliance.consent_history(p_user uuid)
    RETURNS TABLE (purpose text, granted boolean, notice_version integer, channel text, recorded_at timestamptz)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT e.purpose, e.granted, e.notice_version, e.channel, e.recorded_at
      FROM compliance.consent_events e
     WHERE e.user_id = p_user
       AND (p_user = public.current_app_user_id() OR audit.acting_role() IN ('compliance_officer', 'audit_admin'))
     ORDER BY e.id
$$;

-- The account's own consent flags (registration, the profile) join the history when they change.
CREATE OR REPLACE FUNCTION compliance.users_record_consent() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_channel text := CASE TG_OP WHEN 'INSERT' THEN 'registration' ELSE 'profile' END;
BEGIN
    IF NEW.deleted_at IS NOT NULL THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' OR NEW.data_processing_consent IS DISTINCT FROM OLD.data_processing_consent THEN
        IF NEW.data_processing_consent THEN
            INSERT INTO compliance.consent_events (user_id, purpose, granted, notice_version, channel, recorded_by)
            SELECT NEW.id, 'service', true, max(n.version), v_channel, public.current_app_user_id()
              FROM compliance.consent_notices n WHERE n.purpose = 'service';
        END IF;
    END IF;
    IF (TG_OP = 'INSERT' AND NEW.marketing_consent)
       OR (TG_OP = 'UPDATE' AND NEW.marketing_consent IS DISTINCT FROM OLD.marketing_consent
           AND compliance.has_consent(NEW.id, 'marketing') IS DISTINCT FROM NEW.marketing_consent) THEN
        INSERT INTO compliance.consent_events (user_id, purpose, granted, notice_version, channel, recorded_by)
        SELECT NEW.id, 'marketing', NEW.marketing_consent, max(n.version), v_channel, public.current_app_user_id()
          FROM compliance.consent_notices n WHERE n.purpose = 'marketing';
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER users_record_consent AFTER INSERT OR UPDATE OF marketing_consent, data_processing_consent
    ON public.users
    FOR EACH ROW EXECUTE FUNCTION compliance.users_record_consent();

-- Enforcement where messages are sent: a marketing message needs marketing consent; every other kind
-- (safety, service) is never blocked. The notifications capability calls this before it delivers.
CREATE OR REPLACE FUNCTION compliance.may_message(p_user uuid, p_kind text) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT CASE WHEN p_kind LIKE 'marketing%'
                THEN compliance.has_consent(p_user, 'marketing') AND NOT compliance.is_restricted(p_user)
                ELSE true END
$$;

-- Analytics leaves out whoever withdrew analytics consent (a withdrawal, not the default, excludes:
-- aggregates of the service's own operation need no consent, a withdrawal is an objection) and whoever
-- has a restriction of processing in force.
CREATE OR REPLACE FUNCTION compliance.analytics_excluded(p_user uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT coalesce((SELECT NOT e.granted FROM compliance.consent_events e
                      WHERE e.user_id = p_user AND e.purpose = 'analytics' ORDER BY e.id DESC LIMIT 1), false)
        OR compliance.is_restricted(p_user)
$$;

-- Whether a restriction of processing is in force for the account (placed on a restriction request,
-- not lifted yet): only storage and the service the subject still uses go on; marketing and analytics
-- leave them out.
CREATE OR REPLACE FUNCTION compliance.is_restricted(p_user uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT EXISTS (SELECT FROM compliance.processing_restrictions r WHERE r.user_id = p_user AND r.lifted_at IS NULL)
$$;

-- =============================================================================================
-- Data-subject requests
-- =============================================================================================
CREATE OR REPLACE FUNCTION compliance.file_request(p_user uuid, p_type text, p_details text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_caller  uuid := public.current_app_user_id();
    v_officer boolean := audit.acting_role() = 'compliance_officer';
    v_id      uuid;
BEGIN
    IF v_caller IS NULL THEN
        RAISE EXCEPTION 'Sign in to file a request.' USING ERRCODE = 'VR401', HINT = 'unauthenticated';
    END IF;
    IF NOT v_officer AND p_user IS DISTINCT FROM v_caller THEN
        RAISE EXCEPTION 'A request is filed by its subject or by a compliance officer.'
            USING ERRCODE = 'VR403', HINT = 'forbidden';
    END IF;
    IF NOT EXISTS (SELECT FROM public.users u WHERE u.id = p_user AND u.deleted_at IS NULL) THEN
        RAISE EXCEPTION 'No account %.', p_user USING ERRCODE = 'VR404', HINT = 'user-not-found';
    END IF;
    INSERT INTO compliance.subject_requests (user_id, request_type, channel, filed_by, details, due_at,
                                             identity_verified_at, identity_verified_by, identity_method, status)
    VALUES (p_user, p_type, CASE WHEN v_officer THEN 'officer' ELSE 'subject' END, v_caller, p_details,
            now() + interval '1 month',
            -- The subject signed in with their password: that is the identity check for their own request.
            CASE WHEN NOT v_officer THEN now() END, CASE WHEN NOT v_officer THEN v_caller END,
            CASE WHEN NOT v_officer THEN 'authenticated_session' END,
            CASE WHEN v_officer THEN 'received' ELSE 'verified' END)
    RETURNING id INTO v_id;
    PERFORM compliance.log_request_event(v_id, 'received', jsonb_build_object('type', p_type));
    IF NOT v_officer THEN
        PERFORM compliance.log_request_event(v_id, 'identity_verified', '{"method": "authenticated_session"}');
    END IF;
    PERFORM public.notify(o, 'privacy_request_received',
                          jsonb_build_object('requestId', v_id, 'type', p_type, 'dueAt', now() + interval '1 month'))
       FROM compliance.officers() o;
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION compliance.verify_identity(p_request uuid, p_method text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    PERFORM compliance.require_role('compliance_officer');
    IF p_method IS NULL OR length(btrim(p_method)) < 3 THEN
        RAISE EXCEPTION 'Say how the identity was verified.' USING ERRCODE = 'VR422', HINT = 'validation-failed';
    END IF;
    UPDATE compliance.subject_requests r
       SET identity_verified_at = now(), identity_verified_by = public.current_app_user_id(), identity_method = p_method,
           status = CASE WHEN r.status = 'received' THEN 'verified' ELSE r.status END
     WHERE r.id = p_request AND r.completed_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No open request %.', p_request USING ERRCODE = 'VR404', HINT = 'request-not-found';
    END IF;
    PERFORM compliance.log_request_event(p_request, 'identity_verified', jsonb_build_object('method', p_method));
END
$$;

-- One extension of two months, with a reason (NDPA s.34, GDPR art. 12(3)); the subject is told.
CREATE OR REPLACE FUNCTION compliance.extend_request(p_request uuid, p_reason text) RETURNS timestamptz
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_request compliance.subject_requests;
BEGIN
    PERFORM compliance.require_role('compliance_officer');
    SELECT * INTO v_request FROM compliance.subject_requests r WHERE r.id = p_request AND r.completed_at IS NULL FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No open request %.', p_request USING ERRCODE = 'VR404', HINT = 'request-not-found';
    END IF;
    IF v_request.extended_at IS NOT NULL THEN
        RAISE EXCEPTION 'The request was extended already.' USING ERRCODE = 'VR409', HINT = 'request-already-extended';
    END IF;
    IF p_reason IS NULL OR length(btrim(p_reason)) < 3 THEN
        RAISE EXCEPTION 'An extension needs a reason.' USING ERRCODE = 'VR422', HINT = 'validation-failed';
    END IF;
    UPDATE compliance.subject_requests r
       SET due_at = r.due_at + interval '2 months', extended_at = now(), extension_reason = p_reason, last_warned_at = NULL
     WHERE r.id = p_request
    RETURNING r.due_at INTO v_request.due_at;
    PERFORM compliance.log_request_event(p_request, 'extended', jsonb_build_object('reason', p_reason, 'dueAt', v_request.due_at));
    PERFORM public.notify(v_request.user_id, 'privacy_request_extended',
                          jsonb_build_object('requestId', p_request, 'dueAt', v_request.due_at, 'reason', p_reason));
    UPDATE compliance.privacy_alerts a SET resolved_at = now() WHERE a.reference = p_request AND a.resolved_at IS NULL;
    RETURN v_request.due_at;
END
$$;

CREATE OR REPLACE FUNCTION compliance.close_request(p_request uuid, p_status text, p_outcome text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_user uuid;
BEGIN
    PERFORM compliance.require_role('compliance_officer', 'system_admin');
    IF p_status NOT IN ('completed', 'rejected', 'in_progress', 'deferred') THEN
        RAISE EXCEPTION 'Unknown status %.', p_status USING ERRCODE = 'VR422', HINT = 'validation-failed';
    END IF;
    UPDATE compliance.subject_requests r
       SET status = p_status, outcome = coalesce(p_outcome, r.outcome),
           deferred_reason = CASE WHEN p_status = 'deferred' THEN p_outcome ELSE r.deferred_reason END,
           completed_at = CASE WHEN p_status IN ('completed', 'rejected') THEN now() END
     WHERE r.id = p_request AND r.completed_at IS NULL
    RETURNING r.user_id INTO v_user;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No open request %.', p_request USING ERRCODE = 'VR404', HINT = 'request-not-found';
    END IF;
    PERFORM compliance.log_request_event(p_request, p_status, jsonb_build_object('outcome', p_outcome));
    IF p_status IN ('completed', 'rejected') THEN
        UPDATE compliance.privacy_alerts a SET resolved_at = now() WHERE a.reference = p_request AND a.resolved_at IS NULL;
    END IF;
END
$$;

-- =============================================================================================
-- Fulfilling rectification, restriction and objection requests
-- =============================================================================================
-- The open request of the given type that the caller may act on: the subject's own, or any for a
-- compliance officer; its identity must have been verified. Locked for the update that follows.
CREATE OR REPLACE FUNCTION compliance.actionable_request(p_request uuid, p_type text) RETURNS compliance.subject_requests
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_request compliance.subject_requests;
BEGIN
    SELECT * INTO v_request FROM compliance.subject_requests r WHERE r.id = p_request FOR UPDATE;
    IF NOT FOUND OR v_request.request_type <> p_type
       OR NOT (v_request.user_id = public.current_app_user_id() OR audit.acting_role() = 'compliance_officer') THEN
        RAISE EXCEPTION 'No % request %.', p_type, p_request USING ERRCODE = 'VR404', HINT = 'request-not-found';
    END IF;
    IF v_request.completed_at IS NOT NULL THEN
        RAISE EXCEPTION 'The request is closed already.' USING ERRCODE = 'VR409', HINT = 'request-closed';
    END IF;
    IF v_request.identity_verified_at IS NULL THEN
        RAISE EXCEPTION 'Verify the subject''s identity first.' USING ERRCODE = 'VR409', HINT = 'identity-not-verified';
    END IF;
    RETURN v_request;
END
$$;

CREATE OR REPLACE FUNCTION compliance.complete_request(p_request uuid, p_outcome text) RETURNS void
    LANGUAGE sql
    SET search_path = pg_catalog
AS $$
    UPDATE compliance.subject_requests r SET status = 'completed', completed_at = now(), outcome = p_outcome
     WHERE r.id = p_request AND r.completed_at IS NULL;
    UPDATE compliance.privacy_alerts a SET resolved_at = now() WHERE a.reference = p_request AND a.resolved_at IS NULL;
$$;

-- Rectification: the corrected name, e-mail and phone go into the account through its owner's function
-- (public.rectify_account: the account's own checks and uniqueness apply); the timeline records which
-- fields changed, never their values; the request is completed.
CREATE OR REPLACE FUNCTION compliance.apply_rectification(p_request uuid, p_first_name text, p_last_name text,
                                                          p_email text, p_phone text) RETURNS text[]
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_request compliance.subject_requests := compliance.actionable_request(p_request, 'rectification');
    v_changed text[];
BEGIN
    IF p_first_name IS NULL AND p_last_name IS NULL AND p_email IS NULL AND p_phone IS NULL THEN
        RAISE EXCEPTION 'Give at least one corrected value.' USING ERRCODE = 'VR422', HINT = 'validation-failed';
    END IF;
    v_changed := public.rectify_account(v_request.user_id, p_first_name, p_last_name, p_email, p_phone);
    PERFORM compliance.log_request_event(p_request, 'rectified', jsonb_build_object('fields', to_jsonb(v_changed)));
    PERFORM compliance.complete_request(p_request,
        CASE WHEN cardinality(v_changed) = 0 THEN 'nothing to correct' ELSE 'rectified: ' || array_to_string(v_changed, ', ') END);
    PERFORM public.notify(v_request.user_id, 'privacy_request_completed',
                          jsonb_build_object('requestId', p_request, 'type', 'rectification', 'fields', to_jsonb(v_changed)));
    RETURN v_changed;
END
$$;

-- Restriction: from now on the account is left out of marketing and analytics (compliance.may_message,
-- compliance.analytics_excluded, analytics.vip_usage) until lifted; it keeps riding and paying (the
-- service the subject still uses) and its data is kept. The request is completed with the restriction
-- in force.
CREATE OR REPLACE FUNCTION compliance.apply_restriction(p_request uuid) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_request compliance.subject_requests := compliance.actionable_request(p_request, 'restriction');
    v_id      uuid;
BEGIN
    IF compliance.is_restricted(v_request.user_id) THEN
        RAISE EXCEPTION 'A restriction is in force for this account already.'
            USING ERRCODE = 'VR409', HINT = 'restriction-in-force';
    END IF;
    INSERT INTO compliance.processing_restrictions (user_id, request_id, placed_by)
    VALUES (v_request.user_id, p_request, public.current_app_user_id())
    RETURNING id INTO v_id;
    PERFORM compliance.log_request_event(p_request, 'restricted',
                                         jsonb_build_object('restrictionId', v_id, 'excluded', '["marketing", "analytics"]'::jsonb));
    PERFORM compliance.complete_request(p_request, 'restricted: marketing and analytics excluded until lifted');
    PERFORM public.notify(v_request.user_id, 'privacy_request_completed',
                          jsonb_build_object('requestId', p_request, 'type', 'restriction'));
    RETURN v_id;
END
$$;

-- Lifting a restriction: by a compliance officer, or by the subject who asked for it. The subject is
-- told (GDPR art. 18(3)); the request's timeline records it.
CREATE OR REPLACE FUNCTION compliance.lift_restriction(p_request uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_restriction compliance.processing_restrictions;
BEGIN
    UPDATE compliance.processing_restrictions r SET lifted_at = now(), lifted_by = public.current_app_user_id()
     WHERE r.request_id = p_request AND r.lifted_at IS NULL
       AND (r.user_id = public.current_app_user_id() OR audit.acting_role() = 'compliance_officer')
    RETURNING * INTO v_restriction;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No restriction in force for request %.', p_request
            USING ERRCODE = 'VR404', HINT = 'restriction-not-found';
    END IF;
    PERFORM compliance.log_request_event(p_request, 'restriction_lifted', jsonb_build_object('restrictionId', v_restriction.id));
    PERFORM public.notify(v_restriction.user_id, 'privacy_restriction_lifted', jsonb_build_object('requestId', p_request));
END
$$;

-- Objection: each purpose objected to is withdrawn in the consent history (channel "officer" when an
-- officer applies it), so every place that asks compliance.has_consent / may_message /
-- analytics_excluded follows; the service itself (an essential purpose) cannot be objected to here.
CREATE OR REPLACE FUNCTION compliance.apply_objection(p_request uuid, p_purposes text[]) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_request compliance.subject_requests := compliance.actionable_request(p_request, 'objection');
    v_officer boolean := audit.acting_role() = 'compliance_officer';
    v_count   integer;
BEGIN
    IF p_purposes IS NULL OR cardinality(p_purposes) = 0
       OR EXISTS (SELECT FROM unnest(p_purposes) x(purpose)
                   WHERE NOT EXISTS (SELECT FROM compliance.consent_purposes p WHERE p.purpose = x.purpose AND NOT p.essential)) THEN
        RAISE EXCEPTION 'Name the purposes objected to: non-essential ones (marketing, analytics, safety_location).'
            USING ERRCODE = 'VR422', HINT = 'validation-failed';
    END IF;
    INSERT INTO compliance.consent_events (user_id, purpose, granted, notice_version, channel, recorded_by)
    SELECT v_request.user_id, p.purpose, false,
           (SELECT max(n.version) FROM compliance.consent_notices n WHERE n.purpose = p.purpose),
           CASE WHEN v_officer THEN 'officer' ELSE 'api' END, public.current_app_user_id()
      FROM (SELECT DISTINCT x.purpose FROM unnest(p_purposes) x(purpose)) p;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    IF 'marketing' = ANY (p_purposes) THEN
        UPDATE public.users u SET marketing_consent = false WHERE u.id = v_request.user_id AND u.marketing_consent;
    END IF;
    PERFORM compliance.log_request_event(p_request, 'objection_applied',
                                         jsonb_build_object('withdrawn', (SELECT jsonb_agg(DISTINCT x) FROM unnest(p_purposes) x)));
    PERFORM compliance.complete_request(p_request, 'withdrawn: ' || array_to_string(ARRAY(SELECT DISTINCT x FROM unnest(p_purposes) x ORDER BY 1), ', '));
    RETURN v_count;
END
$$;

-- Deadline warnings: 7 days before the due date (medium) and once it has passed (high), to every
-- compliance officer and in monitoring.security_alerts. Run by the privacy clock job; returns how many.
CREATE OR REPLACE FUNCTION compliance.warn_due_requests() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_request record;
    v_count   integer := 0;
BEGIN
    PERFORM compliance.require_role('system_admin', 'compliance_officer');
    FOR v_request IN
        SELECT r.id, r.user_id, r.request_type, r.due_at, CASE WHEN r.due_at <= now() THEN 'dsr_overdue' ELSE 'dsr_due_soon' END AS kind
          FROM compliance.subject_requests r
         WHERE r.completed_at IS NULL AND r.due_at <= now() + interval '7 days'
    LOOP
        INSERT INTO compliance.privacy_alerts (kind, severity, reference, subject_user_id, detail)
        VALUES (v_request.kind, CASE v_request.kind WHEN 'dsr_overdue' THEN 'high' ELSE 'medium' END, v_request.id,
                v_request.user_id, format('%s request %s is due %s', v_request.request_type, v_request.id, v_request.due_at))
        ON CONFLICT (kind, reference) DO NOTHING;
        IF FOUND THEN
            v_count := v_count + 1;
            UPDATE compliance.subject_requests r SET last_warned_at = now() WHERE r.id = v_request.id;
            PERFORM compliance.log_request_event(v_request.id, 'warned', jsonb_build_object('kind', v_request.kind));
            PERFORM public.notify(o, 'privacy_request_' || v_request.kind,
                                  jsonb_build_object('requestId', v_request.id, 'dueAt', v_request.due_at))
               FROM compliance.officers() o;
        END IF;
    END LOOP;
    RETURN v_count;
END
$$;

-- =============================================================================================
-- Legal holds and what blocks an erasure
-- =============================================================================================
CREATE OR REPLACE FUNCTION compliance.place_legal_hold(p_user uuid, p_reason text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM compliance.require_role('compliance_officer');
    INSERT INTO compliance.legal_holds (user_id, reason, placed_by) VALUES (p_user, p_reason, public.current_app_user_id())
    RETURNING id INTO v_id;
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION compliance.release_legal_hold(p_hold uuid) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    PERFORM compliance.require_role('compliance_officer');
    UPDATE compliance.legal_holds h SET released_at = now(), released_by = public.current_app_user_id()
     WHERE h.id = p_hold AND h.released_at IS NULL;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No active legal hold %.', p_hold USING ERRCODE = 'VR404', HINT = 'legal-hold-not-found';
    END IF;
END
$$;

-- Why the subject cannot be erased now (no rows: nothing blocks). Codes: legal_hold, open_ride,
-- open_dispute, unpaid_balance.
CREATE OR REPLACE FUNCTION compliance.erasure_blockers(p_user uuid) RETURNS TABLE (code text, detail text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT 'legal_hold', 'Legal hold since ' || h.placed_at || ': ' || h.reason
      FROM compliance.legal_holds h WHERE h.user_id = p_user AND h.released_at IS NULL
    UNION ALL
    SELECT 'open_ride', 'Ride ' || r.id || ' is ' || r.status
      FROM public.rides r
     WHERE (r.customer_id = p_user OR r.driver_id IN (SELECT d.id FROM public.drivers d WHERE d.user_id = p_user))
       AND r.status IN ('pending', 'driver_assigned', 'driver_arrived', 'in_progress', 'emergency')
    UNION ALL
    SELECT 'open_dispute', 'Dispute ' || x.id || ' on payment ' || x.payment_id || ' is ' || x.status
      FROM public.payment_disputes x JOIN public.payments p ON p.id = x.payment_id
     WHERE p.payer_id = p_user AND x.status IN ('open', 'under_review')
    UNION ALL
    SELECT 'unpaid_balance', 'Payment ' || p.id || ' of ' || p.amount_minor || ' ' || p.currency || ' is ' || p.status
      FROM public.payments p
     WHERE p.payer_id = p_user AND p.status IN ('pending', 'processing', 'failed')
$$;

-- =============================================================================================
-- Erasure
-- =============================================================================================
-- Applies the data map to one subject in the caller's transaction. Returns what was done per table.
-- p_replay: re-applying a logged erasure after a restore (no blockers, no new log row).
CREATE OR REPLACE FUNCTION compliance.apply_erasure(p_user uuid, p_replay boolean) RETURNS jsonb
    LANGUAGE plpgsql
    SET search_path = pg_catalog
AS $$
DECLARE
    v_table    record;
    v_sets     text;
    v_count    bigint;
    v_summary  jsonb := '{}';
    v_retained jsonb := '[]';
BEGIN
    -- Keys first: from here on, whatever the audit trail still receives about the subject reads "[erased]".
    INSERT INTO compliance.subject_audit_keys (user_id, audit_key, shredded_at) VALUES (p_user, NULL, now())
        ON CONFLICT (user_id) DO UPDATE SET audit_key = NULL, shredded_at = coalesce(compliance.subject_audit_keys.shredded_at, now());
    DELETE FROM vip_data.subject_keys k WHERE k.subject_id = p_user;
    v_summary := v_summary || jsonb_build_object('vip_data.subject_keys', 'shredded', 'compliance.subject_audit_keys', 'shredded');
    -- Rows sealed under a key of their own (subject_column is the row's id, not the subject's): their keys too.
    FOR v_table IN
        SELECT t.table_name, t.subject_filter FROM compliance.data_map_tables t
         WHERE t.subject_column = 'id' AND t.table_name <> 'public.users' AND t.erasure IN ('anonymise', 'delete')
    LOOP
        EXECUTE format('INSERT INTO compliance.subject_audit_keys (user_id, audit_key, shredded_at) '
                       'SELECT x.id, NULL, now() FROM %s x WHERE %s '
                       'ON CONFLICT (user_id) DO UPDATE SET audit_key = NULL, '
                       'shredded_at = coalesce(compliance.subject_audit_keys.shredded_at, now())',
                       v_table.table_name, v_table.subject_filter) USING p_user;
    END LOOP;

    -- Deletions in an order that satisfies foreign keys (events and states before their geofences).
    FOR v_table IN
        SELECT t.table_name, t.subject_filter, t.erasure, t.legal_basis, t.retention_years
          FROM compliance.data_map_tables t
         WHERE t.erasure IN ('anonymise', 'delete', 'pseudonymise') AND t.subject_filter IS NOT NULL
         ORDER BY t.erasure = 'pseudonymise', t.table_name = 'vip_data.geofences', t.table_name
    LOOP
        IF v_table.erasure = 'delete' THEN
            EXECUTE format('DELETE FROM %s WHERE %s', v_table.table_name, v_table.subject_filter) USING p_user;
            GET DIAGNOSTICS v_count = ROW_COUNT;
            v_summary := v_summary || jsonb_build_object(v_table.table_name, jsonb_build_object('deleted', v_count));
        ELSIF v_table.erasure = 'anonymise' THEN
            SELECT string_agg(format('%I = %s', c.column_name,
                                     coalesce(format(c.replacement, c.column_name), 'NULL')), ', ')
              INTO v_sets
              FROM compliance.data_map_columns c
             WHERE c.table_name = v_table.table_name AND (c.treatment = 'anonymise' OR (c.treatment = 'secret' AND c.replacement IS NOT NULL));
            IF v_table.table_name = 'public.users' THEN
                v_sets := v_sets || ', deleted_at = coalesce(deleted_at, now()), is_active = false, marketing_consent = false';
            END IF;
            EXECUTE format('UPDATE %s SET %s WHERE %s', v_table.table_name, v_sets, v_table.subject_filter) USING p_user;
            GET DIAGNOSTICS v_count = ROW_COUNT;
            v_summary := v_summary || jsonb_build_object(v_table.table_name, jsonb_build_object('anonymised', v_count));
            IF v_table.legal_basis IS NOT NULL AND v_count > 0 THEN
                v_retained := v_retained || jsonb_build_object('table', v_table.table_name, 'rows', v_count,
                    'legalBasis', v_table.legal_basis, 'erasableAfter', (now() + make_interval(years => v_table.retention_years))::date);
            END IF;
        ELSE
            EXECUTE format('SELECT count(*) FROM %s WHERE %s', v_table.table_name, v_table.subject_filter) INTO v_count USING p_user;
            IF v_count > 0 THEN
                v_retained := v_retained || jsonb_build_object('table', v_table.table_name, 'rows', v_count,
                    'legalBasis', v_table.legal_basis,
                    'erasableAfter', (now() + make_interval(years => coalesce(v_table.retention_years, 0)))::date);
            END IF;
        END IF;
    END LOOP;
    RETURN jsonb_build_object('summary', v_summary, 'retained', v_retained);
END
$$;

-- Erases a subject: refuses with the reasons when something blocks it (409 erasure-blocked), else
-- applies the data map, logs the erasure (ids only) and completes the request.
CREATE OR REPLACE FUNCTION compliance.erase_subject(p_request uuid) RETURNS jsonb
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_request  compliance.subject_requests;
    v_blockers text;
    v_result   jsonb;
BEGIN
    PERFORM compliance.require_role('compliance_officer', 'system_admin');
    SELECT * INTO v_request FROM compliance.subject_requests r WHERE r.id = p_request FOR UPDATE;
    IF NOT FOUND OR v_request.request_type <> 'erasure' THEN
        RAISE EXCEPTION 'No erasure request %.', p_request USING ERRCODE = 'VR404', HINT = 'request-not-found';
    END IF;
    IF v_request.completed_at IS NOT NULL THEN
        RAISE EXCEPTION 'The request is closed already.' USING ERRCODE = 'VR409', HINT = 'request-closed';
    END IF;
    IF v_request.identity_verified_at IS NULL THEN
        RAISE EXCEPTION 'Verify the subject''s identity first.' USING ERRCODE = 'VR409', HINT = 'identity-not-verified';
    END IF;
    SELECT string_agg(b.code || ': ' || b.detail, '; ') INTO v_blockers FROM compliance.erasure_blockers(v_request.user_id) b;
    IF v_blockers IS NOT NULL THEN
        RAISE EXCEPTION 'Erasure is blocked: %', v_blockers USING ERRCODE = 'VR409', HINT = 'erasure-blocked';
    END IF;
    v_result := compliance.apply_erasure(v_request.user_id, false);
    INSERT INTO compliance.erasure_log (user_id, request_id, erased_by, retained, summary)
    VALUES (v_request.user_id, p_request, public.current_app_user_id(), v_result -> 'retained', v_result -> 'summary');
    UPDATE compliance.subject_requests r
       SET status = 'completed', completed_at = now(), outcome = 'erased', details = NULL
     WHERE r.id = p_request;
    PERFORM compliance.log_request_event(p_request, 'erased', jsonb_build_object('retained', v_result -> 'retained'));
    UPDATE compliance.privacy_alerts a SET resolved_at = now() WHERE a.reference = p_request AND a.resolved_at IS NULL;
    RETURN v_result;
END
$$;

-- After restoring a backup: every logged erasure is applied again (the log is kept outside the backup
-- too, see docs/operations.md). Returns how many subjects were erased again.
CREATE OR REPLACE FUNCTION compliance.replay_erasure_log(p_log jsonb DEFAULT NULL) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_user  uuid;
    v_count integer := 0;
BEGIN
    PERFORM compliance.require_role('system_admin', 'compliance_officer');
    -- An erasure log exported before the restore (newer than the backup) joins the restored one.
    IF p_log IS NOT NULL THEN
        INSERT INTO compliance.erasure_log (user_id, request_id, erased_at, retained, summary)
        SELECT (e ->> 'userId')::uuid, NULL, coalesce((e ->> 'erasedAt')::timestamptz, now()), '[]', '{"replayed": true}'
          FROM jsonb_array_elements(p_log) e
         WHERE NOT EXISTS (SELECT FROM compliance.erasure_log l WHERE l.user_id = (e ->> 'userId')::uuid);
    END IF;
    FOR v_user IN SELECT DISTINCT l.user_id FROM compliance.erasure_log l LOOP
        PERFORM compliance.apply_erasure(v_user, true);
        v_count := v_count + 1;
    END LOOP;
    RETURN v_count;
END
$$;

-- The erasure log as JSON, to keep outside the database (ids and times only).
CREATE OR REPLACE FUNCTION compliance.erasure_log_export() RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(jsonb_agg(jsonb_build_object('userId', l.user_id, 'erasedAt', l.erased_at) ORDER BY l.id), '[]')
      FROM compliance.erasure_log l
$$;

-- =============================================================================================
-- Export (access and portability)
-- =============================================================================================
DROP FUNCTION IF EXISTS compliance.subject_data_plan();

-- Every row about the subject, table by table as the data map finds them (secrets and VIP ciphertext
-- left out), with the manifest entry of each table (row count, categories, purposes, recipients,
-- retention, omitted columns). The audit trail gives when, what record, which fields and in which role
-- — not the values (the current ones are in the live tables, the old ones sealed; compliance.open_sealed
-- opens one record on request).
--
-- The tables the export walks, with the subject's rows found by each (one statement per table, $1 the
-- subject): each row as JSON (json, not jsonb: no key sorting, no per-row function calls), and the
-- expression of its CSV line (compliance.subject_data_csv, below).

CREATE OR REPLACE FUNCTION compliance.subject_data_plan()
    RETURNS TABLE (table_name text, query text, csv text, omitted text[], legal_basis text, retention_years integer,
                   purposes text, recipients text)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog
AS $$
DECLARE
    v_table   record;
    v_columns text;
BEGIN
    FOR v_table IN
        SELECT t.table_name, string_agg(t.subject_filter, ') OR (') AS filter, min(t.legal_basis) AS legal_basis,
               max(t.retention_years) AS retention_years, string_agg(DISTINCT t.purposes, '; ') AS purposes,
               string_agg(DISTINCT t.recipients, '; ') AS recipients
          FROM compliance.data_map_tables t
         WHERE t.subject_filter IS NOT NULL AND t.erasure NOT IN ('transient', 'derived')
           AND t.table_name NOT IN ('compliance.exports', 'compliance.subject_audit_keys', 'vip_data.subject_keys')
         GROUP BY t.table_name ORDER BY t.table_name
    LOOP
        SELECT array_agg(c.column_name) INTO omitted FROM compliance.data_map_columns c
         WHERE c.table_name = v_table.table_name AND c.treatment IN ('secret', 'shred');
        IF v_table.table_name IN ('audit.audit_log', 'archive.audit_log') THEN
            v_columns := 'x."timestamp" AS at, x.table_schema || ''.'' || x.table_name AS "table", x.record_id AS record, '
                         'x.operation, x.changed_fields AS "changedFields", x.db_role AS "byRole"';
            csv := compliance.subject_data_csv(ARRAY['at', 'table', 'record', 'operation', 'changedFields', 'byRole'],
                                               ARRAY['timestamptz', 'text', 'text', 'text', 'text[]', 'text']::regtype[]);
        ELSE
            SELECT string_agg('x.' || quote_ident(a.attname), ', ' ORDER BY a.attnum),
                   compliance.subject_data_csv(array_agg(a.attname::text ORDER BY a.attnum),
                                               array_agg(a.atttypid::regtype ORDER BY a.attnum))
              INTO v_columns, csv
              FROM pg_catalog.pg_attribute a
             WHERE a.attrelid = v_table.table_name::regclass AND a.attnum > 0 AND NOT a.attisdropped
               AND a.attname <> ALL (coalesce(omitted, '{}'));
        END IF;
        table_name := v_table.table_name;
        query := format('SELECT %s FROM %s x WHERE (%s)', v_columns, v_table.table_name, v_table.filter);
        legal_basis := v_table.legal_basis;
        retention_years := v_table.retention_years;
        purposes := v_table.purposes;
        recipients := v_table.recipients;
        RETURN NEXT;
    END LOOP;
END
$$;

-- The CSV line of an export row, as an expression over the row's columns (the query's output, named s):
-- every value quoted with its quotes doubled, an absent one left empty; a value reads as in the row's
-- JSON (times in ISO 8601, arrays and documents as JSON). Built here, next to the JSON, the CSV costs the
-- database a few string operations per value instead of the export job parsing every row's JSON again.
CREATE OR REPLACE FUNCTION compliance.subject_data_csv(p_columns text[], p_types regtype[]) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT string_agg(format('CASE WHEN s.%1$I IS NULL THEN '''' ELSE ''"'' || replace(%2$s, ''"'', ''""'') || ''"'' END',
                             c.name,
                             CASE WHEN c.type IN ('timestamptz'::regtype, 'timestamp'::regtype, 'date'::regtype,
                                                  'time'::regtype, 'timetz'::regtype)
                                      THEN format('(to_json(s.%I) #>> ''{}'')', c.name)
                                  WHEN t.typcategory = 'A' OR t.typtype = 'c' OR c.type IN ('json'::regtype, 'jsonb'::regtype)
                                      THEN format('to_json(s.%I)::text', c.name)
                                  ELSE format('s.%I::text', c.name) END),
                      ' || '','' || ' ORDER BY c.ord)
      FROM unnest(p_columns, p_types) WITH ORDINALITY AS c(name, type, ord)
      JOIN pg_catalog.pg_type t ON t.oid = c.type
$$;

-- A table's entry in the export's manifest.
CREATE OR REPLACE FUNCTION compliance.subject_data_manifest(p_table text, p_rows bigint, p_omitted text[],
                                                            p_legal_basis text, p_retention_years integer,
                                                            p_purposes text, p_recipients text) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT jsonb_build_object(
        'table', p_table, 'rows', p_rows,
        'categories', (SELECT jsonb_agg(DISTINCT c.category) FROM compliance.data_map_columns c
                        WHERE c.table_name = p_table AND c.category NOT IN ('reference')),
        'purposes', p_purposes, 'recipients', p_recipients,
        'retention', CASE WHEN p_retention_years IS NULL THEN 'until erasure'
                          ELSE p_retention_years || ' years: ' || p_legal_basis END,
        'omitted', to_jsonb(coalesce(p_omitted, '{}')))
$$;

-- The subject's rows, table by table, each as one JSON array (the rows built as by the export job).
CREATE OR REPLACE FUNCTION compliance.subject_data_parts(p_user uuid)
    RETURNS TABLE (table_name text, row_count bigint, rows_json text, manifest jsonb)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
    SET "TimeZone" = 'UTC'
AS $$
DECLARE
    v_plan record;
BEGIN
    PERFORM compliance.require_role('system_admin', 'compliance_officer');
    FOR v_plan IN SELECT * FROM compliance.subject_data_plan() LOOP
        table_name := v_plan.table_name;
        EXECUTE format('SELECT count(*), json_agg(s)::text FROM (%s) s', v_plan.query) INTO row_count, rows_json USING p_user;
        CONTINUE WHEN row_count = 0;
        manifest := compliance.subject_data_manifest(v_plan.table_name, row_count, v_plan.omitted, v_plan.legal_basis,
                                                     v_plan.retention_years, v_plan.purposes, v_plan.recipients);
        RETURN NEXT;
    END LOOP;
END
$$;

-- The export job's way to the same rows, streamed: one cursor over every table, a row per subject row
-- (its table, its JSON: exactly the element compliance.subject_data_parts puts in that table's array, and
-- its CSV line: compliance.subject_data_csv),
-- table by table in name order. The job writes the archive from the rows it has while the database
-- builds the next ones, then asks for the manifest entries of the tables it got rows from
-- (compliance.subject_data_manifests). Opened in the caller's transaction (SECURITY DEFINER: every table's
-- rights are checked when the cursor is opened); the caller fetches from it and closes it.
CREATE OR REPLACE FUNCTION compliance.open_subject_data(p_user uuid, p_cursor text) RETURNS refcursor
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
    SET "TimeZone" = 'UTC'
AS $$
DECLARE
    v_cursor refcursor := p_cursor;
    v_tables text;
BEGIN
    PERFORM compliance.require_role('system_admin', 'compliance_officer');
    SELECT string_agg(format('SELECT %L::text AS table_name, row_to_json(s)::text AS rows_json, %s AS csv_line FROM (%s) s',
                             p.table_name, p.csv, p.query), ' UNION ALL ' ORDER BY p.table_name)
      INTO v_tables
      FROM compliance.subject_data_plan() p;
    OPEN v_cursor FOR EXECUTE v_tables USING p_user;
    RETURN v_cursor;
END
$$;

-- The manifest entries of the tables an export found rows in, with their row counts.
CREATE OR REPLACE FUNCTION compliance.subject_data_manifests(p_tables text[], p_rows bigint[])
    RETURNS TABLE (table_name text, manifest jsonb)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT p.table_name, compliance.subject_data_manifest(p.table_name, r.n, p.omitted, p.legal_basis,
                                                          p.retention_years, p.purposes, p.recipients)
      FROM unnest(p_tables, p_rows) WITH ORDINALITY AS r(table_name, n, ord)
      JOIN compliance.subject_data_plan() p ON p.table_name = r.table_name
     ORDER BY r.ord
$$;

-- Everything compliance.subject_data_parts gives, as one document (officers' look-ups, tests).
CREATE OR REPLACE FUNCTION compliance.subject_data(p_user uuid) RETURNS jsonb
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
    SET "TimeZone" = 'UTC'
AS $$
    SELECT jsonb_build_object(
        'subject', p_user, 'generatedAt', now(),
        'manifest', coalesce(jsonb_agg(p.manifest ORDER BY p.table_name), '[]'),
        'tables', coalesce(jsonb_object_agg(p.table_name, p.rows_json::jsonb), '{}'),
        'consents', (SELECT jsonb_agg(to_jsonb(h)) FROM compliance.consent_history_of(p_user) h))
      FROM compliance.subject_data_parts(p_user) p
$$;

CREATE OR REPLACE FUNCTION compliance.consent_history_of(p_user uuid)
    RETURNS TABLE (purpose text, granted boolean, notice_version integer, channel text, recorded_at timestamptz)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog
AS $$
    SELECT e.purpose, e.granted, e.notice_version, e.channel, e.recorded_at
      FROM compliance.consent_events e WHERE e.user_id = p_user ORDER BY e.id
$$;

-- The subject (or an officer for them) asks for an export: an access/portability request and a
-- pending export the job builds.
CREATE OR REPLACE FUNCTION compliance.request_export(p_request uuid, p_token_hash bytea) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_request compliance.subject_requests;
    v_id      uuid;
BEGIN
    SELECT * INTO v_request FROM compliance.subject_requests r WHERE r.id = p_request;
    IF NOT FOUND OR v_request.request_type NOT IN ('access', 'portability')
       OR NOT (v_request.user_id = public.current_app_user_id() OR audit.acting_role() = 'compliance_officer') THEN
        RAISE EXCEPTION 'No access request %.', p_request USING ERRCODE = 'VR404', HINT = 'request-not-found';
    END IF;
    IF v_request.identity_verified_at IS NULL THEN
        RAISE EXCEPTION 'Verify the subject''s identity first.' USING ERRCODE = 'VR409', HINT = 'identity-not-verified';
    END IF;
    IF p_token_hash IS NULL OR length(p_token_hash) <> 32 THEN
        RAISE EXCEPTION 'A download token hash (SHA-256) is required.' USING ERRCODE = 'VR422', HINT = 'validation-failed';
    END IF;
    INSERT INTO compliance.exports (request_id, user_id, token_hash) VALUES (p_request, v_request.user_id, p_token_hash)
    RETURNING id INTO v_id;
    UPDATE compliance.subject_requests r SET status = 'in_progress' WHERE r.id = p_request AND r.status IN ('received', 'verified');
    PERFORM compliance.log_request_event(p_request, 'export_requested', jsonb_build_object('exportId', v_id));
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION compliance.pending_exports(p_limit integer)
    RETURNS TABLE (export_id uuid, request_id uuid, user_id uuid)
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT e.id, e.request_id, e.user_id FROM compliance.exports e
     WHERE e.status = 'pending' AND audit.acting_role() = 'system_admin'
     ORDER BY e.created_at LIMIT p_limit
       FOR UPDATE SKIP LOCKED
$$;

-- The subject's VIP-encrypted fields for their own export (the data map's "shred" columns that are not
-- keys, in the tables linking them directly as the subject): each envelope made under the subject's own
-- key (bytes 2-17 name the subject), for the export job to decrypt through the vip capability. Only the
-- export job (system_admin) on a pending export. The protection team's security notes are withheld:
-- disclosing them would weaken the measures protecting the subject (GDPR art. 23(1), NDPA s.3(2)); the
-- VIP's own view leaves them out for the same reason, and the manifest lists the column as omitted.
CREATE OR REPLACE FUNCTION compliance.export_sealed_fields(p_export uuid) RETURNS SETOF bytea
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_user   uuid;
    v_column record;
BEGIN
    PERFORM compliance.require_role('system_admin');
    SELECT e.user_id INTO v_user FROM compliance.exports e WHERE e.id = p_export AND e.status = 'pending';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No pending export %.', p_export USING ERRCODE = 'VR404', HINT = 'export-not-found';
    END IF;
    FOR v_column IN
        SELECT DISTINCT c.table_name, c.column_name, t.subject_column
          FROM compliance.data_map_columns c
          JOIN compliance.data_map_tables t ON t.table_name = c.table_name AND t.subject_column IS NOT NULL
         WHERE c.treatment = 'shred' AND c.category <> 'credential'
           AND (c.table_name, c.column_name) <> ('vip_data.vip_profiles', 'security_notes_enc')
         ORDER BY 1, 2
    LOOP
        RETURN QUERY EXECUTE format('SELECT x.%2$I FROM %1$s x WHERE x.%3$I = $1 AND x.%2$I IS NOT NULL'
                                    ' AND substring(x.%2$I FROM 2 FOR 16) = uuid_send($1)',
                                    v_column.table_name, v_column.column_name, v_column.subject_column)
            USING v_user;
    END LOOP;
END
$$;

-- One entry in the VIP access log per kind of field decrypted into an export (never a value): the
-- actor is whoever asked for the export (the subject, or the officer acting for them after verifying
-- their identity), the purpose names the request; the archive is released to the subject only.
CREATE OR REPLACE FUNCTION compliance.log_export_decryption(p_export uuid, p_table text, p_column text, p_count integer)
    RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_export compliance.exports;
    v_actor  uuid;
    v_role   text;
    v_id     bigint;
BEGIN
    PERFORM compliance.require_role('system_admin');
    SELECT * INTO v_export FROM compliance.exports e WHERE e.id = p_export AND e.status = 'pending';
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No pending export %.', p_export USING ERRCODE = 'VR404', HINT = 'export-not-found';
    END IF;
    SELECT ev.actor_id, ev.actor_role INTO v_actor, v_role
      FROM compliance.request_events ev
     WHERE ev.request_id = v_export.request_id AND ev.event = 'export_requested' AND ev.detail ->> 'exportId' = p_export::text
     ORDER BY ev.id LIMIT 1;
    v_id := nextval(pg_get_serial_sequence('audit.vip_access_log', 'id'));
    INSERT INTO audit.vip_access_log (id, vip_user_id, accessor_user_id, accessor_role, data_accessed, purpose)
    OVERRIDING SYSTEM VALUE
    VALUES (v_id, v_export.user_id, coalesce(v_actor, v_export.user_id), coalesce(v_role, 'customer_user'),
            left(format('%s:%s (%s, subject-access export)', p_table, p_column, p_count), 200),
            format('Subject-access export %s of request %s, released to the subject', p_export, v_export.request_id));
    RETURN v_id;
END
$$;

-- The job stores the built archive and the hash of a one-time token; the subject is told it is ready.
CREATE OR REPLACE FUNCTION compliance.store_export(p_export uuid, p_archive bytea, p_ttl interval)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_export compliance.exports;
BEGIN
    PERFORM compliance.require_role('system_admin');
    UPDATE compliance.exports e
       SET status = 'ready', archive = p_archive, size_bytes = length(p_archive),
           ready_at = now(), expires_at = now() + p_ttl
     WHERE e.id = p_export AND e.status = 'pending'
    RETURNING * INTO v_export;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No pending export %.', p_export USING ERRCODE = 'VR404', HINT = 'export-not-found';
    END IF;
    PERFORM compliance.log_request_event(v_export.request_id, 'export_ready',
                                         jsonb_build_object('exportId', p_export, 'bytes', length(p_archive),
                                                            'expiresAt', v_export.expires_at));
    UPDATE compliance.subject_requests r SET status = 'completed', completed_at = now(), outcome = 'exported'
     WHERE r.id = v_export.request_id AND r.completed_at IS NULL;
    UPDATE compliance.privacy_alerts a SET resolved_at = now() WHERE a.reference = v_export.request_id AND a.resolved_at IS NULL;
    PERFORM public.notify(v_export.user_id, 'privacy_export_ready',
                          jsonb_build_object('exportId', p_export, 'expiresAt', v_export.expires_at));
END
$$;

CREATE OR REPLACE FUNCTION compliance.fail_export(p_export uuid, p_error text) RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    UPDATE compliance.exports e SET status = 'failed', error = left(p_error, 500)
     WHERE e.id = p_export AND e.status = 'pending' AND audit.acting_role() = 'system_admin'
$$;

-- Hands the archive out once: the token must match, the export must be ready and unexpired; the
-- archive is emptied in the same transaction. NULL when refused (the API answers 404 either way).
CREATE OR REPLACE FUNCTION compliance.claim_export(p_export uuid, p_token_hash bytea) RETURNS bytea
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_archive bytea;
    v_request uuid;
BEGIN
    UPDATE compliance.exports e SET status = 'expired', archive = NULL
     WHERE e.id = p_export AND e.status = 'ready' AND e.expires_at <= now();
    WITH claimed AS (
        SELECT e.id, e.archive, e.request_id FROM compliance.exports e
         WHERE e.id = p_export AND e.status = 'ready' AND e.token_hash = p_token_hash AND e.expires_at > now()
           FOR UPDATE
    )
    UPDATE compliance.exports e SET status = 'downloaded', downloaded_at = now(), archive = NULL
      FROM claimed c WHERE e.id = c.id
    RETURNING c.archive, c.request_id INTO v_archive, v_request;
    IF v_request IS NOT NULL THEN
        PERFORM compliance.log_request_event(v_request, 'export_downloaded', jsonb_build_object('exportId', p_export));
    END IF;
    RETURN v_archive;
END
$$;

CREATE OR REPLACE FUNCTION compliance.expire_exports() RETURNS integer
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    WITH gone AS (
        UPDATE compliance.exports e SET status = 'expired', archive = NULL
         WHERE e.status = 'ready' AND e.expires_at <= now() AND audit.acting_role() = 'system_admin'
        RETURNING 1)
    SELECT count(*)::integer FROM gone
$$;

-- =============================================================================================
-- Breach incidents on the 72-hour clock
-- =============================================================================================
CREATE OR REPLACE VIEW compliance.breach_clock WITH (security_invoker = true) AS
SELECT b.id, b.detected_at, b.detected_at + interval '72 hours' AS regulator_deadline,
       b.detected_at + interval '48 hours' AS warning_at, b.regulator_notified_at, b.status,
       CASE WHEN b.regulator_notified_at IS NOT NULL THEN 'notified'
            WHEN now() >= b.detected_at + interval '72 hours' THEN 'overdue'
            WHEN now() >= b.detected_at + interval '48 hours' THEN 'due_soon'
            ELSE 'running' END AS clock,
       greatest(b.detected_at + interval '72 hours' - now(), interval '0') AS time_left
  FROM compliance.breach_incidents b;

COMMENT ON VIEW compliance.breach_clock IS
    'Each breach''s regulator deadline (detected + 72 hours, NDPA s.40(2), GDPR art. 33(1)) and where its clock stands.';

CREATE OR REPLACE FUNCTION compliance.log_breach_event(p_incident uuid, p_event text, p_detail jsonb DEFAULT '{}')
    RETURNS void
    LANGUAGE sql
    SET search_path = pg_catalog
AS $$
    INSERT INTO compliance.breach_events (incident_id, event, actor_id, detail)
    VALUES (p_incident, p_event, public.current_app_user_id(), coalesce(p_detail, '{}'))
$$;

CREATE OR REPLACE FUNCTION compliance.record_breach(p_detected_at timestamptz, p_nature text, p_categories text[],
                                                    p_subjects integer, p_records integer, p_consequences text,
                                                    p_measures text) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM compliance.require_role('compliance_officer', 'system_admin');
    IF p_detected_at IS NULL OR p_detected_at > now() + interval '5 minutes' THEN
        RAISE EXCEPTION 'Detection time must be given and not in the future.' USING ERRCODE = 'VR422', HINT = 'validation-failed';
    END IF;
    INSERT INTO compliance.breach_incidents (detected_at, nature, data_categories, approx_subjects, approx_records,
                                             likely_consequences, measures, recorded_by)
    VALUES (p_detected_at, p_nature, p_categories, p_subjects, p_records, p_consequences, p_measures,
            public.current_app_user_id())
    RETURNING id INTO v_id;
    PERFORM compliance.log_breach_event(v_id, 'detected', jsonb_build_object('at', p_detected_at));
    PERFORM compliance.log_breach_event(v_id, 'recorded', jsonb_build_object('nature', p_nature));
    PERFORM public.notify(o, 'privacy_breach_recorded',
                          jsonb_build_object('incidentId', v_id, 'regulatorDeadline', p_detected_at + interval '72 hours'))
       FROM compliance.officers() o;
    RETURN v_id;
END
$$;

CREATE OR REPLACE FUNCTION compliance.update_breach(p_incident uuid, p_status text, p_measures text,
                                                    p_regulator_notified_at timestamptz) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    PERFORM compliance.require_role('compliance_officer');
    UPDATE compliance.breach_incidents b
       SET status = coalesce(p_status, b.status), measures = coalesce(p_measures, b.measures),
           regulator_notified_at = coalesce(p_regulator_notified_at, b.regulator_notified_at), updated_at = now()
     WHERE b.id = p_incident;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No breach %.', p_incident USING ERRCODE = 'VR404', HINT = 'breach-not-found';
    END IF;
    PERFORM compliance.log_breach_event(p_incident, 'updated', jsonb_strip_nulls(jsonb_build_object(
        'status', p_status, 'measures', p_measures, 'regulatorNotifiedAt', p_regulator_notified_at)));
    IF p_regulator_notified_at IS NOT NULL THEN
        UPDATE compliance.privacy_alerts a SET resolved_at = now() WHERE a.reference = p_incident AND a.resolved_at IS NULL;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION compliance.add_breach_subjects(p_incident uuid, p_users uuid[]) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM compliance.require_role('compliance_officer', 'system_admin');
    INSERT INTO compliance.breach_subjects (incident_id, user_id)
    SELECT p_incident, u FROM unnest(p_users) u ON CONFLICT DO NOTHING;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    PERFORM compliance.log_breach_event(p_incident, 'subjects_added', jsonb_build_object('count', v_count));
    RETURN v_count;
END
$$;

-- Tells every affected subject not told yet, through their notification records (art. 34).
CREATE OR REPLACE FUNCTION compliance.notify_breach_subjects(p_incident uuid) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_incident compliance.breach_incidents;
    v_count    integer;
BEGIN
    PERFORM compliance.require_role('compliance_officer');
    SELECT * INTO v_incident FROM compliance.breach_incidents b WHERE b.id = p_incident;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No breach %.', p_incident USING ERRCODE = 'VR404', HINT = 'breach-not-found';
    END IF;
    UPDATE compliance.breach_subjects s
       SET notified_at = now(),
           notification_id = public.notify(s.user_id, 'privacy_breach_notice', jsonb_build_object(
               'incidentId', p_incident, 'nature', v_incident.nature, 'dataCategories', v_incident.data_categories,
               'likelyConsequences', v_incident.likely_consequences, 'measures', v_incident.measures))
     WHERE s.incident_id = p_incident AND s.notified_at IS NULL;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    PERFORM compliance.log_breach_event(p_incident, 'subjects_notified', jsonb_build_object('count', v_count));
    RETURN v_count;
END
$$;

-- The breach clock: at 48 hours (high) and at 72 hours (critical) without a regulator notification,
-- an alert in monitoring.security_alerts and a notification to every compliance officer. Idempotent.
CREATE OR REPLACE FUNCTION compliance.check_breach_clock() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_row   record;
    v_count integer := 0;
BEGIN
    PERFORM compliance.require_role('system_admin', 'compliance_officer');
    FOR v_row IN
        SELECT b.id, b.detected_at, k.kind
          FROM compliance.breach_incidents b
         CROSS JOIN LATERAL (VALUES ('breach_48h', interval '48 hours'), ('breach_72h', interval '72 hours')) k(kind, after)
         WHERE b.regulator_notified_at IS NULL AND b.status <> 'closed' AND now() >= b.detected_at + k.after
    LOOP
        INSERT INTO compliance.privacy_alerts (kind, severity, reference, detail)
        VALUES (v_row.kind, CASE v_row.kind WHEN 'breach_72h' THEN 'critical' ELSE 'high' END, v_row.id,
                format('Breach %s detected %s: the regulator must be notified by %s', v_row.id, v_row.detected_at,
                       v_row.detected_at + interval '72 hours'))
        ON CONFLICT (kind, reference) DO NOTHING;
        IF FOUND THEN
            v_count := v_count + 1;
            UPDATE compliance.breach_incidents b
               SET alerted_48h_at = CASE WHEN v_row.kind = 'breach_48h' THEN now() ELSE b.alerted_48h_at END,
                   alerted_72h_at = CASE WHEN v_row.kind = 'breach_72h' THEN now() ELSE b.alerted_72h_at END
             WHERE b.id = v_row.id;
            PERFORM compliance.log_breach_event(v_row.id, 'alert_' || v_row.kind, '{}');
            PERFORM public.notify(o, 'privacy_' || v_row.kind,
                                  jsonb_build_object('incidentId', v_row.id,
                                                     'regulatorDeadline', v_row.detected_at + interval '72 hours'))
               FROM compliance.officers() o;
        END IF;
    END LOOP;
    RETURN v_count;
END
$$;

-- The regulator report (NDPA s.40, GDPR art. 33(3)) generated from the record.
CREATE OR REPLACE FUNCTION compliance.breach_report(p_incident uuid) RETURNS jsonb
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
    SET "TimeZone" = 'UTC'
AS $$
    SELECT jsonb_build_object(
        'incidentId', b.id,
        'controller', 'VIP Ride-Hailing Platform',
        'detectedAt', b.detected_at,
        'regulatorDeadline', b.detected_at + interval '72 hours',
        'regulatorNotifiedAt', b.regulator_notified_at,
        'late', coalesce(b.regulator_notified_at, now()) > b.detected_at + interval '72 hours',
        'status', b.status,
        'nature', b.nature,
        'dataCategories', to_jsonb(b.data_categories),
        'approximateSubjects', b.approx_subjects,
        'approximateRecords', b.approx_records,
        'likelyConsequences', b.likely_consequences,
        'measures', b.measures,
        'subjectsListed', (SELECT count(*) FROM compliance.breach_subjects s WHERE s.incident_id = b.id),
        'subjectsNotified', (SELECT count(*) FROM compliance.breach_subjects s WHERE s.incident_id = b.id AND s.notified_at IS NOT NULL),
        'timeline', (SELECT coalesce(jsonb_agg(jsonb_build_object('at', e.at, 'event', e.event, 'detail', e.detail) ORDER BY e.id), '[]')
                       FROM compliance.breach_events e WHERE e.incident_id = b.id))
      FROM compliance.breach_incidents b
     WHERE b.id = p_incident AND audit.acting_role() IN ('compliance_officer', 'audit_admin', 'system_admin')
$$;

-- =============================================================================================
-- Retention: the anonymise action
-- =============================================================================================
-- Anonymises rows of a data class older than p_months in place: rides lose their places (coarsened to
-- about 1 km) and free text, hotel bookings their guest's name and phone, auth events their device
-- data. Returns the rows changed. Called by archive.apply_retention() for rules whose action is anonymize.
CREATE OR REPLACE FUNCTION compliance.anonymize_old_data(p_data_class text, p_months integer) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_cutoff timestamptz := now() - make_interval(months => p_months);
    v_count  bigint := 0;
    v_part   bigint;
BEGIN
    CASE p_data_class
        WHEN 'rides' THEN
            UPDATE public.rides r
               SET pickup_lat = round(r.pickup_lat::numeric, 2)::float8, pickup_lng = round(r.pickup_lng::numeric, 2)::float8,
                   dropoff_lat = round(r.dropoff_lat::numeric, 2)::float8 + 0.005,
                   dropoff_lng = round(r.dropoff_lng::numeric, 2)::float8 + 0.005,
                   pickup_address = NULL, dropoff_address = NULL, cancellation_reason = NULL
             WHERE r.requested_at < v_cutoff AND r.status IN ('completed', 'cancelled', 'expired')
               AND (r.pickup_address IS NOT NULL OR r.dropoff_address IS NOT NULL OR r.cancellation_reason IS NOT NULL
                    OR r.pickup_lat <> round(r.pickup_lat::numeric, 2)::float8);
            GET DIAGNOSTICS v_count = ROW_COUNT;
            UPDATE archive.rides r
               SET pickup_lat = round(r.pickup_lat::numeric, 2)::float8, pickup_lng = round(r.pickup_lng::numeric, 2)::float8,
                   dropoff_lat = round(r.dropoff_lat::numeric, 2)::float8 + 0.005,
                   dropoff_lng = round(r.dropoff_lng::numeric, 2)::float8 + 0.005,
                   pickup_address = NULL, dropoff_address = NULL, cancellation_reason = NULL
             WHERE r.requested_at < v_cutoff
               AND (r.pickup_address IS NOT NULL OR r.dropoff_address IS NOT NULL OR r.cancellation_reason IS NOT NULL
                    OR r.pickup_lat <> round(r.pickup_lat::numeric, 2)::float8);
            GET DIAGNOSTICS v_part = ROW_COUNT;
            v_count := v_count + v_part;
        WHEN 'hotel_bookings' THEN
            UPDATE public.hotel_bookings h SET guest_name = 'Erased guest', guest_phone = ''
             WHERE h.check_out < v_cutoff::date AND (h.guest_name <> 'Erased guest' OR h.guest_phone <> '');
            GET DIAGNOSTICS v_count = ROW_COUNT;
        ELSE
            RAISE EXCEPTION 'Data class % has no anonymisation.', p_data_class
                USING ERRCODE = '0A000', HINT = 'Anonymise applies to rides and hotel_bookings.';
    END CASE;
    RETURN v_count;
END
$$;

-- =============================================================================================
-- Privileges and policies
-- =============================================================================================
GRANT USAGE ON SCHEMA compliance TO compliance_officer, audit_admin, system_admin, vip_admin, customer_user,
    driver_user, fleet_admin, hotel_staff, support_agent, vip_operator, emergency_responder;

GRANT SELECT ON compliance.data_map_tables, compliance.data_map_columns TO compliance_officer, audit_admin, system_admin;

GRANT SELECT ON compliance.subject_requests, compliance.request_events TO compliance_officer, audit_admin;
GRANT SELECT ON compliance.subject_requests TO customer_user, driver_user;

CREATE POLICY subject_requests_select_officer_compliance_officer ON compliance.subject_requests FOR SELECT TO compliance_officer USING (true);
CREATE POLICY subject_requests_select_officer_audit_admin ON compliance.subject_requests FOR SELECT TO audit_admin USING (true);
CREATE POLICY subject_requests_select_own_customer_user ON compliance.subject_requests FOR SELECT TO customer_user USING (user_id = public.current_app_user_id());
CREATE POLICY subject_requests_select_own_driver_user ON compliance.subject_requests FOR SELECT TO driver_user USING (user_id = public.current_app_user_id());
CREATE POLICY subject_requests_owner ON compliance.subject_requests TO vipride_owner USING (true) WITH CHECK (true);
CREATE POLICY request_events_select_officer_compliance_officer ON compliance.request_events FOR SELECT TO compliance_officer USING (true);
CREATE POLICY request_events_select_officer_audit_admin ON compliance.request_events FOR SELECT TO audit_admin USING (true);
CREATE POLICY request_events_owner ON compliance.request_events TO vipride_owner USING (true) WITH CHECK (true);

GRANT SELECT ON compliance.legal_holds TO compliance_officer, audit_admin;
CREATE POLICY legal_holds_select_officer_compliance_officer ON compliance.legal_holds FOR SELECT TO compliance_officer USING (true);
CREATE POLICY legal_holds_select_officer_audit_admin ON compliance.legal_holds FOR SELECT TO audit_admin USING (true);
CREATE POLICY legal_holds_owner ON compliance.legal_holds TO vipride_owner USING (true) WITH CHECK (true);

GRANT SELECT ON compliance.erasure_log TO compliance_officer, audit_admin, system_admin;
CREATE POLICY erasure_log_select_officer_compliance_officer ON compliance.erasure_log FOR SELECT TO compliance_officer USING (true);
CREATE POLICY erasure_log_select_officer_audit_admin ON compliance.erasure_log FOR SELECT TO audit_admin USING (true);
CREATE POLICY erasure_log_select_officer_system_admin ON compliance.erasure_log FOR SELECT TO system_admin USING (true);
CREATE POLICY erasure_log_owner ON compliance.erasure_log TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY subject_audit_keys_owner ON compliance.subject_audit_keys TO vipride_owner USING (true) WITH CHECK (true);

GRANT SELECT (id, request_id, user_id, status, size_bytes, created_at, ready_at, expires_at, downloaded_at, error)
    ON compliance.exports TO compliance_officer, customer_user, driver_user;
CREATE POLICY exports_select_officer ON compliance.exports FOR SELECT TO compliance_officer USING (true);
CREATE POLICY exports_select_own_customer_user ON compliance.exports FOR SELECT TO customer_user USING (user_id = public.current_app_user_id());
CREATE POLICY exports_select_own_driver_user ON compliance.exports FOR SELECT TO driver_user USING (user_id = public.current_app_user_id());
CREATE POLICY exports_owner ON compliance.exports TO vipride_owner USING (true) WITH CHECK (true);

GRANT SELECT ON compliance.consent_purposes, compliance.consent_notices TO compliance_officer, audit_admin, customer_user,
    driver_user, system_admin;
CREATE POLICY consent_purposes_select_all_compliance_officer ON compliance.consent_purposes FOR SELECT TO compliance_officer USING (true);
CREATE POLICY consent_purposes_select_all_audit_admin ON compliance.consent_purposes FOR SELECT TO audit_admin USING (true);
CREATE POLICY consent_purposes_select_all_customer_user ON compliance.consent_purposes FOR SELECT TO customer_user USING (true);
CREATE POLICY consent_purposes_select_all_driver_user ON compliance.consent_purposes FOR SELECT TO driver_user USING (true);
CREATE POLICY consent_purposes_select_all_system_admin ON compliance.consent_purposes FOR SELECT TO system_admin USING (true);
CREATE POLICY consent_purposes_select_all_owner ON compliance.consent_purposes FOR SELECT TO vipride_owner USING (true);
CREATE POLICY consent_notices_select_all_compliance_officer ON compliance.consent_notices FOR SELECT TO compliance_officer USING (true);
CREATE POLICY consent_notices_select_all_audit_admin ON compliance.consent_notices FOR SELECT TO audit_admin USING (true);
CREATE POLICY consent_notices_select_all_customer_user ON compliance.consent_notices FOR SELECT TO customer_user USING (true);
CREATE POLICY consent_notices_select_all_driver_user ON compliance.consent_notices FOR SELECT TO driver_user USING (true);
CREATE POLICY consent_notices_select_all_system_admin ON compliance.consent_notices FOR SELECT TO system_admin USING (true);
CREATE POLICY consent_notices_select_all_owner ON compliance.consent_notices FOR SELECT TO vipride_owner USING (true);
GRANT SELECT ON compliance.consent_events TO compliance_officer, audit_admin, customer_user, driver_user;
-- system_admin refreshes analytics.vip_usage, which leaves out riders who withdrew analytics consent.
GRANT SELECT ON compliance.consent_events TO system_admin;
CREATE POLICY consent_events_select_officer_compliance_officer ON compliance.consent_events FOR SELECT TO compliance_officer USING (true);
CREATE POLICY consent_events_select_officer_audit_admin ON compliance.consent_events FOR SELECT TO audit_admin USING (true);
CREATE POLICY consent_events_select_officer_system_admin ON compliance.consent_events FOR SELECT TO system_admin USING (true);
CREATE POLICY consent_events_select_own_customer_user ON compliance.consent_events FOR SELECT TO customer_user USING (user_id = public.current_app_user_id());
CREATE POLICY consent_events_select_own_driver_user ON compliance.consent_events FOR SELECT TO driver_user USING (user_id = public.current_app_user_id());
CREATE POLICY consent_events_owner_select ON compliance.consent_events FOR SELECT TO vipride_owner USING (true);
CREATE POLICY consent_events_owner_insert ON compliance.consent_events FOR INSERT TO vipride_owner WITH CHECK (true);

GRANT SELECT ON compliance.breach_incidents, compliance.breach_events, compliance.breach_subjects, compliance.breach_clock
    TO compliance_officer, audit_admin;
CREATE POLICY breach_incidents_select_officer_compliance_officer ON compliance.breach_incidents FOR SELECT TO compliance_officer USING (true);
CREATE POLICY breach_incidents_select_officer_audit_admin ON compliance.breach_incidents FOR SELECT TO audit_admin USING (true);
CREATE POLICY breach_incidents_owner ON compliance.breach_incidents TO vipride_owner USING (true) WITH CHECK (true);
CREATE POLICY breach_events_select_officer_compliance_officer ON compliance.breach_events FOR SELECT TO compliance_officer USING (true);
CREATE POLICY breach_events_select_officer_audit_admin ON compliance.breach_events FOR SELECT TO audit_admin USING (true);
CREATE POLICY breach_events_owner ON compliance.breach_events TO vipride_owner USING (true) WITH CHECK (true);
CREATE POLICY breach_subjects_select_officer_compliance_officer ON compliance.breach_subjects FOR SELECT TO compliance_officer USING (true);
CREATE POLICY breach_subjects_select_officer_audit_admin ON compliance.breach_subjects FOR SELECT TO audit_admin USING (true);
CREATE POLICY breach_subjects_owner ON compliance.breach_subjects TO vipride_owner USING (true) WITH CHECK (true);

GRANT SELECT ON compliance.privacy_alerts TO compliance_officer, audit_admin, system_admin, vip_admin;
CREATE POLICY privacy_alerts_select_readers_compliance_officer ON compliance.privacy_alerts FOR SELECT TO compliance_officer USING (true);
CREATE POLICY privacy_alerts_select_readers_audit_admin ON compliance.privacy_alerts FOR SELECT TO audit_admin USING (true);
CREATE POLICY privacy_alerts_select_readers_system_admin ON compliance.privacy_alerts FOR SELECT TO system_admin USING (true);
CREATE POLICY privacy_alerts_select_readers_vip_admin ON compliance.privacy_alerts FOR SELECT TO vip_admin USING (true);
CREATE POLICY privacy_alerts_owner ON compliance.privacy_alerts TO vipride_owner USING (true) WITH CHECK (true);

-- Restrictions: the officers and auditors read all, the subject their own; written only through
-- compliance.apply_restriction / lift_restriction. system_admin refreshes analytics.vip_usage, which
-- leaves out restricted accounts.
GRANT SELECT ON compliance.processing_restrictions TO compliance_officer, audit_admin, system_admin, customer_user, driver_user;
CREATE POLICY processing_restrictions_select_officer_compliance_officer ON compliance.processing_restrictions FOR SELECT TO compliance_officer USING (true);
CREATE POLICY processing_restrictions_select_officer_audit_admin ON compliance.processing_restrictions FOR SELECT TO audit_admin USING (true);
CREATE POLICY processing_restrictions_select_officer_system_admin ON compliance.processing_restrictions FOR SELECT TO system_admin USING (true);
CREATE POLICY processing_restrictions_select_own_customer_user ON compliance.processing_restrictions FOR SELECT TO customer_user USING (user_id = public.current_app_user_id());
CREATE POLICY processing_restrictions_select_own_driver_user ON compliance.processing_restrictions FOR SELECT TO driver_user USING (user_id = public.current_app_user_id());
CREATE POLICY processing_restrictions_owner ON compliance.processing_restrictions TO vipride_owner USING (true) WITH CHECK (true);

REVOKE ALL ON ALL FUNCTIONS IN SCHEMA compliance FROM PUBLIC;

GRANT EXECUTE ON FUNCTION compliance.has_consent(uuid, text), compliance.may_message(uuid, text),
    compliance.analytics_excluded(uuid) TO system_admin, compliance_officer, audit_admin, vip_admin, customer_user,
    driver_user, fleet_admin, hotel_staff, support_agent, vip_operator, emergency_responder;
GRANT EXECUTE ON FUNCTION compliance.my_consents(), compliance.record_consent(text, boolean, text),
    compliance.consent_history(uuid) TO customer_user, driver_user, fleet_admin, hotel_staff, compliance_officer,
    audit_admin;
GRANT EXECUTE ON FUNCTION compliance.file_request(uuid, text, text), compliance.request_export(uuid, bytea)
    TO customer_user, driver_user, compliance_officer;
GRANT EXECUTE ON FUNCTION compliance.apply_rectification(uuid, text, text, text, text),
    compliance.apply_restriction(uuid), compliance.lift_restriction(uuid), compliance.apply_objection(uuid, text[])
    TO customer_user, driver_user, compliance_officer;
GRANT EXECUTE ON FUNCTION compliance.is_restricted(uuid) TO system_admin, compliance_officer, audit_admin, vip_admin,
    customer_user, driver_user, fleet_admin, hotel_staff, support_agent, vip_operator, emergency_responder;
GRANT EXECUTE ON FUNCTION compliance.verify_identity(uuid, text), compliance.extend_request(uuid, text),
    compliance.place_legal_hold(uuid, text), compliance.release_legal_hold(uuid),
    compliance.notify_breach_subjects(uuid), compliance.update_breach(uuid, text, text, timestamptz)
    TO compliance_officer;
GRANT EXECUTE ON FUNCTION compliance.close_request(uuid, text, text), compliance.erase_subject(uuid),
    compliance.erasure_blockers(uuid), compliance.replay_erasure_log(jsonb), compliance.erasure_log_export(),
    compliance.warn_due_requests(), compliance.check_breach_clock(),
    compliance.record_breach(timestamptz, text, text[], integer, integer, text, text),
    compliance.add_breach_subjects(uuid, uuid[]), compliance.breach_report(uuid), compliance.subject_data(uuid),
    compliance.subject_data_parts(uuid), compliance.open_subject_data(uuid, text),
    compliance.subject_data_manifests(text[], bigint[])
    TO compliance_officer, system_admin;
GRANT EXECUTE ON FUNCTION compliance.breach_report(uuid), compliance.reveal_audit_values(jsonb) TO audit_admin;
GRANT EXECUTE ON FUNCTION compliance.reveal_audit_values(jsonb) TO compliance_officer;
GRANT EXECUTE ON FUNCTION compliance.export_sealed_fields(uuid), compliance.log_export_decryption(uuid, text, text, integer)
    TO system_admin;
GRANT EXECUTE ON FUNCTION compliance.pending_exports(integer), compliance.store_export(uuid, bytea, interval),
    compliance.fail_export(uuid, text), compliance.expire_exports() TO system_admin;
GRANT EXECUTE ON FUNCTION compliance.claim_export(uuid, bytea) TO customer_user, driver_user, anonymous_user;
GRANT EXECUTE ON FUNCTION compliance.anonymize_old_data(text, integer) TO system_admin;

SELECT audit.enable_audit('compliance.subject_requests');
SELECT audit.enable_audit('compliance.legal_holds');
SELECT audit.enable_audit('compliance.processing_restrictions');
SELECT audit.enable_audit('compliance.breach_incidents');
SELECT audit.enable_audit('compliance.consent_events');
