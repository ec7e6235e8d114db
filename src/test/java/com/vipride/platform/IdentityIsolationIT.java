package com.vipride.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api.Response;
import com.vipride.support.BareRuntimeLogin;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Each request's transactions run as its caller, and a pooled connection never carries one
 * request's identity into the next.
 */
class IdentityIsolationIT extends IntegrationTest {

    @Autowired
    private DataSource dataSource;

    @Test
    void concurrentRequestsOfDifferentUsersEachSeeOnlyTheirOwnAccount() throws Exception {
        List<SignedIn> users = IntStream.range(0, 8)
                .mapToObj(i -> accounts().aSignedInCustomer())
                .toList();
        int requests = 400;

        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < requests; i++) {
                SignedIn user = users.get(i % users.size());
                results.add(pool.submit(() -> {
                    Response me = api().get("/api/v1/me", user.accessToken());
                    return me.status() == 200 && user.email().equals(me.text("email")) ? "ok" : "mismatch " + me;
                }));
            }
            for (Future<String> result : results) {
                assertThat(result.get()).isEqualTo("ok");
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void everyPooledConnectionIsTheBareRuntimeLoginBetweenRequests() throws Exception {
        SignedIn user = accounts().aSignedInCustomer();
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
            List<Future<Response>> burst = IntStream.range(0, 200)
                    .mapToObj(i -> pool.submit(() -> api().get("/api/v1/me", user.accessToken())))
                    .toList();
            for (Future<Response> response : burst) {
                assertThat(response.get().status()).isEqualTo(200);
            }
        } finally {
            pool.shutdown();
        }

        int poolSize = ((HikariDataSource) dataSource).getMaximumPoolSize();
        BareRuntimeLogin.assertEveryConnectionIsBare(dataSource, poolSize);
    }

    @Test
    void outsideATransactionThePoolCanReadNothing() throws Exception {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(org.assertj.core.api.Assertions.catchThrowable(
                            () -> statement.executeQuery("SELECT count(*) FROM public.users")))
                    .hasMessageContaining("permission denied");
        }
    }
}
