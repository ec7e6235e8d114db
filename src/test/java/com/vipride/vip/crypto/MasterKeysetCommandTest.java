package com.vipride.vip.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.crypto.tink.Aead;
import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.RegistryConfiguration;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The master keyset's life: generated, a key added, promoted, the old one retired — by Tink only. */
class MasterKeysetCommandTest {

    @TempDir
    Path folder;

    @Test
    void generateAddPromoteRetireKeepsWhatWasWrappedReadableUntilTheOldKeyIsRetired() throws Exception {
        Path file = folder.resolve("master-keyset.json");

        String generated = run("generate", file);
        assertThat(generated.lines()).hasSize(1).allMatch(l -> l.endsWith(" primary"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        byte[] wrappedBefore = aead(file).encrypt("subject key".getBytes(StandardCharsets.UTF_8), new byte[0]);
        String oldId = generated.lines().findFirst().orElseThrow().split(" ")[0];

        String added = run("add", file);
        assertThat(added.lines()).hasSize(2).containsOnlyOnce(oldId + " primary");

        String promoted = run("promote", file);
        assertThat(promoted.lines()).hasSize(2).contains(oldId).doesNotContain(oldId + " primary");
        assertThat(aead(file).decrypt(wrappedBefore, new byte[0]))
                .asString(StandardCharsets.UTF_8)
                .isEqualTo("subject key");

        String retired = run("retire", file);
        assertThat(retired.lines()).hasSize(1).allMatch(l -> l.endsWith(" primary") && !l.startsWith(oldId + " "));
        assertThatThrownBy(() -> aead(file).decrypt(wrappedBefore, new byte[0]))
                .as("after retirement only keys wrapped under the new master key open");
        assertThatThrownBy(() -> run("generate", file)).hasMessageContaining("never overwrites");
    }

    private static Aead aead(Path file) throws Exception {
        return TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file), InsecureSecretKeyAccess.get())
                .getPrimitive(RegistryConfiguration.get(), Aead.class);
    }

    private static String run(String command, Path file) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MasterKeysetCommand.run(command, file, new PrintStream(out, true, StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8);
    }
}
