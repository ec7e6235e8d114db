-- R__09_hotels.sql — the policies, grants and audit triggers of the hotel tables (hotel_partners,
-- hotel_staff_members, hotel_rooms, hotel_bookings).
-- Flyway repeatable: must stay re-runnable (CREATE OR REPLACE, and the DO prologue below).

SET check_function_bodies = off;

-- Re-runnable: the policies and audit triggers of this capability's tables are created again below.
SELECT maintenance.drop_policies_and_audit_triggers(
    'public.hotel_partners',
    'public.hotel_staff_members',
    'public.hotel_rooms',
    'public.hotel_bookings');

SELECT audit.enable_audit('public.hotel_partners');

SELECT audit.enable_audit('public.hotel_staff_members', 'user_id');

SELECT audit.enable_audit('public.hotel_rooms');

SELECT audit.enable_audit('public.hotel_bookings');

GRANT SELECT ON public.hotel_partners TO customer_user, hotel_staff, support_agent, system_admin;

GRANT INSERT ON public.hotel_partners TO system_admin;

GRANT UPDATE (contact_email, contact_phone, address) ON public.hotel_partners TO hotel_staff;

GRANT UPDATE ON public.hotel_partners TO system_admin;

CREATE POLICY hotel_partners_select_customer_user ON public.hotel_partners FOR SELECT TO customer_user
    USING (status = 'active');

CREATE POLICY hotel_partners_select_hotel_staff ON public.hotel_partners FOR SELECT TO hotel_staff
    USING (id = (SELECT public.current_hotel_id()));

CREATE POLICY hotel_partners_select_support_agent ON public.hotel_partners FOR SELECT TO support_agent USING (true);

CREATE POLICY hotel_partners_select_system_admin ON public.hotel_partners FOR SELECT TO system_admin USING (true);

CREATE POLICY hotel_partners_insert_system_admin ON public.hotel_partners FOR INSERT TO system_admin WITH CHECK (true);

CREATE POLICY hotel_partners_update_hotel_staff ON public.hotel_partners FOR UPDATE TO hotel_staff
    USING (id = (SELECT public.current_hotel_id())) WITH CHECK (id = (SELECT public.current_hotel_id()));

CREATE POLICY hotel_partners_update_system_admin ON public.hotel_partners FOR UPDATE TO system_admin
    USING (true) WITH CHECK (true);

GRANT SELECT ON public.hotel_staff_members TO hotel_staff, system_admin;

GRANT INSERT, DELETE ON public.hotel_staff_members TO system_admin;

CREATE POLICY hotel_staff_members_select_hotel_staff ON public.hotel_staff_members FOR SELECT TO hotel_staff
    USING (hotel_id = (SELECT public.current_hotel_id()));

CREATE POLICY hotel_staff_members_select_system_admin ON public.hotel_staff_members FOR SELECT TO system_admin USING (true);

CREATE POLICY hotel_staff_members_insert_system_admin ON public.hotel_staff_members FOR INSERT TO system_admin WITH CHECK (true);

CREATE POLICY hotel_staff_members_delete_system_admin ON public.hotel_staff_members FOR DELETE TO system_admin USING (true);

CREATE POLICY hotel_staff_members_select_owner ON public.hotel_staff_members FOR SELECT TO vipride_owner USING (true);

GRANT SELECT ON public.hotel_rooms TO customer_user, hotel_staff, system_admin;

GRANT INSERT, UPDATE ON public.hotel_rooms TO hotel_staff, system_admin;

CREATE POLICY hotel_rooms_select_customer_user ON public.hotel_rooms FOR SELECT TO customer_user
    USING (is_available AND hotel_id IN (SELECT h.id FROM public.hotel_partners h WHERE h.status = 'active'));

CREATE POLICY hotel_rooms_select_hotel_staff ON public.hotel_rooms FOR SELECT TO hotel_staff
    USING (hotel_id = (SELECT public.current_hotel_id()));

CREATE POLICY hotel_rooms_select_system_admin ON public.hotel_rooms FOR SELECT TO system_admin USING (true);

CREATE POLICY hotel_rooms_insert_hotel_staff ON public.hotel_rooms FOR INSERT TO hotel_staff
    WITH CHECK (hotel_id = (SELECT public.current_hotel_id()));

CREATE POLICY hotel_rooms_insert_system_admin ON public.hotel_rooms FOR INSERT TO system_admin WITH CHECK (true);

CREATE POLICY hotel_rooms_update_hotel_staff ON public.hotel_rooms FOR UPDATE TO hotel_staff
    USING (hotel_id = (SELECT public.current_hotel_id())) WITH CHECK (hotel_id = (SELECT public.current_hotel_id()));

CREATE POLICY hotel_rooms_update_system_admin ON public.hotel_rooms FOR UPDATE TO system_admin USING (true) WITH CHECK (true);

GRANT SELECT ON public.hotel_bookings TO customer_user, hotel_staff, support_agent, system_admin;

-- Bookings are made by public.book_hotel_room (priced by the database), never written by the caller.
REVOKE INSERT ON public.hotel_bookings FROM customer_user;

GRANT UPDATE (status) ON public.hotel_bookings TO customer_user, hotel_staff;

CREATE POLICY hotel_bookings_select_customer_user ON public.hotel_bookings FOR SELECT TO customer_user
    USING (customer_id = public.current_app_user_id());

CREATE POLICY hotel_bookings_select_hotel_staff ON public.hotel_bookings FOR SELECT TO hotel_staff
    USING (hotel_id = (SELECT public.current_hotel_id()));

CREATE POLICY hotel_bookings_select_support_agent ON public.hotel_bookings FOR SELECT TO support_agent USING (true);

CREATE POLICY hotel_bookings_select_system_admin ON public.hotel_bookings FOR SELECT TO system_admin USING (true);

-- Status changes go through the booking functions (hotel_bookings_guard_status refuses direct ones);
-- these policies bound what a rider or the hotel could touch at all.
CREATE POLICY hotel_bookings_update_customer_user ON public.hotel_bookings FOR UPDATE TO customer_user
    USING (customer_id = public.current_app_user_id() AND status IN ('pending', 'confirmed'))
    WITH CHECK (customer_id = public.current_app_user_id() AND status = 'cancelled');

CREATE POLICY hotel_bookings_update_hotel_staff ON public.hotel_bookings FOR UPDATE TO hotel_staff
    USING (hotel_id = (SELECT public.current_hotel_id()))
    WITH CHECK (hotel_id = (SELECT public.current_hotel_id()) AND status IN ('checked_in', 'checked_out', 'no_show', 'cancelled'));

CREATE POLICY hotel_bookings_select_owner ON public.hotel_bookings FOR SELECT TO vipride_owner USING (true);

CREATE POLICY hotel_bookings_delete_owner ON public.hotel_bookings FOR DELETE TO vipride_owner USING (true);

CREATE POLICY hotel_bookings_update_owner ON public.hotel_bookings FOR UPDATE TO vipride_owner USING (true) WITH CHECK (true);

CREATE POLICY hotel_partners_select_owner ON public.hotel_partners FOR SELECT TO vipride_owner USING (true);

-- updated_at follows every change.
CREATE OR REPLACE TRIGGER hotel_partners_touch_updated_at BEFORE UPDATE ON public.hotel_partners
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE OR REPLACE TRIGGER hotel_rooms_touch_updated_at BEFORE UPDATE ON public.hotel_rooms
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();

CREATE OR REPLACE TRIGGER hotel_bookings_touch_updated_at BEFORE UPDATE ON public.hotel_bookings
    FOR EACH ROW EXECUTE FUNCTION public.touch_updated_at();
