package com.vipride.dispatch;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Fixes buffered by the driver's phone while it was offline or to save battery; the newest counts. */
record PositionBatch(@NotEmpty @Size(max = 500) List<@Valid PositionPing> points) {}
