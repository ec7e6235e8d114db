package com.vipride.vip.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.TinkProtoKeysetFormat;
import com.vipride.platform.jobs.JobRun;
import com.vipride.platform.jobs.Jobs;
import com.vipride.support.Api.Response;
import com.vipride.support.IntegrationTest;
import com.vipride.support.TestAccounts.SignedIn;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * A rotation of the VIP master key while the service serves, with the operator's command only: a new
 * key is added, promoted, every subject key re-wrapped under it by the re-wrap job, and the old key
 * retired — on the running service's keyset file, which it re-reads when it changes (no restart). A
 * reader keeps reading VIP profiles the whole time; afterwards every subject key in the database opens
 * with the new keyset alone and every VIP's data reads back as written.
 */
class VipMasterKeyRotationIT extends IntegrationTest {

    private static final String ADDRESS = "7 Glover Road, Ikoyi";

    @Autowired
    private MasterKeySource masterKey;

    @Autowired
    private Jobs jobs;

    @Test
    void theMasterKeyRotatesWhileTheServiceServesAndEverySubjectKeyEndsUnderTheNewKeyAlone() throws Exception {
        Path keysetFile = postgres.dataDirectory().resolveSibling("keys").resolve("dev-master-keyset.json");
        assertThat(keysetFile).exists();
        SignedIn admin = accounts().aSignedInStaffMember("vip_admin");
        List<UUID> vips = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            vips.add(aVip(admin));
        }
        String oldKey = primary(command("show", keysetFile));
        assertThat(masterKey.currentKeyId()).isEqualTo(oldKey);

        AtomicBoolean rotating = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        List<String> failures = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            while (rotating.get()) {
                for (UUID vip : vips) {
                    Response read =
                            api().get("/api/v1/vip/profiles/" + vip + "?purpose=rotation%20drill", admin.accessToken());
                    reads.incrementAndGet();
                    if (read.status() != 200 || !ADDRESS.equals(read.text("homeAddress"))) {
                        failures.add(read.toString());
                    }
                }
            }
        });
        reader.start();
        Instant start = Instant.now();

        // 1. add: every instance can unwrap under the new key; wraps stay under the old one.
        assertThat(command("add", keysetFile).lines()).hasSize(2);
        assertThat(masterKey.currentKeyId()).isEqualTo(oldKey);
        vips.add(aVip(admin));

        // 2. promote: new wraps under the new key; the re-wrap job moves every subject key to it.
        String newKey = primary(command("promote", keysetFile));
        assertThat(newKey).isNotEqualTo(oldKey);
        assertThat(masterKey.currentKeyId()).isEqualTo(newKey);
        vips.add(aVip(admin));
        long underOld = countWrappedUnder(oldKey);
        assertThat(underOld).isPositive();
        long rewrapped = 0;
        for (int attempt = 0; attempt < 3 && countWrappedUnder(oldKey) > 0; attempt++) {
            // (the job's own schedule may run at the same moment; a subject key re-wrapped by both is retried)
            JobRun rewrap = jobs.runNow("vip-master-key-rewrap");
            rewrapped += rewrap.succeeded() ? rewrap.counts().get("rewrapped") : 0;
        }
        assertThat(superuser()
                        .sql("SELECT count(*) FROM vip_data.subject_keys WHERE master_key_id <> :new")
                        .param("new", newKey)
                        .query(Long.class)
                        .single())
                .isZero();

        // 3. retire: the old key is gone from the keyset.
        String retired = command("retire", keysetFile);
        assertThat(retired.lines()).containsExactly(newKey + " primary");
        vips.add(aVip(admin));
        Thread.sleep(500); // the reader reads under the retired keyset too
        rotating.set(false);
        reader.join();
        Duration took = Duration.between(start, Instant.now());

        assertThat(failures).isEmpty();
        assertThat(reads.get()).isPositive();
        for (UUID vip : vips) {
            Response read = api().get("/api/v1/vip/profiles/" + vip + "?purpose=after%20rotation", admin.accessToken());
            assertThat(read.status()).as(read.toString()).isEqualTo(200);
            assertThat(read.text("homeAddress")).isEqualTo(ADDRESS);
        }
        // Every wrapped subject key in the database opens with the keyset holding the new key alone.
        Aead onlyNewKey = TinkJsonProtoKeysetFormat.parseKeyset(
                        Files.readString(keysetFile), InsecureSecretKeyAccess.get())
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
        List<Map<String, Object>> wrapped = superuser()
                .sql("SELECT subject_id, keyset_enc, master_key_id FROM vip_data.subject_keys")
                .query()
                .listOfRows();
        int opened = 0;
        for (Map<String, Object> row : wrapped) {
            UUID subject = (UUID) row.get("subject_id");
            assertThat(row.get("master_key_id")).isEqualTo(newKey);
            TinkProtoKeysetFormat.parseEncryptedKeyset(
                    (byte[]) row.get("keyset_enc"), onlyNewKey, DataKeyring.subjectBytes(subject));
            opened++;
        }
        assertThat(opened).isGreaterThanOrEqualTo(vips.size());
        long underRetired = countWrappedUnder(oldKey);
        com.vipride.support.DrillSummary.write(
                "master-key-rotation",
                reads.get() + " VIP profile reads during the rotation ("
                        + String.format("%.1f", took.toMillis() / 1000.0) + " s), " + vips.size()
                        + " VIPs written during it",
                "master key added, promoted, " + rewrapped + " subject keys re-wrapped, old key retired — the"
                        + " service serving throughout, no restart",
                "-",
                failures.size() + " failed reads; " + underRetired + " of " + opened
                        + " subject keys under the retired key",
                failures.isEmpty() && underRetired == 0,
                Map.of(
                        "subjectKeys",
                        opened,
                        "rewrapped",
                        rewrapped,
                        "underRetiredKey",
                        underRetired,
                        "readsDuringRotation",
                        reads.get(),
                        "failedReads",
                        failures.size(),
                        "vips",
                        vips.size(),
                        "seconds",
                        took.toMillis() / 1000.0));
    }

    private long countWrappedUnder(String key) {
        return superuser()
                .sql("SELECT count(*) FROM vip_data.subject_keys WHERE master_key_id = :key")
                .param("key", key)
                .query(Long.class)
                .single();
    }

    private static String command(String command, Path file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MasterKeysetCommand.run(command, file, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String primary(String described) {
        return described
                .lines()
                .filter(line -> line.endsWith(" primary"))
                .map(line -> line.split(" ")[0])
                .findFirst()
                .orElseThrow();
    }

    private UUID aVip(SignedIn admin) {
        SignedIn customer = accounts().aSignedInCustomer();
        Map<String, Object> profile = new HashMap<>();
        profile.put("userId", customer.id());
        profile.put("priorityLevel", 3);
        profile.put("clearanceLevel", "government");
        profile.put("threatLevel", "high");
        profile.put("requiresSecurityEscort", true);
        profile.put("homeAddress", ADDRESS);
        profile.put("medicalNotes", "None known");
        profile.put("securityNotes", "Rotation drill");
        Response created = api().post("/api/v1/vip/profiles", profile, admin.accessToken());
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return customer.id();
    }
}
