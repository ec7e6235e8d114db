package com.vipride.fleet;

import com.vipride.fleet.FleetViews.DriverView;
import com.vipride.fleet.FleetViews.FleetCompanyView;
import com.vipride.fleet.FleetViews.VehicleView;
import com.vipride.platform.web.NotFound;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.UUID;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(name = "Fleet")
class FleetController {

    private final FleetRecords records;

    FleetController(FleetRecords records) {
        this.records = records;
    }

    @GetMapping("/api/v1/drivers/{id}")
    @Operation(
            summary =
                    "A driver the caller may see (self, own fleet's, the driver of the caller's active ride); 404 otherwise")
    @Transactional(readOnly = true)
    DriverView driver(@PathVariable UUID id) {
        return records.driver(id).orElseThrow(() -> NotFound.of("driver", id));
    }

    @GetMapping("/api/v1/vehicles/{id}")
    @Operation(summary = "A vehicle the caller may see; 404 otherwise")
    @Transactional(readOnly = true)
    VehicleView vehicle(@PathVariable UUID id) {
        return records.vehicle(id).orElseThrow(() -> NotFound.of("vehicle", id));
    }

    @GetMapping("/api/v1/fleets/{id}")
    @Operation(summary = "A fleet company the caller may see (their own); 404 otherwise")
    @Transactional(readOnly = true)
    FleetCompanyView fleet(@PathVariable UUID id) {
        return records.fleet(id).orElseThrow(() -> NotFound.of("fleet company", id));
    }
}
