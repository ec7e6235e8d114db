package com.vipride.platform;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The pool is kept small (about 2 x the database's cores + 1), so under overload a request may find every
 * connection busy. After the pool's connection timeout it gets a 503 database-busy problem with a
 * Retry-After, not a 500, and the same request is served as soon as a connection is free.
 */
class ConnectionPoolSaturationIT extends IntegrationTest {

    @Autowired
    private HikariDataSource pool;

    @Test
    void aRequestThatFindsEveryConnectionBusyIsA503AndIsServedOnceOneIsFree() throws Exception {
        String token = accounts().aSignedInCustomer().accessToken();
        assertThat(api().get("/api/v1/me", token).status()).isEqualTo(200);

        long timeout = pool.getHikariConfigMXBean().getConnectionTimeout();
        List<Connection> held = new ArrayList<>();
        try {
            pool.getHikariConfigMXBean().setConnectionTimeout(1_000);
            for (int i = 0; i < pool.getMaximumPoolSize(); i++) {
                held.add(pool.getConnection());
            }

            Response busy = api().get("/api/v1/me", token);

            assertThat(busy.status()).as(busy.toString()).isEqualTo(503);
            assertThat(busy.code()).isEqualTo("database-busy");
            assertThat(busy.headers().get("retry-after")).containsExactly("1");
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
            pool.getHikariConfigMXBean().setConnectionTimeout(timeout);
        }
        assertThat(api().get("/api/v1/me", token).status()).isEqualTo(200);
    }
}
