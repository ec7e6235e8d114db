-- R__05_fleet_leases.sql — vehicle leases as contracts: the functions that offer, accept, end early and
-- complete them, and the policies, grants and audit trigger of public.vehicle_leases. Nobody writes the
-- table directly: each step is a SECURITY DEFINER function that checks the caller is the party the
-- step belongs to, so the service, psql and a BI tool meet the same lifecycle:
--   the vehicle's owner offers (pending) → the fleet's admin or the driver accepts (active)
--   → completed on its end date, or terminated early by either party (the early-termination fee moves
--   in the ledger from the party ending it to the other); a pending offer may be withdrawn or declined.
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'public.vehicle_leases');

-- The lease of p_lease_id if the caller is one of its parties (the owner, an admin of the lessee fleet,
-- the lessee driver), locked for the step that follows; else not-found, whether or not it exists.
CREATE OR REPLACE FUNCTION public.lease_of_party(p_lease_id uuid) RETURNS public.vehicle_leases
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_lease public.vehicle_leases;
BEGIN
    SELECT * INTO v_lease FROM public.vehicle_leases l
     WHERE l.id = p_lease_id
       AND (l.owner_user_id = public.current_app_user_id()
            OR l.fleet_company_id = public.current_fleet_company_id()
            OR l.driver_id = public.current_driver_id())
       FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'No lease % is visible to you.', p_lease_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    RETURN v_lease;
END
$$;

-- The owner of a vehicle offers it on lease to a fleet company or a driver. The offer is pending until
-- the other party accepts it.
CREATE OR REPLACE FUNCTION public.offer_vehicle_lease(
    p_vehicle_id uuid, p_fleet_company_id uuid, p_driver_id uuid, p_lease_type text, p_currency char(3),
    p_fixed_monthly_minor bigint, p_revenue_share_bp integer, p_per_ride_minor bigint, p_minimum_monthly_minor bigint,
    p_mileage_limit_km integer, p_excess_km_rate_minor bigint, p_late_fee_minor bigint,
    p_early_termination_fee_minor bigint, p_starts_on date, p_ends_on date)
    RETURNS public.vehicle_leases
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_me         uuid := public.current_app_user_id();
    v_lease      public.vehicle_leases;
    v_constraint text;
BEGIN
    IF p_starts_on IS NULL OR (p_ends_on IS NOT NULL AND p_ends_on <= p_starts_on) THEN
        RAISE EXCEPTION 'A lease must end after it starts (from % to %).', p_starts_on, p_ends_on
            USING ERRCODE = 'VR422', HINT = 'lease-dates';
    END IF;
    IF (p_fleet_company_id IS NULL) = (p_driver_id IS NULL) THEN
        RAISE EXCEPTION 'A lease is taken by a fleet company or by a driver: name exactly one.'
            USING ERRCODE = 'VR422', HINT = 'lease-party';
    END IF;
    PERFORM FROM public.vehicles v
     WHERE v.id = p_vehicle_id AND v.owner_user_id = v_me AND v.deleted_at IS NULL;
    IF v_me IS NULL OR NOT FOUND THEN
        RAISE EXCEPTION 'No vehicle % of yours.', p_vehicle_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    IF p_fleet_company_id IS NOT NULL AND NOT EXISTS (
            SELECT FROM public.fleet_companies f
             WHERE f.id = p_fleet_company_id AND f.status = 'active' AND f.deleted_at IS NULL) THEN
        RAISE EXCEPTION 'No active fleet company %.', p_fleet_company_id USING ERRCODE = 'VR422', HINT = 'lease-party';
    END IF;
    IF p_driver_id IS NOT NULL AND NOT EXISTS (
            SELECT FROM public.drivers d
             WHERE d.id = p_driver_id AND d.status = 'approved' AND d.deleted_at IS NULL AND d.user_id <> v_me) THEN
        RAISE EXCEPTION 'No approved driver % (other than yourself).', p_driver_id
            USING ERRCODE = 'VR422', HINT = 'lease-party';
    END IF;
    IF NOT EXISTS (SELECT FROM public.currencies c WHERE c.code = p_currency) THEN
        RAISE EXCEPTION 'Unknown currency %.', p_currency USING ERRCODE = 'VR422', HINT = 'unknown-currency';
    END IF;
    IF EXISTS (SELECT FROM public.vehicle_leases l
                WHERE l.vehicle_id = p_vehicle_id AND l.status = 'active'
                  AND daterange(l.starts_on, l.ends_on) && daterange(p_starts_on, p_ends_on)) THEN
        RAISE EXCEPTION 'Vehicle % already has an active lease in that time.', p_vehicle_id
            USING ERRCODE = 'VR409', HINT = 'lease-overlap';
    END IF;
    BEGIN
        INSERT INTO public.vehicle_leases (vehicle_id, owner_user_id, fleet_company_id, driver_id, lease_type, currency,
                                           fixed_monthly_minor, revenue_share_bp, per_ride_minor, minimum_monthly_minor,
                                           mileage_limit_km, excess_km_rate_minor, late_fee_minor,
                                           early_termination_fee_minor, starts_on, ends_on, status)
        VALUES (p_vehicle_id, v_me, p_fleet_company_id, p_driver_id, p_lease_type, p_currency,
                coalesce(p_fixed_monthly_minor, 0), coalesce(p_revenue_share_bp, 0), coalesce(p_per_ride_minor, 0),
                coalesce(p_minimum_monthly_minor, 0), p_mileage_limit_km, coalesce(p_excess_km_rate_minor, 0),
                coalesce(p_late_fee_minor, 0), coalesce(p_early_termination_fee_minor, 0), p_starts_on, p_ends_on,
                'pending')
        RETURNING * INTO v_lease;
    EXCEPTION WHEN check_violation THEN
        GET STACKED DIAGNOSTICS v_constraint = CONSTRAINT_NAME;
        RAISE EXCEPTION 'The lease terms break the rule %: a fixed_rate lease has a monthly rent, a revenue_share '
                        'lease a share, a hybrid lease both, a per_ride lease a fee per ride; amounts are 0 to 10^12.',
                        v_constraint
            USING ERRCODE = 'VR422', HINT = 'lease-terms';
    END;
    RETURN v_lease;
END
$$;

-- The party a lease is offered to accepts it: an admin of the lessee fleet, or the lessee driver.
CREATE OR REPLACE FUNCTION public.accept_vehicle_lease(p_lease_id uuid) RETURNS public.vehicle_leases
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_lease public.vehicle_leases := public.lease_of_party(p_lease_id);
BEGIN
    IF NOT coalesce(v_lease.fleet_company_id = public.current_fleet_company_id(), false)
       AND NOT coalesce(v_lease.driver_id = public.current_driver_id(), false) THEN
        RAISE EXCEPTION 'Only the party a lease is offered to accepts it.' USING ERRCODE = 'VR403', HINT = 'not-the-lessee';
    END IF;
    IF v_lease.status <> 'pending' THEN
        RAISE EXCEPTION 'Lease % is %, not pending.', p_lease_id, v_lease.status
            USING ERRCODE = 'VR409', HINT = 'illegal-transition';
    END IF;
    BEGIN
        UPDATE public.vehicle_leases l SET status = 'active', accepted_at = now()
         WHERE l.id = p_lease_id RETURNING * INTO v_lease;
    EXCEPTION WHEN exclusion_violation THEN
        RAISE EXCEPTION 'Vehicle % already has an active lease in that time.', v_lease.vehicle_id
            USING ERRCODE = 'VR409', HINT = 'lease-overlap';
    END;
    RETURN v_lease;
END
$$;

-- Either party ends a lease. A pending offer is withdrawn (owner) or declined (lessee), at no cost. An
-- active lease ended before its end date (an open-ended one at any time) costs the party ending it the
-- contract's early-termination fee, moved in the ledger from its payable to the other party's; the
-- lease then runs through today, so its last month is still billed.
CREATE OR REPLACE FUNCTION public.terminate_vehicle_lease(p_lease_id uuid) RETURNS public.vehicle_leases
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_lease    public.vehicle_leases := public.lease_of_party(p_lease_id);
    v_by_owner boolean;
    v_fee      bigint := 0;
    v_owner    uuid;
    v_lessee   uuid;
    v_entry    uuid;
    v_ends_on  date;
BEGIN
    IF v_lease.status NOT IN ('pending', 'active') THEN
        RAISE EXCEPTION 'Lease % is already %.', p_lease_id, v_lease.status
            USING ERRCODE = 'VR409', HINT = 'illegal-transition';
    END IF;
    v_ends_on := v_lease.ends_on;
    IF v_lease.status = 'active' THEN
        IF v_lease.ends_on IS NULL OR current_date < v_lease.ends_on THEN
            v_fee := v_lease.early_termination_fee_minor;
        END IF;
        IF current_date >= v_lease.starts_on THEN
            v_ends_on := least(coalesce(v_lease.ends_on, current_date + 1), current_date + 1);
        END IF;
    END IF;
    IF v_fee > 0 THEN
        v_by_owner := v_lease.owner_user_id = public.current_app_user_id();
        v_owner := public.ledger_account('vehicle_owner', v_lease.owner_user_id, 'payable', v_lease.currency);
        v_lessee := CASE WHEN v_lease.fleet_company_id IS NOT NULL
                         THEN public.ledger_account('fleet', v_lease.fleet_company_id, 'payable', v_lease.currency)
                         ELSE public.ledger_account('driver', v_lease.driver_id, 'payable', v_lease.currency) END;
        v_entry := public.post_entry('lease_termination', v_lease.currency,
            'Early termination of lease ' || v_lease.id || CASE WHEN v_by_owner THEN ' by its owner' ELSE ' by its lessee' END,
            NULL, NULL, NULL,
            CASE WHEN v_by_owner THEN ARRAY[v_owner, v_lessee] ELSE ARRAY[v_lessee, v_owner] END,
            ARRAY[v_fee, -v_fee]);
    END IF;
    UPDATE public.vehicle_leases l
       SET status = 'terminated', terminated_at = now(), terminated_by = public.current_app_user_id(),
           termination_entry_id = v_entry, ends_on = v_ends_on
     WHERE l.id = p_lease_id RETURNING * INTO v_lease;
    RETURN v_lease;
END
$$;

-- Active leases whose end date has come are completed (the lease-billing job calls it each day).
CREATE OR REPLACE FUNCTION public.complete_ended_leases(p_on date DEFAULT current_date) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_count integer;
BEGIN
    UPDATE public.vehicle_leases l SET status = 'completed' WHERE l.status = 'active' AND l.ends_on <= p_on;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END
$$;

COMMENT ON FUNCTION public.offer_vehicle_lease(uuid, uuid, uuid, text, char, bigint, integer, bigint, bigint, integer,
                                               bigint, bigint, bigint, date, date) IS
    'The calling owner offers their vehicle on lease to a fleet or a driver (pending); dates, party, terms and overlap checked.';

COMMENT ON FUNCTION public.accept_vehicle_lease(uuid) IS
    'The lessee (an admin of the fleet, or the driver) accepts a pending lease; refused if it overlaps an active one.';

COMMENT ON FUNCTION public.terminate_vehicle_lease(uuid) IS
    'Either party ends a lease; ending an active one early moves the early-termination fee to the other party in the ledger.';

COMMENT ON FUNCTION public.complete_ended_leases(date) IS 'Completes active leases whose end date has come.';

-- ---------------------------------------------------------------------------------------------
-- Privileges: each party reads its own leases (the owner, the lessee fleet's admins, the lessee
-- driver), system_admin all; every write goes through the functions above.
-- ---------------------------------------------------------------------------------------------
SELECT audit.enable_audit('public.vehicle_leases');

REVOKE INSERT, UPDATE, DELETE ON public.vehicle_leases FROM fleet_admin, driver_user, customer_user, system_admin;

GRANT SELECT ON public.vehicle_leases TO fleet_admin, driver_user, customer_user, system_admin;

CREATE POLICY vehicle_leases_select_fleet_admin ON public.vehicle_leases FOR SELECT TO fleet_admin
    USING (fleet_company_id = (SELECT public.current_fleet_company_id()));

-- Drivers see the leases of vehicles they own and the leases they take.
CREATE POLICY vehicle_leases_select_driver_user ON public.vehicle_leases FOR SELECT TO driver_user
    USING (owner_user_id = public.current_app_user_id() OR driver_id = (SELECT public.current_driver_id()));

CREATE POLICY vehicle_leases_select_customer_user ON public.vehicle_leases FOR SELECT TO customer_user
    USING (owner_user_id = public.current_app_user_id());

CREATE POLICY vehicle_leases_select_system_admin ON public.vehicle_leases FOR SELECT TO system_admin USING (true);

-- The lease functions and the billing functions run as the owner.
CREATE POLICY vehicle_leases_all_owner ON public.vehicle_leases FOR ALL TO vipride_owner USING (true) WITH CHECK (true);

REVOKE ALL ON FUNCTION public.lease_of_party(uuid),
    public.offer_vehicle_lease(uuid, uuid, uuid, text, char, bigint, integer, bigint, bigint, integer, bigint, bigint,
                               bigint, date, date),
    public.accept_vehicle_lease(uuid), public.terminate_vehicle_lease(uuid), public.complete_ended_leases(date)
    FROM PUBLIC;

-- Vehicle owners are riders or drivers; lessees are fleet admins or drivers.
GRANT EXECUTE ON FUNCTION public.offer_vehicle_lease(uuid, uuid, uuid, text, char, bigint, integer, bigint, bigint,
                                                     integer, bigint, bigint, bigint, date, date)
    TO customer_user, driver_user;

GRANT EXECUTE ON FUNCTION public.accept_vehicle_lease(uuid) TO fleet_admin, driver_user;

GRANT EXECUTE ON FUNCTION public.terminate_vehicle_lease(uuid) TO fleet_admin, driver_user, customer_user;

GRANT EXECUTE ON FUNCTION public.complete_ended_leases(date) TO system_admin;

-- updated_at follows every change.
CREATE OR REPLACE TRIGGER vehicle_leases_touch_updated_at BEFORE UPDATE ON public.vehicle_leases
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
