-- R__13_notifications.sql — public.notify, the one way the capabilities' SQL writes a notification: in the
-- caller's transaction it stores the in-app message, announces it on the recipient's live stream and
-- writes the outbox rows of the external channels the recipient wants (the transactional outbox). The
-- delivery job claims due outbox rows, renders their template in the recipient's language and records
-- each attempt. Also: preferences (marketing needs consent: public.marketing_permitted), the policies,
-- grants and audit trigger of the notification tables. Every signed-in user reads their own
-- notifications and marks them read; nobody else reads them.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'public.notifications',
    'public.notification_types',
    'public.notification_templates',
    'public.notification_preferences',
    'public.notification_outbox',
    'public.notification_delivery_log');

-- Whether marketing may be sent to a user: the user's marketing consent in its history (compliance,
-- compliance.may_message) and the user's own channel choice. The one predicate for marketing.
CREATE OR REPLACE FUNCTION public.marketing_permitted(p_user uuid) RETURNS boolean
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(compliance.may_message(p_user, 'marketing'), false)
       AND coalesce((SELECT p.marketing FROM public.notification_preferences p WHERE p.user_id = p_user), false)
$$;

-- The category of a message type; a type without a row is transactional.
CREATE OR REPLACE FUNCTION public.notification_category(p_type text) RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT coalesce((SELECT t.category FROM public.notification_types t WHERE t.type = p_type), 'transactional')
$$;

-- The external channels a message of this type goes through to this user: safety and security messages
-- through all of the type's channels whatever the preferences; others through those the user keeps on.
CREATE OR REPLACE FUNCTION public.notification_channels(p_user uuid, p_type text) RETURNS text[]
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(array_agg(c.channel ORDER BY c.channel), '{}')
      FROM unnest(coalesce((SELECT t.channels FROM public.notification_types t WHERE t.type = p_type),
                           ARRAY['email'])) AS c(channel)
      LEFT JOIN public.notification_preferences p ON p.user_id = p_user
     WHERE public.notification_category(p_type) IN ('safety', 'security')
        OR CASE c.channel WHEN 'email' THEN coalesce(p.email, true)
                          WHEN 'sms' THEN coalesce(p.sms, true)
                          WHEN 'push' THEN coalesce(p.push, true) END
$$;

-- Writes a notification to one user and, in the same transaction, its live-stream event and one outbox row
-- per external channel. Returns its id; NULL when it is marketing the user has not consented to (then
-- nothing is written). SECURITY DEFINER and executable only by the roles whose work sends notifications (the
-- platform's jobs act as system_admin), so no user can notify another.
CREATE OR REPLACE FUNCTION public.notify(p_recipient uuid, p_type text, p_payload jsonb) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_id      uuid;
    v_created timestamptz;
BEGIN
    IF public.notification_category(p_type) = 'marketing' AND NOT public.marketing_permitted(p_recipient) THEN
        RETURN NULL;
    END IF;
    INSERT INTO public.notifications (recipient_id, type, payload)
    VALUES (p_recipient, p_type, coalesce(p_payload, '{}'::jsonb))
    RETURNING id, created_at INTO v_id, v_created;
    INSERT INTO public.stream_events (recipient_id, kind, payload)
    VALUES (p_recipient, 'notification', jsonb_build_object('id', v_id, 'type', p_type,
                                                            'payload', coalesce(p_payload, '{}'::jsonb),
                                                            'createdAt', v_created));
    INSERT INTO public.notification_outbox (notification_id, recipient_id, channel)
    SELECT v_id, p_recipient, c FROM unnest(public.notification_channels(p_recipient, p_type)) AS c;
    RETURN v_id;
END
$$;

-- {{key}} in a template replaced by the payload's value of key; unknown keys become empty.
CREATE OR REPLACE FUNCTION public.render_notification_text(p_template text, p_payload jsonb) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path = pg_catalog
AS $$
DECLARE
    v_text text := p_template;
    v_kv   record;
BEGIN
    IF position('{{' IN v_text) = 0 THEN
        RETURN v_text;
    END IF;
    FOR v_kv IN SELECT key, value FROM jsonb_each_text(p_payload) LOOP
        v_text := replace(v_text, '{{' || v_kv.key || '}}', coalesce(v_kv.value, ''));
    END LOOP;
    RETURN regexp_replace(v_text, '\{\{[^}]*\}\}', '', 'g');
END
$$;

-- A notification's subject and body in the language given (English when the type has no template in it;
-- the type and payload when it has none at all).
CREATE OR REPLACE FUNCTION public.render_notification(p_type text, p_payload jsonb, p_language text,
                                                      OUT subject text, OUT body text)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(public.render_notification_text(t.subject, p_payload), p_type),
           coalesce(public.render_notification_text(t.body, p_payload), p_payload::text)
      FROM (SELECT) one
      LEFT JOIN LATERAL (SELECT x.subject, x.body FROM public.notification_templates x
                          WHERE x.type = p_type AND x.language IN (p_language, 'en')
                          ORDER BY x.language = p_language DESC LIMIT 1) t ON true
$$;

-- The delivery job takes up to p_limit due outbox rows (SKIP LOCKED: instances never take the same row),
-- counts the attempt and leases the row for p_lease_s seconds: if the instance dies before it records the
-- outcome, the row falls due again and another attempt delivers it (at least once).
CREATE OR REPLACE FUNCTION public.claim_notification_deliveries(p_limit integer, p_lease_s integer)
    RETURNS TABLE (outbox_id bigint, attempt integer, channel text, notification_id uuid, recipient_id uuid,
                   email text, phone text, language text, type text, subject text, body text)
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    WITH due AS (
        SELECT o.id FROM public.notification_outbox o
         WHERE o.status = 'pending' AND o.next_attempt_at <= now()
         ORDER BY o.next_attempt_at
         LIMIT p_limit
           FOR UPDATE SKIP LOCKED),
    claimed AS (
        UPDATE public.notification_outbox o
           SET attempts = o.attempts + 1, next_attempt_at = now() + make_interval(secs => p_lease_s)
          FROM due WHERE o.id = due.id
        RETURNING o.*)
    SELECT c.id, c.attempts, c.channel, c.notification_id, c.recipient_id, u.email, u.phone, u.preferred_language,
           n.type, r.subject, r.body
      FROM claimed c
      JOIN public.notifications n ON n.id = c.notification_id
      JOIN public.users u ON u.id = c.recipient_id
     CROSS JOIN LATERAL public.render_notification(n.type, n.payload, u.preferred_language) r
$$;

-- Records one attempt: sent; or failed and due again after an exponential backoff (p_backoff_s · 2^(n-1),
-- at most an hour, ±20 %); or dead after max_attempts. A late report of an attempt another instance has
-- since retried is only logged. Returns the outcome.
CREATE OR REPLACE FUNCTION public.record_notification_delivery(p_outbox_id bigint, p_attempt integer, p_error text,
                                                               p_duration_ms integer, p_instance text,
                                                               p_backoff_s integer DEFAULT 5)
    RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_row     public.notification_outbox;
    v_outcome text;
BEGIN
    SELECT * INTO v_row FROM public.notification_outbox o WHERE o.id = p_outbox_id FOR UPDATE;
    IF NOT FOUND THEN
        RETURN NULL;
    END IF;
    v_outcome := CASE WHEN p_error IS NULL THEN 'sent'
                      WHEN p_attempt >= v_row.max_attempts THEN 'dead'
                      ELSE 'failed' END;
    INSERT INTO public.notification_delivery_log (outbox_id, attempt, outcome, error, duration_ms, instance)
    VALUES (p_outbox_id, p_attempt, v_outcome, left(p_error, 2000), greatest(p_duration_ms, 0), p_instance);
    IF v_row.status <> 'pending' OR v_row.attempts <> p_attempt THEN
        RETURN v_outcome;
    END IF;
    IF v_outcome = 'sent' THEN
        UPDATE public.notification_outbox o SET status = 'sent', sent_at = now(), last_error = NULL WHERE o.id = p_outbox_id;
    ELSIF v_outcome = 'dead' THEN
        UPDATE public.notification_outbox o SET status = 'dead', last_error = left(p_error, 2000) WHERE o.id = p_outbox_id;
    ELSE
        UPDATE public.notification_outbox o
           SET last_error = left(p_error, 2000),
               next_attempt_at = now() + make_interval(secs => least(3600.0, p_backoff_s * 2.0 ^ (p_attempt - 1))
                                                              * (0.8 + 0.4 * random()))
         WHERE o.id = p_outbox_id;
    END IF;
    RETURN v_outcome;
END
$$;

-- An operator sends a dead message again (after fixing the channel): pending, due now, attempts from zero.
CREATE OR REPLACE FUNCTION public.retry_dead_notification(p_outbox_id bigint) RETURNS boolean
    LANGUAGE sql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    WITH retried AS (
        UPDATE public.notification_outbox o SET status = 'pending', attempts = 0, next_attempt_at = now()
         WHERE o.id = p_outbox_id AND o.status = 'dead' RETURNING 1)
    SELECT EXISTS (SELECT FROM retried)
$$;

-- The outbox's state for monitoring: pending (of which overdue by more than a minute), dead.
CREATE OR REPLACE FUNCTION public.notification_outbox_figures(OUT pending bigint, OUT overdue bigint, OUT dead bigint,
                                                              OUT oldest_pending_s double precision)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT count(*) FILTER (WHERE o.status = 'pending'),
           count(*) FILTER (WHERE o.status = 'pending' AND o.next_attempt_at < now() - interval '1 minute'),
           count(*) FILTER (WHERE o.status = 'dead'),
           coalesce(extract(epoch FROM now() - min(o.created_at) FILTER (WHERE o.status = 'pending')), 0)
      FROM public.notification_outbox o
     WHERE o.status <> 'sent'
$$;

-- The signed-in user's channel choices (the defaults when they made none).
CREATE OR REPLACE FUNCTION public.my_notification_preferences(OUT email boolean, OUT sms boolean, OUT push boolean,
                                                              OUT marketing boolean, OUT marketing_consent boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
    SELECT coalesce(p.email, true), coalesce(p.sms, true), coalesce(p.push, true), coalesce(p.marketing, false),
           coalesce(u.marketing_consent, false)
      FROM (SELECT public.current_app_user_id() AS id) me
      LEFT JOIN public.notification_preferences p ON p.user_id = me.id
      LEFT JOIN public.users u ON u.id = me.id
     WHERE me.id IS NOT NULL
$$;

CREATE OR REPLACE FUNCTION public.set_my_notification_preferences(p_email boolean, p_sms boolean, p_push boolean,
                                                                  p_marketing boolean)
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    IF public.current_app_user_id() IS NULL THEN
        RAISE EXCEPTION 'Sign in to set notification preferences.' USING ERRCODE = 'VR403', HINT = 'forbidden';
    END IF;
    INSERT INTO public.notification_preferences AS p (user_id, email, sms, push, marketing)
    VALUES (public.current_app_user_id(), p_email, p_sms, p_push, p_marketing)
    ON CONFLICT (user_id) DO UPDATE
        SET email = EXCLUDED.email, sms = EXCLUDED.sms, push = EXCLUDED.push, marketing = EXCLUDED.marketing,
            updated_at = now();
END
$$;

-- The delivery job is not woken by NOTIFY: a notifying commit would take PostgreSQL's database-wide
-- notify lock and hold it through its WAL flush, so every such commit would wait for the one before it.
-- Each instance hears of new messages from its stream poller (every message has a stream event) and
-- otherwise looks for due rows every idle-poll interval.
DROP TRIGGER IF EXISTS notification_outbox_wake ON public.notification_outbox;

DROP FUNCTION IF EXISTS public.notification_outbox_wake();

COMMENT ON FUNCTION public.notify(uuid, text, jsonb) IS
    'Writes a notification to one user with its stream event and outbox rows, in the caller''s transaction; returns its id.';
COMMENT ON FUNCTION public.marketing_permitted(uuid) IS
    'The one predicate deciding whether marketing may reach a user (consent and preference).';
COMMENT ON FUNCTION public.claim_notification_deliveries(integer, integer) IS
    'Delivery job: takes due outbox rows, counts the attempt, leases them and renders their template.';
COMMENT ON FUNCTION public.record_notification_delivery(bigint, integer, text, integer, text, integer) IS
    'Delivery job: logs one attempt and marks the row sent, due again after a backoff, or dead.';

REVOKE ALL ON FUNCTION public.notify(uuid, text, jsonb), public.marketing_permitted(uuid),
    public.notification_category(text), public.notification_channels(uuid, text),
    public.render_notification(text, jsonb, text), public.claim_notification_deliveries(integer, integer),
    public.record_notification_delivery(bigint, integer, text, integer, text, integer),
    public.retry_dead_notification(bigint), public.notification_outbox_figures(),
    public.my_notification_preferences(), public.set_my_notification_preferences(boolean, boolean, boolean, boolean)
    FROM PUBLIC;

GRANT EXECUTE ON FUNCTION public.notify(uuid, text, jsonb) TO system_admin;

GRANT EXECUTE ON FUNCTION public.claim_notification_deliveries(integer, integer),
    public.record_notification_delivery(bigint, integer, text, integer, text, integer),
    public.retry_dead_notification(bigint), public.notification_outbox_figures() TO system_admin;

GRANT EXECUTE ON FUNCTION public.my_notification_preferences(),
    public.set_my_notification_preferences(boolean, boolean, boolean, boolean) TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

SELECT audit.enable_audit('public.notifications');

SELECT audit.enable_audit('public.notification_preferences', 'user_id');

GRANT SELECT ON public.notifications TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

GRANT UPDATE (read_at) ON public.notifications TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

GRANT SELECT ON public.notification_types, public.notification_templates TO system_admin;

GRANT SELECT ON public.notification_delivery_log TO system_admin;

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['system_admin', 'audit_admin', 'compliance_officer', 'vip_admin', 'vip_operator',
                             'emergency_responder', 'fleet_admin', 'driver_user', 'customer_user',
                             'support_agent', 'hotel_staff']
    LOOP
        EXECUTE format('CREATE POLICY notifications_select_%s ON public.notifications FOR SELECT TO %I '
                       'USING (recipient_id = public.current_app_user_id())', r, r);
        EXECUTE format('CREATE POLICY notifications_update_%s ON public.notifications FOR UPDATE TO %I '
                       'USING (recipient_id = public.current_app_user_id()) '
                       'WITH CHECK (recipient_id = public.current_app_user_id())', r, r);
    END LOOP;
END
$$;

CREATE POLICY notifications_select_owner ON public.notifications FOR SELECT TO vipride_owner USING (true);

CREATE POLICY notifications_insert_owner ON public.notifications FOR INSERT TO vipride_owner WITH CHECK (true);

-- Erasure (compliance.apply_erasure, as the owner) deletes an erased account's notifications.
CREATE POLICY notifications_delete_owner ON public.notifications FOR DELETE TO vipride_owner USING (true);

CREATE POLICY notification_types_select_system_admin ON public.notification_types FOR SELECT TO system_admin USING (true);

CREATE POLICY notification_types_select_owner ON public.notification_types FOR SELECT TO vipride_owner USING (true);

CREATE POLICY notification_templates_select_system_admin ON public.notification_templates FOR SELECT TO system_admin
    USING (true);

CREATE POLICY notification_templates_select_owner ON public.notification_templates FOR SELECT TO vipride_owner
    USING (true);

CREATE POLICY notification_preferences_all_owner ON public.notification_preferences FOR ALL TO vipride_owner
    USING (true) WITH CHECK (true);

CREATE POLICY notification_outbox_all_owner ON public.notification_outbox FOR ALL TO vipride_owner
    USING (true) WITH CHECK (true);

CREATE POLICY notification_delivery_log_all_owner ON public.notification_delivery_log FOR ALL TO vipride_owner
    USING (true) WITH CHECK (true);

CREATE POLICY notification_delivery_log_select_system_admin ON public.notification_delivery_log FOR SELECT
    TO system_admin USING (true);
