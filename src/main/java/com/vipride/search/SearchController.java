package com.vipride.search;

import com.vipride.platform.web.Page;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Search by fragment, case- and accent-insensitive, newest first; pass the last item's time as
 * {@code before} for the next page. What a searcher finds is what row-level security lets it see.
 */
@RestController
@Tag(name = "Search", description = "Find users, drivers, vehicles, fleets and hotels by a fragment")
class SearchController {

    private final SearchResults results;

    SearchController(SearchResults results) {
        this.results = results;
    }

    @GetMapping("/api/v1/search/users")
    @Operation(
            summary = "Users by a fragment of name, email or phone (support, admins; a fleet admin finds its fleet's)")
    Page<SearchResults.UserHit> users(
            @RequestParam @NotBlank @Size(min = 2, max = 100) String q,
            @RequestParam(required = false) Instant before,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        return Page.of(results.users(q, before, limit), limit, SearchResults.UserHit::createdAt);
    }

    @GetMapping("/api/v1/search/drivers")
    @Operation(
            summary =
                    "Drivers by a fragment of name or licence number (support, system admins; fleet admins their fleet's)")
    Page<SearchResults.DriverHit> drivers(
            @RequestParam @NotBlank @Size(min = 2, max = 100) String q,
            @RequestParam(required = false) Instant before,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        return Page.of(results.drivers(q, before, limit), limit, SearchResults.DriverHit::createdAt);
    }

    @GetMapping("/api/v1/search/vehicles")
    @Operation(summary = "Vehicles by a fragment of plate (support, system admins; fleet admins their fleet's)")
    Page<SearchResults.VehicleHit> vehicles(
            @RequestParam @NotBlank @Size(min = 2, max = 100) String q,
            @RequestParam(required = false) Instant before,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        return Page.of(results.vehicles(q, before, limit), limit, SearchResults.VehicleHit::createdAt);
    }

    @GetMapping("/api/v1/search/fleets")
    @Operation(summary = "Fleet companies by a fragment of name (support, system admins; a fleet admin its own)")
    Page<SearchResults.FleetHit> fleets(
            @RequestParam @NotBlank @Size(min = 2, max = 100) String q,
            @RequestParam(required = false) Instant before,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        return Page.of(results.fleets(q, before, limit), limit, SearchResults.FleetHit::createdAt);
    }

    @GetMapping("/api/v1/search/hotels")
    @Operation(summary = "Partner hotels by a fragment of name (support, system admins; hotel staff their own)")
    Page<SearchResults.HotelHit> hotels(
            @RequestParam @NotBlank @Size(min = 2, max = 100) String q,
            @RequestParam(required = false) Instant before,
            @RequestParam(defaultValue = "20") @Min(1) @Max(100) int limit) {
        return Page.of(results.hotels(q, before, limit), limit, SearchResults.HotelHit::createdAt);
    }
}
