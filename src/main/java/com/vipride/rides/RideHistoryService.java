package com.vipride.rides;

import com.vipride.platform.security.Caller;
import com.vipride.platform.security.CurrentCaller;
import com.vipride.platform.web.InvalidRequest;
import com.vipride.platform.web.NotFound;
import com.vipride.platform.web.Page;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * A ride by id, and ride history: a rider's own rides, a driver's assigned rides, a fleet's rides, or
 * — for staff — one rider's rides. The database decides what each caller may see.
 */
@Service
class RideHistoryService {

    static final Duration MAX_RANGE = Duration.ofDays(366);

    private final Rides rides;
    private final JdbcClient jdbc;

    RideHistoryService(Rides rides, JdbcClient jdbc) {
        this.rides = rides;
        this.jdbc = jdbc;
    }

    @Transactional(readOnly = true)
    RideView ride(UUID id) {
        return rides.findById(id).orElseThrow(() -> NotFound.of("ride", id));
    }

    @Transactional(readOnly = true)
    Page<RideView> history(Instant from, Instant to, Instant before, int limit, UUID customerId) {
        if (!from.isBefore(to)) {
            throw InvalidRequest.of("invalid-range", "'from' must be before 'to'.");
        }
        if (Duration.between(from, to).compareTo(MAX_RANGE) > 0) {
            throw InvalidRequest.of("invalid-range", "A history range spans at most 366 days.");
        }
        Instant upper = before != null && before.isBefore(to) ? before : to;
        Caller caller = CurrentCaller.get();
        var page = switch (caller.role()) {
            case CUSTOMER_USER -> rides.history(RideParty.CUSTOMER, caller.requireUserId(), from, upper, limit);
            case DRIVER_USER ->
                rides.history(
                        RideParty.DRIVER,
                        required(currentId("public.current_driver_id()"), "driver"),
                        from,
                        upper,
                        limit);
            case FLEET_ADMIN ->
                rides.history(
                        RideParty.FLEET,
                        required(currentId("public.current_fleet_company_id()"), "fleet"),
                        from,
                        upper,
                        limit);
            default -> {
                if (customerId == null) {
                    throw InvalidRequest.of("customer-required", "Staff must name the rider: add customerId.");
                }
                yield rides.history(RideParty.CUSTOMER, customerId, from, upper, limit);
            }
        };
        return Page.of(page, limit, RideView::requestedAt);
    }

    private UUID currentId(String function) {
        return jdbc.sql("SELECT " + function).query(UUID.class).optional().orElse(null);
    }

    private static UUID required(UUID id, String what) {
        if (id == null) {
            throw NotFound.of(what, "record for your account");
        }
        return id;
    }
}
