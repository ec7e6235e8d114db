package com.vipride.accounts;

import jakarta.validation.constraints.NotNull;
import java.util.UUID;

/** A staff account's new role, with its fleet (fleet_admin) or hotel (hotel_staff). */
record RoleChange(@NotNull StaffRole role, UUID fleetId, UUID hotelId) {}
