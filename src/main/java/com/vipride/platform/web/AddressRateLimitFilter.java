package com.vipride.platform.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits each client address's POSTs to the sign-in, sign-up and token paths, before any other work:
 * 429 {@code rate-limited} with Retry-After once the address used up its bucket. The address is the
 * connection's peer, or the one a configured trusted proxy forwarded (docs/configuration.md).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class AddressRateLimitFilter extends OncePerRequestFilter {

    private final RateLimits limits;
    private final Set<String> paths;

    AddressRateLimitFilter(RateLimits limits, RateLimitProperties properties) {
        this.limits = limits;
        this.paths = Set.copyOf(properties.addressPaths());
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !"POST".equals(request.getMethod()) || !paths.contains(request.getRequestURI());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            limits.perAddress(request.getRequestURI(), request.getRemoteAddr());
        } catch (TooManyRequests refused) {
            response.setStatus(refused.status().value());
            refused.retryAfterSeconds()
                    .ifPresent(seconds -> response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
            response.setContentType("application/problem+json");
            response.getWriter().write("""
                    {"type":"%srate-limited","title":"Too Many Requests","status":429,\
                    "detail":"%s","code":"rate-limited"}""".formatted(Problems.TYPE_PREFIX, refused.getMessage()));
            return;
        }
        chain.doFilter(request, response);
    }
}
