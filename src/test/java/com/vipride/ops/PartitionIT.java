package com.vipride.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import com.vipride.support.Rides;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Rides and VIP locations land in their UTC month's partition; partition creation is idempotent. */
class PartitionIT extends IntegrationTest {

    private static final DateTimeFormatter SUFFIX = DateTimeFormatter.ofPattern("'_y'yyyy'm'MM");

    @Test
    void installCreatedTheCurrentMonthTheNextThreeAndADefaultPartition() {
        LocalDate thisMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        for (String table : List.of("public.rides", "vip_data.vip_location_history")) {
            List<String> partitions = partitionsOf(table);
            String base = table.substring(table.indexOf('.') + 1);
            assertThat(partitions).contains(base + "_default");
            for (int i = 0; i <= 3; i++) {
                assertThat(partitions).contains(base + thisMonth.plusMonths(i).format(SUFFIX));
            }
        }
    }

    @Test
    void rideLandsInThePartitionOfItsUtcMonth() {
        UUID customer = accounts().aRegisteredCustomer().id();
        OffsetDateTime lastInstantOfMonth = LocalDate.now(ZoneOffset.UTC)
                .withDayOfMonth(1)
                .plusMonths(1)
                .atStartOfDay()
                .atOffset(ZoneOffset.UTC)
                .minusNanos(1000);

        UUID early = Rides.aRideRequestedAt(superuser(), customer, lastInstantOfMonth);
        UUID late = Rides.aRideRequestedAt(superuser(), customer, lastInstantOfMonth.plusNanos(1000));

        LocalDate month = lastInstantOfMonth.toLocalDate().withDayOfMonth(1);
        assertThat(partitionOfRide(early)).isEqualTo("rides" + month.format(SUFFIX));
        assertThat(partitionOfRide(late))
                .isEqualTo("rides" + month.plusMonths(1).format(SUFFIX));
    }

    @Test
    void aStrayRideMovesFromTheDefaultPartitionWhenItsMonthIsCreated() {
        UUID customer = accounts().aRegisteredCustomer().id();
        OffsetDateTime farFuture = OffsetDateTime.of(2031, 3, 15, 12, 0, 0, 0, ZoneOffset.UTC);
        UUID ride = Rides.aRideRequestedAt(superuser(), customer, farFuture);
        assertThat(partitionOfRide(ride)).isEqualTo("rides_default");

        String created = superuser()
                .sql("SELECT public.create_monthly_ride_partition(DATE '2031-03-20')")
                .query(String.class)
                .single();

        assertThat(created).isEqualTo("public.rides_y2031m03");
        assertThat(partitionOfRide(ride)).isEqualTo("rides_y2031m03");
        assertThat(superuser()
                        .sql("SELECT count(*) FROM public.rides WHERE id = :id")
                        .param("id", ride)
                        .query(Long.class)
                        .single())
                .isEqualTo(1);
    }

    @Test
    void creatingARidePartitionTwiceIsANoOp() {
        String first = superuser()
                .sql("SELECT public.create_monthly_ride_partition(DATE '2032-07-01')")
                .query(String.class)
                .single();
        int partitions = partitionsOf("public.rides").size();

        String second = superuser()
                .sql("SELECT public.create_monthly_ride_partition(DATE '2032-07-31')")
                .query(String.class)
                .single();

        assertThat(second).isEqualTo(first).isEqualTo("public.rides_y2032m07");
        assertThat(partitionsOf("public.rides")).hasSize(partitions);
    }

    @Test
    void vipLocationLandsInItsMonthAndStraysMoveWhenTheMonthIsCreated() {
        UUID vip = accounts().aRegisteredCustomer().id();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime future = OffsetDateTime.of(2033, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);

        UUID current = insertLocation(vip, now);
        UUID stray = insertLocation(vip, future);

        assertThat(partitionOfLocation(current))
                .isEqualTo("vip_location_history" + now.toLocalDate().format(SUFFIX));
        assertThat(partitionOfLocation(stray)).isEqualTo("vip_location_history_default");
        superuser()
                .sql("SELECT vip_data.create_monthly_location_partition(DATE '2033-01-01')")
                .query(String.class)
                .single();
        superuser()
                .sql("SELECT vip_data.create_monthly_location_partition(DATE '2033-01-01')")
                .query(String.class)
                .single();
        assertThat(partitionOfLocation(stray)).isEqualTo("vip_location_history_y2033m01");
    }

    @Test
    void historyQueryForOneMonthTouchesOnePartitionThroughAnIndex() {
        UUID customer = accounts().aRegisteredCustomer().id();
        LocalDate month = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);

        String plan = String.join(
                "\n",
                superuser()
                        .sql("""
                EXPLAIN (COSTS OFF) SELECT * FROM public.rides
                 WHERE customer_id = :customer AND requested_at >= :from AND requested_at < :to""")
                        .param("customer", customer)
                        .param("from", month.atStartOfDay().atOffset(ZoneOffset.UTC))
                        .param("to", month.plusMonths(1).atStartOfDay().atOffset(ZoneOffset.UTC))
                        .query(String.class)
                        .list());

        assertThat(plan)
                .contains("rides" + month.format(SUFFIX))
                .doesNotContain("rides_default")
                .doesNotContain("rides" + month.plusMonths(1).format(SUFFIX));
    }

    private UUID insertLocation(UUID vip, OffsetDateTime recordedAt) {
        return superuser()
                .sql("""
                INSERT INTO vip_data.vip_location_history (user_id, encrypted_coordinates, recorded_at)
                VALUES (:vip, '\\x00'::bytea, :at) RETURNING id""")
                .param("vip", vip)
                .param("at", recordedAt)
                .query(UUID.class)
                .single();
    }

    private String partitionOfRide(UUID id) {
        return superuser()
                .sql("SELECT tableoid::regclass::text FROM public.rides WHERE id = :id")
                .param("id", id)
                .query(String.class)
                .single();
    }

    private String partitionOfLocation(UUID id) {
        return superuser()
                .sql("SELECT c.relname FROM vip_data.vip_location_history h JOIN pg_class c ON c.oid = h.tableoid "
                        + "WHERE h.id = :id")
                .param("id", id)
                .query(String.class)
                .single();
    }

    private List<String> partitionsOf(String table) {
        return superuser()
                .sql("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                        + "WHERE i.inhparent = CAST(:t AS regclass) AND c.relkind = 'r'")
                .param("t", table)
                .query(String.class)
                .list();
    }
}
