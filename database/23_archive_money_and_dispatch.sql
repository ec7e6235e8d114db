-- Part 23 — archiving rides and payments takes their dispatch and money records along.
--
-- archive.archive_old_data moves each ride's direct dependants that have an archive table; the
-- offers of a ride are one (archive.ride_offers). A payment's own records — refunds, disputes,
-- processor events — follow it into the archive when it is deleted from the live table, which only
-- the archiving functions do. The ledger stays whole in place: journal entries name rides and
-- payments without foreign keys.

CREATE TABLE archive.ride_offers (LIKE public.ride_offers INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES
                                  INCLUDING STORAGE INCLUDING COMMENTS);
COMMENT ON TABLE archive.ride_offers IS 'Offers of archived rides.';
CREATE TABLE archive.refunds (LIKE public.refunds INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES
                              INCLUDING STORAGE INCLUDING COMMENTS);
COMMENT ON TABLE archive.refunds IS 'Refunds of archived payments.';
CREATE TABLE archive.payment_disputes (LIKE public.payment_disputes INCLUDING DEFAULTS INCLUDING CONSTRAINTS
                                       INCLUDING INDEXES INCLUDING STORAGE INCLUDING COMMENTS);
COMMENT ON TABLE archive.payment_disputes IS 'Disputes of archived payments.';
CREATE TABLE archive.processor_events (LIKE public.processor_events INCLUDING DEFAULTS INCLUDING CONSTRAINTS
                                       INCLUDING INDEXES INCLUDING STORAGE INCLUDING COMMENTS);
COMMENT ON TABLE archive.processor_events IS 'Processor webhook events of archived payments.';

-- The readers of the other archive tables (audit_admin, compliance_officer); the owner's functions write.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['ride_offers', 'refunds', 'payment_disputes', 'processor_events'] LOOP
        EXECUTE format('ALTER TABLE archive.%I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format('ALTER TABLE archive.%I FORCE ROW LEVEL SECURITY', t);
        EXECUTE format('GRANT SELECT ON archive.%I TO audit_admin, compliance_officer', t);
        EXECUTE format('CREATE POLICY %I ON archive.%I FOR SELECT TO audit_admin USING (true)', t || '_select_audit_admin', t);
        EXECUTE format('CREATE POLICY %I ON archive.%I FOR SELECT TO compliance_officer USING (true)',
                       t || '_select_compliance_officer', t);
        EXECUTE format('CREATE POLICY %I ON archive.%I FOR SELECT TO vipride_owner USING (true)', t || '_select_owner', t);
        EXECUTE format('CREATE POLICY %I ON archive.%I FOR INSERT TO vipride_owner WITH CHECK (true)', t || '_insert_owner', t);
    END LOOP;
END
$$;
CREATE POLICY processor_events_select_owner ON public.processor_events FOR SELECT TO vipride_owner USING (true);
CREATE POLICY processor_events_delete_owner ON public.processor_events FOR DELETE TO vipride_owner USING (true);

-- Before a payment leaves the live table, its refunds, disputes and processor events go to the archive.
CREATE FUNCTION public.payments_archive_records() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
BEGIN
    WITH moved AS (DELETE FROM public.refunds r WHERE r.payment_id = OLD.id RETURNING r.*)
    INSERT INTO archive.refunds SELECT * FROM moved;
    WITH moved AS (DELETE FROM public.payment_disputes d WHERE d.payment_id = OLD.id RETURNING d.*)
    INSERT INTO archive.payment_disputes SELECT * FROM moved;
    WITH moved AS (DELETE FROM public.processor_events e WHERE e.payment_id = OLD.id RETURNING e.*)
    INSERT INTO archive.processor_events SELECT * FROM moved;
    RETURN OLD;
END
$$;
COMMENT ON FUNCTION public.payments_archive_records() IS
    'Moves a payment''s refunds, disputes and processor events to the archive as the payment is archived.';
CREATE TRIGGER payments_archive_records BEFORE DELETE ON public.payments
    FOR EACH ROW EXECUTE FUNCTION public.payments_archive_records();
REVOKE ALL ON FUNCTION public.payments_archive_records() FROM PUBLIC;
