-- V13_2__payments_hotel_billed_rides.sql — a ride billed to a hotel is paid from the hotel's account:
-- its payment names the hotel as payer (not the guest) with the method hotel_account, and its fare is
-- posted against the hotel's partner balance instead of a processor's receivable.

ALTER TABLE public.payments
    ADD COLUMN payer_hotel_id uuid,
    ADD CONSTRAINT payments_payer_hotel_fk FOREIGN KEY (payer_hotel_id) REFERENCES public.hotel_partners (id);

ALTER TABLE public.payments DROP CONSTRAINT payments_one_payer_chk;

ALTER TABLE public.payments DROP CONSTRAINT payments_method_chk;

ALTER TABLE public.payments
    ADD CONSTRAINT payments_one_payer_chk CHECK (num_nonnulls(payer_id, payer_fleet_company_id, payer_hotel_id) = 1),
    ADD CONSTRAINT payments_method_chk CHECK (method IN ('card', 'bank_transfer', 'wallet', 'cash', 'hotel_account')),
    ADD CONSTRAINT payments_hotel_payer_chk CHECK ((payer_hotel_id IS NOT NULL) = (method = 'hotel_account')
                                                   AND (payer_hotel_id IS NULL OR payment_type = 'ride_fare'));

COMMENT ON COLUMN public.payments.payer_hotel_id IS 'The paying hotel of a ride billed to it (method hotel_account); else empty.';

CREATE INDEX payments_payer_hotel_idx ON public.payments (payer_hotel_id, created_at) WHERE payer_hotel_id IS NOT NULL;

-- The archive keeps the same shape and rules.
ALTER TABLE archive.payments ADD COLUMN payer_hotel_id uuid;

ALTER TABLE archive.payments DROP CONSTRAINT payments_one_payer_chk;

ALTER TABLE archive.payments DROP CONSTRAINT payments_method_chk;

ALTER TABLE archive.payments
    ADD CONSTRAINT payments_one_payer_chk CHECK (num_nonnulls(payer_id, payer_fleet_company_id, payer_hotel_id) = 1),
    ADD CONSTRAINT payments_method_chk CHECK (method IN ('card', 'bank_transfer', 'wallet', 'cash', 'hotel_account')),
    ADD CONSTRAINT payments_hotel_payer_chk CHECK ((payer_hotel_id IS NOT NULL) = (method = 'hotel_account')
                                                   AND (payer_hotel_id IS NULL OR payment_type = 'ride_fare'));
