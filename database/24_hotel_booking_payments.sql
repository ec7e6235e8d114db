-- Part 24 — riders pay hotel bookings through the platform. The hotel is owed the booking's total less
-- the platform's commission at the hotel's rate; both are posted to the ledger like a ride's fare, so
-- refunds, disputes, holds and payouts work the same way for hotels.

ALTER TABLE public.payments ADD COLUMN hotel_booking_id uuid;
-- A reference without a foreign key, like the ledger's: a payment and its booking may reach the archive
-- in either order (bookings tied to a ride move with the ride).
ALTER TABLE public.payments ADD CONSTRAINT payments_booking_ref_chk
    CHECK ((payment_type = 'hotel_booking') = (hotel_booking_id IS NOT NULL));
COMMENT ON COLUMN public.payments.hotel_booking_id IS 'The hotel booking a hotel_booking payment pays (hotel_bookings.id).';
-- The archive keeps the live table's shape.
ALTER TABLE archive.payments ADD COLUMN hotel_booking_id uuid;
ALTER TABLE archive.payments ADD CONSTRAINT payments_booking_ref_chk
    CHECK ((payment_type = 'hotel_booking') = (hotel_booking_id IS NOT NULL));
CREATE UNIQUE INDEX payments_one_per_booking_key ON public.payments (hotel_booking_id)
    WHERE payment_type = 'hotel_booking' AND status IN ('pending', 'processing', 'completed', 'refunded', 'disputed');

-- Records the outcome of charging the caller's booking and posts it: the processor owes the total; the
-- hotel is owed the total less commission; the platform earns the commission (rounded half-up).
CREATE FUNCTION public.record_hotel_booking_payment(p_booking_id uuid, p_method text, p_processor text, p_reference text,
                                                    p_fee_minor bigint, p_succeeded boolean, p_failure text,
                                                    p_idempotency_key text)
    RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path = pg_catalog
AS $$
DECLARE
    v_booking    public.hotel_bookings;
    v_rate_bp    integer;
    v_commission bigint;
    v_payment    uuid;
BEGIN
    SELECT * INTO v_booking FROM public.hotel_bookings b
     WHERE b.id = p_booking_id AND b.customer_id = public.current_app_user_id() FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'Booking % is not yours.', p_booking_id USING ERRCODE = 'VR404', HINT = 'not-found';
    END IF;
    -- A retry with the same Idempotency-Key gets the first attempt's payment.
    SELECT p.id INTO v_payment FROM public.payments p
     WHERE p.payer_id = public.current_app_user_id() AND p.idempotency_key = p_idempotency_key
       AND p.hotel_booking_id = p_booking_id;
    IF FOUND THEN
        RETURN v_payment;
    END IF;
    IF v_booking.status <> 'confirmed' THEN
        RAISE EXCEPTION 'Only a confirmed booking is paid (this one is %).', v_booking.status
            USING ERRCODE = 'VR409', HINT = 'booking-not-payable';
    END IF;
    IF EXISTS (SELECT FROM public.payments p WHERE p.hotel_booking_id = p_booking_id AND p.status <> 'failed') THEN
        RAISE EXCEPTION 'Booking % is already paid.', p_booking_id USING ERRCODE = 'VR409', HINT = 'already-paid';
    END IF;
    INSERT INTO public.payments (payer_id, payment_type, hotel_booking_id, amount_minor, currency, status, method,
                                 processor, processor_reference, processor_fee_minor, failure_reason, authorized_at,
                                 completed_at, failed_at, idempotency_key)
    VALUES (v_booking.customer_id, 'hotel_booking', p_booking_id, v_booking.total_minor, v_booking.currency,
            CASE WHEN p_succeeded THEN 'completed' ELSE 'failed' END::public.payment_status, p_method, p_processor,
            p_reference, CASE WHEN p_succeeded THEN p_fee_minor ELSE 0 END, p_failure, now(),
            CASE WHEN p_succeeded THEN now() END, CASE WHEN NOT p_succeeded THEN now() END, p_idempotency_key)
    RETURNING id INTO v_payment;
    IF NOT p_succeeded THEN
        RETURN v_payment;
    END IF;
    SELECT h.commission_rate_bp INTO STRICT v_rate_bp FROM public.hotel_partners h WHERE h.id = v_booking.hotel_id;
    v_commission := round(v_booking.total_minor * v_rate_bp / 10000.0);
    PERFORM public.post_entry('hotel_booking', v_booking.currency, 'Hotel booking ' || v_booking.booking_reference,
        v_payment, NULL, NULL,
        ARRAY[public.ledger_account('platform', NULL, 'processor_receivable', v_booking.currency),
              public.ledger_account('platform', NULL, 'commission_revenue', v_booking.currency),
              public.ledger_account('hotel', v_booking.hotel_id, 'payable', v_booking.currency)],
        ARRAY[v_booking.total_minor, -v_commission, -(v_booking.total_minor - v_commission)]);
    IF p_fee_minor > 0 THEN
        PERFORM public.post_entry('processor_fee', v_booking.currency, 'Processor fee of payment ' || v_payment,
            v_payment, NULL, NULL,
            ARRAY[public.ledger_account('platform', NULL, 'processor_fees', v_booking.currency),
                  public.ledger_account('platform', NULL, 'processor_receivable', v_booking.currency)],
            ARRAY[p_fee_minor, -p_fee_minor]);
    END IF;
    RETURN v_payment;
END
$$;
COMMENT ON FUNCTION public.record_hotel_booking_payment(uuid, text, text, text, bigint, boolean, text, text) IS
    'Records the rider''s payment of their own confirmed booking and posts the hotel''s share and the commission.';

CREATE POLICY hotel_bookings_update_owner ON public.hotel_bookings FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);
CREATE POLICY hotel_partners_select_owner ON public.hotel_partners FOR SELECT TO vipride_owner USING (true);

REVOKE ALL ON FUNCTION public.record_hotel_booking_payment(uuid, text, text, text, bigint, boolean, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public.record_hotel_booking_payment(uuid, text, text, text, bigint, boolean, text, text) TO customer_user;
