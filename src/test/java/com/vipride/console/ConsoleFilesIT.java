package com.vipride.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The console's files are public and carry a same-origin Content-Security-Policy; the API's rules are unchanged. */
class ConsoleFilesIT extends IntegrationTest {

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create(baseUrl() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void theConsoleAndItsWebJarsAreServedWithTheContentSecurityPolicy() throws Exception {
        for (String path : new String[] {
            "/console/",
            "/console/index.html",
            "/console/js/app.js",
            "/console/console.css",
            "/webjars/uplot/1.6.30/dist/uPlot.esm.js"
        }) {
            HttpResponse<String> response = get(path);
            assertThat(response.statusCode()).as(path).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Security-Policy"))
                    .as(path)
                    .hasValueSatisfying(csp -> assertThat(csp).startsWith("default-src 'self'"));
        }
        assertThat(get("/console/").body()).contains("<script type=\"module\" src=\"js/app.js\">");
        assertThat(get("/console/js/app.js").headers().firstValue("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).contains("javascript"));
    }

    @Test
    void theBareConsolePathRedirectsToItsPage() throws Exception {
        HttpResponse<String> response = get("/console");
        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location"))
                .hasValueSatisfying(l -> assertThat(l).endsWith("/console/"));
    }

    @Test
    void theDataStillNeedsAToken() throws Exception {
        assertThat(get("/api/v1/me").statusCode()).isEqualTo(401);
        assertThat(get("/api/v1/control-centre/queue").statusCode()).isEqualTo(401);
        assertThat(get("/console/../api/v1/me").statusCode()).isIn(400, 401);
    }
}
