-- V4__fleet_lease_contracts.sql — vehicle leases as contracts between a vehicle's owner and a fleet or
-- a driver: a lease is offered (pending) by the owner and accepted (active) by the other party, and it
-- may be ended early for the contract's early-termination fee. Adds the driver as a lessee, the
-- per-ride lease type and the termination terms; money columns get the platform's domain maximum
-- (10^12 minor units); two active leases of one vehicle may not overlap in time.

-- A lease is taken by exactly one party: a fleet company or a driver.
ALTER TABLE public.vehicle_leases ALTER COLUMN fleet_company_id DROP NOT NULL;

ALTER TABLE public.vehicle_leases
    ADD COLUMN driver_id                    uuid,
    ADD COLUMN per_ride_minor               bigint      NOT NULL DEFAULT 0,
    ADD COLUMN early_termination_fee_minor  bigint      NOT NULL DEFAULT 0,
    ADD COLUMN accepted_at                  timestamptz,
    ADD COLUMN terminated_at                timestamptz,
    ADD COLUMN terminated_by                uuid,
    ADD COLUMN termination_entry_id         uuid;

-- Every lease before this migration was in force from its creation (there were no offers), and one
-- that has ended ended when it was last changed. The backfill reads and writes every row: row-level
-- security is lifted for the owner while it runs.
ALTER TABLE public.vehicle_leases NO FORCE ROW LEVEL SECURITY;

UPDATE public.vehicle_leases SET accepted_at = created_at,
                                 terminated_at = CASE WHEN status = 'terminated' THEN updated_at END;

ALTER TABLE public.vehicle_leases FORCE ROW LEVEL SECURITY;

ALTER TABLE public.vehicle_leases
    ADD CONSTRAINT vehicle_leases_driver_fk FOREIGN KEY (driver_id) REFERENCES public.drivers (id),
    ADD CONSTRAINT vehicle_leases_terminated_by_fk FOREIGN KEY (terminated_by) REFERENCES public.users (id),
    ADD CONSTRAINT vehicle_leases_currency_fk FOREIGN KEY (currency) REFERENCES public.currencies (code),
    ADD CONSTRAINT vehicle_leases_one_lessee_chk CHECK ((fleet_company_id IS NULL) <> (driver_id IS NULL)),
    ADD CONSTRAINT vehicle_leases_max_amounts_chk CHECK (
        fixed_monthly_minor <= 1000000000000 AND minimum_monthly_minor <= 1000000000000
        AND excess_km_rate_minor <= 1000000000000 AND late_fee_minor <= 1000000000000
        AND per_ride_minor BETWEEN 0 AND 1000000000000
        AND early_termination_fee_minor BETWEEN 0 AND 1000000000000),
    ADD CONSTRAINT vehicle_leases_terminated_chk CHECK (status <> 'terminated' OR terminated_at IS NOT NULL);

-- The types: a fixed monthly rent, a share of the vehicle's ride revenue, both, or a fee per ride.
ALTER TABLE public.vehicle_leases DROP CONSTRAINT vehicle_leases_type_chk;

ALTER TABLE public.vehicle_leases ADD CONSTRAINT vehicle_leases_type_chk
    CHECK (lease_type IN ('fixed_rate', 'revenue_share', 'hybrid', 'per_ride'));

ALTER TABLE public.vehicle_leases DROP CONSTRAINT vehicle_leases_terms_chk;

ALTER TABLE public.vehicle_leases ADD CONSTRAINT vehicle_leases_terms_chk CHECK (
    (lease_type = 'fixed_rate' AND fixed_monthly_minor > 0 AND revenue_share_bp = 0 AND per_ride_minor = 0)
    OR (lease_type = 'revenue_share' AND revenue_share_bp > 0 AND fixed_monthly_minor = 0 AND per_ride_minor = 0)
    OR (lease_type = 'hybrid' AND fixed_monthly_minor > 0 AND revenue_share_bp > 0 AND per_ride_minor = 0)
    OR (lease_type = 'per_ride' AND per_ride_minor > 0 AND fixed_monthly_minor = 0 AND revenue_share_bp = 0));

ALTER TABLE public.vehicle_leases DROP CONSTRAINT vehicle_leases_status_chk;

ALTER TABLE public.vehicle_leases ADD CONSTRAINT vehicle_leases_status_chk
    CHECK (status IN ('pending', 'active', 'completed', 'terminated', 'suspended'));

-- Active leases of one vehicle never overlap in time (a lease without an end runs for ever); a vehicle
-- may have its next lease accepted while the current one runs. This replaces "one active lease per
-- vehicle", which it implies for open-ended leases.
DROP INDEX public.vehicle_leases_one_active_key;

ALTER TABLE public.vehicle_leases ADD CONSTRAINT vehicle_leases_no_overlap_excl
    EXCLUDE USING gist (vehicle_id WITH =, daterange(starts_on, ends_on) WITH &&) WHERE (status = 'active');

COMMENT ON COLUMN public.vehicle_leases.fleet_company_id IS 'The lessee, when a fleet company takes the lease.';

COMMENT ON COLUMN public.vehicle_leases.driver_id IS 'The lessee, when a driver takes the lease.';

COMMENT ON COLUMN public.vehicle_leases.per_ride_minor IS 'What a per_ride lease owes the owner for each completed ride.';

COMMENT ON COLUMN public.vehicle_leases.early_termination_fee_minor IS
    'Paid by the party that ends an active lease before its end date to the other party.';

COMMENT ON COLUMN public.vehicle_leases.termination_entry_id IS 'The journal entry that moved the early-termination fee.';

CREATE INDEX vehicle_leases_driver_idx ON public.vehicle_leases (driver_id) WHERE driver_id IS NOT NULL;

CREATE INDEX vehicle_leases_ending_idx ON public.vehicle_leases (ends_on) WHERE status = 'active';
