package com.vipride.dispatch;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;

/** Fixes buffered by the driver's phone while it was offline or to save battery; the newest counts. */
record PositionBatch(@NotEmpty @Size(max = 500) List<@Valid PositionPing> points) {
}
