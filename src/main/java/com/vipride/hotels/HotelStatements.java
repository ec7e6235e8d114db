package com.vipride.hotels;

import com.vipride.hotels.HotelViews.StatementView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.JsonNode;

/**
 * Monthly partner statements: issued by the database (public.issue_hotel_statements, which first posts the
 * referral commissions due), read as JSON or CSV by the hotel's staff and the platform.
 */
@Repository
class HotelStatements {

    private final JdbcClient jdbc;

    HotelStatements(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    int issue(YearMonth month) {
        return jdbc.sql("SELECT public.issue_hotel_statements(:month)")
                .param("month", month.atDay(1))
                .query(Integer.class)
                .single();
    }

    List<StatementView> statements(UUID hotel, YearMonth month) {
        return jdbc.sql("""
                SELECT * FROM public.hotel_statements
                 WHERE hotel_id = :hotel AND (CAST(:month AS date) IS NULL OR period_start = :month)
                 ORDER BY period_start DESC, currency""")
                .param("hotel", hotel)
                .param("month", month == null ? null : month.atDay(1))
                .query(HotelStatements::statement)
                .list();
    }

    /** One CSV document: a summary line per currency, then one line per booking and per ride. */
    static String csv(List<StatementView> statements) {
        StringBuilder out = new StringBuilder(
                "line,month,currency,reference,date,status,amount_minor,commission_rate_bp,commission_minor\n");
        for (StatementView s : statements) {
            out.append(String.join(
                            ",",
                            "summary",
                            s.month(),
                            s.currency(),
                            "",
                            "",
                            "",
                            "opening=" + s.openingBalanceMinor() + ";closing=" + s.closingBalanceMinor() + ";payable="
                                    + s.amountPayableMinor(),
                            "",
                            "booking_commission=" + s.bookingCommissionMinor() + ";referral_commission="
                                    + s.referralCommissionMinor()))
                    .append('\n');
            JsonNode bookings = s.lines().path("bookings");
            for (JsonNode b : bookings) {
                out.append(String.join(
                                ",",
                                "booking",
                                s.month(),
                                s.currency(),
                                b.path("reference").asString(),
                                b.path("checkIn").asString(),
                                b.path("status").asString(),
                                String.valueOf(b.path("totalMinor").asLong()),
                                String.valueOf(b.path("commissionRateBp").asInt()),
                                String.valueOf(b.path("commissionMinor").asLong())))
                        .append('\n');
            }
            for (JsonNode r : s.lines().path("rides")) {
                out.append(String.join(
                                ",",
                                "ride",
                                s.month(),
                                s.currency(),
                                r.path("rideId").asString(),
                                r.path("completedAt").asString(),
                                "billed_to_" + r.path("billedTo").asString(),
                                String.valueOf(r.path("fareMinor").asLong()),
                                String.valueOf(r.path("referralRateBp").asInt()),
                                String.valueOf(r.path("referralMinor").asLong())))
                        .append('\n');
            }
        }
        return out.toString();
    }

    private static StatementView statement(ResultSet rs, int row) throws SQLException {
        return new StatementView(
                rs.getObject("id", UUID.class),
                rs.getObject("hotel_id", UUID.class),
                YearMonth.from(rs.getObject("period_start", LocalDate.class)).toString(),
                rs.getString("currency"),
                rs.getInt("bookings"),
                rs.getLong("booking_value_minor"),
                rs.getLong("booking_commission_minor"),
                rs.getInt("rides"),
                rs.getLong("ride_fares_minor"),
                rs.getLong("referral_commission_minor"),
                rs.getLong("hotel_billed_rides_minor"),
                rs.getLong("opening_balance_minor"),
                rs.getLong("closing_balance_minor"),
                rs.getLong("amount_payable_minor"),
                HotelBookings.json(rs.getString("body")),
                rs.getObject("issued_at", OffsetDateTime.class));
    }
}
