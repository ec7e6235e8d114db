-- V10__notifications_outbox.sql — delivering notifications: the message types (their category and the
-- channels they go through), templates per type and language, each user's preferences, the transactional
-- outbox (one row per notification and channel, written by public.notify in the same transaction as the
-- notification) and the delivery log (one row per attempt).
-- Rules: every timestamp is timestamptz; RLS is enabled and FORCED (the policies live in the repeatable file).

-- What kind of message a type is. safety and security messages go whatever the recipient's preferences;
-- marketing goes only to recipients who consented. A type without a row is transactional, in-app and e-mail.
CREATE TABLE public.notification_types (
    type      text   NOT NULL,
    category  text   NOT NULL,
    channels  text[] NOT NULL,
    CONSTRAINT notification_types_pkey PRIMARY KEY (type),
    CONSTRAINT notification_types_type_chk CHECK (type ~ '^[a-z][a-z0-9_.-]{1,63}$'),
    CONSTRAINT notification_types_category_chk CHECK (category IN ('safety', 'security', 'transactional', 'marketing')),
    CONSTRAINT notification_types_channels_chk CHECK (channels <@ ARRAY['email', 'sms', 'push']::text[])
);

COMMENT ON TABLE public.notification_types IS
    'Message types: category (safety and security always go; marketing needs consent) and the external channels they use besides in-app.';

-- Subject and body per type and language; {{name}} is replaced by the payload's value of name.
CREATE TABLE public.notification_templates (
    type      text NOT NULL,
    language  text NOT NULL,
    subject   text NOT NULL,
    body      text NOT NULL,
    CONSTRAINT notification_templates_pkey PRIMARY KEY (type, language),
    CONSTRAINT notification_templates_type_fk FOREIGN KEY (type) REFERENCES public.notification_types (type),
    CONSTRAINT notification_templates_language_chk CHECK (language ~ '^[a-z]{2}$'),
    CONSTRAINT notification_templates_subject_chk CHECK (length(subject) BETWEEN 1 AND 200),
    CONSTRAINT notification_templates_body_chk CHECK (length(body) BETWEEN 1 AND 4000)
);

COMMENT ON TABLE public.notification_templates IS
    'Subject and body of a message type in one language; {{key}} stands for the payload''s value of key.';

-- A user's channel choices. No row means the defaults: every channel on, marketing off.
CREATE TABLE public.notification_preferences (
    user_id     uuid        NOT NULL,
    email       boolean     NOT NULL DEFAULT true,
    sms         boolean     NOT NULL DEFAULT true,
    push        boolean     NOT NULL DEFAULT true,
    marketing   boolean     NOT NULL DEFAULT false,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notification_preferences_pkey PRIMARY KEY (user_id),
    CONSTRAINT notification_preferences_user_fk FOREIGN KEY (user_id) REFERENCES public.users (id)
);

COMMENT ON TABLE public.notification_preferences IS
    'Which channels a user wants (default: all) and whether they want marketing (default: no; consent is also required).';

-- The transactional outbox: one row per notification and external channel, written in the transaction
-- that wrote the notification, delivered afterwards at least once by the delivery job.
CREATE TABLE public.notification_outbox (
    id               bigint      GENERATED ALWAYS AS IDENTITY,
    notification_id  uuid        NOT NULL,
    recipient_id     uuid        NOT NULL,
    channel          text        NOT NULL,
    status           text        NOT NULL DEFAULT 'pending',
    attempts         integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL DEFAULT 8,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    created_at       timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    last_error       text,
    CONSTRAINT notification_outbox_pkey PRIMARY KEY (id),
    CONSTRAINT notification_outbox_notification_fk FOREIGN KEY (notification_id) REFERENCES public.notifications (id)
        ON DELETE CASCADE,
    CONSTRAINT notification_outbox_channel_chk CHECK (channel IN ('email', 'sms', 'push')),
    CONSTRAINT notification_outbox_status_chk CHECK (status IN ('pending', 'sent', 'dead')),
    CONSTRAINT notification_outbox_attempts_chk CHECK (attempts >= 0 AND max_attempts BETWEEN 1 AND 50),
    CONSTRAINT notification_outbox_sent_chk CHECK ((status = 'sent') = (sent_at IS NOT NULL)),
    CONSTRAINT notification_outbox_one_key UNIQUE (notification_id, channel)
);

COMMENT ON TABLE public.notification_outbox IS
    'Outbox: a notification to deliver over one channel; pending until sent, dead after max_attempts failures.';

-- The delivery job's queue: due pending rows, oldest first.
CREATE INDEX notification_outbox_due_idx ON public.notification_outbox (next_attempt_at) WHERE status = 'pending';

CREATE INDEX notification_outbox_dead_idx ON public.notification_outbox (created_at) WHERE status = 'dead';

-- One row per delivery attempt.
CREATE TABLE public.notification_delivery_log (
    id           bigint      GENERATED ALWAYS AS IDENTITY,
    outbox_id    bigint      NOT NULL,
    attempt      integer     NOT NULL,
    outcome      text        NOT NULL,
    error        text,
    duration_ms  integer     NOT NULL,
    instance     text        NOT NULL,
    at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT notification_delivery_log_pkey PRIMARY KEY (id),
    CONSTRAINT notification_delivery_log_outbox_fk FOREIGN KEY (outbox_id) REFERENCES public.notification_outbox (id)
        ON DELETE CASCADE,
    CONSTRAINT notification_delivery_log_outcome_chk CHECK (outcome IN ('sent', 'failed', 'dead')),
    CONSTRAINT notification_delivery_log_attempt_chk CHECK (attempt >= 1),
    CONSTRAINT notification_delivery_log_duration_chk CHECK (duration_ms >= 0)
);

COMMENT ON TABLE public.notification_delivery_log IS 'Every delivery attempt of the outbox: sent, failed (retried later) or dead.';

CREATE INDEX notification_delivery_log_outbox_idx ON public.notification_delivery_log (outbox_id, attempt);

-- A recipient's unread count.
CREATE INDEX notifications_unread_idx ON public.notifications (recipient_id) WHERE read_at IS NULL;

-- Reference data: the types the platform sends, and their templates in English, Yoruba, Hausa and Igbo.
INSERT INTO public.notification_types (type, category, channels) VALUES
    ('ride.assigned',             'transactional', ARRAY['push', 'sms']),
    ('ride.driver-arriving',      'transactional', ARRAY['push', 'sms']),
    ('ride.completed',            'transactional', ARRAY['push']),
    ('ride.receipt',              'transactional', ARRAY['email']),
    ('ride.cancelled',            'transactional', ARRAY['push', 'sms']),
    ('document-expiring',         'transactional', ARRAY['email', 'push']),
    ('safety.sos',                'safety',        ARRAY['push', 'sms', 'email']),
    ('safety.incident-escalated', 'safety',        ARRAY['push', 'sms', 'email']),
    ('safety.incident-assigned',  'safety',        ARRAY['push', 'sms']),
    ('security.geofence-alert',   'security',      ARRAY['push', 'email']),
    ('marketing.promotion',       'marketing',     ARRAY['email', 'push']);

INSERT INTO public.notification_templates (type, language, subject, body) VALUES
    ('ride.assigned', 'en', 'Your driver is on the way', '{{driverName}} accepted your ride and is on the way.'),
    ('ride.assigned', 'yo', 'Awakọ rẹ ti n bọ', '{{driverName}} ti gba irin-ajo rẹ, o si n bọ.'),
    ('ride.assigned', 'ha', 'Direbanka yana hanya', '{{driverName}} ya karɓi tafiyarka kuma yana hanya.'),
    ('ride.assigned', 'ig', 'Onye ọkwọ ụgbọ gị na-abịa', '{{driverName}} anabatala njem gị ma na-abịa.'),
    ('ride.driver-arriving', 'en', 'Your driver has arrived', 'Your driver is at the pickup point.'),
    ('ride.driver-arriving', 'yo', 'Awakọ rẹ ti de', 'Awakọ rẹ wa ni ibi ti o ti fẹ wọ ọkọ.'),
    ('ride.driver-arriving', 'ha', 'Direbanka ya iso', 'Direbanka yana wurin da za a ɗauke ka.'),
    ('ride.driver-arriving', 'ig', 'Onye ọkwọ ụgbọ gị erutela', 'Onye ọkwọ ụgbọ gị nọ n''ebe a ga-ebuli gị.'),
    ('ride.completed', 'en', 'Ride completed', 'You have arrived. Thank you for riding with us.'),
    ('ride.completed', 'yo', 'Irin-ajo ti pari', 'O ti de. A dupẹ pe o ba wa rin.'),
    ('ride.completed', 'ha', 'Tafiya ta kammala', 'Ka iso. Mun gode da ka yi tafiya tare da mu.'),
    ('ride.completed', 'ig', 'Njem agwụla', 'I rutela. Daalụ maka iso anyị njem.'),
    ('ride.receipt', 'en', 'Your receipt', 'Fare: {{fareMinor}} {{currency}} (minor units) for {{distanceM}} m.'),
    ('ride.receipt', 'yo', 'Iwe-ẹri isanwo rẹ', 'Owo irin-ajo: {{fareMinor}} {{currency}} fun {{distanceM}} m.'),
    ('ride.receipt', 'ha', 'Rasidinka', 'Kuɗin tafiya: {{fareMinor}} {{currency}} na {{distanceM}} m.'),
    ('ride.receipt', 'ig', 'Akwụkwọ ịnata ego gị', 'Ụgwọ njem: {{fareMinor}} {{currency}} maka {{distanceM}} m.'),
    ('ride.cancelled', 'en', 'Ride cancelled', 'Your ride was cancelled.'),
    ('ride.cancelled', 'yo', 'A fagilee irin-ajo', 'A ti fagilee irin-ajo rẹ.'),
    ('ride.cancelled', 'ha', 'An soke tafiya', 'An soke tafiyarka.'),
    ('ride.cancelled', 'ig', 'Akagbuola njem', 'Akagbuola njem gị.'),
    ('document-expiring', 'en', 'A document expires soon', 'Document {{documentNumber}} ({{kind}}) expires on {{expiresOn}}.'),
    ('document-expiring', 'yo', 'Iwe kan yoo pari laipẹ', 'Iwe {{documentNumber}} ({{kind}}) yoo pari ni {{expiresOn}}.'),
    ('document-expiring', 'ha', 'Takarda za ta ƙare ba da jimawa ba', 'Takarda {{documentNumber}} ({{kind}}) za ta ƙare a {{expiresOn}}.'),
    ('document-expiring', 'ig', 'Akwụkwọ ga-agwụ n''oge na-adịghị anya', 'Akwụkwọ {{documentNumber}} ({{kind}}) ga-agwụ na {{expiresOn}}.'),
    ('safety.sos', 'en', 'SOS: emergency on a ride', 'An SOS was raised on ride {{rideId}} (incident {{incidentId}}). Acknowledge it now.'),
    ('safety.sos', 'yo', 'SOS: pajawiri lori irin-ajo', 'A gbe SOS soke lori irin-ajo {{rideId}} (iṣẹlẹ {{incidentId}}). Jẹwọ rẹ bayi.'),
    ('safety.sos', 'ha', 'SOS: gaggawa a tafiya', 'An ɗaga SOS a tafiya {{rideId}} (lamari {{incidentId}}). Tabbatar da shi yanzu.'),
    ('safety.sos', 'ig', 'SOS: ihe mberede na njem', 'E welitere SOS na njem {{rideId}} (ihe omume {{incidentId}}). Kwenye ya ugbu a.'),
    ('safety.incident-escalated', 'en', 'Escalated: incident not acknowledged', 'Incident {{incidentId}} was not acknowledged in time; severity is now {{severity}}.'),
    ('safety.incident-escalated', 'yo', 'Ti gbe ga: a ko jẹwọ iṣẹlẹ', 'A ko jẹwọ iṣẹlẹ {{incidentId}} ni akoko; bi o ti buru to bayi ni {{severity}}.'),
    ('safety.incident-escalated', 'ha', 'An ƙara: ba a tabbatar da lamari ba', 'Ba a tabbatar da lamari {{incidentId}} a kan lokaci ba; tsananinsa yanzu {{severity}}.'),
    ('safety.incident-escalated', 'ig', 'Ebuliela: anabataghị ihe omume', 'Anabataghị ihe omume {{incidentId}} n''oge; njọ ya bụ {{severity}} ugbu a.'),
    ('safety.incident-assigned', 'en', 'Incident assigned to you', 'You are the responder for incident {{incidentId}}.'),
    ('safety.incident-assigned', 'yo', 'A yan iṣẹlẹ fun ọ', 'Iwọ ni oludahun fun iṣẹlẹ {{incidentId}}.'),
    ('safety.incident-assigned', 'ha', 'An ba ka lamari', 'Kai ne mai amsa lamari {{incidentId}}.'),
    ('safety.incident-assigned', 'ig', 'E nyere gị ihe omume', 'Ị bụ onye na-aza ihe omume {{incidentId}}.'),
    ('security.geofence-alert', 'en', 'Geofence alert', 'A {{kind}} alert was raised for a protected rider (alert {{alertId}}).'),
    ('security.geofence-alert', 'yo', 'Ikilọ agbegbe', 'A gbe ikilọ {{kind}} soke fun ẹni ti a daabo bo (ikilọ {{alertId}}).'),
    ('security.geofence-alert', 'ha', 'Gargaɗin yanki', 'An ɗaga gargaɗin {{kind}} don fasinja mai kariya (gargaɗi {{alertId}}).'),
    ('security.geofence-alert', 'ig', 'Ịdọ aka na ntị mpaghara', 'E welitere ịdọ aka na ntị {{kind}} maka onye a na-echebe (ịdọ aka na ntị {{alertId}}).'),
    ('marketing.promotion', 'en', '{{title}}', '{{text}}'),
    ('marketing.promotion', 'yo', '{{title}}', '{{text}}'),
    ('marketing.promotion', 'ha', '{{title}}', '{{text}}'),
    ('marketing.promotion', 'ig', '{{title}}', '{{text}}');

ALTER TABLE public.notification_types ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.notification_types FORCE ROW LEVEL SECURITY;
ALTER TABLE public.notification_templates ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.notification_templates FORCE ROW LEVEL SECURITY;
ALTER TABLE public.notification_preferences ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.notification_preferences FORCE ROW LEVEL SECURITY;
ALTER TABLE public.notification_outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.notification_outbox FORCE ROW LEVEL SECURITY;
ALTER TABLE public.notification_delivery_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.notification_delivery_log FORCE ROW LEVEL SECURITY;
