-- What-if (an experiment, not a proposal to stop auditing): the claim without the statement-level audit
-- triggers of the three tables it writes (drivers, ride_offers, rides), to size the audit trail's share of
-- a claim. Used with -Dbench.scenario=dispatch-claim or ride-request-api.
ALTER TABLE public.drivers DISABLE TRIGGER drivers_audit_update;
ALTER TABLE public.ride_offers DISABLE TRIGGER ride_offers_audit_insert;
ALTER TABLE public.rides DISABLE TRIGGER rides_audit_update;
