package com.vipride.vip.crypto;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Where the master key comes from and how long unwrapped data keys are cached.
 *
 * @param masterKeyset     the master Tink keyset as JSON, e.g. from a secret-manager environment variable
 * @param masterKeysetFile a file holding the master Tink keyset as JSON (readable by the service only)
 * @param keyCacheTtl      how long an unwrapped data key stays in memory before it is re-read
 * @param keyCacheSize     how many unwrapped data keys are kept at most
 * @param agentToken       the token the database presents to the VIP crypto agent (generated on the embedded default)
 * @param masterKeysetCheckInterval how often a keyset file is checked for a change (a rotation step); 0 = on every use
 */
@ConfigurationProperties("vipride.vip.crypto")
record VipCryptoProperties(
        String masterKeyset,
        Path masterKeysetFile,
        @DefaultValue("60s") Duration keyCacheTtl,
        @DefaultValue("10000") int keyCacheSize,
        String agentToken,
        @DefaultValue("10s") Duration masterKeysetCheckInterval) {}
