package com.vipride.hotels;

import com.vipride.platform.web.NotFound;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Hotels")
class HotelsController {

    private final HotelBookings bookings;

    HotelsController(HotelBookings bookings) {
        this.bookings = bookings;
    }

    @GetMapping("/api/v1/hotel-bookings/{id}")
    @Operation(summary = "A booking the caller may see (their own, or their hotel's); 404 otherwise")
    @Transactional(readOnly = true)
    BookingView booking(@PathVariable UUID id) {
        return bookings.findById(id).orElseThrow(() -> NotFound.of("hotel booking", id));
    }
}
