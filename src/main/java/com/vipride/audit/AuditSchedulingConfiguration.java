package com.vipride.audit;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** Turns on Spring's scheduler for the sealing job. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class AuditSchedulingConfiguration {}
