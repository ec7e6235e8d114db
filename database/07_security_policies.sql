-- Part 07 — privileges and row-level security, kept together per table family so that who may do
-- what is readable in one place (README, "Who may see and change what", is the same rules as a table).
--
-- Rules of this file:
-- * Default: nothing. A role holds only the privileges granted here, column by column where a table
--   mixes what a role may and may not see.
-- * RLS is enabled and FORCED on every table with personal, VIP, financial, location or audit data;
--   a role sees a row only through a policy that names it (TO role), one policy per role and command.
-- * Policies read the caller through public.current_app_user_id() — an inlined stable expression that
--   an index scan on the (indexed) policy column evaluates once — and through the SECURITY DEFINER
--   helpers current_driver_id(), current_fleet_company_id(), current_hotel_id() and
--   vip_data.active_emergency_vip_ids(), wrapped in (SELECT …) so each runs once per statement as an
--   InitPlan. No identity (NULL) matches no row.
-- * vipride_owner policies exist only where the owner's SECURITY DEFINER functions must read or write
--   a table; the owner is the migration login, never a runtime one.
-- * Audit tables: nobody holds UPDATE or DELETE.

-- ---------------------------------------------------------------------------------------------
-- Schema usage and helper functions
-- ---------------------------------------------------------------------------------------------
GRANT USAGE ON SCHEMA vip_data TO vip_admin, vip_operator, emergency_responder, customer_user;
GRANT USAGE ON SCHEMA audit TO audit_admin, compliance_officer, system_admin, customer_user;
GRANT USAGE ON SCHEMA archive TO audit_admin, compliance_officer, system_admin;

GRANT EXECUTE ON FUNCTION public.current_app_user_id(), public.current_driver_id(),
    public.current_fleet_company_id(), public.current_hotel_id() TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;
GRANT EXECUTE ON FUNCTION vip_data.active_emergency_vip_ids(), vip_data.emergency_access_since(uuid)
    TO emergency_responder;
GRANT EXECUTE ON FUNCTION public.active_ride_route(uuid, timestamptz) TO driver_user;
GRANT EXECUTE ON FUNCTION public.create_monthly_ride_partition(date),
    vip_data.create_monthly_location_partition(date), audit.create_monthly_audit_partition(date),
    audit.apply_audit_retention() TO system_admin;

-- ---------------------------------------------------------------------------------------------
-- Accounts: anonymous callers register, log in and refresh only through the account functions.
-- ---------------------------------------------------------------------------------------------
GRANT EXECUTE ON FUNCTION
    public.register_customer(text, text, text, text, text, text, boolean, boolean),
    public.find_login_account(text),
    public.record_failed_login(uuid, integer, interval),
    public.record_successful_login(uuid, bytea, timestamptz),
    public.rotate_refresh_token(bytea, bytea, timestamptz)
    TO anonymous_user;
GRANT EXECUTE ON FUNCTION public.revoke_refresh_token_family(bytea) TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;

-- ---------------------------------------------------------------------------------------------
-- public.users
--   everyone: own row (read; edit own name, language, city and consents)
--   support_agent, system_admin, compliance_officer: read every live account
--   fleet_admin: also the accounts of their fleet's drivers
--   support_agent: may (de)activate customer and driver accounts; system_admin: type, tier, activation
--   vip_admin: reads customer accounts and may change a customer's tier (VIP upgrades)
--   password hashes and lock-out counters: no role, only the account functions
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.users ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.users FORCE ROW LEVEL SECURITY;

GRANT SELECT (id, email, phone, first_name, last_name, user_type, tier, preferred_language, home_city,
              is_active, email_verified_at, phone_verified_at, marketing_consent, data_processing_consent,
              consent_updated_at, last_login_at, created_at, updated_at, deleted_at)
    ON public.users TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;
GRANT UPDATE (first_name, last_name, preferred_language, home_city, marketing_consent, data_processing_consent)
    ON public.users TO
    system_admin, audit_admin, compliance_officer, vip_admin, vip_operator, emergency_responder,
    fleet_admin, driver_user, customer_user, support_agent, hotel_staff;
GRANT UPDATE (is_active) ON public.users TO support_agent, system_admin;
GRANT UPDATE (user_type) ON public.users TO system_admin;
GRANT UPDATE (tier) ON public.users TO vip_admin, system_admin;

DO $$
DECLARE
    r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['system_admin', 'audit_admin', 'compliance_officer', 'vip_admin', 'vip_operator',
                             'emergency_responder', 'fleet_admin', 'driver_user', 'customer_user',
                             'support_agent', 'hotel_staff']
    LOOP
        EXECUTE format('CREATE POLICY users_select_%s ON public.users FOR SELECT TO %I USING (%s)', r, r,
            CASE r
                WHEN 'support_agent' THEN 'deleted_at IS NULL OR id = public.current_app_user_id()'
                WHEN 'system_admin' THEN 'true'
                WHEN 'compliance_officer' THEN 'true'
                WHEN 'fleet_admin' THEN 'id = public.current_app_user_id() OR id IN (SELECT d.user_id FROM public.drivers d WHERE d.fleet_company_id = (SELECT public.current_fleet_company_id()))'
                WHEN 'vip_admin' THEN 'id = public.current_app_user_id() OR (user_type = ''customer'' AND deleted_at IS NULL)'
                ELSE 'id = public.current_app_user_id()'
            END);
        EXECUTE format('CREATE POLICY users_update_%s ON public.users FOR UPDATE TO %I USING (%s) WITH CHECK (%s)', r, r,
            CASE r
                WHEN 'support_agent' THEN 'id = public.current_app_user_id() OR (user_type IN (''customer'', ''driver'') AND deleted_at IS NULL)'
                WHEN 'system_admin' THEN 'true'
                WHEN 'vip_admin' THEN 'id = public.current_app_user_id() OR (user_type = ''customer'' AND deleted_at IS NULL)'
                ELSE 'id = public.current_app_user_id()'
            END,
            CASE r
                WHEN 'support_agent' THEN 'id = public.current_app_user_id() OR user_type IN (''customer'', ''driver'')'
                WHEN 'system_admin' THEN 'true'
                WHEN 'vip_admin' THEN 'id = public.current_app_user_id() OR user_type = ''customer'''
                ELSE 'id = public.current_app_user_id()'
            END);
    END LOOP;
END
$$;

-- The account functions (SECURITY DEFINER, run as the owner) are the only path to hashes and tokens.
CREATE POLICY users_select_owner ON public.users FOR SELECT TO vipride_owner USING (true);
CREATE POLICY users_insert_owner ON public.users FOR INSERT TO vipride_owner WITH CHECK (true);
CREATE POLICY users_update_owner ON public.users FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

ALTER TABLE public.refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY refresh_tokens_select_owner ON public.refresh_tokens FOR SELECT TO vipride_owner USING (true);
CREATE POLICY refresh_tokens_insert_owner ON public.refresh_tokens FOR INSERT TO vipride_owner WITH CHECK (true);
CREATE POLICY refresh_tokens_update_owner ON public.refresh_tokens FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

-- ---------------------------------------------------------------------------------------------
-- Fleets: fleet_companies, fleet_admins, vehicles, drivers, vehicle_leases
--   fleet_admin: their own fleet company, its drivers, vehicles and leases; no other fleet's
--   driver_user: own driver record, own fleet, the vehicle they drive or own
--   customer_user: the driver and vehicle of their active ride
--   support_agent: read fleets, drivers and vehicles; system_admin: onboarding and vetting
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.fleet_companies ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.fleet_companies FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.fleet_companies TO fleet_admin, driver_user, support_agent, system_admin;
GRANT INSERT ON public.fleet_companies TO system_admin;
GRANT UPDATE (contact_email, contact_phone, operating_cities) ON public.fleet_companies TO fleet_admin;
GRANT UPDATE ON public.fleet_companies TO system_admin;
CREATE POLICY fleet_companies_select_fleet_admin ON public.fleet_companies FOR SELECT TO fleet_admin
    USING (id = (SELECT public.current_fleet_company_id()));
CREATE POLICY fleet_companies_select_driver_user ON public.fleet_companies FOR SELECT TO driver_user
    USING (id = (SELECT d.fleet_company_id FROM public.drivers d WHERE d.id = (SELECT public.current_driver_id())));
CREATE POLICY fleet_companies_select_support_agent ON public.fleet_companies FOR SELECT TO support_agent USING (true);
CREATE POLICY fleet_companies_select_system_admin ON public.fleet_companies FOR SELECT TO system_admin USING (true);
CREATE POLICY fleet_companies_insert_system_admin ON public.fleet_companies FOR INSERT TO system_admin WITH CHECK (true);
CREATE POLICY fleet_companies_update_fleet_admin ON public.fleet_companies FOR UPDATE TO fleet_admin
    USING (id = (SELECT public.current_fleet_company_id())) WITH CHECK (id = (SELECT public.current_fleet_company_id()));
CREATE POLICY fleet_companies_update_system_admin ON public.fleet_companies FOR UPDATE TO system_admin
    USING (true) WITH CHECK (true);

ALTER TABLE public.fleet_admins ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.fleet_admins FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.fleet_admins TO fleet_admin, system_admin;
GRANT INSERT, DELETE ON public.fleet_admins TO system_admin;
CREATE POLICY fleet_admins_select_fleet_admin ON public.fleet_admins FOR SELECT TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()));
CREATE POLICY fleet_admins_select_system_admin ON public.fleet_admins FOR SELECT TO system_admin USING (true);
CREATE POLICY fleet_admins_insert_system_admin ON public.fleet_admins FOR INSERT TO system_admin WITH CHECK (true);
CREATE POLICY fleet_admins_delete_system_admin ON public.fleet_admins FOR DELETE TO system_admin USING (true);
CREATE POLICY fleet_admins_select_owner ON public.fleet_admins FOR SELECT TO vipride_owner USING (true);

ALTER TABLE public.drivers ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.drivers FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.drivers TO driver_user, fleet_admin, customer_user, support_agent, system_admin;
GRANT INSERT (user_id, fleet_company_id, license_number, license_expires_on, category, city) ON public.drivers TO driver_user;
GRANT UPDATE (is_online, is_available, current_lat, current_lng, position_updated_at, current_vehicle_id)
    ON public.drivers TO driver_user;
GRANT UPDATE (current_vehicle_id, is_available) ON public.drivers TO fleet_admin;
GRANT UPDATE (status, vip_vetted_at, fleet_company_id, category, is_available, is_online) ON public.drivers TO system_admin;
CREATE POLICY drivers_select_driver_user ON public.drivers FOR SELECT TO driver_user
    USING (user_id = public.current_app_user_id());
CREATE POLICY drivers_select_fleet_admin ON public.drivers FOR SELECT TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()));
CREATE POLICY drivers_select_customer_user ON public.drivers FOR SELECT TO customer_user
    USING (id IN (SELECT r.driver_id FROM public.rides r
                   WHERE r.customer_id = public.current_app_user_id()
                     AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')));
CREATE POLICY drivers_select_support_agent ON public.drivers FOR SELECT TO support_agent USING (true);
CREATE POLICY drivers_select_system_admin ON public.drivers FOR SELECT TO system_admin USING (true);
-- A driver applies for themselves only, and starts unvetted (status defaults to pending_verification).
CREATE POLICY drivers_insert_driver_user ON public.drivers FOR INSERT TO driver_user
    WITH CHECK (user_id = public.current_app_user_id());
CREATE POLICY drivers_update_driver_user ON public.drivers FOR UPDATE TO driver_user
    USING (user_id = public.current_app_user_id()) WITH CHECK (user_id = public.current_app_user_id());
CREATE POLICY drivers_update_fleet_admin ON public.drivers FOR UPDATE TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()))
    WITH CHECK (fleet_company_id = (SELECT public.current_fleet_company_id()));
CREATE POLICY drivers_update_system_admin ON public.drivers FOR UPDATE TO system_admin USING (true) WITH CHECK (true);
CREATE POLICY drivers_select_owner ON public.drivers FOR SELECT TO vipride_owner USING (true);

ALTER TABLE public.vehicles ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.vehicles FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.vehicles TO driver_user, fleet_admin, customer_user, support_agent, system_admin;
GRANT INSERT, UPDATE ON public.vehicles TO fleet_admin, driver_user, system_admin;
CREATE POLICY vehicles_select_driver_user ON public.vehicles FOR SELECT TO driver_user
    USING (owner_user_id = public.current_app_user_id()
           OR id = (SELECT d.current_vehicle_id FROM public.drivers d WHERE d.id = (SELECT public.current_driver_id())));
CREATE POLICY vehicles_select_fleet_admin ON public.vehicles FOR SELECT TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()));
CREATE POLICY vehicles_select_customer_user ON public.vehicles FOR SELECT TO customer_user
    USING (id IN (SELECT r.vehicle_id FROM public.rides r
                   WHERE r.customer_id = public.current_app_user_id()
                     AND r.status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency')));
CREATE POLICY vehicles_select_support_agent ON public.vehicles FOR SELECT TO support_agent USING (true);
CREATE POLICY vehicles_select_system_admin ON public.vehicles FOR SELECT TO system_admin USING (true);
-- Owner-operators register their own vehicles; fleets register vehicles for their fleet.
CREATE POLICY vehicles_insert_driver_user ON public.vehicles FOR INSERT TO driver_user
    WITH CHECK (owner_user_id = public.current_app_user_id() AND fleet_company_id IS NULL AND NOT vip_certified);
CREATE POLICY vehicles_insert_fleet_admin ON public.vehicles FOR INSERT TO fleet_admin
    WITH CHECK (fleet_company_id = (SELECT public.current_fleet_company_id()) AND NOT vip_certified);
CREATE POLICY vehicles_insert_system_admin ON public.vehicles FOR INSERT TO system_admin WITH CHECK (true);
CREATE POLICY vehicles_update_driver_user ON public.vehicles FOR UPDATE TO driver_user
    USING (owner_user_id = public.current_app_user_id() AND fleet_company_id IS NULL)
    WITH CHECK (owner_user_id = public.current_app_user_id() AND fleet_company_id IS NULL);
CREATE POLICY vehicles_update_fleet_admin ON public.vehicles FOR UPDATE TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()))
    WITH CHECK (fleet_company_id = (SELECT public.current_fleet_company_id()));
CREATE POLICY vehicles_update_system_admin ON public.vehicles FOR UPDATE TO system_admin USING (true) WITH CHECK (true);

ALTER TABLE public.vehicle_leases ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.vehicle_leases FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.vehicle_leases TO fleet_admin, driver_user, customer_user, system_admin;
GRANT INSERT, UPDATE ON public.vehicle_leases TO fleet_admin, system_admin;
CREATE POLICY vehicle_leases_select_fleet_admin ON public.vehicle_leases FOR SELECT TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()));
-- Vehicle owners (who may be riders or drivers) see the leases of their own vehicles.
CREATE POLICY vehicle_leases_select_driver_user ON public.vehicle_leases FOR SELECT TO driver_user
    USING (owner_user_id = public.current_app_user_id());
CREATE POLICY vehicle_leases_select_customer_user ON public.vehicle_leases FOR SELECT TO customer_user
    USING (owner_user_id = public.current_app_user_id());
CREATE POLICY vehicle_leases_select_system_admin ON public.vehicle_leases FOR SELECT TO system_admin USING (true);
CREATE POLICY vehicle_leases_insert_fleet_admin ON public.vehicle_leases FOR INSERT TO fleet_admin
    WITH CHECK (fleet_company_id = (SELECT public.current_fleet_company_id()));
CREATE POLICY vehicle_leases_insert_system_admin ON public.vehicle_leases FOR INSERT TO system_admin WITH CHECK (true);
CREATE POLICY vehicle_leases_update_fleet_admin ON public.vehicle_leases FOR UPDATE TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()))
    WITH CHECK (fleet_company_id = (SELECT public.current_fleet_company_id()));
CREATE POLICY vehicle_leases_update_system_admin ON public.vehicle_leases FOR UPDATE TO system_admin
    USING (true) WITH CHECK (true);

-- ---------------------------------------------------------------------------------------------
-- Rides
--   customer_user: own rides (request, cancel); driver_user: rides assigned to them, without the
--   rider's pickup and drop-off columns (public.active_ride_route gives those while the ride is active);
--   fleet_admin: their fleet's rides; support_agent and system_admin: read all;
--   emergency_responder: rides of VIPs with an active emergency.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.rides ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.rides FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.rides TO customer_user, fleet_admin, support_agent, system_admin, emergency_responder;
GRANT SELECT (id, requested_at, customer_id, driver_id, vehicle_id, fleet_company_id, city, status, customer_tier,
              billing_model, vehicle_type, currency, estimated_fare_minor, final_fare_minor, surge_multiplier,
              estimated_distance_m, actual_distance_m, estimated_duration_s, actual_duration_s, vip_priority_level,
              assigned_at, arrived_at, started_at, completed_at, cancelled_at, cancelled_by, cancellation_reason,
              emergency_at, created_at, updated_at)
    ON public.rides TO driver_user;
GRANT INSERT (customer_id, city, customer_tier, billing_model, vehicle_type, pickup_lat, pickup_lng, pickup_address,
              dropoff_lat, dropoff_lng, dropoff_address, currency, estimated_fare_minor, surge_multiplier,
              estimated_distance_m, estimated_duration_s, vip_priority_level)
    ON public.rides TO customer_user;
GRANT UPDATE (status, cancelled_at, cancelled_by, cancellation_reason, emergency_at) ON public.rides TO customer_user;
GRANT UPDATE (status, arrived_at, started_at, completed_at, cancelled_at, cancelled_by, cancellation_reason,
              emergency_at, actual_distance_m, actual_duration_s, final_fare_minor) ON public.rides TO driver_user;
CREATE POLICY rides_select_customer_user ON public.rides FOR SELECT TO customer_user
    USING (customer_id = public.current_app_user_id());
CREATE POLICY rides_select_driver_user ON public.rides FOR SELECT TO driver_user
    USING (driver_id = (SELECT public.current_driver_id()));
CREATE POLICY rides_select_fleet_admin ON public.rides FOR SELECT TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()));
CREATE POLICY rides_select_support_agent ON public.rides FOR SELECT TO support_agent USING (true);
CREATE POLICY rides_select_system_admin ON public.rides FOR SELECT TO system_admin USING (true);
CREATE POLICY rides_select_emergency_responder ON public.rides FOR SELECT TO emergency_responder
    USING (customer_id = ANY ((SELECT vip_data.active_emergency_vip_ids())::uuid[])
           AND status IN ('driver_assigned', 'driver_arrived', 'in_progress', 'emergency'));
-- A rider requests rides for themselves only, at their own tier, and a request starts pending.
CREATE POLICY rides_insert_customer_user ON public.rides FOR INSERT TO customer_user
    WITH CHECK (customer_id = public.current_app_user_id() AND status = 'pending'
                AND customer_tier = (SELECT u.tier FROM public.users u WHERE u.id = public.current_app_user_id()));
CREATE POLICY rides_update_customer_user ON public.rides FOR UPDATE TO customer_user
    USING (customer_id = public.current_app_user_id())
    WITH CHECK (customer_id = public.current_app_user_id());
CREATE POLICY rides_update_driver_user ON public.rides FOR UPDATE TO driver_user
    USING (driver_id = (SELECT public.current_driver_id()))
    WITH CHECK (driver_id = (SELECT public.current_driver_id()));
-- public.active_ride_route (SECURITY DEFINER) reads a ride for its driver.
CREATE POLICY rides_select_owner ON public.rides FOR SELECT TO vipride_owner USING (true);

-- ---------------------------------------------------------------------------------------------
-- Hotels
--   everyone signed in as a rider: active hotels and their available rooms; hotel_staff: their own
--   hotel, rooms and bookings (the booking carries the guest details it needs); customer_user: own
--   bookings; support_agent: read hotels and bookings; system_admin: onboarding.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.hotel_partners ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.hotel_partners FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.hotel_partners TO customer_user, hotel_staff, support_agent, system_admin;
GRANT INSERT ON public.hotel_partners TO system_admin;
GRANT UPDATE (contact_email, contact_phone, address) ON public.hotel_partners TO hotel_staff;
GRANT UPDATE ON public.hotel_partners TO system_admin;
CREATE POLICY hotel_partners_select_customer_user ON public.hotel_partners FOR SELECT TO customer_user
    USING (status = 'active');
CREATE POLICY hotel_partners_select_hotel_staff ON public.hotel_partners FOR SELECT TO hotel_staff
    USING (id = (SELECT public.current_hotel_id()));
CREATE POLICY hotel_partners_select_support_agent ON public.hotel_partners FOR SELECT TO support_agent USING (true);
CREATE POLICY hotel_partners_select_system_admin ON public.hotel_partners FOR SELECT TO system_admin USING (true);
CREATE POLICY hotel_partners_insert_system_admin ON public.hotel_partners FOR INSERT TO system_admin WITH CHECK (true);
CREATE POLICY hotel_partners_update_hotel_staff ON public.hotel_partners FOR UPDATE TO hotel_staff
    USING (id = (SELECT public.current_hotel_id())) WITH CHECK (id = (SELECT public.current_hotel_id()));
CREATE POLICY hotel_partners_update_system_admin ON public.hotel_partners FOR UPDATE TO system_admin
    USING (true) WITH CHECK (true);

ALTER TABLE public.hotel_staff_members ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.hotel_staff_members FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.hotel_staff_members TO hotel_staff, system_admin;
GRANT INSERT, DELETE ON public.hotel_staff_members TO system_admin;
CREATE POLICY hotel_staff_members_select_hotel_staff ON public.hotel_staff_members FOR SELECT TO hotel_staff
    USING (hotel_id = (SELECT public.current_hotel_id()));
CREATE POLICY hotel_staff_members_select_system_admin ON public.hotel_staff_members FOR SELECT TO system_admin USING (true);
CREATE POLICY hotel_staff_members_insert_system_admin ON public.hotel_staff_members FOR INSERT TO system_admin WITH CHECK (true);
CREATE POLICY hotel_staff_members_delete_system_admin ON public.hotel_staff_members FOR DELETE TO system_admin USING (true);
CREATE POLICY hotel_staff_members_select_owner ON public.hotel_staff_members FOR SELECT TO vipride_owner USING (true);

ALTER TABLE public.hotel_rooms ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.hotel_rooms FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.hotel_rooms TO customer_user, hotel_staff, system_admin;
GRANT INSERT, UPDATE ON public.hotel_rooms TO hotel_staff, system_admin;
CREATE POLICY hotel_rooms_select_customer_user ON public.hotel_rooms FOR SELECT TO customer_user
    USING (is_available AND hotel_id IN (SELECT h.id FROM public.hotel_partners h WHERE h.status = 'active'));
CREATE POLICY hotel_rooms_select_hotel_staff ON public.hotel_rooms FOR SELECT TO hotel_staff
    USING (hotel_id = (SELECT public.current_hotel_id()));
CREATE POLICY hotel_rooms_select_system_admin ON public.hotel_rooms FOR SELECT TO system_admin USING (true);
CREATE POLICY hotel_rooms_insert_hotel_staff ON public.hotel_rooms FOR INSERT TO hotel_staff
    WITH CHECK (hotel_id = (SELECT public.current_hotel_id()));
CREATE POLICY hotel_rooms_insert_system_admin ON public.hotel_rooms FOR INSERT TO system_admin WITH CHECK (true);
CREATE POLICY hotel_rooms_update_hotel_staff ON public.hotel_rooms FOR UPDATE TO hotel_staff
    USING (hotel_id = (SELECT public.current_hotel_id())) WITH CHECK (hotel_id = (SELECT public.current_hotel_id()));
CREATE POLICY hotel_rooms_update_system_admin ON public.hotel_rooms FOR UPDATE TO system_admin USING (true) WITH CHECK (true);

ALTER TABLE public.hotel_bookings ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.hotel_bookings FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.hotel_bookings TO customer_user, hotel_staff, support_agent, system_admin;
GRANT INSERT (hotel_id, room_id, customer_id, guest_name, guest_phone, guests, ride_id, ride_requested_at,
              check_in, check_out, total_minor, currency) ON public.hotel_bookings TO customer_user;
GRANT UPDATE (status) ON public.hotel_bookings TO customer_user, hotel_staff;
CREATE POLICY hotel_bookings_select_customer_user ON public.hotel_bookings FOR SELECT TO customer_user
    USING (customer_id = public.current_app_user_id());
CREATE POLICY hotel_bookings_select_hotel_staff ON public.hotel_bookings FOR SELECT TO hotel_staff
    USING (hotel_id = (SELECT public.current_hotel_id()));
CREATE POLICY hotel_bookings_select_support_agent ON public.hotel_bookings FOR SELECT TO support_agent USING (true);
CREATE POLICY hotel_bookings_select_system_admin ON public.hotel_bookings FOR SELECT TO system_admin USING (true);
CREATE POLICY hotel_bookings_insert_customer_user ON public.hotel_bookings FOR INSERT TO customer_user
    WITH CHECK (customer_id = public.current_app_user_id() AND status = 'confirmed');
-- A rider may only cancel; the hotel moves a booking through check-in, check-out and no-show.
CREATE POLICY hotel_bookings_update_customer_user ON public.hotel_bookings FOR UPDATE TO customer_user
    USING (customer_id = public.current_app_user_id() AND status = 'confirmed')
    WITH CHECK (customer_id = public.current_app_user_id() AND status = 'cancelled');
CREATE POLICY hotel_bookings_update_hotel_staff ON public.hotel_bookings FOR UPDATE TO hotel_staff
    USING (hotel_id = (SELECT public.current_hotel_id()))
    WITH CHECK (hotel_id = (SELECT public.current_hotel_id()) AND status IN ('checked_in', 'checked_out', 'no_show', 'cancelled'));

-- ---------------------------------------------------------------------------------------------
-- Money: payments, payment_methods, ride_earnings
--   customer_user: own payments and own saved instruments; support_agent: payments without processor
--   references, never instruments; driver_user and fleet_admin: their own earnings and revenue.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE public.payments ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.payments FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.payments TO customer_user, system_admin;
GRANT SELECT (id, payer_id, payment_type, ride_id, ride_requested_at, amount_minor, currency, refunded_minor, status,
              method, processor, authorized_at, completed_at, failed_at, created_at, updated_at)
    ON public.payments TO support_agent;
CREATE POLICY payments_select_customer_user ON public.payments FOR SELECT TO customer_user
    USING (payer_id = public.current_app_user_id());
CREATE POLICY payments_select_support_agent ON public.payments FOR SELECT TO support_agent USING (true);
CREATE POLICY payments_select_system_admin ON public.payments FOR SELECT TO system_admin USING (true);

ALTER TABLE public.payment_methods ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.payment_methods FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, DELETE ON public.payment_methods TO customer_user;
CREATE POLICY payment_methods_select_customer_user ON public.payment_methods FOR SELECT TO customer_user
    USING (user_id = public.current_app_user_id());
CREATE POLICY payment_methods_insert_customer_user ON public.payment_methods FOR INSERT TO customer_user
    WITH CHECK (user_id = public.current_app_user_id());
CREATE POLICY payment_methods_delete_customer_user ON public.payment_methods FOR DELETE TO customer_user
    USING (user_id = public.current_app_user_id());

ALTER TABLE public.ride_earnings ENABLE ROW LEVEL SECURITY;
ALTER TABLE public.ride_earnings FORCE ROW LEVEL SECURITY;
GRANT SELECT ON public.ride_earnings TO driver_user, fleet_admin, system_admin;
CREATE POLICY ride_earnings_select_driver_user ON public.ride_earnings FOR SELECT TO driver_user
    USING (driver_id = (SELECT public.current_driver_id()));
CREATE POLICY ride_earnings_select_fleet_admin ON public.ride_earnings FOR SELECT TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()));
CREATE POLICY ride_earnings_select_system_admin ON public.ride_earnings FOR SELECT TO system_admin USING (true);

-- ---------------------------------------------------------------------------------------------
-- VIP data
--   vip_admin: full access; vip_operator: read profiles, nothing else, no writes;
--   emergency_responder: only VIPs with an open, unexpired emergency, only the emergency-relevant
--   profile columns and only locations since the incident (less 15 minutes);
--   customer_user: own profile's self-service columns, own locations, own incidents (and raise one).
--   Nobody else: no USAGE on the schema at all.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE vip_data.vip_profiles ENABLE ROW LEVEL SECURITY;
ALTER TABLE vip_data.vip_profiles FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON vip_data.vip_profiles TO vip_admin;
GRANT SELECT ON vip_data.vip_profiles TO vip_operator;
GRANT SELECT (id, user_id, priority_level, requires_security_escort, emergency_contacts_enc, medical_notes_enc)
    ON vip_data.vip_profiles TO emergency_responder;
GRANT SELECT (id, user_id, priority_level, requires_security_escort, home_address_enc, emergency_contacts_enc,
              medical_notes_enc, preferences_enc, created_at, updated_at)
    ON vip_data.vip_profiles TO customer_user;
GRANT UPDATE (home_address_enc, emergency_contacts_enc, medical_notes_enc, preferences_enc)
    ON vip_data.vip_profiles TO customer_user;
CREATE POLICY vip_profiles_select_vip_admin ON vip_data.vip_profiles FOR SELECT TO vip_admin USING (true);
CREATE POLICY vip_profiles_insert_vip_admin ON vip_data.vip_profiles FOR INSERT TO vip_admin WITH CHECK (true);
CREATE POLICY vip_profiles_update_vip_admin ON vip_data.vip_profiles FOR UPDATE TO vip_admin USING (true) WITH CHECK (true);
CREATE POLICY vip_profiles_delete_vip_admin ON vip_data.vip_profiles FOR DELETE TO vip_admin USING (true);
CREATE POLICY vip_profiles_select_vip_operator ON vip_data.vip_profiles FOR SELECT TO vip_operator USING (true);
CREATE POLICY vip_profiles_select_emergency_responder ON vip_data.vip_profiles FOR SELECT TO emergency_responder
    USING (user_id = ANY ((SELECT vip_data.active_emergency_vip_ids())::uuid[]));
CREATE POLICY vip_profiles_select_customer_user ON vip_data.vip_profiles FOR SELECT TO customer_user
    USING (user_id = public.current_app_user_id());
CREATE POLICY vip_profiles_update_customer_user ON vip_data.vip_profiles FOR UPDATE TO customer_user
    USING (user_id = public.current_app_user_id()) WITH CHECK (user_id = public.current_app_user_id());

ALTER TABLE vip_data.vip_location_history ENABLE ROW LEVEL SECURITY;
ALTER TABLE vip_data.vip_location_history FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE, DELETE ON vip_data.vip_location_history TO vip_admin;
GRANT SELECT ON vip_data.vip_location_history TO emergency_responder;
GRANT SELECT, INSERT ON vip_data.vip_location_history TO customer_user;
CREATE POLICY vip_location_history_select_vip_admin ON vip_data.vip_location_history FOR SELECT TO vip_admin USING (true);
CREATE POLICY vip_location_history_insert_vip_admin ON vip_data.vip_location_history FOR INSERT TO vip_admin WITH CHECK (true);
CREATE POLICY vip_location_history_update_vip_admin ON vip_data.vip_location_history FOR UPDATE TO vip_admin
    USING (true) WITH CHECK (true);
CREATE POLICY vip_location_history_delete_vip_admin ON vip_data.vip_location_history FOR DELETE TO vip_admin USING (true);
CREATE POLICY vip_location_history_select_emergency_responder ON vip_data.vip_location_history FOR SELECT
    TO emergency_responder
    USING (user_id = ANY ((SELECT vip_data.active_emergency_vip_ids())::uuid[])
           AND recorded_at >= vip_data.emergency_access_since(user_id));
CREATE POLICY vip_location_history_select_customer_user ON vip_data.vip_location_history FOR SELECT TO customer_user
    USING (user_id = public.current_app_user_id());
CREATE POLICY vip_location_history_insert_customer_user ON vip_data.vip_location_history FOR INSERT TO customer_user
    WITH CHECK (user_id = public.current_app_user_id());

ALTER TABLE vip_data.emergency_incidents ENABLE ROW LEVEL SECURITY;
ALTER TABLE vip_data.emergency_incidents FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT, UPDATE ON vip_data.emergency_incidents TO vip_admin;
GRANT SELECT ON vip_data.emergency_incidents TO emergency_responder, customer_user;
GRANT UPDATE (acknowledged_at, acknowledged_by, status, resolved_at, resolved_by, resolution_note)
    ON vip_data.emergency_incidents TO emergency_responder;
GRANT INSERT (id, vip_user_id, ride_id, ride_requested_at, raised_by, kind, severity, opened_at, access_expires_at)
    ON vip_data.emergency_incidents TO customer_user;
CREATE POLICY emergency_incidents_select_vip_admin ON vip_data.emergency_incidents FOR SELECT TO vip_admin USING (true);
CREATE POLICY emergency_incidents_insert_vip_admin ON vip_data.emergency_incidents FOR INSERT TO vip_admin WITH CHECK (true);
CREATE POLICY emergency_incidents_update_vip_admin ON vip_data.emergency_incidents FOR UPDATE TO vip_admin
    USING (true) WITH CHECK (true);
-- Responders also see incidents resolved within the hour (metadata only: data access needs an open one),
-- which is also what lets them resolve one (PostgreSQL checks the updated row against SELECT policies).
CREATE POLICY emergency_incidents_select_emergency_responder ON vip_data.emergency_incidents FOR SELECT
    TO emergency_responder
    USING (access_expires_at > now() AND (status = 'open' OR resolved_at > now() - interval '1 hour'));
CREATE POLICY emergency_incidents_update_emergency_responder ON vip_data.emergency_incidents FOR UPDATE
    TO emergency_responder USING (status = 'open' AND access_expires_at > now()) WITH CHECK (true);
CREATE POLICY emergency_incidents_select_customer_user ON vip_data.emergency_incidents FOR SELECT TO customer_user
    USING (vip_user_id = public.current_app_user_id());
CREATE POLICY emergency_incidents_insert_customer_user ON vip_data.emergency_incidents FOR INSERT TO customer_user
    WITH CHECK (vip_user_id = public.current_app_user_id() AND raised_by = public.current_app_user_id());
CREATE POLICY emergency_incidents_select_owner ON vip_data.emergency_incidents FOR SELECT TO vipride_owner USING (true);

-- ---------------------------------------------------------------------------------------------
-- Audit schema: append-only. audit_admin and compliance_officer read; the owner (audit triggers and
-- logging functions) appends; nobody updates or deletes. Riders see and file their own data-subject
-- requests; compliance officers manage requests and breach reports; system_admin reports breaches.
-- ---------------------------------------------------------------------------------------------
ALTER TABLE audit.audit_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.audit_log FORCE ROW LEVEL SECURITY;
GRANT SELECT ON audit.audit_log TO audit_admin, compliance_officer;
CREATE POLICY audit_log_select_audit_admin ON audit.audit_log FOR SELECT TO audit_admin USING (true);
CREATE POLICY audit_log_select_compliance_officer ON audit.audit_log FOR SELECT TO compliance_officer USING (true);
CREATE POLICY audit_log_insert_owner ON audit.audit_log FOR INSERT TO vipride_owner WITH CHECK (true);

ALTER TABLE audit.vip_access_log ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.vip_access_log FORCE ROW LEVEL SECURITY;
GRANT SELECT ON audit.vip_access_log TO audit_admin, compliance_officer;
CREATE POLICY vip_access_log_select_audit_admin ON audit.vip_access_log FOR SELECT TO audit_admin USING (true);
CREATE POLICY vip_access_log_select_compliance_officer ON audit.vip_access_log FOR SELECT TO compliance_officer USING (true);
CREATE POLICY vip_access_log_insert_owner ON audit.vip_access_log FOR INSERT TO vipride_owner WITH CHECK (true);

ALTER TABLE audit.auth_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.auth_events FORCE ROW LEVEL SECURITY;
GRANT SELECT ON audit.auth_events TO audit_admin, compliance_officer;
CREATE POLICY auth_events_select_audit_admin ON audit.auth_events FOR SELECT TO audit_admin USING (true);
CREATE POLICY auth_events_select_compliance_officer ON audit.auth_events FOR SELECT TO compliance_officer USING (true);
CREATE POLICY auth_events_insert_owner ON audit.auth_events FOR INSERT TO vipride_owner WITH CHECK (true);

ALTER TABLE audit.data_subject_requests ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.data_subject_requests FORCE ROW LEVEL SECURITY;
GRANT SELECT ON audit.data_subject_requests TO compliance_officer, audit_admin, customer_user;
GRANT INSERT (user_id, request_type, notes) ON audit.data_subject_requests TO customer_user;
GRANT INSERT ON audit.data_subject_requests TO compliance_officer;
GRANT UPDATE (status, completed_at, handled_by, notes) ON audit.data_subject_requests TO compliance_officer;
CREATE POLICY data_subject_requests_select_compliance_officer ON audit.data_subject_requests FOR SELECT
    TO compliance_officer USING (true);
CREATE POLICY data_subject_requests_select_audit_admin ON audit.data_subject_requests FOR SELECT TO audit_admin USING (true);
CREATE POLICY data_subject_requests_select_customer_user ON audit.data_subject_requests FOR SELECT TO customer_user
    USING (user_id = public.current_app_user_id());
CREATE POLICY data_subject_requests_insert_customer_user ON audit.data_subject_requests FOR INSERT TO customer_user
    WITH CHECK (user_id = public.current_app_user_id());
CREATE POLICY data_subject_requests_insert_compliance_officer ON audit.data_subject_requests FOR INSERT
    TO compliance_officer WITH CHECK (true);
CREATE POLICY data_subject_requests_update_compliance_officer ON audit.data_subject_requests FOR UPDATE
    TO compliance_officer USING (true) WITH CHECK (true);

ALTER TABLE audit.breach_reports ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.breach_reports FORCE ROW LEVEL SECURITY;
GRANT SELECT, INSERT ON audit.breach_reports TO compliance_officer, system_admin;
GRANT SELECT ON audit.breach_reports TO audit_admin;
GRANT UPDATE (status, regulator_notified_at, affected_users_count, description) ON audit.breach_reports TO compliance_officer;
GRANT SELECT ON audit.breach_notification_deadlines TO compliance_officer, audit_admin, system_admin;
CREATE POLICY breach_reports_select_compliance_officer ON audit.breach_reports FOR SELECT TO compliance_officer USING (true);
CREATE POLICY breach_reports_select_system_admin ON audit.breach_reports FOR SELECT TO system_admin USING (true);
CREATE POLICY breach_reports_select_audit_admin ON audit.breach_reports FOR SELECT TO audit_admin USING (true);
CREATE POLICY breach_reports_insert_compliance_officer ON audit.breach_reports FOR INSERT TO compliance_officer WITH CHECK (true);
CREATE POLICY breach_reports_insert_system_admin ON audit.breach_reports FOR INSERT TO system_admin WITH CHECK (true);
CREATE POLICY breach_reports_update_compliance_officer ON audit.breach_reports FOR UPDATE TO compliance_officer
    USING (true) WITH CHECK (true);
