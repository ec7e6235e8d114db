package com.vipride.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * On the public port, the operators' paths do not exist: the VIP crypto agent ({@code /internal/…})
 * and every actuator endpoint except the bare health status and its liveness and readiness probes
 * answer 404. They are served on the management port ({@link ManagementPort}), on localhost by default.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
class ManagementPathFilter extends OncePerRequestFilter {

    private static final Set<String> PUBLIC_ACTUATOR =
            Set.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness");

    private final ManagementPort management;

    ManagementPathFilter(ManagementPort management) {
        this.management = management;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI();
        boolean operatorsOnly = path.startsWith("/internal/")
                || path.equals("/internal")
                || ((path.startsWith("/actuator/") || path.equals("/actuator")) && !PUBLIC_ACTUATOR.contains(path));
        if (operatorsOnly && !management.isManagementRequest(request.getLocalPort())) {
            response.setStatus(HttpServletResponse.SC_NOT_FOUND);
            response.setContentType("application/problem+json");
            response.getWriter().write("""
                    {"type":"%snot-found","title":"Not Found","status":404,\
                    "detail":"No such resource.","code":"not-found"}""".formatted(Problems.TYPE_PREFIX));
            return;
        }
        chain.doFilter(request, response);
    }
}
