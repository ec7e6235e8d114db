package com.vipride.vip;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import java.util.List;
import java.util.UUID;

/**
 * Positions of one VIP, reported by the VIP's app (vipUserId may be omitted) or by the driver of the
 * VIP's active ride (vipUserId required).
 */
public record LocationBatch(UUID vipUserId, @NotEmpty List<@Valid LocationPoint> points) {}
