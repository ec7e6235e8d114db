package com.vipride.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/** A background job acts as the system only for its own call on its own thread, and never inside a request. */
class SystemJobsTest {

    @AfterEach
    void clear() {
        RequestContextHolder.resetRequestAttributes();
        SecurityContextHolder.clearContext();
    }

    @Test
    void aJobActsAsSystemAdminForNoUserOnlyWhileItRuns() {
        assertThat(CurrentCaller.get()).isEqualTo(Caller.ANONYMOUS);

        Caller during = SystemJobs.run("test", CurrentCaller::get);

        assertThat(during).isEqualTo(Caller.SYSTEM_JOB);
        assertThat(during.role()).isEqualTo(PlatformRole.SYSTEM_ADMIN);
        assertThat(during.userId()).isEmpty();
        assertThat(CurrentCaller.get()).isEqualTo(Caller.ANONYMOUS);
    }

    @Test
    void theOverrideIsClearedWhenTheJobFails() {
        assertThatThrownBy(() -> SystemJobs.run("failing", () -> {
                    throw new IllegalStateException("boom");
                }))
                .hasMessage("boom");

        assertThat(CurrentCaller.get()).isEqualTo(Caller.ANONYMOUS);
    }

    @Test
    void theOverrideDoesNotReachOtherThreads() throws Exception {
        Caller[] elsewhere = new Caller[1];
        SystemJobs.run("test", () -> {
            Thread other = new Thread(() -> elsewhere[0] = CurrentCaller.get());
            other.start();
            try {
                other.join();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(elsewhere[0]).isEqualTo(Caller.ANONYMOUS);
    }

    @Test
    void aRequestCanNeverActAsTheSystem() {
        RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(new MockHttpServletRequest()));

        assertThatThrownBy(() -> SystemJobs.run("sneaky", CurrentCaller::get))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside a request");
        assertThat(CurrentCaller.get()).isEqualTo(Caller.ANONYMOUS);
    }

    @Test
    void aSignedInUserCanNeverActAsTheSystem() {
        Jwt jwt = Jwt.withTokenValue("t")
                .header("alg", "HS256")
                .subject(UUID.randomUUID().toString())
                .claim(AccessTokens.ROLE_CLAIM, "customer_user")
                .build();
        SecurityContextHolder.getContext().setAuthentication(new JwtAuthenticationToken(jwt, java.util.List.of()));

        assertThatThrownBy(() -> SystemJobs.run("sneaky", CurrentCaller::get))
                .isInstanceOf(IllegalStateException.class);
        assertThat(CurrentCaller.get().role()).isEqualTo(PlatformRole.CUSTOMER_USER);
    }

    @Test
    void jobsDoNotNest() {
        assertThatThrownBy(() -> SystemJobs.run("outer", () -> SystemJobs.run("inner", CurrentCaller::get)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("inside 'outer'");
        assertThat(CurrentCaller.get()).isEqualTo(Caller.ANONYMOUS);
    }

    @Test
    void onlyAnonymousCallersAndSystemJobsHaveNoUserId() {
        UUID someone = UUID.randomUUID();
        assertThatThrownBy(() -> new Caller(Optional.empty(), PlatformRole.SYSTEM_ADMIN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Caller(Optional.empty(), PlatformRole.CUSTOMER_USER, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Caller(Optional.of(someone), PlatformRole.SYSTEM_ADMIN, true))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Caller(Optional.of(someone), PlatformRole.ANONYMOUS_USER))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Caller.user(someone, PlatformRole.SYSTEM_ADMIN).systemJob()).isFalse();
    }
}
