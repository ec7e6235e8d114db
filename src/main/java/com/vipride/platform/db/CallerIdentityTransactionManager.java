package com.vipride.platform.db;

import com.vipride.platform.security.Caller;
import com.vipride.platform.security.CurrentCaller;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.OptionalLong;
import javax.sql.DataSource;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Opens every transaction as its caller (the PostgREST pattern): before the first statement it
 * switches into the caller's role and sets app.current_user_id, app.client_ip and app.user_agent,
 * all transaction-local, so row-level security and the audit trail see the end user, and a pooled
 * connection returns to the pool as the bare, privilege-less runtime login when the transaction ends.
 *
 * <p>For a signed-in user the same round trip first checks the session: the account must be live,
 * active and still at the security version its access token carries ({@code
 * public.assert_session_current}, which refuses with 401 {@code session-ended}). The check reads the
 * account row itself, so a suspension, role change or logout made through any instance takes effect
 * on the very next transaction, with no cache to invalidate.
 */
class CallerIdentityTransactionManager extends JdbcTransactionManager {

    private static final String APPLY_IDENTITY = """
            SELECT set_config('role', ?, true),
                   set_config('app.current_user_id', ?, true),
                   set_config('app.client_ip', ?, true),
                   set_config('app.user_agent', ?, true)
            """;
    private static final String CHECK_SESSION_AND_APPLY_IDENTITY = """
            SELECT public.assert_session_current(CAST(? AS uuid), CAST(? AS bigint)),
                   set_config('role', ?, true),
                   set_config('app.current_user_id', ?, true),
                   set_config('app.client_ip', ?, true),
                   set_config('app.user_agent', ?, true)
            """;
    private static final int MAX_USER_AGENT = 512;

    CallerIdentityTransactionManager(DataSource dataSource) {
        super(dataSource);
    }

    @Override
    protected void prepareTransactionalConnection(Connection connection, TransactionDefinition definition)
            throws SQLException {
        super.prepareTransactionalConnection(connection, definition);
        Caller caller = CurrentCaller.get();
        HttpServletRequest request = currentRequest();
        boolean signedIn = caller.userId().isPresent() && !caller.systemJob();
        try (PreparedStatement statement =
                connection.prepareStatement(signedIn ? CHECK_SESSION_AND_APPLY_IDENTITY : APPLY_IDENTITY)) {
            int next = 1;
            if (signedIn) {
                // Evaluated first, as the bare service login, before the role switch in the same statement.
                statement.setString(next++, caller.requireUserId().toString());
                OptionalLong version = CurrentCaller.securityVersion();
                if (version.isPresent()) {
                    statement.setLong(next++, version.getAsLong());
                } else {
                    statement.setNull(next++, Types.BIGINT);
                }
            }
            statement.setString(next++, caller.role().dbRole());
            statement.setString(next++, caller.userId().map(Object::toString).orElse(""));
            statement.setString(next++, request == null ? "" : request.getRemoteAddr());
            statement.setString(next, request == null ? "" : userAgent(request));
            statement.execute();
        }
    }

    private static HttpServletRequest currentRequest() {
        return RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes
                ? attributes.getRequest()
                : null;
    }

    private static String userAgent(HttpServletRequest request) {
        String agent = request.getHeader("User-Agent");
        if (agent == null) {
            return "";
        }
        return agent.length() > MAX_USER_AGENT ? agent.substring(0, MAX_USER_AGENT) : agent;
    }
}
