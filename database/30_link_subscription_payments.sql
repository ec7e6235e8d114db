-- Part 30 — subscription payments made before part 29 are linked to their subscription, and the rule
-- that every subscription payment names one is validated for all rows.
--
-- Part 18 keyed each charge 'subscription:<subscription id>:<period end>' (its idempotency key), so the
-- subscription is read back from the key. None has reached the archive yet (payments stay live for
-- seven years), so the archive's copy of the rule validates as it is. Lease statements settled before
-- part 29 stay ledger entries only (lease_statements.entry_id): their entries cannot name a payment
-- afterwards (the ledger is append-only), so no payment row is made up for them.
UPDATE public.payments p SET driver_subscription_id = split_part(p.idempotency_key, ':', 2)::uuid
 WHERE p.payment_type = 'subscription' AND p.driver_subscription_id IS NULL;
ALTER TABLE public.payments VALIDATE CONSTRAINT payments_subscription_ref_chk;
ALTER TABLE archive.payments VALIDATE CONSTRAINT payments_subscription_ref_chk;
