package com.vipride.platform.web;

import java.sql.SQLException;
import java.util.Optional;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * A business rule that PostgreSQL enforces and refuses with {@code RAISE … USING ERRCODE = 'VRnnn',
 * HINT = '<code>'}: the SQLSTATE class {@code VR} marks our own refusals, its three digits are the
 * HTTP status and the hint is the stable problem code; the message is written for the caller.
 */
final class DatabaseRefusal {

    private static final String CLASS = "VR";

    private DatabaseRefusal() {}

    static Optional<ProblemDetail> from(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PSQLException psql
                    && psql.getSQLState() != null
                    && psql.getSQLState().startsWith(CLASS)) {
                return Optional.of(problem(psql));
            }
            if (t instanceof SQLException sql && sql.getNextException() != null && sql.getNextException() != t) {
                Optional<ProblemDetail> next = from(sql.getNextException());
                if (next.isPresent()) {
                    return next;
                }
            }
        }
        return Optional.empty();
    }

    private static ProblemDetail problem(PSQLException e) {
        HttpStatus status = HttpStatus.resolve(Integer.parseInt(e.getSQLState().substring(2)));
        ServerErrorMessage server = e.getServerErrorMessage();
        String code = server != null && server.getHint() != null ? server.getHint() : "refused";
        String detail =
                server != null && server.getMessage() != null ? server.getMessage() : "The request was refused.";
        return Problems.of(status == null ? HttpStatus.CONFLICT : status, code, detail);
    }
}
