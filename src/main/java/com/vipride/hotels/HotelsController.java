package com.vipride.hotels;

import com.vipride.hotels.HotelRequests.Cancellation;
import com.vipride.hotels.HotelRequests.HotelApplication;
import com.vipride.hotels.HotelRequests.NewBlackout;
import com.vipride.hotels.HotelRequests.NewBooking;
import com.vipride.hotels.HotelRequests.NewHotelRide;
import com.vipride.hotels.HotelRequests.NewRatePlan;
import com.vipride.hotels.HotelRequests.NewRoom;
import com.vipride.hotels.HotelRequests.NewRoomType;
import com.vipride.hotels.HotelRequests.NewSeason;
import com.vipride.hotels.HotelRequests.TierChange;
import com.vipride.hotels.HotelRequests.Vetting;
import com.vipride.hotels.HotelViews.Availability;
import com.vipride.hotels.HotelViews.BlackoutView;
import com.vipride.hotels.HotelViews.BookingView;
import com.vipride.hotels.HotelViews.HotelRideView;
import com.vipride.hotels.HotelViews.HotelView;
import com.vipride.hotels.HotelViews.RatePlanView;
import com.vipride.hotels.HotelViews.RoomTypeView;
import com.vipride.hotels.HotelViews.RoomView;
import com.vipride.hotels.HotelViews.SeasonView;
import com.vipride.hotels.HotelViews.StatementView;
import com.vipride.hotels.HotelViews.StayPrice;
import com.vipride.hotels.HotelViews.TierRate;
import com.vipride.platform.web.NotFound;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Hotels")
class HotelsController {

    private static final Set<String> STEPS = Set.of("confirm", "check-in", "check-out", "no-show");

    private final HotelPartners partners;
    private final HotelBookings bookings;
    private final HotelStatements statements;

    HotelsController(HotelPartners partners, HotelBookings bookings, HotelStatements statements) {
        this.partners = partners;
        this.bookings = bookings;
        this.statements = statements;
    }

    // ----- partners -----

    @PostMapping("/api/v1/hotels")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Apply for a partner hotel (pending until a system admin vets it); a system admin's hotel is"
                    + " created active")
    @Transactional
    HotelView apply(@Valid @RequestBody HotelApplication application) {
        return partners.visibleHotel(partners.apply(application));
    }

    @GetMapping("/api/v1/hotels/{id}")
    @Operation(summary = "A hotel the caller may see (active ones; staff their own); 404 otherwise")
    @Transactional(readOnly = true)
    HotelView hotel(@PathVariable UUID id) {
        return partners.visibleHotel(id);
    }

    @PostMapping("/api/v1/hotels/{id}/vetting")
    @Operation(
            summary = "System admin: approve, reject, suspend, reinstate or terminate a hotel (reason required"
                    + " to refuse)")
    @Transactional
    HotelView vet(@PathVariable UUID id, @Valid @RequestBody Vetting vetting) {
        partners.decide(id, vetting.action().name(), vetting.reason());
        return partners.visibleHotel(id);
    }

    @PutMapping("/api/v1/hotels/{id}/tier")
    @Operation(summary = "System admin: the hotel's partnership tier (its commission rate follows the tier)")
    @Transactional
    HotelView tier(@PathVariable UUID id, @Valid @RequestBody TierChange change) {
        partners.changeTier(id, change.tier().name());
        return partners.visibleHotel(id);
    }

    @GetMapping("/api/v1/hotel-tiers")
    @Operation(summary = "The partnership tiers' commission, referral commission and dispatch priority")
    @Transactional(readOnly = true)
    List<TierRate> tiers() {
        return partners.tiers();
    }

    // ----- rooms and rates -----

    @PostMapping("/api/v1/hotels/{id}/room-types")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Hotel staff (own hotel) or system admin: a room type")
    @Transactional
    RoomTypeView addRoomType(@PathVariable UUID id, @Valid @RequestBody NewRoomType type) {
        return partners.addRoomType(id, type);
    }

    @GetMapping("/api/v1/hotels/{id}/room-types")
    @Operation(summary = "The hotel's room types")
    @Transactional(readOnly = true)
    List<RoomTypeView> roomTypes(@PathVariable UUID id) {
        return partners.roomTypes(id);
    }

    @PostMapping("/api/v1/hotels/{id}/rooms")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Hotel staff (own hotel) or system admin: a room of one of the hotel's room types")
    @Transactional
    RoomView addRoom(@PathVariable UUID id, @Valid @RequestBody NewRoom room) {
        return partners.addRoom(id, room);
    }

    @GetMapping("/api/v1/hotels/{id}/rooms")
    @Operation(summary = "Hotel staff (own hotel) or system admin: the hotel's rooms")
    @Transactional(readOnly = true)
    List<RoomView> rooms(@PathVariable UUID id) {
        return partners.rooms(id);
    }

    @PostMapping("/api/v1/hotels/{id}/rate-plans")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Hotel staff (own hotel) or system admin: a rate plan; it may not overlap another active"
                    + " plan of the room type and currency (409 rate-plan-overlap)")
    @Transactional
    RatePlanView addRatePlan(@PathVariable UUID id, @Valid @RequestBody NewRatePlan plan) {
        return partners.addRatePlan(id, plan);
    }

    @GetMapping("/api/v1/hotels/{id}/rate-plans")
    @Operation(summary = "Hotel staff (own hotel), support or system admin: the hotel's rate plans")
    @Transactional(readOnly = true)
    List<RatePlanView> ratePlans(@PathVariable UUID id) {
        return partners.ratePlans(id);
    }

    @PostMapping("/api/v1/hotels/{id}/rate-plans/{planId}/seasons")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(summary = "Hotel staff (own hotel) or system admin: peak dates of a rate plan with their surcharge")
    @Transactional
    SeasonView addSeason(@PathVariable UUID id, @PathVariable UUID planId, @Valid @RequestBody NewSeason season) {
        return partners.addSeason(id, planId, season);
    }

    @PostMapping("/api/v1/hotels/{id}/blackouts")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary =
                    "Hotel staff (own hotel) or system admin: nights the hotel (or a room type) takes no" + " bookings")
    @Transactional
    BlackoutView addBlackout(@PathVariable UUID id, @Valid @RequestBody NewBlackout blackout) {
        return partners.addBlackout(id, blackout);
    }

    @GetMapping("/api/v1/hotels/{id}/room-types/{typeId}/price")
    @Operation(summary = "The price of a stay in a room type, computed night by night by the database")
    @Transactional(readOnly = true)
    StayPrice price(
            @PathVariable UUID id,
            @PathVariable UUID typeId,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate checkIn,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate checkOut,
            @RequestParam(required = false) String currency) {
        partners.visibleHotel(id);
        return bookings.price(id, typeId, checkIn, checkOut, currency);
    }

    // ----- availability and bookings -----

    @GetMapping("/api/v1/hotel-availability")
    @Operation(
            summary = "Room types free for a stay in a city or one hotel, for the guests, with the computed"
                    + " total; cheapest first")
    @Transactional(readOnly = true)
    List<Availability> availability(
            @RequestParam(required = false) String city,
            @RequestParam(required = false) UUID hotelId,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate checkIn,
            @RequestParam @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate checkOut,
            @RequestParam(defaultValue = "1") int guests,
            @RequestParam(required = false) String currency) {
        return bookings.search(city, hotelId, checkIn, checkOut, guests, currency);
    }

    @PostMapping("/api/v1/hotel-bookings")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "Book a stay (a rider for themselves; hotel staff at their hotel for a named guest); priced"
                    + " by the database; pending until paid or confirmed. With Idempotency-Key a retry returns the same"
                    + " booking")
    @Transactional
    BookingView book(
            @Valid @RequestBody NewBooking booking,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        return bookings.visible(bookings.book(booking, idempotencyKey));
    }

    @GetMapping("/api/v1/hotel-bookings/{id}")
    @Operation(summary = "A booking the caller may see (their own, or their hotel's); 404 otherwise")
    @Transactional(readOnly = true)
    BookingView booking(@PathVariable UUID id) {
        return bookings.visible(id);
    }

    @GetMapping("/api/v1/hotels/{id}/bookings")
    @Operation(
            summary = "The hotel's bookings whose stay overlaps [from, to] (default: today and the next 14 days),"
                    + " earliest check-in first (staff of the hotel, support, system admin)")
    @Transactional(readOnly = true)
    List<BookingView> hotelBookings(
            @PathVariable UUID id,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate from,
            @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate to,
            @RequestParam(defaultValue = "100") @Min(1) @Max(500) int limit) {
        partners.visibleHotel(id);
        LocalDate start = from == null ? LocalDate.now(java.time.ZoneOffset.UTC) : from;
        LocalDate end = to == null ? start.plusDays(14) : to;
        if (end.isBefore(start) || end.isAfter(start.plusDays(366))) {
            throw com.vipride.platform.web.InvalidRequest.of(
                    "invalid-date-range", "to must be on or after from, and at most 366 days later.");
        }
        return bookings.ofHotel(id, start, end, limit);
    }

    @PostMapping("/api/v1/hotel-bookings/{id}/{step:confirm|check-in|check-out|no-show}")
    @Operation(summary = "Hotel staff: confirm (guest pays at the hotel), check-in, check-out or no-show")
    @Transactional
    BookingView step(@PathVariable UUID id, @PathVariable String step) {
        if (!STEPS.contains(step)) {
            throw NotFound.of("booking step", step);
        }
        bookings.step(id, step.replace('-', '_'));
        return bookings.visible(id);
    }

    @PostMapping("/api/v1/hotel-bookings/{id}/cancellation")
    @Operation(
            summary = "Cancel a pending or confirmed booking: the rate plan's fee, and the refund of a paid"
                    + " booking through the payments ledger")
    @Transactional
    BookingView cancel(@PathVariable UUID id, @Valid @RequestBody(required = false) Cancellation cancellation) {
        bookings.cancel(id, cancellation == null ? null : cancellation.reason());
        return bookings.visible(id);
    }

    // ----- rides of a stay -----

    @PostMapping("/api/v1/hotel-bookings/{id}/rides")
    @ResponseStatus(HttpStatus.CREATED)
    @Operation(
            summary = "A transfer of the stay (arrival, departure: scheduled 15 min to 30 days ahead) or, for"
                    + " hotel staff, a ride for the guest now or scheduled, billed to the guest or the hotel")
    @Transactional
    HotelRideView requestRide(@PathVariable UUID id, @Valid @RequestBody NewHotelRide ride) {
        UUID rideId = bookings.requestRide(id, ride);
        return bookings.rides(rideId, null).stream().findFirst().orElseThrow(() -> NotFound.of("hotel ride", rideId));
    }

    @GetMapping("/api/v1/hotel-bookings/{id}/rides")
    @Operation(summary = "The rides of a booking with their status")
    @Transactional(readOnly = true)
    List<HotelRideView> bookingRides(@PathVariable UUID id) {
        bookings.visible(id);
        return bookings.rides(null, id);
    }

    @GetMapping("/api/v1/hotel-rides/{rideId}")
    @Operation(summary = "A ride a hotel originated, with its status; 404 unless the caller's hotel's or booking's")
    @Transactional(readOnly = true)
    HotelRideView hotelRide(@PathVariable UUID rideId) {
        return bookings.rides(rideId, null).stream().findFirst().orElseThrow(() -> NotFound.of("hotel ride", rideId));
    }

    // ----- statements -----

    @GetMapping("/api/v1/hotels/{id}/statements")
    @Operation(summary = "The hotel's monthly partner statements (staff of the hotel, support, system admin)")
    @Transactional(readOnly = true)
    List<StatementView> statements(@PathVariable UUID id) {
        partners.visibleHotel(id);
        return statements.statements(id, null);
    }

    @GetMapping(
            value = "/api/v1/hotels/{id}/statements/{month}",
            produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv"})
    @Operation(summary = "The hotel's statement of a month (YYYY-MM), as JSON or, with Accept: text/csv, as CSV")
    @Transactional(readOnly = true)
    ResponseEntity<?> statement(
            @PathVariable UUID id,
            @PathVariable YearMonth month,
            @RequestHeader(name = "Accept", required = false) String accept) {
        partners.visibleHotel(id);
        List<StatementView> found = statements.statements(id, month);
        if (found.isEmpty()) {
            throw NotFound.of("statement", month);
        }
        if (accept != null && accept.contains("text/csv")) {
            return ResponseEntity.ok()
                    .contentType(MediaType.parseMediaType("text/csv"))
                    .body(HotelStatements.csv(found));
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(found);
    }

    @PostMapping("/api/v1/hotel-statements/{month}")
    @Operation(
            summary = "System admin: issue (or re-issue) every hotel's statement of a month now, as the"
                    + " hotel-statements job does")
    @Transactional
    Map<String, Object> issue(@PathVariable YearMonth month) {
        return Map.of("month", month.toString(), "statements", statements.issue(month));
    }
}
