package com.vipride.vip.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import com.vipride.platform.db.EmbeddedPostgresServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.StringUtils;

/**
 * Chooses the master key: an explicit keyset (environment secret or file) in production; on the
 * embedded development default only, a generated keyset kept in a file beside the database folder —
 * never inside the database. A keyset file is re-read when it changes (a rotation step takes effect
 * without a restart); a keyset given as an environment secret changes with a restart only.
 */
@Configuration(proxyBeanMethods = false)
class VipCryptoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(VipCryptoConfiguration.class);

    VipCryptoConfiguration() throws GeneralSecurityException {
        AeadConfig.register();
    }

    @Bean
    @ConditionalOnMissingBean(MasterKeySource.class)
    MasterKeySource masterKeySource(VipCryptoProperties properties, ObjectProvider<EmbeddedPostgresServer> embedded)
            throws GeneralSecurityException, IOException {
        if (StringUtils.hasText(properties.masterKeyset())) {
            return new TinkKeysetMasterKeySource(parse(properties.masterKeyset()));
        }
        if (properties.masterKeysetFile() != null) {
            return new KeysetFileMasterKeySource(properties.masterKeysetFile(), properties.masterKeysetCheckInterval());
        }
        EmbeddedPostgresServer server = embedded.getIfAvailable();
        if (server == null) {
            throw new IllegalStateException(
                    "Set vipride.vip.crypto.master-keyset (VIPRIDE_VIP_CRYPTO_MASTER_KEYSET) or "
                            + "vipride.vip.crypto.master-keyset-file: the VIP master key must come from outside the database");
        }
        Path file = server.dataDirectory().resolveSibling("keys").resolve("dev-master-keyset.json");
        developmentKeyset(file);
        return new KeysetFileMasterKeySource(file, properties.masterKeysetCheckInterval());
    }

    private static KeysetHandle parse(String json) throws GeneralSecurityException {
        return TinkJsonProtoKeysetFormat.parseKeyset(json, InsecureSecretKeyAccess.get());
    }

    private static KeysetHandle developmentKeyset(Path file) throws GeneralSecurityException, IOException {
        if (Files.exists(file)) {
            return parse(Files.readString(file));
        }
        KeysetHandle keyset = KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
        Files.createDirectories(file.getParent());
        Files.writeString(file, TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get()));
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException | IOException notPosix) {
            log.debug("Could not restrict permissions of {}", file);
        }
        log.warn("Generated a development VIP master key in {} — use a real key source in production", file);
        return keyset;
    }
}
