package com.vipride.vip.crypto;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master keyset kept in a file, re-read when the file changes: a rotation step ({@link
 * MasterKeysetCommand} add, promote, retire) takes effect on a serving instance within {@code checkEvery},
 * without a restart. A file that cannot be read or parsed leaves the keyset in use unchanged (and is
 * logged), so a half-copied file never stops the service.
 */
final class KeysetFileMasterKeySource implements MasterKeySource {

    private static final Logger log = LoggerFactory.getLogger(KeysetFileMasterKeySource.class);

    private final Path file;
    private final Duration checkEvery;
    private volatile Loaded loaded;
    private volatile long nextCheck;

    KeysetFileMasterKeySource(Path file, Duration checkEvery) throws GeneralSecurityException {
        this.file = file;
        this.checkEvery = checkEvery;
        try {
            this.loaded = load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the VIP master keyset " + file, e);
        }
        this.nextCheck = System.nanoTime() + checkEvery.toNanos();
    }

    @Override
    public Aead aead() {
        return current().aead();
    }

    @Override
    public String currentKeyId() {
        return current().currentKeyId();
    }

    @Override
    public MasterKeySource snapshot() {
        return current();
    }

    private TinkKeysetMasterKeySource current() {
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            synchronized (this) {
                if (now - nextCheck >= 0) {
                    reloadIfChanged();
                    nextCheck = now + checkEvery.toNanos();
                }
            }
        }
        return loaded.source();
    }

    private void reloadIfChanged() {
        try {
            BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
            if (attributes.lastModifiedTime().toInstant().equals(loaded.modified())
                    && attributes.size() == loaded.size()
                    && attributes.fileKey() != null
                    && attributes.fileKey().equals(loaded.fileKey())) {
                return;
            }
            Loaded next = load();
            String before = loaded.source().currentKeyId();
            loaded = next;
            log.info(
                    "Re-read the VIP master keyset {}: primary {} (was {})",
                    file,
                    next.source().currentKeyId(),
                    before);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            log.error("Could not re-read the VIP master keyset {}; keeping the one in use: {}", file, e.toString());
        }
    }

    private Loaded load() throws IOException, GeneralSecurityException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
        TinkKeysetMasterKeySource source = new TinkKeysetMasterKeySource(
                TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file), InsecureSecretKeyAccess.get()));
        return new Loaded(source, attributes.lastModifiedTime().toInstant(), attributes.size(), attributes.fileKey());
    }

    private record Loaded(TinkKeysetMasterKeySource source, Instant modified, long size, Object fileKey) {}
}
