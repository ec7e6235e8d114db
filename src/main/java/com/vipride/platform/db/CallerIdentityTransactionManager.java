package com.vipride.platform.db;

import com.vipride.platform.security.Caller;
import com.vipride.platform.security.CurrentCaller;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
 */
class CallerIdentityTransactionManager extends JdbcTransactionManager {

    private static final String APPLY_IDENTITY = """
            SELECT set_config('role', ?, true),
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
        try (PreparedStatement statement = connection.prepareStatement(APPLY_IDENTITY)) {
            statement.setString(1, caller.role().dbRole());
            statement.setString(2, caller.userId().map(Object::toString).orElse(""));
            statement.setString(3, request == null ? "" : request.getRemoteAddr());
            statement.setString(4, request == null ? "" : userAgent(request));
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
