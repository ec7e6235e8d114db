package com.vipride.pricing;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.math.BigDecimal;
import java.time.Instant;

/** Units of {@code quoteCurrency} per unit of {@code baseCurrency} from {@code effectiveFrom} on. */
record ExchangeRate(
        String baseCurrency,
        String quoteCurrency,
        BigDecimal rate,
        Instant effectiveFrom,
        String source,
        Instant createdAt) {

    /** A new dated rate; without {@code effectiveFrom} it is in force from now. Bounds as in the database. */
    record NewRate(
            @NotNull @Pattern(regexp = "[A-Z]{3}") String baseCurrency,
            @NotNull @Pattern(regexp = "[A-Z]{3}") String quoteCurrency,

            @NotNull
            @DecimalMin(value = "0", inclusive = false)
            @DecimalMax("1000000")
            @Digits(integer = 7, fraction = 10)
            BigDecimal rate,

            Instant effectiveFrom,
            @NotBlank @Size(max = 200) String source) {}
}
