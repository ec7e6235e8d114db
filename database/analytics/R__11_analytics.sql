-- R__11_analytics.sql — the analytics materialized views and refresh_materialized_views, which refreshes
-- them all CONCURRENTLY and records each refresh. A materialized view carries no row-level security, so
-- each is granted only to roles that may read every row of every table it reads (system_admin for the
-- ride, fleet, hotel and VIP figures; compliance_officer for the compliance statistics). Days and
-- months are UTC.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'analytics.refresh_log');

CREATE OR REPLACE FUNCTION analytics.refresh_materialized_views()
    RETURNS TABLE (view_name text, started_at timestamptz, duration_ms numeric, row_count bigint)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_view     record;
    v_started  timestamptz;
    v_rows     bigint;
BEGIN
    -- One refresh run at a time (two would only queue on each view's lock and do the work twice).
    PERFORM pg_advisory_xact_lock(hashtext('analytics.refresh_materialized_views'));
    FOR v_view IN
        SELECT m.matviewname, m.ispopulated FROM pg_matviews m WHERE m.schemaname = 'analytics' ORDER BY m.matviewname
    LOOP
        v_started := clock_timestamp();
        -- CONCURRENTLY keeps the view readable throughout; a view never populated must be filled once plainly.
        EXECUTE format('REFRESH MATERIALIZED VIEW %s analytics.%I',
                       CASE WHEN v_view.ispopulated THEN 'CONCURRENTLY' ELSE '' END, v_view.matviewname);
        EXECUTE format('SELECT count(*) FROM analytics.%I', v_view.matviewname) INTO v_rows;
        view_name := 'analytics.' || v_view.matviewname;
        started_at := v_started;
        duration_ms := round(extract(epoch FROM clock_timestamp() - v_started)::numeric * 1000, 3);
        row_count := v_rows;
        INSERT INTO analytics.refresh_log (view_name, started_at, duration_ms, row_count, was_concurrent)
        VALUES (view_name, started_at, duration_ms, row_count, v_view.ispopulated);
        RETURN NEXT;
    END LOOP;
END
$$;

-- ---------------------------------------------------------------------------------------------
-- Revenue by day (of completion), rider tier and city. Gross fares are the completed rides' final fares;
-- the platform's share is the commission recorded in ride_earnings when the fare was split (rides not
-- yet split count in gross fares and in rides_without_split). Refunds are in payments, not here.
-- ---------------------------------------------------------------------------------------------
DROP MATERIALIZED VIEW IF EXISTS analytics.revenue_daily CASCADE;
CREATE MATERIALIZED VIEW analytics.revenue_daily AS
SELECT (r.completed_at AT TIME ZONE 'UTC')::date AS day,
       r.customer_tier AS tier,
       r.city,
       r.currency,
       count(*) AS completed_rides,
       sum(r.final_fare_minor)::bigint AS gross_fare_minor,
       coalesce(sum(e.platform_commission_minor), 0)::bigint AS platform_commission_minor,
       coalesce(sum(e.driver_share_minor), 0)::bigint AS driver_share_minor,
       coalesce(sum(e.fleet_share_minor + e.owner_share_minor), 0)::bigint AS fleet_and_owner_share_minor,
       count(*) FILTER (WHERE e.ride_id IS NULL) AS rides_without_split
  FROM public.rides r
  LEFT JOIN public.ride_earnings e ON e.ride_id = r.id AND e.ride_requested_at = r.requested_at
 WHERE r.status = 'completed'
 GROUP BY 1, 2, 3, 4;

-- ---------------------------------------------------------------------------------------------
-- Driver performance per month (of the request): assignments, completions, cancellations by the driver,
-- time to arrive, distance and time on trip, fares and the driver's share.
-- ---------------------------------------------------------------------------------------------
DROP MATERIALIZED VIEW IF EXISTS analytics.driver_performance CASCADE;
CREATE MATERIALIZED VIEW analytics.driver_performance AS
SELECT date_trunc('month', r.requested_at AT TIME ZONE 'UTC')::date AS month,
       r.driver_id,
       r.currency,
       count(*) AS rides_assigned,
       count(*) FILTER (WHERE r.status = 'completed') AS rides_completed,
       count(*) FILTER (WHERE r.status = 'cancelled' AND r.cancelled_by = 'driver') AS cancelled_by_driver,
       count(*) FILTER (WHERE r.status = 'cancelled' AND r.cancelled_by <> 'driver') AS cancelled_by_others,
       round(avg(extract(epoch FROM r.arrived_at - r.assigned_at)))::integer AS avg_arrival_s,
       coalesce(sum(r.actual_distance_m) FILTER (WHERE r.status = 'completed'), 0)::bigint AS distance_m,
       coalesce(sum(r.actual_duration_s) FILTER (WHERE r.status = 'completed'), 0)::bigint AS on_trip_s,
       coalesce(sum(r.final_fare_minor) FILTER (WHERE r.status = 'completed'), 0)::bigint AS fares_minor,
       coalesce(sum(e.driver_share_minor), 0)::bigint AS driver_share_minor
  FROM public.rides r
  LEFT JOIN public.ride_earnings e ON e.ride_id = r.id AND e.ride_requested_at = r.requested_at
 WHERE r.driver_id IS NOT NULL
 GROUP BY 1, 2, 3;

-- ---------------------------------------------------------------------------------------------
-- Fleet utilisation per day: how many of the fleet's vehicles carried a ride, how many drivers drove,
-- and the share of the fleet's vehicle-hours spent on trips. The fleet size is today's (active vehicles
-- now): vehicles keep no history of when they joined or left.
-- ---------------------------------------------------------------------------------------------
DROP MATERIALIZED VIEW IF EXISTS analytics.fleet_utilisation CASCADE;
CREATE MATERIALIZED VIEW analytics.fleet_utilisation AS
SELECT f.day,
       f.fleet_company_id,
       coalesce(v.active_vehicles, 0) AS active_vehicles,
       f.vehicles_used,
       f.drivers_active,
       f.rides,
       f.rides_completed,
       f.on_trip_s,
       round(100.0 * f.vehicles_used / nullif(v.active_vehicles, 0), 1) AS vehicles_used_pct,
       round(100.0 * f.on_trip_s / nullif(v.active_vehicles * 86400, 0), 2) AS time_on_trip_pct
  FROM (SELECT (r.requested_at AT TIME ZONE 'UTC')::date AS day,
               r.fleet_company_id,
               count(DISTINCT r.vehicle_id) AS vehicles_used,
               count(DISTINCT r.driver_id) AS drivers_active,
               count(*) AS rides,
               count(*) FILTER (WHERE r.status = 'completed') AS rides_completed,
               coalesce(sum(r.actual_duration_s) FILTER (WHERE r.status = 'completed'), 0)::bigint AS on_trip_s
          FROM public.rides r
         WHERE r.fleet_company_id IS NOT NULL
         GROUP BY 1, 2) f
  LEFT JOIN (SELECT vh.fleet_company_id, count(*) AS active_vehicles
               FROM public.vehicles vh
              WHERE vh.status = 'active' AND vh.deleted_at IS NULL AND vh.fleet_company_id IS NOT NULL
              GROUP BY vh.fleet_company_id) v ON v.fleet_company_id = f.fleet_company_id;

-- ---------------------------------------------------------------------------------------------
-- Hotel referral revenue per month of check-in. The platform's revenue from a hotel is its commission:
-- hotel_partners.commission_rate_bp basis points of the booking's total (rounded down per booking),
-- earned once the guest checked out and expected while the booking is confirmed or checked in. Payments
-- carry no booking reference, so the commission is derived from the bookings, at the hotel's current
-- rate (the rate is not kept per booking). Bookings tied to a ride also bring that ride's fare (only
-- fares in the booking's currency are added).
-- ---------------------------------------------------------------------------------------------
DROP MATERIALIZED VIEW IF EXISTS analytics.hotel_referral_revenue CASCADE;
CREATE MATERIALIZED VIEW analytics.hotel_referral_revenue AS
SELECT date_trunc('month', b.check_in)::date AS month,
       h.id AS hotel_id,
       h.city,
       h.partnership_tier,
       b.currency,
       count(*) AS bookings,
       count(*) FILTER (WHERE b.status IN ('cancelled', 'no_show')) AS cancelled_or_no_show,
       coalesce(sum(b.check_out - b.check_in) FILTER (WHERE b.status NOT IN ('cancelled', 'no_show')), 0)::bigint
           AS room_nights,
       coalesce(sum(b.total_minor) FILTER (WHERE b.status NOT IN ('cancelled', 'no_show')), 0)::bigint
           AS booking_value_minor,
       coalesce(sum(b.total_minor * h.commission_rate_bp / 10000) FILTER (WHERE b.status = 'checked_out'), 0)::bigint
           AS commission_earned_minor,
       coalesce(sum(b.total_minor * h.commission_rate_bp / 10000)
                    FILTER (WHERE b.status IN ('confirmed', 'checked_in')), 0)::bigint AS commission_expected_minor,
       count(*) FILTER (WHERE b.ride_id IS NOT NULL) AS bookings_with_ride,
       coalesce(sum(r.final_fare_minor) FILTER (WHERE r.status = 'completed' AND r.currency = b.currency), 0)::bigint
           AS linked_ride_fares_minor
  FROM public.hotel_bookings b
  JOIN public.hotel_partners h ON h.id = b.hotel_id
  LEFT JOIN public.rides r ON r.id = b.ride_id AND r.requested_at = b.ride_requested_at
 GROUP BY 1, h.id, b.currency;

-- ---------------------------------------------------------------------------------------------
-- Hotel occupancy and partner revenue per hotel and month of the night: room nights sold (nights of
-- confirmed, checked-in and checked-out bookings) against room nights offered (the hotel's rooms of a
-- room type, available now, times the month's days), the room revenue of those nights (each night's
-- amount from the booking's price breakdown, or the total spread evenly for bookings without one), the
-- platform's booking commission at the rate stored on each booking, cancellation fees kept, and the
-- referral commission owed to the hotel on completed rides it originated (by month of completion).
-- ---------------------------------------------------------------------------------------------
DROP MATERIALIZED VIEW IF EXISTS analytics.hotel_occupancy_revenue CASCADE;
CREATE MATERIALIZED VIEW analytics.hotel_occupancy_revenue AS
WITH nights AS (
    SELECT b.hotel_id, b.currency, date_trunc('month', n.night)::date AS month, count(*) AS room_nights,
           sum(n.amount)::bigint AS room_revenue_minor,
           sum(round(n.amount * coalesce(b.commission_rate_bp, h.commission_rate_bp) / 10000.0))::bigint AS commission_minor
      FROM public.hotel_bookings b
      JOIN public.hotel_partners h ON h.id = b.hotel_id
     CROSS JOIN LATERAL (
        SELECT d::date AS night,
               coalesce((SELECT (e ->> 'amountMinor')::bigint FROM jsonb_array_elements(b.price_breakdown) e
                          WHERE (e ->> 'night')::date = d::date),
                        b.total_minor / (b.check_out - b.check_in)) AS amount
          FROM generate_series(b.check_in::timestamp, b.check_out::timestamp - interval '1 day', interval '1 day') d) n
     WHERE b.status IN ('confirmed', 'checked_in', 'checked_out')
     GROUP BY 1, 2, 3),
fees AS (
    SELECT b.hotel_id, b.currency, date_trunc('month', b.check_in)::date AS month,
           sum(b.cancellation_fee_minor)::bigint AS fees_minor
      FROM public.hotel_bookings b WHERE b.status = 'cancelled' AND b.cancellation_fee_minor > 0
     GROUP BY 1, 2, 3),
referrals AS (
    SELECT l.hotel_id, r.currency, date_trunc('month', r.completed_at AT TIME ZONE 'UTC')::date AS month, count(*) AS rides,
           sum(round(r.final_fare_minor * l.referral_rate_bp / 10000.0))::bigint AS referral_minor
      FROM public.hotel_rides l
      JOIN public.rides r ON r.id = l.ride_id AND r.requested_at = l.ride_requested_at
     WHERE r.status = 'completed'
     GROUP BY 1, 2, 3),
keys AS (
    SELECT hotel_id, currency, month FROM nights UNION SELECT hotel_id, currency, month FROM fees
    UNION SELECT hotel_id, currency, month FROM referrals)
SELECT k.month, k.hotel_id, h.city, h.partnership_tier, k.currency,
       coalesce(n.room_nights, 0)::bigint AS room_nights_sold,
       (SELECT count(*) FROM public.hotel_rooms r WHERE r.hotel_id = k.hotel_id AND r.room_type_id IS NOT NULL AND r.is_available)
           * extract(day FROM (k.month + interval '1 month' - interval '1 day'))::bigint AS room_nights_offered,
       coalesce(n.room_revenue_minor, 0) AS room_revenue_minor,
       coalesce(n.commission_minor, 0) AS booking_commission_minor,
       coalesce(f.fees_minor, 0) AS cancellation_fees_minor,
       coalesce(x.rides, 0)::bigint AS hotel_rides,
       coalesce(x.referral_minor, 0) AS referral_commission_minor
  FROM keys k
  JOIN public.hotel_partners h ON h.id = k.hotel_id
  LEFT JOIN nights n ON (n.hotel_id, n.currency, n.month) = (k.hotel_id, k.currency, k.month)
  LEFT JOIN fees f ON (f.hotel_id, f.currency, f.month) = (k.hotel_id, k.currency, k.month)
  LEFT JOIN referrals x ON (x.hotel_id, x.currency, x.month) = (k.hotel_id, k.currency, k.month);

-- ---------------------------------------------------------------------------------------------
-- VIP usage per day and city: counts only, from the rides of VIP-tier riders; nothing from vip_data,
-- nothing decrypted, no rider named. Riders whose latest analytics consent is a withdrawal, and riders
-- with a restriction of processing in force, are left out (compliance.consent_events,
-- compliance.processing_restrictions).
-- ---------------------------------------------------------------------------------------------
DROP MATERIALIZED VIEW IF EXISTS analytics.vip_usage CASCADE;
CREATE MATERIALIZED VIEW analytics.vip_usage AS
WITH withdrawn AS (
    SELECT l.user_id FROM (SELECT DISTINCT ON (e.user_id) e.user_id, e.granted
                             FROM compliance.consent_events e WHERE e.purpose = 'analytics'
                            ORDER BY e.user_id, e.id DESC) l
     WHERE NOT l.granted
    UNION
    SELECT x.user_id FROM compliance.processing_restrictions x WHERE x.lifted_at IS NULL
)
SELECT (r.requested_at AT TIME ZONE 'UTC')::date AS day,
       r.city,
       count(*) AS rides_requested,
       count(*) FILTER (WHERE r.status = 'completed') AS rides_completed,
       count(*) FILTER (WHERE r.status = 'cancelled') AS rides_cancelled,
       count(*) FILTER (WHERE r.emergency_at IS NOT NULL) AS rides_with_emergency,
       count(DISTINCT r.customer_id) AS vip_riders,
       round(avg(extract(epoch FROM r.assigned_at - r.requested_at)))::integer AS avg_assignment_s
  FROM public.rides r
 WHERE r.customer_tier = 'vip'
   AND r.customer_id NOT IN (SELECT w.user_id FROM withdrawn w)
 GROUP BY 1, 2;

-- ---------------------------------------------------------------------------------------------
-- Compliance statistics, one row per month, metric and dimension (long form, so a new metric needs no
-- new column). Data-subject requests by month received / completed; breaches by month detected and
-- whether the regulator was told within 72 hours; consent is a snapshot of active accounts at the
-- refresh, filed under the month of the refresh.
-- ---------------------------------------------------------------------------------------------
DROP MATERIALIZED VIEW IF EXISTS analytics.compliance_statistics CASCADE;
CREATE MATERIALIZED VIEW analytics.compliance_statistics AS
SELECT date_trunc('month', d.received_at AT TIME ZONE 'UTC')::date AS month, 'dsr_received' AS metric,
       d.request_type AS dimension, count(*) AS value
  FROM audit.data_subject_requests d GROUP BY 1, 3
UNION ALL
SELECT date_trunc('month', d.completed_at AT TIME ZONE 'UTC')::date, 'dsr_' || d.status, d.request_type, count(*)
  FROM audit.data_subject_requests d WHERE d.completed_at IS NOT NULL GROUP BY 1, 2, 3
UNION ALL
SELECT date_trunc('month', d.completed_at AT TIME ZONE 'UTC')::date, 'dsr_answered_late', d.request_type, count(*)
  FROM audit.data_subject_requests d WHERE d.completed_at > d.due_at GROUP BY 1, 3
UNION ALL
SELECT date_trunc('month', d.due_at AT TIME ZONE 'UTC')::date, 'dsr_open_overdue', d.request_type, count(*)
  FROM audit.data_subject_requests d WHERE d.completed_at IS NULL AND d.due_at < now() GROUP BY 1, 3
UNION ALL
SELECT date_trunc('month', b.detected_at AT TIME ZONE 'UTC')::date, 'breaches_detected', 'severity ' || b.severity, count(*)
  FROM audit.breach_reports b GROUP BY 1, 3
UNION ALL
SELECT date_trunc('month', b.detected_at AT TIME ZONE 'UTC')::date, 'breach_affected_users', 'severity ' || b.severity,
       sum(b.affected_users_count)
  FROM audit.breach_reports b GROUP BY 1, 3
UNION ALL
SELECT date_trunc('month', b.detected_at AT TIME ZONE 'UTC')::date,
       CASE WHEN b.regulator_notified_at IS NULL THEN 'breaches_unnotified_overdue'
            WHEN b.regulator_notified_at <= b.detected_at + interval '72 hours' THEN 'breaches_notified_in_time'
            ELSE 'breaches_notified_late' END,
       'all', count(*)
  FROM audit.breach_reports b
 WHERE b.regulator_notified_at IS NOT NULL OR now() > b.detected_at + interval '72 hours'
 GROUP BY 1, 2
UNION ALL
SELECT date_trunc('month', now() AT TIME ZONE 'UTC')::date, c.metric, c.dimension, count(*)
  FROM public.users u
 CROSS JOIN LATERAL (VALUES ('consent_marketing', CASE WHEN u.marketing_consent THEN 'given' ELSE 'not given' END),
                            ('consent_data_processing', CASE WHEN u.data_processing_consent THEN 'given' ELSE 'not given' END))
       c (metric, dimension)
 WHERE u.deleted_at IS NULL
 GROUP BY 1, 2, 3;

-- ---------------------------------------------------------------------------------------------
-- Completed rides per UTC hour (of completion), rider tier and city, over the last eight days: the
-- operations chart draws the last 48 hours, a week is kept for comparison. Only recent months are read
-- (requested_at bound: partition pruning), so a refresh costs the same however long the history; a ride
-- completed more than 40 days after it was requested is left out.
-- ---------------------------------------------------------------------------------------------
DROP MATERIALIZED VIEW IF EXISTS analytics.rides_hourly CASCADE;
CREATE MATERIALIZED VIEW analytics.rides_hourly AS
SELECT date_trunc('hour', r.completed_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS hour,
       r.customer_tier AS tier,
       r.city,
       count(*) AS completed_rides
  FROM public.rides r
 WHERE r.status = 'completed'
   AND r.requested_at >= now() - interval '48 days'
   AND r.completed_at >= date_trunc('hour', now()) - interval '8 days'
 GROUP BY 1, 2, 3;

CREATE UNIQUE INDEX revenue_daily_key ON analytics.revenue_daily (day, tier, city, currency);

COMMENT ON MATERIALIZED VIEW analytics.revenue_daily IS
    'Completed rides, gross fares and the fare split per UTC day of completion, rider tier, city and currency.';

CREATE UNIQUE INDEX driver_performance_key ON analytics.driver_performance (month, driver_id, currency);

CREATE INDEX driver_performance_driver_idx ON analytics.driver_performance (driver_id, month);

COMMENT ON MATERIALIZED VIEW analytics.driver_performance IS
    'Per driver and UTC month of request: rides assigned, completed and cancelled, arrival time, distance, time on trip, fares and driver share.';

CREATE UNIQUE INDEX fleet_utilisation_key ON analytics.fleet_utilisation (day, fleet_company_id);

COMMENT ON MATERIALIZED VIEW analytics.fleet_utilisation IS
    'Per fleet and UTC day: vehicles used against the fleet''s active vehicles today, active drivers, rides and time on trip.';

CREATE UNIQUE INDEX hotel_referral_revenue_key ON analytics.hotel_referral_revenue (month, hotel_id, currency);

COMMENT ON MATERIALIZED VIEW analytics.hotel_referral_revenue IS
    'Per hotel and month of check-in: bookings, room nights, booking value, the platform''s commission (earned and expected) and fares of rides tied to bookings.';

CREATE UNIQUE INDEX hotel_occupancy_revenue_key ON analytics.hotel_occupancy_revenue (month, hotel_id, currency);

COMMENT ON MATERIALIZED VIEW analytics.hotel_occupancy_revenue IS
    'Per hotel and month: room nights sold and offered (occupancy), room revenue, booking commission at each booking''s rate, cancellation fees, referral commission on rides the hotel originated.';

CREATE UNIQUE INDEX vip_usage_key ON analytics.vip_usage (day, city);

COMMENT ON MATERIALIZED VIEW analytics.vip_usage IS
    'VIP-tier rides per UTC day and city: requested, completed, cancelled, with an emergency, distinct VIP riders, time to assignment. Counts only.';

CREATE UNIQUE INDEX rides_hourly_key ON analytics.rides_hourly (hour, tier, city);

COMMENT ON MATERIALIZED VIEW analytics.rides_hourly IS
    'Completed rides per UTC hour of completion, rider tier and city, over the eight days before the refresh.';

CREATE UNIQUE INDEX compliance_statistics_key ON analytics.compliance_statistics (month, metric, dimension);

COMMENT ON MATERIALIZED VIEW analytics.compliance_statistics IS
    'Per month, metric and dimension: data-subject requests received, answered (late), overdue; breaches detected, notified in time or late, affected users; consent of active accounts (snapshot at refresh).';

COMMENT ON FUNCTION analytics.refresh_materialized_views() IS
    'Refreshes every analytics materialized view CONCURRENTLY (readers never wait) and records each refresh in analytics.refresh_log. SECURITY DEFINER: only the owner may refresh; system_admin (the operations job) may call it.';

REVOKE ALL ON FUNCTION analytics.refresh_materialized_views() FROM PUBLIC;

GRANT USAGE ON SCHEMA analytics TO system_admin, compliance_officer;

GRANT SELECT ON analytics.revenue_daily, analytics.driver_performance, analytics.fleet_utilisation,
    analytics.hotel_referral_revenue, analytics.hotel_occupancy_revenue, analytics.vip_usage, analytics.rides_hourly
    TO system_admin;

GRANT SELECT ON analytics.compliance_statistics TO compliance_officer;

GRANT SELECT ON analytics.refresh_log TO system_admin, compliance_officer;

GRANT EXECUTE ON FUNCTION analytics.refresh_materialized_views() TO system_admin;

