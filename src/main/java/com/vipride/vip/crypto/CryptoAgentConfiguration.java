package com.vipride.vip.crypto;

import com.vipride.platform.db.EmbeddedPostgresServer;
import com.vipride.platform.web.ManagementPort;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.util.StringUtils;

/**
 * The VIP crypto agent's token; on the embedded default the service also registers itself as the
 * agent (URL and token in vip_crypto.agent, which only a superuser may write), at its management port
 * on localhost — the agent is never served on the public port. On an external database
 * the DBA registers the agent once — see the README.
 */
@Configuration(proxyBeanMethods = false)
class CryptoAgentConfiguration {

    private static final String REGISTER = """
            INSERT INTO vip_crypto.agent (id, url, token) VALUES (true, :url, :token)
            ON CONFLICT (id) DO UPDATE SET url = EXCLUDED.url, token = EXCLUDED.token""";

    @Bean
    CryptoAgentToken cryptoAgentToken(VipCryptoProperties properties) {
        return StringUtils.hasText(properties.agentToken())
                ? new CryptoAgentToken(properties.agentToken())
                : CryptoAgentToken.generate();
    }

    @Bean
    ApplicationListener<WebServerInitializedEvent> embeddedCryptoAgentRegistration(
            ObjectProvider<EmbeddedPostgresServer> embedded, CryptoAgentToken token, ManagementPort management) {
        return event -> {
            EmbeddedPostgresServer server = embedded.getIfAvailable();
            if (server != null
                    && management.port().isPresent()
                    && ""
                            .equals(
                                    event.getApplicationContext().getServerNamespace() == null
                                            ? ""
                                            : event.getApplicationContext().getServerNamespace())) {
                JdbcClient.create(server.superuserDataSource(server.database()))
                        .sql(REGISTER)
                        .param("url", management.localUrl())
                        .param("token", token.value())
                        .update();
            }
        };
    }
}
