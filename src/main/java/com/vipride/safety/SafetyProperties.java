package com.vipride.safety;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Safety settings. How long the control centre has to acknowledge an incident, and how long responders
 * may read an incident's ride, are data (public.safety_settings, PUT /api/v1/control-centre/settings).
 *
 * @param escalation the job that escalates incidents not acknowledged in time
 */
@ConfigurationProperties("vipride.safety")
record SafetyProperties(@DefaultValue Escalation escalation) {

    /**
     * @param enabled  whether the job is scheduled
     * @param interval how often it looks; an incident escalates at most this much after its deadline
     */
    record Escalation(
            @DefaultValue("true") boolean enabled,
            @DefaultValue("5s") Duration interval) {}
}
