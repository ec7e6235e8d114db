package com.vipride.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.vipride.platform.jobs.JobRun;
import com.vipride.platform.jobs.Jobs;
import com.vipride.support.AsRole;
import com.vipride.support.IntegrationTest;
import com.vipride.support.LedgerHistory;
import com.vipride.support.RideWorld;
import com.vipride.support.RideWorld.Driver;
import com.vipride.support.SecurityWorld;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Period close: balances read closing balances plus the open period and always equal the plain sum of
 * lines; a closed month takes no more lines, even from a transaction that began before it closed; a close
 * racing postings loses and doubles nothing; payees read only their own closed balances.
 */
class LedgerCloseIT extends IntegrationTest {

    @Autowired
    private Jobs jobs;

    private UUID receivable;

    @BeforeEach
    void platformAccount() {
        receivable = superuser()
                .sql("SELECT public.ledger_account('platform', NULL, 'processor_receivable', 'NGN')")
                .query(UUID.class)
                .single();
    }

    private UUID payable(UUID holder) {
        return superuser()
                .sql("SELECT public.ledger_account('driver', :h, 'payable', 'NGN')")
                .param("h", holder)
                .query(UUID.class)
                .single();
    }

    private static OffsetDateTime at(LocalDate month, int day, int hour) {
        return month.withDayOfMonth(day).atTime(hour, 0).atOffset(ZoneOffset.UTC);
    }

    /** A fare owed to the payee: the processor receivable debited, the payee's payable credited. */
    private void owe(UUID account, long amount, OffsetDateTime at) {
        LedgerHistory.post(superuser(), at, List.of(receivable, account), List.of(amount, -amount));
    }

    private long viewBalance(UUID account) {
        return superuser()
                .sql("SELECT balance_minor FROM public.payee_balances WHERE account_id = :a")
                .param("a", account)
                .query(Long.class)
                .single();
    }

    private long plainBalance(UUID account) {
        return superuser()
                .sql("SELECT -coalesce(sum(amount_minor), 0) FROM public.journal_lines WHERE account_id = :a")
                .param("a", account)
                .query(Long.class)
                .single();
    }

    /** Per account: the closing balance of its last closed month, against the plain sum of its lines before the close. */
    private List<String> closingsThatDisagree(List<UUID> accounts) {
        return superuser()
                .sql("""
                SELECT a.id || ': closed ' || coalesce(c.closing_minor, 0) || ', lines ' || coalesce(s.total, 0)
                  FROM unnest(CAST(:accounts AS uuid[])) AS a (id)
                  LEFT JOIN LATERAL (SELECT b.closing_minor FROM public.ledger_period_balances b
                                      WHERE b.account_id = a.id ORDER BY b.period DESC LIMIT 1) c ON true
                  LEFT JOIN LATERAL (SELECT sum(l.amount_minor) AS total FROM public.journal_lines l
                                      WHERE l.account_id = a.id
                                        AND l.posted_at < (SELECT closed_through FROM public.ledger_books)) s ON true
                 WHERE coalesce(c.closing_minor, 0) <> coalesce(s.total, 0)""")
                .param("accounts", accounts.toArray(UUID[]::new))
                .query(String.class)
                .list();
    }

    private void assertBalancesEqualTheirLines(List<UUID> accounts) {
        for (UUID account : accounts) {
            assertThat(viewBalance(account)).as("balance of %s", account).isEqualTo(plainBalance(account));
        }
        assertThat(closingsThatDisagree(accounts)).isEmpty();
    }

    @Test
    void balancesEqualThePlainSumOfLinesBeforeAndAfterEachClose() {
        RideWorld world = new RideWorld(superuser(), accounts(), api());
        Driver driver = world.driverAt(200);
        List<UUID> accounts = new ArrayList<>(List.of(payable(driver.id())));
        for (int i = 0; i < 5; i++) {
            accounts.add(payable(UUID.randomUUID()));
        }
        LocalDate first = LedgerHistory.openMonths(superuser(), 4);
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            UUID account = accounts.get(random.nextInt(accounts.size()));
            long amount = random.nextInt(5) == 0 ? -(1 + random.nextInt(5_000)) : 1 + random.nextInt(20_000);
            owe(account, amount, at(first.plusMonths(random.nextInt(4)), 1 + random.nextInt(28), random.nextInt(24)));
        }
        for (UUID account : accounts.subList(0, 3)) {
            superuser()
                    .sql("""
                    SELECT public.post_entry('ride_fare', 'NGN', 'now', NULL, NULL, NULL, ARRAY[:r, :a], ARRAY[700, -700]::bigint[])""")
                    .param("r", receivable)
                    .param("a", account)
                    .query(UUID.class)
                    .single();
        }
        assertBalancesEqualTheirLines(accounts);

        for (int month = 0; month < 3; month++) {
            LedgerHistory.closeThrough(superuser(), first.plusMonths(month));
            assertBalancesEqualTheirLines(accounts);
            long apiBalance = api().get("/api/v1/earnings/balances", driver.token())
                    .body()
                    .get(0)
                    .get("balanceMinor")
                    .asLong();
            assertThat(apiBalance).as("the driver's balance through the API").isEqualTo(plainBalance(accounts.get(0)));
        }
        assertThat(superuser()
                        .sql(
                                "SELECT count(*) FROM public.ledger_period_balances WHERE account_id = ANY (:a) AND period = :m")
                        .param("a", accounts.toArray(UUID[]::new))
                        .param("m", first)
                        .query(Long.class)
                        .single())
                .as("one row per account with lines in the month")
                .isEqualTo(accounts.size());
        assertThat(superuser()
                        .sql("SELECT sum(movement_minor) FROM public.ledger_period_balances WHERE period = :m")
                        .param("m", first)
                        .query(Long.class)
                        .single())
                .as("a closed month balances")
                .isZero();
    }

    @Test
    void aLineDatedInAClosedMonthIsRefusedAndTheRetryPostsInTheOpenPeriod() {
        UUID account = payable(UUID.randomUUID());
        LocalDate month = LedgerHistory.openMonths(superuser(), 1);
        owe(account, 1_000, at(month, 3, 9));
        LedgerHistory.closeThrough(superuser(), month);

        assertThatThrownBy(() -> owe(account, 500, at(month, 30, 23)))
                .hasMessageContaining("closed period")
                .hasMessageContaining("ledger-period-closed");
        owe(account, 500, at(month.plusMonths(1), 1, 0));

        assertThat(viewBalance(account)).isEqualTo(1_500).isEqualTo(plainBalance(account));
        assertThatThrownBy(() -> superuser()
                        .sql("UPDATE public.ledger_period_balances SET closing_minor = 0 WHERE account_id = :a")
                        .param("a", account)
                        .update())
                .hasMessageContaining("ledger-immutable");
        assertThatThrownBy(() -> superuser()
                        .sql("SELECT public.close_ledger_period(:m)")
                        .param("m", month.plusMonths(2))
                        .query(Integer.class)
                        .single())
                .as("months close in order, none skipped")
                .hasMessageContaining("ledger-period-order");
        LocalDate thisMonth = LocalDate.now(ZoneOffset.UTC).withDayOfMonth(1);
        assertThatThrownBy(() -> superuser()
                        .sql("SELECT public.close_ledger_period(:m)")
                        .param("m", thisMonth)
                        .query(Integer.class)
                        .single())
                .hasMessageContaining("ledger-period-open");
    }

    @Test
    void aCloseWaitsForALinePostedIntoTheMonthJustBeforeAndCountsIt() throws Exception {
        UUID account = payable(UUID.randomUUID());
        LocalDate month = LedgerHistory.openMonths(superuser(), 1);
        LedgerHistory.closeThrough(superuser(), month.minusMonths(1));
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try (Connection poster = superuserConnection()) {
            poster.setAutoCommit(false);
            post(poster, account, 2_500, at(month, month.lengthOfMonth(), 23));
            Future<Integer> close = closer.submit(() -> superuser()
                    .sql("SELECT public.close_ledger_period(:m)")
                    .param("m", month)
                    .query(Integer.class)
                    .single());
            awaitBlockedOnLock("close_ledger_period");
            poster.commit();
            close.get();
        } finally {
            closer.shutdown();
        }

        assertThat(superuser()
                        .sql(
                                "SELECT closing_minor FROM public.ledger_period_balances WHERE account_id = :a AND period = :m")
                        .param("a", account)
                        .param("m", month)
                        .query(Long.class)
                        .single())
                .isEqualTo(-2_500);
        assertBalancesEqualTheirLines(List.of(account));
    }

    @Test
    void aPostingHeldBackByTheCloseIsRefusedOnceItCommitsAndARepeatableReadOneFailsToSerialize() throws Exception {
        UUID account = payable(UUID.randomUUID());
        LocalDate month = LedgerHistory.openMonths(superuser(), 1);
        LedgerHistory.closeThrough(superuser(), month.minusMonths(1));
        ExecutorService poster = Executors.newSingleThreadExecutor();
        try (Connection close = superuserConnection();
                Connection repeatable = superuserConnection()) {
            repeatable.setAutoCommit(false);
            repeatable.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            repeatable
                    .createStatement()
                    .execute("SELECT count(*) FROM public.ledger_books"); // its snapshot, before the close
            close.setAutoCommit(false);
            close.createStatement().execute("SELECT public.close_ledger_period('" + month + "')");
            Future<?> held = poster.submit(() -> {
                owe(account, 800, at(month, 15, 12));
                return null;
            });
            awaitBlockedOnLock("INSERT INTO public.journal_lines");
            close.commit();
            assertThatThrownBy(held::get).hasMessageContaining("ledger-period-closed");

            assertThatThrownBy(() -> post(repeatable, account, 900, at(month, 20, 12)))
                    .hasMessageContaining("could not serialize access");
            repeatable.rollback();
        } finally {
            poster.shutdown();
        }
        assertThat(plainBalance(account)).isZero();
        assertBalancesEqualTheirLines(List.of(account));
    }

    @Test
    void concurrentPostingDuringTheCloseLosesAndDoublesNothing() throws Exception {
        List<UUID> accounts = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            accounts.add(payable(UUID.randomUUID()));
        }
        LocalDate month = LedgerHistory.openMonths(superuser(), 1);
        LedgerHistory.closeThrough(superuser(), month.minusMonths(1));
        CountDownLatch eachPosted = new CountDownLatch(accounts.size());
        ExecutorService posters = Executors.newFixedThreadPool(accounts.size());
        List<Future<long[]>> outcomes = new ArrayList<>();
        for (UUID account : accounts) {
            // Posts into the month until the close refuses it: [committed amount, refusals].
            outcomes.add(posters.submit(() -> {
                long committed = 0;
                for (int n = 1; ; n++) {
                    try {
                        owe(account, n, at(month, 1 + n % 28, n % 24));
                        committed += n;
                        eachPosted.countDown();
                    } catch (RuntimeException refused) {
                        assertThat(refused).hasMessageContaining("ledger-period-closed");
                        return new long[] {committed, 1};
                    }
                }
            }));
        }
        eachPosted.await();
        superuser()
                .sql("SELECT public.close_ledger_period(:m)")
                .param("m", month)
                .query(Integer.class)
                .single();
        for (int i = 0; i < accounts.size(); i++) {
            long[] outcome = outcomes.get(i).get();
            assertThat(plainBalance(accounts.get(i)))
                    .as("every committed line is in the ledger")
                    .isEqualTo(outcome[0]);
        }
        posters.shutdown();

        assertBalancesEqualTheirLines(accounts);
        assertThat(superuser()
                        .sql(
                                "SELECT -sum(closing_minor) FROM public.ledger_period_balances WHERE account_id = ANY (:a)")
                        .param("a", accounts.toArray(UUID[]::new))
                        .query(Long.class)
                        .single())
                .isEqualTo(accounts.stream().mapToLong(this::plainBalance).sum());
    }

    @Test
    void theLedgerCloseJobClosesEveryMonthThatEndedOnceAndInOrder() {
        UUID account = payable(UUID.randomUUID());
        LocalDate month = LedgerHistory.openMonths(superuser(), 2);
        owe(account, 4_000, at(month, 10, 10));
        owe(account, 6_000, at(month.plusMonths(1), 10, 10));

        JobRun run = jobs.runNow("ledger-close");
        assertThat(run.succeeded()).as(run.toString()).isTrue();
        assertThat(run.counts().values().get("periods_closed")).isPositive();
        assertThat(superuser()
                        .sql(
                                "SELECT period, closing_minor FROM public.ledger_period_balances WHERE account_id = :a ORDER BY period")
                        .param("a", account)
                        .query()
                        .listOfRows())
                .containsExactly(
                        Map.of("period", java.sql.Date.valueOf(month), "closing_minor", -4_000L),
                        Map.of("period", java.sql.Date.valueOf(month.plusMonths(1)), "closing_minor", -10_000L));
        assertThat(jobs.runNow("ledger-close").counts().values()).containsEntry("periods_closed", 0L);
        assertBalancesEqualTheirLines(List.of(account));
    }

    @Test
    void payeesReadOnlyTheirOwnClosedBalancesAndFinanceAndAuditReadAll() {
        SecurityWorld world = SecurityWorld.get(accounts(), superuser());
        DataSource service = dataSourceFor("app_backend");
        long total = superuser()
                .sql("SELECT count(*) FROM public.ledger_period_balances")
                .query(Long.class)
                .single();
        List<UUID> driverOnesAccounts =
                superuser().sql("""
                SELECT id FROM public.ledger_accounts WHERE purpose = 'payable' AND holder_id = :d""").param("d", world.driver1).query(UUID.class).list();

        List<UUID> seen = AsRole.query(service, "driver_user", sql -> {
            sql.sql("SELECT set_config('app.current_user_id', :u, true)")
                    .param("u", world.driverUser1.id().toString())
                    .query()
                    .singleRow();
            return sql.sql("SELECT DISTINCT account_id FROM public.ledger_period_balances")
                    .query(UUID.class)
                    .list();
        });
        assertThat(seen).isNotEmpty().containsExactlyInAnyOrderElementsOf(driverOnesAccounts);
        for (String role : List.of("audit_admin", "support_agent", "system_admin")) {
            long reached = AsRole.query(
                    service,
                    role,
                    sql -> sql.sql("SELECT count(*) FROM public.ledger_period_balances")
                            .query(Long.class)
                            .single());
            assertThat(reached).as(role).isEqualTo(total);
        }
        for (String role : List.of("compliance_officer", "vip_admin")) {
            assertThatThrownBy(() -> AsRole.query(
                            service,
                            role,
                            sql -> sql.sql("SELECT count(*) FROM public.ledger_period_balances")
                                    .query(Long.class)
                                    .single()))
                    .as(role)
                    .rootCause()
                    .hasMessageContaining("permission denied");
        }
        assertThatThrownBy(() -> AsRole.query(
                        service,
                        "system_admin",
                        sql -> sql.sql(
                                        "INSERT INTO public.ledger_period_balances VALUES (:a, DATE '1990-01-01', 1, 1, 1)")
                                .param("a", receivable)
                                .update()))
                .rootCause()
                .hasMessageContaining("permission denied");
    }

    private Connection superuserConnection() throws SQLException {
        return postgres.superuserDataSource(postgres.database()).getConnection();
    }

    private void post(Connection connection, UUID account, long amount, OffsetDateTime at) {
        LedgerHistory.post(
                JdbcClient.create(new SingleConnectionDataSource(connection, true)),
                at,
                List.of(receivable, account),
                List.of(amount, -amount));
    }

    /** Waits until a session running the statement waits for a lock (no time limit: the surefire timeout is the bound). */
    private void awaitBlockedOnLock(String statement) throws InterruptedException {
        while (superuser().sql("""
                SELECT count(*) FROM pg_stat_activity
                 WHERE wait_event_type = 'Lock' AND position(:s IN query) > 0 AND pid <> pg_backend_pid()""").param("s", statement).query(Long.class).single() == 0) {
            Thread.sleep(20);
        }
    }
}
