package com.vipride.platform.web;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.jdbc.PrimaryKeyMapper;
import io.github.bucket4j.distributed.proxy.ExpiredEntriesCleaner;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.postgresql.Bucket4jPostgreSQL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * Token-bucket rate limits (Bucket4j) whose buckets live in {@code maintenance.rate_limit_buckets}, so
 * that every service instance draws from the same bucket. A bucket is read and written under its row's
 * lock in a short transaction of its own, before the request's transactions begin.
 *
 * <p>When the database cannot be reached the limit lets the request through (and logs it): the
 * request then fails on its own database work, and a limit must never turn an outage into a lock-out.
 */
@Component
public class RateLimits {

    private static final Logger log = LoggerFactory.getLogger(RateLimits.class);

    private final ProxyManager<String> buckets;
    private final RateLimitProperties properties;

    @Autowired
    RateLimits(DataSource dataSource, RateLimitProperties properties) {
        this(
                Bucket4jPostgreSQL.selectForUpdateBasedBuilder(dataSource)
                        .primaryKeyMapper(PrimaryKeyMapper.STRING)
                        .table("maintenance.rate_limit_buckets")
                        .idColumn("id")
                        .stateColumn("state")
                        .expiresAtColumn("expires_at")
                        .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(
                                Duration.ofMinutes(1)))
                        .build(),
                properties);
    }

    RateLimits(ProxyManager<String> buckets, RateLimitProperties properties) {
        this.buckets = buckets;
        this.properties = properties;
    }

    /** One request of a client address to a limited path; 429 when the address used up its bucket. */
    void perAddress(String path, String address) {
        consume("address:" + path + ":" + address, properties.addressCapacity(), properties.addressPeriod());
    }

    /**
     * One login or registration for an email, from any address; 429 when the email used up its bucket.
     * Buckets are keyed by a hash of the normalised email, never the email itself.
     */
    public void perAccount(String action, String email) {
        consume(
                "account:" + action + ":" + sha256(email.trim().toLowerCase(Locale.ROOT)),
                properties.accountCapacity(),
                properties.accountPeriod());
    }

    /** Takes one token from the bucket {@code key} (created with this capacity); 429 if there is none. */
    public void consume(String key, long capacity, Duration period) {
        if (!properties.enabled()) {
            return;
        }
        ConsumptionProbe probe;
        try {
            probe = buckets.builder()
                    .build(
                            key,
                            () -> BucketConfiguration.builder()
                                    .addLimit(limit -> limit.capacity(capacity).refillGreedy(capacity, period))
                                    .build())
                    .tryConsumeAndReturnRemaining(1);
        } catch (RuntimeException unavailable) {
            log.warn("Rate limit {} not checked: {}", key.substring(0, key.indexOf(':')), unavailable.toString());
            return;
        }
        if (!probe.isConsumed()) {
            throw new TooManyRequests(Instant.now().plusNanos(probe.getNanosToWaitForRefill()));
        }
    }

    /** Deletes buckets that are full again (nothing to remember); returns how many. */
    public long removeFullBuckets() {
        if (!(buckets instanceof ExpiredEntriesCleaner cleaner)) {
            return 0;
        }
        long removed = 0;
        for (int batch; (batch = cleaner.removeExpired(1000)) > 0; ) {
            removed += batch;
        }
        return removed;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
