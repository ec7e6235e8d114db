-- V13_1__notifications_hotel_booking_expired.sql — the notice a guest (or the hotel staff member who
-- booked) gets when a booking left pending past its hold is expired and its room released. Reference
-- data: the owner has no write policy on these tables, so row security is lifted for the insert only.

ALTER TABLE public.notification_types NO FORCE ROW LEVEL SECURITY;

ALTER TABLE public.notification_templates NO FORCE ROW LEVEL SECURITY;

INSERT INTO public.notification_types (type, category, channels) VALUES
    ('hotel.booking-expired', 'transactional', ARRAY['push', 'email']);

INSERT INTO public.notification_templates (type, language, subject, body) VALUES
    ('hotel.booking-expired', 'en', 'Your hotel booking expired',
     'Booking {{reference}} ({{checkIn}} to {{checkOut}}) was not paid or confirmed in time and has been released.');

ALTER TABLE public.notification_types FORCE ROW LEVEL SECURITY;

ALTER TABLE public.notification_templates FORCE ROW LEVEL SECURITY;
