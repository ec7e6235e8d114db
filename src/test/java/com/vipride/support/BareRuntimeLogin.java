package com.vipride.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Between transactions, every pooled connection must be the runtime login with no caller left on it. */
public final class BareRuntimeLogin {

    private BareRuntimeLogin() {}

    /** Takes {@code connections} connections at once (so none is reused) and checks each one. */
    public static void assertEveryConnectionIsBare(DataSource source, int connections) throws SQLException {
        List<Connection> held = new ArrayList<>();
        try {
            for (int i = 0; i < connections; i++) {
                held.add(source.getConnection());
            }
            for (Connection connection : held) {
                try (Statement statement = connection.createStatement();
                        ResultSet rs = statement.executeQuery("SELECT current_user, session_user, "
                                + "coalesce(current_setting('app.current_user_id', true), ''), "
                                + "coalesce(current_setting('app.client_ip', true), '')")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("app_backend");
                    assertThat(rs.getString(2)).isEqualTo("app_backend");
                    assertThat(rs.getString(3)).isEmpty();
                    assertThat(rs.getString(4)).isEmpty();
                }
            }
        } finally {
            for (Connection connection : held) {
                connection.close();
            }
        }
    }
}
