package com.vipride.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.support.IntegrationTest;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The firewall's header rules over a real socket: Tomcat passes bytes 0x80-0xFF of a header value on
 * as ISO-8859-1 characters, so a C1 control character (0x85) reaches the firewall, which refuses it,
 * while an assigned one (0xE9, é) is an ordinary request. The User-Agent is first read as the
 * caller's transaction begins, so the refusal comes from inside the request, and must still be a 400.
 */
class HeaderFirewallIT extends IntegrationTest {

    @LocalServerPort
    private int port;

    @Test
    void aHeaderWithAControlCharacterIsRefusedAndOneWithAnAccentIsServed() throws IOException {
        String token = accounts().aSignedInCustomer().accessToken();

        assertThat(status(responseTo(token, "caf\u00e9-app/1.0"))).isEqualTo(200);
        String refused = responseTo(token, "probe\u0085/1.0");
        assertThat(status(refused)).isEqualTo(400);
        assertThat(refused).contains("\"code\":\"request-rejected\"").doesNotContain("probe");
    }

    private static int status(String response) {
        return Integer.parseInt(response.substring("HTTP/1.1 ".length(), "HTTP/1.1 ".length() + 3));
    }

    private String responseTo(String token, String userAgent) throws IOException {
        String request = "GET /api/v1/me HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + token
                + "\r\nUser-Agent: " + userAgent + "\r\nConnection: close\r\n\r\n";
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
