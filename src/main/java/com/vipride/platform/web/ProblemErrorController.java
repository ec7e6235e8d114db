package com.vipride.platform.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet container's error page: requests that failed before or outside Spring MVC (a malformed
 * URL or request line Tomcat refused, a firewall rejection, a failure in a filter) come back as the
 * same problem details as every other error, with the container's status. Asked for directly
 * ({@code GET /error}) it is a path like any other that does not exist: 404.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping(
            path = "/error",
            produces = {MediaType.APPLICATION_PROBLEM_JSON_VALUE, MediaType.ALL_VALUE})
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (!(code instanceof Integer status)) {
            return answer(HttpStatus.NOT_FOUND, "not-found", "No such resource.");
        }
        HttpStatus resolved = HttpStatus.resolve(status);
        if (resolved == null || resolved.is2xxSuccessful() || resolved.is3xxRedirection()) {
            resolved = HttpStatus.BAD_REQUEST;
        }
        return switch (resolved) {
            case NOT_FOUND -> answer(resolved, "not-found", "No such resource.");
            case METHOD_NOT_ALLOWED -> answer(resolved, "method-not-allowed", "This method is not allowed here.");
            case CONTENT_TOO_LARGE -> answer(resolved, "payload-too-large", "The request is too large.");
            case UNAUTHORIZED -> answer(resolved, "authentication-required", "Sign in and send the access token.");
            case FORBIDDEN -> answer(resolved, "access-denied", "You are not allowed to do this.");
            default ->
                resolved.is4xxClientError()
                        ? answer(resolved, "bad-request", "The request is malformed.")
                        : answer(resolved, "internal-error", "Something went wrong on our side; nothing was changed.");
        };
    }

    private static ResponseEntity<ProblemDetail> answer(HttpStatus status, String code, String detail) {
        return ResponseEntity.status(status)
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(Problems.of(status, code, detail));
    }
}
