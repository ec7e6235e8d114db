package com.vipride.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * An empty query parameter ({@code ?before=} or {@code ?rideId}) is invalid, not "not given": Spring
 * would otherwise read it as absent for an id, a time or a number and answer as if the caller had not
 * asked. 400 {@code invalid-parameter} naming the parameter (names only, never values).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class EmptyQueryParameterFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String query = request.getQueryString();
        if (query != null) {
            for (String pair : query.split("&", -1)) {
                int equals = pair.indexOf('=');
                if (pair.isEmpty()) {
                    continue;
                }
                if (equals < 0 || equals == pair.length() - 1) {
                    String name = equals < 0 ? pair : pair.substring(0, equals);
                    response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
                    response.setContentType("application/problem+json");
                    response.getWriter().write("""
                            {"type":"%sinvalid-parameter","title":"Bad Request","status":400,\
                            "detail":"Query parameter '%s' is empty: give a value or leave the parameter out.",\
                            "code":"invalid-parameter"}""".formatted(Problems.TYPE_PREFIX, jsonSafe(name)));
                    return;
                }
            }
        }
        chain.doFilter(request, response);
    }

    private static String jsonSafe(String name) {
        String plain = name.length() > 40 ? name.substring(0, 40) : name;
        return plain.replaceAll("[^A-Za-z0-9_.%\\-\\[\\]]", "?");
    }
}
