package com.vipride.fleet;

import com.vipride.fleet.FleetRequests.DriverApplication;
import com.vipride.fleet.FleetRequests.FleetApplication;
import com.vipride.fleet.FleetRequests.VehicleRegistration;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The onboarding steps, each one call of its SQL function (which decides who may take it) or one
 * statement under the caller's row-level security. Runs inside the caller's transaction.
 */
@Repository
class Onboarding {

    private static final String APPLY_FOR_FLEET = """
            SELECT public.apply_for_fleet(:name, :registration, :email, :phone, CAST(:cities AS text[]))""";
    private static final String CHANGE_FLEET_STATUS = "SELECT public.change_fleet_status(:id, :action, :reason)";
    private static final String APPLY_TO_DRIVE = """
            SELECT public.apply_to_drive(CAST(:category AS public.driver_category), :fleet, :licence, :expires, :city)""";
    private static final String DECIDE_DRIVER = "SELECT public.decide_driver_application(:id, :approve, :reason)";
    private static final String VET_DRIVER = "SELECT public.vet_driver_for_vip(:id)";
    private static final String CERTIFY_VEHICLE = "SELECT public.certify_vehicle_for_vip(:id)";
    /** The fleet admin registers for their fleet, anyone else (an owner-operator) for themselves; the policies decide. */
    private static final String REGISTER_VEHICLE = """
            INSERT INTO public.vehicles (plate_number, vin, make, model, model_year, color, vehicle_type, seats,
                                         fleet_company_id, owner_user_id)
            SELECT :plate, :vin, :make, :model, :year, :color, CAST(:type AS public.vehicle_type), :seats, f.fleet,
                   CASE WHEN f.fleet IS NULL THEN public.current_app_user_id() END
              FROM (SELECT public.current_fleet_company_id() AS fleet) f
            RETURNING id""";

    private static final String ASSIGN_VEHICLE =
            "UPDATE public.drivers SET current_vehicle_id = :vehicle WHERE id = :id AND deleted_at IS NULL";

    private final JdbcClient jdbc;

    Onboarding(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    UUID applyForFleet(FleetApplication application) {
        return jdbc.sql(APPLY_FOR_FLEET)
                .param("name", application.name())
                .param("registration", application.registrationNumber())
                .param("email", application.contactEmail())
                .param("phone", application.contactPhone())
                .param("cities", application.operatingCities().toArray(String[]::new))
                .query(UUID.class)
                .single();
    }

    /** approve, reject, suspend or reinstate; returns the new status. */
    String changeFleetStatus(UUID fleet, String action, String reason) {
        return jdbc.sql(CHANGE_FLEET_STATUS)
                .param("id", fleet)
                .param("action", action)
                .param("reason", reason)
                .query(String.class)
                .single();
    }

    UUID applyToDrive(DriverApplication application) {
        return jdbc.sql(APPLY_TO_DRIVE)
                .param("category", application.category().name())
                .param("fleet", application.fleetId())
                .param("licence", application.licenceNumber())
                .param("expires", application.licenceExpiresOn())
                .param("city", application.city())
                .query(UUID.class)
                .single();
    }

    String decideDriver(UUID driver, boolean approve, String reason) {
        return jdbc.sql(DECIDE_DRIVER)
                .param("id", driver)
                .param("approve", approve)
                .param("reason", reason)
                .query(String.class)
                .single();
    }

    Instant vetDriverForVip(UUID driver) {
        return jdbc.sql(VET_DRIVER)
                .param("id", driver)
                .query(Timestamp.class)
                .single()
                .toInstant();
    }

    Instant certifyVehicleForVip(UUID vehicle) {
        return jdbc.sql(CERTIFY_VEHICLE)
                .param("id", vehicle)
                .query(Timestamp.class)
                .single()
                .toInstant();
    }

    UUID registerVehicle(VehicleRegistration vehicle) {
        String plate = vehicle.plateNumber().strip().replace(" ", "").toUpperCase(java.util.Locale.ROOT);
        try {
            return jdbc.sql(REGISTER_VEHICLE)
                    .param("plate", plate)
                    .param(
                            "vin",
                            Optional.ofNullable(vehicle.vin())
                                    .map(v -> v.toUpperCase(java.util.Locale.ROOT))
                                    .orElse(null))
                    .param("make", vehicle.make().strip())
                    .param("model", vehicle.model().strip())
                    .param("year", vehicle.modelYear())
                    .param("color", vehicle.color().strip())
                    .param("type", vehicle.vehicleType().name())
                    .param("seats", vehicle.seats())
                    .query(UUID.class)
                    .single();
        } catch (DuplicateKeyException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("vehicles_vin_key")) {
                throw FleetProblem.duplicateVin();
            }
            throw FleetProblem.duplicatePlate(plate);
        }
    }

    /** Gives the driver a vehicle (or none); false when the driver is not there for the caller to change. */
    boolean assignVehicle(UUID driver, UUID vehicle) {
        return jdbc.sql(ASSIGN_VEHICLE)
                        .param("id", driver)
                        .param("vehicle", vehicle)
                        .update()
                == 1;
    }
}
