package com.vipride.platform.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.web.servlet.HandlerExceptionResolver;

/**
 * Hands authentication and authorization failures raised by the security filters to the MVC error
 * handling, so that they come back as the same problem details as every other error.
 */
class ProblemAuthenticationEntryPoint implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final HandlerExceptionResolver resolver;

    ProblemAuthenticationEntryPoint(HandlerExceptionResolver resolver) {
        this.resolver = resolver;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e) {
        boolean tokenPresented = e instanceof InvalidBearerTokenException || request.getHeader("Authorization") != null;
        response.setHeader("WWW-Authenticate", tokenPresented ? "Bearer error=\"invalid_token\"" : "Bearer");
        resolver.resolveException(
                request,
                response,
                null,
                tokenPresented ? AuthenticationFailed.invalidToken() : AuthenticationFailed.required());
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e) {
        resolver.resolveException(request, response, null, e);
    }
}
