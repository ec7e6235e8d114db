-- V8_2__payments_hotel_commission_entries.sql — two journal entry types for hotel partnerships: the
-- commission a hotel owes on a booking its guest pays at the desk (hotel_commission), and the referral
-- commission the platform owes a hotel on a ride it originated (hotel_referral).

ALTER TABLE public.journal_entries DROP CONSTRAINT journal_entries_type_chk;

ALTER TABLE public.journal_entries ADD CONSTRAINT journal_entries_type_chk CHECK (entry_type IN ('ride_fare',
    'hotel_booking', 'processor_fee', 'refund', 'chargeback', 'payout', 'subscription_fee', 'lease_payment',
    'lease_termination', 'hotel_commission', 'hotel_referral'));
