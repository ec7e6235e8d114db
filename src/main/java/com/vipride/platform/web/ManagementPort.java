package com.vipride.platform.web;

import java.util.Arrays;
import java.util.OptionalInt;
import org.apache.catalina.connector.Connector;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * Adds the management connector ({@link ManagementProperties}) to the service's Tomcat and knows the
 * port it got once the server runs. Requests arriving on it are told apart from public ones by the
 * port they arrived on ({@link ManagementPathFilter}).
 */
@Component
public class ManagementPort
        implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>,
                ApplicationListener<WebServerInitializedEvent>,
                Ordered {

    private final ManagementProperties properties;
    private volatile Connector connector;
    private volatile int port = -1;

    ManagementPort(ManagementProperties properties) {
        this.properties = properties;
    }

    @Override
    public void customize(TomcatServletWebServerFactory factory) {
        if (properties.port() < 0) {
            return;
        }
        Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
        connector.setPort(properties.port());
        connector.setProperty("address", properties.address());
        connector.setProperty("server", "");
        factory.addAdditionalConnectors(connector);
        this.connector = connector;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        Connector added = connector;
        if (event.getWebServer() instanceof TomcatWebServer tomcat && added != null) {
            Arrays.stream(tomcat.getTomcat().getService().findConnectors())
                    .filter(c -> c == added)
                    .findFirst()
                    .ifPresent(c -> port = c.getLocalPort());
        }
    }

    /** The management port once the server runs; empty when there is none. */
    public OptionalInt port() {
        return port > 0 ? OptionalInt.of(port) : OptionalInt.empty();
    }

    /** Where the database reaches the service's management port (the embedded default runs beside it). */
    public String localUrl() {
        return "http://localhost:" + port().orElseThrow(() -> new IllegalStateException("no management port"));
    }

    boolean isManagementRequest(int localPort) {
        return port > 0 && localPort == port;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }
}
