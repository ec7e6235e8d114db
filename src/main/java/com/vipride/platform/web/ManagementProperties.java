package com.vipride.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The management port: a second HTTP connector of the service for what only operators and the
 * database may call — health details, Prometheus metrics and the VIP crypto agent. It listens on
 * localhost unless told otherwise; the public port answers 404 for those paths.
 *
 * @param port    TCP port; 0 picks a free one (tests), -1 serves no management port at all (then the
 *                crypto agent, health details and metrics are served nowhere)
 * @param address interface to listen on; keep it on a private network if you change it
 */
@ConfigurationProperties("vipride.management")
public record ManagementProperties(
        @DefaultValue("8081") int port,
        @DefaultValue("127.0.0.1") String address) {}
