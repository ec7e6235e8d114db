package com.vipride.compliance;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.sql.Array;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Carries out rectification, restriction and objection requests through the compliance functions, which
 * decide who may (the subject, or a compliance officer on a verified request) and record each step in
 * the request's timeline. Shared by the subject's and the officers' endpoints.
 */
@Service
class RequestFulfilment {

    record Rectification(
            @Size(min = 1, max = 100) String firstName,
            @Size(min = 1, max = 100) String lastName,
            @Size(max = 254) String email,
            @Size(max = 16) String phone) {}

    record Objection(@NotEmpty List<@Pattern(regexp = "[a-z][a-z_]{2,40}") String> purposes) {}

    record Outcome(SubjectRequests.Request request, List<String> changedFields) {}

    private final JdbcClient jdbc;
    private final SubjectRequests requests;

    RequestFulfilment(JdbcClient jdbc, SubjectRequests requests) {
        this.jdbc = jdbc;
        this.requests = requests;
    }

    Outcome rectify(UUID request, Rectification values) {
        List<String> changed = jdbc.sql(
                        "SELECT compliance.apply_rectification(:id, :first, :last, :email, :phone) AS changed")
                .param("id", request)
                .param("first", values.firstName())
                .param("last", values.lastName())
                .param("email", values.email())
                .param("phone", values.phone())
                .query((rs, n) -> textArray(rs.getArray("changed")))
                .single();
        return new Outcome(requests.find(request), changed);
    }

    SubjectRequests.Request restrict(UUID request) {
        jdbc.sql("SELECT compliance.apply_restriction(:id)")
                .param("id", request)
                .query(UUID.class)
                .single();
        return requests.find(request);
    }

    SubjectRequests.Request liftRestriction(UUID request) {
        jdbc.sql("SELECT 1 FROM compliance.lift_restriction(:id)")
                .param("id", request)
                .query(Integer.class)
                .single();
        return requests.find(request);
    }

    SubjectRequests.Request object(UUID request, Objection objection) {
        jdbc.sql("SELECT compliance.apply_objection(:id, CAST(:purposes AS text[]))")
                .param("id", request)
                .param("purposes", objection.purposes().toArray(String[]::new))
                .query(Integer.class)
                .single();
        return requests.find(request);
    }

    private static List<String> textArray(Array array) throws java.sql.SQLException {
        return array == null ? List.of() : List.of((String[]) array.getArray());
    }
}
