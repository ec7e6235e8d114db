-- V11_4__payments_money_maxima.sql — payments, refunds, disputes and payouts move at most
-- 1,000,000,000,000 minor units each, the domain maximum of a single amount (as the API validates).
ALTER TABLE public.payments ADD CONSTRAINT payments_amount_max_chk CHECK (amount_minor <= 1000000000000) NOT VALID;

ALTER TABLE public.payments VALIDATE CONSTRAINT payments_amount_max_chk;

ALTER TABLE public.refunds ADD CONSTRAINT refunds_amount_max_chk CHECK (amount_minor <= 1000000000000) NOT VALID;

ALTER TABLE public.refunds VALIDATE CONSTRAINT refunds_amount_max_chk;

ALTER TABLE public.payment_disputes ADD CONSTRAINT payment_disputes_amount_max_chk
    CHECK (amount_minor <= 1000000000000) NOT VALID;

ALTER TABLE public.payment_disputes VALIDATE CONSTRAINT payment_disputes_amount_max_chk;

ALTER TABLE public.payouts ADD CONSTRAINT payouts_amount_max_chk CHECK (amount_minor <= 1000000000000) NOT VALID;

ALTER TABLE public.payouts VALIDATE CONSTRAINT payouts_amount_max_chk;
