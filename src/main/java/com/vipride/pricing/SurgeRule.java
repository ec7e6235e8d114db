package com.vipride.pricing;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotNull;
import java.math.BigDecimal;

/** From this demand/supply ratio around a pickup on, this surge multiplier applies. */
record SurgeRule(
        @NotNull @DecimalMin("0") @Digits(integer = 4, fraction = 2)
        BigDecimal demandRatioFrom,

        @NotNull @DecimalMin("1.00") @DecimalMax("10.00") @Digits(integer = 2, fraction = 2)
        BigDecimal multiplier) {}
