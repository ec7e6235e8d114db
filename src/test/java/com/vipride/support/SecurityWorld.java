package com.vipride.support;

import com.vipride.support.Rides.PastRide;
import com.vipride.support.TestAccounts.SignedIn;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A small world in which every access rule has something to allow and something to refuse: two
 * fleets with a driver, admin, vehicles and a lease each (this month's statement settled by a lease
 * payment); two active hotels (one pending) with staff, rooms and bookings; riders A (VIP, in an open
 * emergency, on an active ride), B (normal) and C (VIP, emergency resolved); staff for every platform
 * role; and a soft-deleted account. Built once per test run; tests that change state build their own
 * rows instead.
 */
public final class SecurityWorld {

    private static SecurityWorld instance;

    public final SignedIn customerA;
    public final SignedIn customerB;
    public final SignedIn customerC;
    public final SignedIn driverUser1;
    public final SignedIn driverUser2;
    public final SignedIn fleetAdmin1;
    public final SignedIn fleetAdmin2;
    public final SignedIn hotelStaff1;
    public final SignedIn hotelStaff2;
    public final SignedIn vipAdmin;
    public final SignedIn vipOperator;
    public final SignedIn responder;
    public final SignedIn support;
    public final SignedIn auditAdmin;
    public final SignedIn compliance;
    public final SignedIn systemAdmin;

    public final UUID fleet1;
    public final UUID fleet2;
    public final UUID driver1;
    public final UUID driver2;
    public final UUID vehicle1;
    public final UUID vehicle2;
    public final UUID hotel1;
    public final UUID hotel2;
    public final UUID bookingA;
    public final UUID bookingB;
    public final UUID paymentA;
    public final UUID paymentB;
    /** Fleet 1's lease payment to customer A and fleet 2's to driver user 1, each for a vehicle they own. */
    public final UUID leasePaymentToA;

    public final UUID leasePaymentToDriver1;
    /** Driver 1's failed subscription charge. */
    public final UUID subscriptionPayment1;

    public final RideRef rideAActive;
    public final RideRef rideACompleted;
    public final RideRef rideBAssigned;
    public final RideRef rideBPending;
    public final RideRef rideCCompleted;

    public record RideRef(UUID id, OffsetDateTime requestedAt) {}

    public static synchronized SecurityWorld get(TestAccounts accounts, JdbcClient superuser) {
        if (instance == null) {
            instance = new SecurityWorld(accounts, superuser);
        }
        return instance;
    }

    private final JdbcClient sql;

    private SecurityWorld(TestAccounts accounts, JdbcClient superuser) {
        this.sql = superuser;
        customerA = accounts.aSignedInCustomer();
        customerB = accounts.aSignedInCustomer();
        customerC = accounts.aSignedInCustomer();
        driverUser1 = accounts.aSignedInStaffMember("driver");
        driverUser2 = accounts.aSignedInStaffMember("driver");
        fleetAdmin1 = accounts.aSignedInStaffMember("fleet_admin");
        fleetAdmin2 = accounts.aSignedInStaffMember("fleet_admin");
        hotelStaff1 = accounts.aSignedInStaffMember("hotel_staff");
        hotelStaff2 = accounts.aSignedInStaffMember("hotel_staff");
        vipAdmin = accounts.aSignedInStaffMember("vip_admin");
        vipOperator = accounts.aSignedInStaffMember("vip_operator");
        responder = accounts.aSignedInStaffMember("emergency_responder");
        support = accounts.aSignedInStaffMember("support_agent");
        auditAdmin = accounts.aSignedInStaffMember("audit_admin");
        compliance = accounts.aSignedInStaffMember("compliance_officer");
        systemAdmin = accounts.aSignedInStaffMember("system_admin");
        UUID deleted = accounts.aRegisteredCustomer().id();
        sql.sql("UPDATE public.users SET deleted_at = now() WHERE id = :id")
                .param("id", deleted)
                .update();
        sql.sql("UPDATE public.users SET tier = 'vip' WHERE id IN (:a, :c)")
                .param("a", customerA.id())
                .param("c", customerC.id())
                .update();

        fleet1 = fleet();
        fleet2 = fleet();
        sql.sql("INSERT INTO public.fleet_admins (user_id, fleet_company_id) VALUES (:u1, :f1), (:u2, :f2)")
                .param("u1", fleetAdmin1.id())
                .param("f1", fleet1)
                .param("u2", fleetAdmin2.id())
                .param("f2", fleet2)
                .update();
        // An invitation of each fleet: fleet 1's to customer A, fleet 2's to customer B.
        sql.sql("""
                INSERT INTO public.fleet_driver_invitations (fleet_company_id, email, invited_by, expires_at)
                VALUES (:f1, :a, :u1, now() + interval '14 days'), (:f2, :b, :u2, now() + interval '14 days')""")
                .param("f1", fleet1)
                .param("a", customerA.email())
                .param("u1", fleetAdmin1.id())
                .param("f2", fleet2)
                .param("b", customerB.email())
                .param("u2", fleetAdmin2.id())
                .update();
        // An emergency contact of each of two riders and two drivers.
        sql.sql("""
                INSERT INTO public.emergency_contacts (user_id, name, phone)
                VALUES (:a, 'Contact A', '+2348090000001'), (:b, 'Contact B', '+2348090000002'),
                       (:d1, 'Contact D1', '+2348090000003'), (:d2, 'Contact D2', '+2348090000004')""")
                .param("a", customerA.id())
                .param("b", customerB.id())
                .param("d1", driverUser1.id())
                .param("d2", driverUser2.id())
                .update();
        vehicle1 = vehicle(fleet1, null);
        vehicle2 = vehicle(fleet2, null);
        UUID vehicle3 = vehicle(fleet1, customerA.id());
        UUID vehicle4 = vehicle(fleet2, driverUser1.id());
        vehicle(null, driverUser1.id());
        driver1 = driver(driverUser1.id(), fleet1, vehicle1);
        driver2 = driver(driverUser2.id(), fleet2, vehicle2);
        lease(vehicle3, customerA.id(), fleet1);
        lease(vehicle4, driverUser1.id(), fleet2);
        // This month's statement of each lease, settled: a lease payment from each fleet to the vehicle's owner.
        sql.sql("SELECT count(public.settle_lease_statement((public.issue_lease_statement(l.id, current_date)).id)) "
                        + "FROM public.vehicle_leases l WHERE l.vehicle_id IN (:v3, :v4)")
                .param("v3", vehicle3)
                .param("v4", vehicle4)
                .query(Long.class)
                .single();
        leasePaymentToA = leasePayment(customerA.id());
        leasePaymentToDriver1 = leasePayment(driverUser1.id());

        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        rideAActive = ride(PastRide.of(customerA.id(), now.minusMinutes(20))
                .tier("vip")
                .drivenBy(driver1, vehicle1, fleet1)
                .inProgress());
        rideACompleted = ride(PastRide.of(customerA.id(), now.minusDays(2))
                .tier("vip")
                .drivenBy(driver1, vehicle1, fleet1)
                .completed(10_000));
        rideBAssigned = ride(PastRide.of(customerB.id(), now.minusMinutes(5))
                .drivenBy(driver2, vehicle2, fleet2)
                .assigned());
        rideBPending = ride(PastRide.of(customerB.id(), now.minusMinutes(1)));
        rideCCompleted = ride(PastRide.of(customerC.id(), now.minusDays(3))
                .tier("vip")
                .drivenBy(driver2, vehicle2, fleet2)
                .completed(10_000));
        earnings(rideACompleted, driver1, fleet1, 10_000, 2_500, 6_800, 700);
        earnings(rideCCompleted, driver2, fleet2, 20_000, 5_000, 13_500, 1_500);
        paymentA = payment(customerA.id(), rideACompleted, "completed");
        paymentB = payment(customerB.id(), rideBAssigned, "pending");
        paymentMethod(customerA.id());
        paymentMethod(customerB.id());
        dispatchRecords(customerA.id(), rideAActive, driver1, "accepted", true);
        dispatchRecords(customerB.id(), rideBAssigned, driver2, "offered", false);
        safetyIncident(rideAActive);
        safetyIncident(rideBAssigned);

        hotel1 = hotel("active");
        hotel2 = hotel("active");
        UUID hotel3 = hotel("pending");
        sql.sql("INSERT INTO public.hotel_staff_members (user_id, hotel_id) VALUES (:u1, :h1), (:u2, :h2)")
                .param("u1", hotelStaff1.id())
                .param("h1", hotel1)
                .param("u2", hotelStaff2.id())
                .param("h2", hotel2)
                .update();
        UUID room1 = room(hotel1, true);
        UUID room2 = room(hotel2, true);
        room(hotel1, false);
        room(hotel3, true);
        bookingA = booking(hotel1, room1, customerA.id());
        bookingB = booking(hotel2, room2, customerB.id());
        hotelPartnerships(hotel1, hotel2, hotel3, room1, room2);

        money(payment(customerC.id(), rideCCompleted, "completed"));
        subscriptionPayment1 = sql.sql(
                        "SELECT id FROM public.payments WHERE payer_id = :u AND payment_type = 'subscription'")
                .param("u", driverUser1.id())
                .query(UUID.class)
                .single();
        vipProfile(customerA.id());
        vipProfile(customerC.id());
        location(customerA.id(), now);
        location(customerA.id(), now.minusMinutes(5));
        location(customerA.id(), now.minusHours(2));
        location(customerC.id(), now);
        sql.sql("""
                INSERT INTO vip_data.emergency_incidents (vip_user_id, ride_id, ride_requested_at, raised_by, kind)
                VALUES (:vip, :ride, :at, :vip, 'panic_button')""")
                .param("vip", customerA.id())
                .param("ride", rideAActive.id())
                .param("at", rideAActive.requestedAt())
                .update();
        sql.sql("""
                INSERT INTO vip_data.emergency_incidents (vip_user_id, raised_by, kind, status, resolved_at, resolved_by,
                                                          opened_at, access_expires_at)
                VALUES (:vip, :vip, 'medical', 'resolved', now() - interval '1 day', :admin,
                        now() - interval '2 days', now() - interval '2 days' + interval '4 hours')""").param("vip", customerC.id()).param("admin", vipAdmin.id()).update();
        sql.sql("""
                INSERT INTO audit.vip_access_log (vip_user_id, accessor_user_id, accessor_role, data_accessed, purpose)
                VALUES (:a, :admin, 'vip_admin', 'vip_profiles.security_notes', 'quarterly review'),
                       (:c, :admin, 'vip_admin', 'vip_location_history', 'route planning')""")
                .param("a", customerA.id())
                .param("c", customerC.id())
                .param("admin", vipAdmin.id())
                .update();
        sql.sql("""
                INSERT INTO audit.data_subject_requests (user_id, request_type) VALUES (:a, 'access'), (:b, 'erasure')""").param("a", customerA.id()).param("b", customerB.id()).update();
        sql.sql("""
                INSERT INTO audit.breach_reports (detected_at, reported_by, severity, description)
                VALUES (now() - interval '1 hour', :admin, 3, 'Laptop with exported report lost')""").param("admin", systemAdmin.id()).update();
        privacy();
        // A new installation starts from its privileges as a baseline, so no change is on record yet.
        sql.sql("""
                INSERT INTO audit.privilege_changes (change, kind, object, grantee, privilege, source)
                VALUES ('granted', 'object_privilege', 'table public.rides', 'support_agent', 'SELECT', 'monitoring')""").update();
        onboardingAndNotifications(vehicle3);
        geofencing(now);
        // Materialized views hold rows only once refreshed: refresh the analytics views over the world.
        sql.sql("SELECT count(*) FROM analytics.refresh_materialized_views()")
                .query(Long.class)
                .single();
        // The audit seal tables fill only when sealing runs: seal the world's own history.
        AuditChain.sealEverything(sql);
        archivedHistory(customerB.id(), driver2, vehicle2, fleet2, hotel2, now.minusMonths(90));
    }

    /**
     * B's ride of seven and a half years ago, with its offer, fare split, payment (refunded, disputed,
     * reported by the processor) and hotel booking, and an audit row of that month: all moved into the
     * archive schema by archive.archive_old_data, as the job does.
     */
    private void archivedHistory(
            UUID customer, UUID driver, UUID vehicle, UUID fleet, UUID hotel, OffsetDateTime longAgo) {
        sql.sql("SELECT public.create_monthly_ride_partition(CAST(:at AS date))")
                .param("at", longAgo)
                .query(String.class)
                .single();
        RideRef old = ride(
                PastRide.of(customer, longAgo).drivenBy(driver, vehicle, fleet).completed(10_000));
        earnings(old, driver, fleet, 10_000, 2_500, 6_800, 700);
        UUID oldPayment = payment(customer, old, "completed");
        sql.sql("""
                INSERT INTO public.ride_offers (ride_id, ride_requested_at, driver_id, pickup_distance_m, offered_at,
                                                expires_at, status, responded_at)
                VALUES (:ride, :at, :driver, 500, :at, CAST(:at AS timestamptz) + interval '20 seconds', 'accepted', :at)""")
                .param("ride", old.id())
                .param("at", old.requestedAt())
                .param("driver", driver)
                .update();
        sql.sql(
                        "INSERT INTO public.refunds (payment_id, amount_minor, currency, reason) VALUES (:p, 100, 'NGN', 'old')")
                .param("p", oldPayment)
                .update();
        sql.sql("INSERT INTO public.payment_disputes (payment_id, amount_minor, reason, status, resolved_at) "
                        + "VALUES (:p, 100, 'old', 'won', now())")
                .param("p", oldPayment)
                .update();
        sql.sql("INSERT INTO public.processor_events (processor, event_id, event_type, payment_id, amount_minor) "
                        + "VALUES ('sandbox', :id, 'dispute.won', :p, NULL)")
                .param("id", "evt_" + UUID.randomUUID())
                .param("p", oldPayment)
                .update();
        sql.sql("UPDATE public.hotel_bookings SET ride_id = :ride, ride_requested_at = :at WHERE id = :booking")
                .param("ride", old.id())
                .param("at", old.requestedAt())
                .param("booking", booking(hotel, room(hotel, true), customer))
                .update();
        sql.sql("SELECT audit.create_monthly_audit_partition(CAST(:at AS date))")
                .param("at", longAgo)
                .query(String.class)
                .single();
        sql.sql("""
                INSERT INTO audit.audit_log ("timestamp", table_schema, table_name, record_id, operation, new_values, db_role)
                VALUES (:at, 'public', 'rides', :ride, 'INSERT', '{}', 'customer_user')""").param("at", longAgo).param("ride", old.id().toString()).update();
        AuditChain.sealEverything(sql);
        sql.sql("SELECT archive.archive_old_data('rides', 84)")
                .query(String.class)
                .single();
        sql.sql("SELECT archive.archive_old_data('audit_log', 84)")
                .query(String.class)
                .single();
    }

    /**
     * Customer A's pending fleet application; a document of each fleet's driver and of A's vehicle that
     * fleet 1 runs; a notification to every role's user and one to B.
     */
    private void onboardingAndNotifications(UUID vehicleOfA) {
        sql.sql("""
                INSERT INTO public.fleet_companies (name, registration_number, contact_email, contact_phone, applicant_user_id)
                VALUES ('Applied ' || :n, 'RC-' || :n, 'apply@fleet.example', '+2341234567', :a)""")
                .param("n", UUID.randomUUID().toString())
                .param("a", customerA.id())
                .update();
        document(driver1, null, "driver_licence", driverUser1.id());
        document(driver2, null, "driver_licence", driverUser2.id());
        document(null, vehicleOfA, "insurance", fleetAdmin1.id());
        for (SignedIn user : List.of(
                systemAdmin,
                auditAdmin,
                compliance,
                vipAdmin,
                vipOperator,
                responder,
                fleetAdmin1,
                driverUser1,
                customerA,
                support,
                hotelStaff1,
                customerB)) {
            sql.sql("SELECT public.notify(:u, 'welcome', '{}')")
                    .param("u", user.id())
                    .query(UUID.class)
                    .single();
        }
    }

    private void document(UUID driver, UUID vehicle, String kind, UUID uploadedBy) {
        UUID key = UUID.randomUUID();
        sql.sql("""
                INSERT INTO public.fleet_documents (driver_id, vehicle_id, kind, document_number, issuer, expires_on,
                                                    storage_key, content_type, size_bytes, sha256, uploaded_by)
                VALUES (:driver, :vehicle, :kind, 'DOC-1', 'FRSC', DATE '2030-01-01', :key, 'application/pdf', 4,
                        sha256('%PDF'), :by)""")
                .param("driver", driver)
                .param("vehicle", vehicle)
                .param("kind", kind)
                .param("key", "00/" + key)
                .param("by", uploadedBy)
                .update();
    }

    /** The user each role acts as in the matrix; empty for roles that are nobody (anonymous, the bare login). */
    public Optional<UUID> identityFor(String role) {
        Map<String, SignedIn> byRole = Map.ofEntries(
                Map.entry("system_admin", systemAdmin),
                Map.entry("audit_admin", auditAdmin),
                Map.entry("compliance_officer", compliance),
                Map.entry("vip_admin", vipAdmin),
                Map.entry("vip_operator", vipOperator),
                Map.entry("emergency_responder", responder),
                Map.entry("fleet_admin", fleetAdmin1),
                Map.entry("driver_user", driverUser1),
                Map.entry("customer_user", customerA),
                Map.entry("support_agent", support),
                Map.entry("hotel_staff", hotelStaff1));
        return Optional.ofNullable(byRole.get(role)).map(SignedIn::id);
    }

    /**
     * Privacy: data-subject requests of A, B and driver user 1 (A's with a step and an export, B's with one
     * too), a legal hold on B, an erasure on record, a breach with an affected subject and its alert.
     */
    private void privacy() {
        UUID requestA =
                sql.sql("""
                        INSERT INTO compliance.subject_requests (user_id, request_type, channel, filed_by, due_at)
                        VALUES (:a, 'access', 'subject', :a, now() + interval '1 month') RETURNING id""").param("a", customerA.id()).query(UUID.class).single();
        UUID requestB =
                sql.sql("""
                        INSERT INTO compliance.subject_requests (user_id, request_type, channel, filed_by, due_at)
                        VALUES (:b, 'portability', 'subject', :b, now() + interval '1 month') RETURNING id""").param("b", customerB.id()).query(UUID.class).single();
        UUID requestDriver =
                sql.sql("""
                        INSERT INTO compliance.subject_requests (user_id, request_type, channel, filed_by, due_at)
                        VALUES (:d, 'access', 'subject', :d, now() + interval '1 month') RETURNING id""").param("d", driverUser1.id()).query(UUID.class).single();
        sql.sql("INSERT INTO compliance.exports (request_id, user_id) VALUES (:r, :d)")
                .param("r", requestDriver)
                .param("d", driverUser1.id())
                .update();
        sql.sql("""
                        INSERT INTO compliance.request_events (request_id, event, actor_id, actor_role)
                        VALUES (:r, 'received', :a, 'customer_user')""").param("r", requestA).param("a", customerA.id()).update();
        sql.sql("""
                        INSERT INTO compliance.exports (request_id, user_id) VALUES (:ra, :a), (:rb, :b)""")
                .param("ra", requestA)
                .param("a", customerA.id())
                .param("rb", requestB)
                .param("b", customerB.id())
                .update();
        sql.sql("INSERT INTO compliance.legal_holds (user_id, reason, placed_by) VALUES (:b, 'Litigation', :c)")
                .param("b", customerB.id())
                .param("c", compliance.id())
                .update();
        sql.sql("INSERT INTO compliance.erasure_log (user_id) VALUES (gen_random_uuid())")
                .update();
        // Lifted restrictions: rows for each reader to see, none in force (no enforcement side effects).
        sql.sql("""
                        INSERT INTO compliance.processing_restrictions (user_id, request_id, placed_by, lifted_at)
                        VALUES (:a, :ra, :a, now()), (:b, :rb, :c, now()), (:d, :rd, :d, now())""")
                .param("a", customerA.id())
                .param("ra", requestA)
                .param("b", customerB.id())
                .param("rb", requestB)
                .param("c", compliance.id())
                .param("d", driverUser1.id())
                .param("rd", requestDriver)
                .update();
        UUID breach = sql.sql("""
                        INSERT INTO compliance.breach_incidents (detected_at, nature, data_categories, approx_subjects,
                                                                 approx_records, likely_consequences, measures)
                        VALUES (now() - interval '1 hour', 'Lost laptop', '{contact}', 1, 10, 'Phishing risk',
                                'Remote wipe') RETURNING id""").query(UUID.class).single();
        sql.sql("INSERT INTO compliance.breach_events (incident_id, event) VALUES (:i, 'detected')")
                .param("i", breach)
                .update();
        sql.sql("INSERT INTO compliance.breach_subjects (incident_id, user_id) VALUES (:i, :b)")
                .param("i", breach)
                .param("b", customerB.id())
                .update();
        sql.sql("""
                        INSERT INTO compliance.privacy_alerts (kind, severity, reference, detail)
                        VALUES ('breach_48h', 'high', :i, 'world breach')""").param("i", breach).update();
    }

    /**
     * Geofencing: A (in an emergency) and C each have a zone, its state, a transition and an open alert;
     * C also an acknowledged one. A wrong password of B's gives system_admin an auth signal to read.
     */
    private void geofencing(OffsetDateTime now) {
        UUID zoneA = geofence(customerA.id(), "restricted");
        UUID zoneC = geofence(customerC.id(), "safe");
        geofenceTransition(zoneA, customerA.id(), true, now.minusMinutes(3));
        geofenceTransition(zoneC, customerC.id(), false, now.minusHours(1));
        geofenceAlert(zoneA, customerA.id(), "geofence_enter_restricted", now.minusMinutes(3), null);
        geofenceAlert(zoneC, customerC.id(), "geofence_exit_safe", now.minusHours(1), null);
        geofenceAlert(zoneC, customerC.id(), "geofence_exit_safe", now.minusDays(1), vipAdmin.id());
        sql.sql("INSERT INTO audit.auth_events (user_id, event) VALUES (:b, 'login_failed')")
                .param("b", customerB.id())
                .update();
    }

    private UUID geofence(UUID vip, String kind) {
        return sql.sql("""
                INSERT INTO vip_data.geofences (vip_user_id, kind, name, shape, boundary, created_by)
                VALUES (:vip, :kind, 'Zone', 'polygon', '((3.38,6.45),(3.39,6.45),(3.39,6.46),(3.38,6.46))', :vip)
                RETURNING id""")
                .param("vip", vip)
                .param("kind", kind)
                .query(UUID.class)
                .single();
    }

    private void geofenceTransition(UUID zone, UUID vip, boolean entered, OffsetDateTime at) {
        sql.sql("""
                INSERT INTO vip_data.geofence_states (geofence_id, vip_user_id, inside, since, last_recorded_at)
                VALUES (:zone, :vip, :entered, :at, :at)""")
                .param("zone", zone)
                .param("vip", vip)
                .param("entered", entered)
                .param("at", at)
                .update();
        sql.sql("""
                INSERT INTO vip_data.geofence_events (geofence_id, vip_user_id, event, occurred_at, reported_by, reporter_role)
                VALUES (:zone, :vip, CASE WHEN :entered THEN 'enter' ELSE 'exit' END, :at, :vip, 'customer_user')""")
                .param("zone", zone)
                .param("vip", vip)
                .param("entered", entered)
                .param("at", at)
                .update();
    }

    private void geofenceAlert(UUID zone, UUID vip, String kind, OffsetDateTime at, UUID acknowledgedBy) {
        sql.sql("""
                INSERT INTO vip_data.security_alerts (kind, severity, vip_user_id, geofence_id, raised_at, last_seen_at,
                                                      window_ends_at, acknowledged_at, acknowledged_by)
                VALUES (:kind, 'high', :vip, :zone, :at, :at, CAST(:at AS timestamptz) + interval '10 minutes',
                        CASE WHEN CAST(:by AS uuid) IS NOT NULL THEN now() END, :by)""")
                .param("kind", kind)
                .param("vip", vip)
                .param("zone", zone)
                .param("at", at)
                .param("by", acknowledgedBy)
                .update();
    }

    private UUID fleet() {
        return sql.sql("""
                INSERT INTO public.fleet_companies (name, registration_number, contact_email, contact_phone, status, verified_at)
                VALUES ('Fleet ' || :n, 'RC-' || :n, 'ops@fleet.example', '+2341234567', 'active', now()) RETURNING id""")
                .param("n", UUID.randomUUID().toString())
                .query(UUID.class)
                .single();
    }

    private UUID vehicle(UUID fleet, UUID owner) {
        return sql.sql("""
                INSERT INTO public.vehicles (plate_number, make, model, model_year, color, vehicle_type, seats,
                                             fleet_company_id, owner_user_id, vip_certified)
                VALUES (:plate, 'Toyota', 'Land Cruiser', 2023, 'black', 'suv', 6, :fleet, :owner, true) RETURNING id""")
                .param("plate", "LAG-" + ThreadLocalRandom.current().nextInt(10_000_000))
                .param("fleet", fleet)
                .param("owner", owner)
                .query(UUID.class)
                .single();
    }

    private UUID driver(UUID user, UUID fleet, UUID vehicle) {
        return sql.sql("""
                INSERT INTO public.drivers (user_id, fleet_company_id, current_vehicle_id, license_number,
                                            license_expires_on, category, status, is_online, is_available,
                                            current_lat, current_lng, vip_vetted_at)
                VALUES (:user, :fleet, :vehicle, :licence, DATE '2030-01-01', 'fleet_driver', 'approved', true, false,
                        6.5244, 3.3792, now()) RETURNING id""")
                .param("user", user)
                .param("fleet", fleet)
                .param("vehicle", vehicle)
                .param("licence", "LIC-" + UUID.randomUUID())
                .query(UUID.class)
                .single();
    }

    private UUID leasePayment(UUID owner) {
        return sql.sql("SELECT id FROM public.payments WHERE payee_user_id = :owner")
                .param("owner", owner)
                .query(UUID.class)
                .single();
    }

    private void lease(UUID vehicle, UUID owner, UUID fleet) {
        sql.sql("""
                INSERT INTO public.vehicle_leases (vehicle_id, owner_user_id, fleet_company_id, lease_type, currency,
                                                   fixed_monthly_minor, starts_on)
                VALUES (:vehicle, :owner, :fleet, 'fixed_rate', 'NGN', 50000000, DATE '2026-01-01')""")
                .param("vehicle", vehicle)
                .param("owner", owner)
                .param("fleet", fleet)
                .update();
    }

    /**
     * A ride (an SUV trip) at a given moment of the world's history: the active ones started minutes ago
     * and the old ones months ago, which no request can make now (see Rides.PastRide).
     */
    private RideRef ride(PastRide ride) {
        return new RideRef(ride.vehicleType("suv").insert(sql).id(), ride.requestedAt());
    }

    private void earnings(
            RideRef ride, UUID driver, UUID fleet, long fare, long commission, long driverShare, long fleetShare) {
        sql.sql("""
                INSERT INTO public.ride_earnings (ride_id, ride_requested_at, driver_id, fleet_company_id, currency,
                    fare_minor, commission_rate_bp, commission_rule, platform_commission_minor, driver_share_minor,
                    fleet_share_minor)
                VALUES (:ride, :at, :driver, :fleet, 'NGN', :fare, 2500, 'fixture', :commission, :driverShare, :fleetShare)""")
                .param("ride", ride.id())
                .param("at", ride.requestedAt())
                .param("driver", driver)
                .param("fleet", fleet)
                .param("fare", fare)
                .param("commission", commission)
                .param("driverShare", driverShare)
                .param("fleetShare", fleetShare)
                .update();
    }

    /**
     * A customer's quote and request key, and the offer of their ride to its driver. A key still in
     * flight has no ride recorded yet, as inside its request's transaction. The offer stays open for the
     * whole run: a dispatcher pass of another test (they cover every city) must not time it out and hand
     * the world's assigned ride back to dispatch, whichever order the test classes run in.
     */
    /** An SOS incident on the ride, opened as the ride's emergency opens one (with its timeline). */
    private void safetyIncident(RideRef ride) {
        sql.sql(
                        "SELECT public.open_safety_incident(r, NULL, 'sos') FROM public.rides r WHERE r.id = :ride AND r.requested_at = :at")
                .param("ride", ride.id())
                .param("at", ride.requestedAt())
                .query()
                .singleRow();
    }

    private void dispatchRecords(UUID customer, RideRef ride, UUID driver, String offerStatus, boolean keyInFlight) {
        sql.sql("""
                INSERT INTO public.fare_quotes (customer_id, city, tariff_id, vehicle_type, billing_model, rider_tier,
                    passengers, pickup_lat, pickup_lng, dropoff_lat, dropoff_lng, currency, estimated_distance_m,
                    estimated_duration_s, demand, supply, surge_multiplier, estimated_fare_minor, expires_at)
                SELECT :customer, 'lagos', t.id, 'sedan', 'per_ride', 'normal', 1, 6.43, 3.42, 6.58, 3.32, 'NGN', 20000,
                       3000, 1, 1, 1.00, 500000, now() + interval '5 minutes'
                  FROM public.tariffs t
                 WHERE t.city = 'lagos' AND t.vehicle_type = 'sedan' AND t.rider_tier = 'normal'
                   AND t.billing_model = 'per_ride' AND t.retired_at IS NULL""").param("customer", customer).update();
        sql.sql("""
                INSERT INTO public.ride_request_keys (customer_id, idempotency_key, request_fingerprint, ride_id, ride_requested_at)
                VALUES (:customer, 'fixture', 'fixture', :ride, :at)""")
                .param("customer", customer)
                .param("ride", keyInFlight ? null : ride.id())
                .param("at", keyInFlight ? null : ride.requestedAt())
                .update();
        sql.sql("""
                INSERT INTO public.ride_offers (ride_id, ride_requested_at, driver_id, pickup_distance_m, offered_at,
                                                expires_at, status, responded_at)
                VALUES (:ride, :at, :driver, 800, now(), now() + interval '1 day', :status,
                        CASE WHEN :status <> 'offered' THEN now() END)""")
                .param("ride", ride.id())
                .param("at", ride.requestedAt())
                .param("driver", driver)
                .param("status", offerStatus)
                .update();
    }

    /**
     * Ledger, refunds and disputes: one balanced entry owing each kind of payee (driver 1, fleet 1,
     * customer A as a vehicle owner, hotel 1, driver 2), a refund and a won dispute on customer A's and
     * customer C's payments, a payout to each of the first four payees, two drivers' subscriptions (with a
     * failed charge attempt of driver 1's: a failed subscription payment), and a dollar rate that takes effect in the
     * future (so none is in force).
     */
    private void money(UUID paymentC) {
        sql.sql("""
                SELECT public.post_entry('ride_fare', 'NGN', 'fixture', NULL, NULL, NULL,
                    ARRAY[public.ledger_account('platform', NULL, 'processor_receivable', 'NGN'),
                          public.ledger_account('driver', :driver1, 'payable', 'NGN'),
                          public.ledger_account('fleet', :fleet1, 'payable', 'NGN'),
                          public.ledger_account('vehicle_owner', :owner, 'payable', 'NGN'),
                          public.ledger_account('hotel', :hotel1, 'payable', 'NGN'),
                          public.ledger_account('driver', :driver2, 'payable', 'NGN')],
                    ARRAY[15000, -5000, -4000, -3000, -2000, -1000]::bigint[])""")
                .param("driver1", driver1)
                .param("fleet1", fleet1)
                .param("owner", customerA.id())
                .param("hotel1", hotel1)
                .param("driver2", driver2)
                .query(UUID.class)
                .single();
        closedHistory();
        for (UUID payment : new UUID[] {paymentA, paymentC}) {
            sql.sql(
                            "INSERT INTO public.refunds (payment_id, amount_minor, currency, reason) VALUES (:p, 100, 'NGN', 'fixture')")
                    .param("p", payment)
                    .update();
            sql.sql("INSERT INTO public.payment_disputes (payment_id, amount_minor, reason, status, resolved_at) "
                            + "VALUES (:p, 100, 'fixture', 'won', now())")
                    .param("p", payment)
                    .update();
        }
        sql.sql("INSERT INTO public.processor_events (processor, event_id, event_type, payment_id, amount_minor) "
                        + "VALUES ('sandbox', :id, 'charge.refunded', :p, 100)")
                .param("id", "evt_" + UUID.randomUUID())
                .param("p", paymentA)
                .update();
        sql.sql("""
                INSERT INTO public.payouts (account_id, holder_kind, holder_id, currency, amount_minor, entry_id)
                SELECT a.id, a.holder_kind, a.holder_id, 'NGN', 100, e.id
                  FROM public.ledger_accounts a, public.journal_entries e
                 WHERE a.purpose = 'payable' AND a.holder_id IN (:driver1, :fleet1, :owner, :hotel1) AND e.description = 'fixture'""")
                .param("driver1", driver1)
                .param("fleet1", fleet1)
                .param("owner", customerA.id())
                .param("hotel1", hotel1)
                .update();
        sql.sql("""
                INSERT INTO public.driver_subscriptions (driver_id, tier, currency, monthly_price_minor, current_period_end,
                                                         next_billing_at)
                VALUES (:d1, 'premium', 'USD', 19900, now() + interval '20 days', now() + interval '20 days'),
                       (:d2, 'basic', 'USD', 9900, now() + interval '10 days', now() + interval '10 days')""").param("d1", driver1).param("d2", driver2).update();
        sql.sql("""
                INSERT INTO public.payments (payer_id, payment_type, driver_subscription_id, amount_minor, currency, status,
                                             method, processor, failure_reason, failed_at)
                SELECT :u1, 'subscription', s.id, 9900, 'USD', 'failed', 'wallet', 'earnings', 'insufficient-earnings', now()
                  FROM public.driver_subscriptions s WHERE s.driver_id = :d1""").param("u1", driverUser1.id()).param("d1", driver1).update();
        sql.sql(
                        "INSERT INTO public.exchange_rates VALUES ('USD', 'NGN', 1600, TIMESTAMPTZ '2100-01-01', 'fixture', now()) "
                                + "ON CONFLICT DO NOTHING")
                .update();
    }

    /** The fixture entry's lines and their reversal in a past month, closed: a closed-balance row per account, balances unchanged. */
    private void closedHistory() {
        List<Map<String, Object>> lines = sql.sql("""
                SELECT l.account_id, l.amount_minor FROM public.journal_lines l JOIN public.journal_entries e ON e.id = l.entry_id
                 WHERE e.description = 'fixture' ORDER BY l.line_no""").query().listOfRows();
        List<UUID> accounts =
                lines.stream().map(line -> (UUID) line.get("account_id")).toList();
        List<Long> amounts =
                lines.stream().map(line -> (Long) line.get("amount_minor")).toList();
        LocalDate month = LedgerHistory.openMonths(sql, 1);
        LedgerHistory.post(sql, month.withDayOfMonth(10).atStartOfDay().atOffset(ZoneOffset.UTC), accounts, amounts);
        LedgerHistory.post(
                sql,
                month.withDayOfMonth(20).atStartOfDay().atOffset(ZoneOffset.UTC),
                accounts,
                amounts.stream().map(amount -> -amount).toList());
        LedgerHistory.closeThrough(sql, month);
    }

    private UUID payment(UUID payer, RideRef ride, String status) {
        return sql.sql("""
                INSERT INTO public.payments (payer_id, payment_type, ride_id, ride_requested_at, amount_minor, currency,
                                             status, method, processor_reference, completed_at)
                VALUES (:payer, 'ride_fare', :ride, :at, 10000, 'NGN', CAST(:status AS public.payment_status), 'card',
                        :reference, CASE WHEN :status = 'completed' THEN now() END) RETURNING id""")
                .param("payer", payer)
                .param("ride", ride.id())
                .param("at", ride.requestedAt())
                .param("status", status)
                .param("reference", "ch_" + UUID.randomUUID())
                .query(UUID.class)
                .single();
    }

    private void paymentMethod(UUID user) {
        sql.sql("""
                INSERT INTO public.payment_methods (user_id, method, processor, processor_token, brand, last4, expires_month, expires_year)
                VALUES (:user, 'card', 'sandbox', :token, 'visa', '4242', 12, 2030)""")
                .param("user", user)
                .param("token", "tok_" + UUID.randomUUID())
                .update();
    }

    /**
     * Each hotel's room type (hotel 3's pending one too), rate plan, peak season and blackout; bookings A
     * and B of a room type (holding nights); ride A completed as hotel 1's transfer of booking A, ride C
     * as hotel 2's guest ride; a statement each for hotels 1 and 2.
     */
    private void hotelPartnerships(UUID h1, UUID h2, UUID h3, UUID room1, UUID room2) {
        for (UUID hotel : List.of(h1, h2, h3)) {
            sql.sql("""
                    WITH t AS (INSERT INTO public.hotel_room_types (hotel_id, name, category, capacity)
                               VALUES (:h, 'Suite', 'suite', 2) RETURNING id),
                         p AS (INSERT INTO public.hotel_rate_plans (hotel_id, room_type_id, name, currency, base_nightly_minor,
                                                                    valid_from)
                               SELECT :h, t.id, 'Rack', 'NGN', 25000000, current_date - 30 FROM t RETURNING id)
                    INSERT INTO public.hotel_rate_plan_seasons (rate_plan_id, hotel_id, name, starts_on, ends_on, surcharge_bp)
                    SELECT p.id, :h, 'Festive', current_date + 100, current_date + 110, 2000 FROM p""").param("h", hotel).update();
            sql.sql("""
                    INSERT INTO public.hotel_blackout_dates (hotel_id, starts_on, ends_on, reason)
                    VALUES (:h, current_date + 200, current_date + 202, 'renovation')""").param("h", hotel).update();
        }
        for (var room : List.of(Map.entry(h1, room1), Map.entry(h2, room2))) {
            sql.sql("""
                    UPDATE public.hotel_rooms r SET room_type_id = t.id FROM public.hotel_room_types t
                     WHERE r.id = :room AND t.hotel_id = :h""")
                    .param("room", room.getValue())
                    .param("h", room.getKey())
                    .update();
            sql.sql("UPDATE public.hotel_bookings b SET room_type_id = r.room_type_id FROM public.hotel_rooms r "
                            + "WHERE b.room_id = r.id AND r.id = :room")
                    .param("room", room.getValue())
                    .update();
        }
        sql.sql("""
                INSERT INTO public.hotel_rides (ride_id, ride_requested_at, hotel_id, booking_id, purpose, requested_by,
                                                referral_rate_bp)
                VALUES (:a, :aAt, :h1, :bookingA, 'arrival', :staff1, 300), (:c, :cAt, :h2, NULL, 'guest_ride', :staff2, 300)""")
                .param("a", rideACompleted.id())
                .param("aAt", rideACompleted.requestedAt())
                .param("h1", h1)
                .param("bookingA", bookingA)
                .param("staff1", hotelStaff1.id())
                .param("c", rideCCompleted.id())
                .param("cAt", rideCCompleted.requestedAt())
                .param("h2", h2)
                .param("staff2", hotelStaff2.id())
                .update();
        // Customer A's active ride billed to hotel 1: the payment its staff see.
        sql.sql("""
                INSERT INTO public.payments (payer_hotel_id, payment_type, ride_id, ride_requested_at, amount_minor, currency,
                                             status, method)
                VALUES (:h1, 'ride_fare', :ride, :at, 10000, 'NGN', 'pending', 'hotel_account')""")
                .param("h1", h1)
                .param("ride", rideAActive.id())
                .param("at", rideAActive.requestedAt())
                .update();
        sql.sql("""
                INSERT INTO public.hotel_statements (hotel_id, period_start, currency, bookings, booking_value_minor,
                    booking_commission_minor, rides, ride_fares_minor, referral_commission_minor, hotel_billed_rides_minor,
                    opening_balance_minor, closing_balance_minor, amount_payable_minor, body)
                SELECT h, date_trunc('month', current_date)::date - interval '1 month', 'NGN', 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, '{}'
                  FROM unnest(CAST(ARRAY[:h1, :h2] AS uuid[])) h""").param("h1", h1).param("h2", h2).update();
    }

    private UUID hotel(String status) {
        return sql.sql("""
                INSERT INTO public.hotel_partners (name, address, lat, lng, star_rating, commission_rate_bp,
                                                   contact_email, contact_phone, status)
                VALUES ('Hotel ' || :n, 'Victoria Island', 6.4281, 3.4219, 5, 1250, 'desk@hotel.example', '+2341234000', :status)
                RETURNING id""")
                .param("n", UUID.randomUUID().toString())
                .param("status", status)
                .query(UUID.class)
                .single();
    }

    private UUID room(UUID hotel, boolean available) {
        return sql.sql("""
                INSERT INTO public.hotel_rooms (hotel_id, room_number, room_type, max_occupancy, nightly_rate_minor, currency, is_available)
                VALUES (:hotel, :number, 'suite', 2, 25000000, 'NGN', :available) RETURNING id""")
                .param("hotel", hotel)
                .param("number", String.valueOf(ThreadLocalRandom.current().nextInt(100, 100_000)))
                .param("available", available)
                .query(UUID.class)
                .single();
    }

    private UUID booking(UUID hotel, UUID room, UUID customer) {
        LocalDate checkIn = LocalDate.now(ZoneOffset.UTC).plusDays(10);
        return sql.sql("""
                INSERT INTO public.hotel_bookings (hotel_id, room_id, customer_id, guest_name, guest_phone, check_in,
                                                   check_out, total_minor, currency)
                VALUES (:hotel, :room, :customer, 'Ada Obi', '+2348030000000', :in, :out, 50000000, 'NGN') RETURNING id""")
                .param("hotel", hotel)
                .param("room", room)
                .param("customer", customer)
                .param("in", checkIn)
                .param("out", checkIn.plusDays(2))
                .query(UUID.class)
                .single();
    }

    private void vipProfile(UUID user) {
        sql.sql("""
                INSERT INTO vip_data.vip_profiles (user_id, priority_level, threat_level, security_notes_enc, medical_notes_enc)
                VALUES (:user, 3, 'high', '\\x01'::bytea, '\\x02'::bytea)""").param("user", user).update();
    }

    private void location(UUID user, OffsetDateTime at) {
        sql.sql("""
                INSERT INTO vip_data.vip_location_history (user_id, encrypted_coordinates, recorded_at)
                VALUES (:user, '\\x00'::bytea, :at)""").param("user", user).param("at", at).update();
    }
}
