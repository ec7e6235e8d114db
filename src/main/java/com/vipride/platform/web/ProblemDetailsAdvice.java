package com.vipride.platform.web;

import jakarta.validation.ConstraintViolationException;
import java.sql.SQLTransientConnectionException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.dao.PermissionDeniedDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.lang.Nullable;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.HandlerMethodValidationException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.InvalidNullException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Maps every failure to an RFC 9457 problem with a stable {@code code}. Bad input is a 4xx with a
 * message that says what to fix; nothing internal (class names, SQL, stack traces) reaches a caller.
 */
@RestControllerAdvice
class ProblemDetailsAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemDetailsAdvice.class);
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @ExceptionHandler(ApiException.class)
    ResponseEntity<ProblemDetail> onApiException(ApiException e) {
        ProblemDetail problem = Problems.of(e.status(), e.code(), e.getMessage());
        e.properties().forEach(problem::setProperty);
        ResponseEntity.BodyBuilder response = ResponseEntity.status(e.status());
        e.retryAfterSeconds().ifPresent(seconds -> response.header(HttpHeaders.RETRY_AFTER, Long.toString(seconds)));
        return response.body(problem);
    }

    @ExceptionHandler(ConstraintViolationException.class)
    ResponseEntity<ProblemDetail> onConstraintViolation(ConstraintViolationException e) {
        String summary = e.getConstraintViolations().stream()
                .map(v -> v.getPropertyPath() + ": " + v.getMessage())
                .sorted()
                .collect(Collectors.joining("; "));
        return problem(HttpStatus.BAD_REQUEST, "validation-failed", "Invalid request: " + summary);
    }

    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<ProblemDetail> onDuplicate(DuplicateKeyException e) {
        return problem(HttpStatus.CONFLICT, "conflict", "The request conflicts with data that already exists.");
    }

    @ExceptionHandler(DataIntegrityViolationException.class)
    ResponseEntity<ProblemDetail> onIntegrityViolation(DataIntegrityViolationException e) {
        if (DatabaseRefusal.from(e).isPresent()) {
            return onUnexpected(e);
        }
        log.debug("Constraint violation", e);
        return problem(
                HttpStatus.UNPROCESSABLE_CONTENT,
                "constraint-violation",
                "The request breaks a rule of the data model and was not applied.");
    }

    @ExceptionHandler({AccessDeniedException.class, PermissionDeniedDataAccessException.class})
    ResponseEntity<ProblemDetail> onAccessDenied(Exception e) {
        log.debug("Access denied", e);
        return problem(HttpStatus.FORBIDDEN, "access-denied", "You are not allowed to do this.");
    }

    /** PostgreSQL refused the caller's role the privilege (SQLSTATE 42501): the caller may not do this. */
    @ExceptionHandler(BadSqlGrammarException.class)
    ResponseEntity<ProblemDetail> onRefusedByDatabase(BadSqlGrammarException e) {
        if (e.getSQLException() != null
                && INSUFFICIENT_PRIVILEGE.equals(e.getSQLException().getSQLState())) {
            return onAccessDenied(e);
        }
        return onUnexpected(e);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> onUnexpected(Exception e) {
        if (causedBy(e, RequestRejectedException.class)) {
            // The firewall checks a header when it is first read, which may be deep inside the request
            // (the caller's User-Agent is read as its transaction begins). The value is not echoed.
            return problem(
                    HttpStatus.BAD_REQUEST,
                    "request-rejected",
                    "The request has a header with characters that are not allowed.");
        }
        if (causedBy(e, SQLTransientConnectionException.class)) {
            // Every pooled connection stayed busy for the pool's connection timeout: the database is
            // saturated and the transaction that needed one never began. Say so instead of a 500.
            log.warn("No database connection within the pool's timeout: {}", e.getMessage());
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                    .header(HttpHeaders.RETRY_AFTER, "1")
                    .body(Problems.of(
                            HttpStatus.SERVICE_UNAVAILABLE,
                            "database-busy",
                            "The service is at capacity; retry in a moment."));
        }
        var refusal = DatabaseRefusal.from(e);
        if (refusal.isPresent()) {
            return ResponseEntity.status(refusal.get().getStatus()).body(refusal.get());
        }
        log.error("Unhandled failure", e);
        return problem(
                HttpStatus.INTERNAL_SERVER_ERROR,
                "internal-error",
                "Something went wrong on our side; nothing was changed.");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(
            HttpMessageNotReadableException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        Throwable cause = e.getMostSpecificCause();
        ProblemDetail problem;
        if (cause instanceof PayloadTooLarge tooLarge) {
            problem = Problems.of(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", tooLarge.getMessage());
        } else if (cause instanceof UnrecognizedPropertyException unknown) {
            problem =
                    Problems.of(HttpStatus.BAD_REQUEST, "unknown-field", "Unknown field '" + fieldPath(unknown) + "'.");
        } else if (cause instanceof InvalidFormatException invalid
                && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            problem = Problems.of(
                    HttpStatus.BAD_REQUEST,
                    "invalid-enum-value",
                    "Field '" + fieldPath(invalid) + "' must be one of " + enumValues(invalid.getTargetType()) + ".");
        } else if (cause instanceof InvalidNullException missing) {
            problem = Problems.of(
                    HttpStatus.BAD_REQUEST, "missing-field", "Field '" + fieldPath(missing) + "' is required.");
        } else if (cause instanceof MismatchedInputException mismatched
                && !mismatched.getPath().isEmpty()) {
            problem = Problems.of(
                    HttpStatus.BAD_REQUEST,
                    "invalid-field-type",
                    "Field '" + fieldPath(mismatched) + "' has the wrong type"
                            + (mismatched.getTargetType() == null
                                    ? "."
                                    : "; expected " + typeName(mismatched.getTargetType()) + "."));
        } else if (cause instanceof StreamReadException || cause instanceof DatabindException) {
            problem = Problems.of(HttpStatus.BAD_REQUEST, "malformed-json", "The request body is not valid JSON.");
        } else {
            problem = Problems.of(
                    HttpStatus.BAD_REQUEST, "unreadable-body", "The request body is missing or unreadable.");
        }
        return ResponseEntity.status(problem.getStatus()).headers(headers).body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(
            MethodArgumentNotValidException e, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(ProblemDetailsAdvice::describe)
                .toList();
        String summary = errors.stream()
                .map(m -> m.get("field") + ": " + m.get("message"))
                .collect(Collectors.joining("; "));
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "validation-failed", "Invalid request: " + summary);
        problem.setProperty("errors", errors);
        return ResponseEntity.badRequest().headers(headers).body(problem);
    }

    /** Framework-raised problems (404, 405, 415, …) get a code derived from their status. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(
            Exception e, @Nullable Object body, HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem && !Problems.hasCode(problem)) {
            Problems.withCode(problem, codeFor(e, status));
        }
        return response;
    }

    private static String codeFor(Exception e, HttpStatusCode status) {
        if (e instanceof MissingServletRequestParameterException) {
            return "missing-parameter";
        }
        if (e instanceof TypeMismatchException) {
            return "invalid-parameter";
        }
        if (e instanceof HandlerMethodValidationException) {
            return "validation-failed";
        }
        return switch (status.value()) {
            case 404 -> "not-found";
            case 405 -> "method-not-allowed";
            case 406 -> "not-acceptable";
            case 413 -> "payload-too-large";
            case 415 -> "unsupported-media-type";
            case 503 -> "unavailable";
            default -> status.is4xxClientError() ? "bad-request" : "internal-error";
        };
    }

    private static boolean causedBy(Throwable e, Class<? extends Throwable> kind) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (kind.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String code, String detail) {
        return ResponseEntity.status(status).body(Problems.of(status, code, detail));
    }

    private static Map<String, String> describe(FieldError error) {
        return Map.of(
                "field",
                error.getField(),
                "message",
                error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage());
    }

    private static String fieldPath(DatabindException e) {
        return e.getPath().stream()
                .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String enumValues(Class<?> type) {
        return Arrays.stream(type.getEnumConstants()).map(Object::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String typeName(Class<?> type) {
        if (type == Boolean.class || type == boolean.class) {
            return "a boolean";
        }
        if (Number.class.isAssignableFrom(type) || type.isPrimitive()) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        return "an object";
    }
}
