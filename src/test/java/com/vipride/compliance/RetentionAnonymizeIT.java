package com.vipride.compliance;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import com.vipride.support.SecurityWorld;
import java.sql.Connection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/** Retention's anonymize action: a hotel booking past its live period loses its guest's name and phone. */
class RetentionAnonymizeIT extends IntegrationTest {

    @Test
    void theRetentionJobAnonymisesADataClassWhoseRuleSaysSo() throws Exception {
        SecurityWorld world = SecurityWorld.get(accounts(), superuser());
        try (Connection connection =
                postgres.superuserDataSource(postgres.database()).getConnection()) {
            connection.setAutoCommit(false);
            try {
                JdbcClient sql = JdbcClient.create(new SingleConnectionDataSource(connection, true));
                sql.sql("""
                                UPDATE public.hotel_bookings SET check_in = current_date - 800, check_out = current_date - 798,
                                       guest_name = 'Old Guest', guest_phone = '+2348011112222'
                                 WHERE id = :id""").param("id", world.bookingA).update();
                sql.sql("""
                                INSERT INTO archive.retention_rules (data_class, live_months, action, legal_basis)
                                VALUES ('hotel_bookings', 24, 'anonymize', 'Guest details are not needed after two years')""").update();
                sql.sql("SELECT set_config('role', 'system_admin', true)")
                        .query()
                        .singleRow();

                List<Map<String, Object>> run = sql.sql(
                                "SELECT data_class, action, rows_affected FROM archive.apply_retention() WHERE data_class = 'hotel_bookings'")
                        .query()
                        .listOfRows();
                Map<String, Object> booking = sql.sql(
                                "SELECT guest_name, guest_phone FROM public.hotel_bookings WHERE id = :id")
                        .param("id", world.bookingA)
                        .query()
                        .singleRow();

                assertThat(run).hasSize(1);
                assertThat(run.get(0)).containsEntry("action", "anonymize");
                assertThat((Long) run.get(0).get("rows_affected")).isPositive();
                assertThat(booking).containsEntry("guest_name", "Erased guest").containsEntry("guest_phone", "");
            } finally {
                connection.rollback();
            }
        }
    }
}
