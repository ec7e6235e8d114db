package com.vipride.platform.web;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * HTTP limits.
 *
 * @param maxRequestBody largest request body accepted; larger ones get 413 before any work is done
 */
@ConfigurationProperties("vipride.web")
record WebProperties(@DefaultValue("512KB") DataSize maxRequestBody) {}
