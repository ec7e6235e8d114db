package com.vipride.vip.crypto;

import com.google.crypto.tink.InsecureSecretKeyAccess;
import com.google.crypto.tink.KeysetHandle;
import com.google.crypto.tink.TinkJsonProtoKeysetFormat;
import com.google.crypto.tink.aead.AeadConfig;
import com.google.crypto.tink.aead.PredefinedAeadParameters;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;

/**
 * The production VIP master keyset, made and rotated by Tink (never written by hand). Run from the
 * service jar ({@code ops/keys/master-keyset.sh}); each command rewrites the file atomically, readable by
 * its owner only, and prints the keyset's key ids (never key material).
 *
 * <ol>
 *   <li>{@code generate FILE}: a new keyset with one AES-256-GCM key.
 *   <li>{@code add FILE}: adds a new key, not yet primary. Roll it out to every instance first, so that
 *       each can unwrap what the new key will wrap.
 *   <li>{@code promote FILE}: makes the newest key primary. Roll it out; each instance wraps under the
 *       new key from then on and its {@code vip-master-key-rewrap} job re-wraps every subject key.
 *   <li>{@code retire FILE}: once {@code vip_data.subject_keys} holds no key under an older master key,
 *       removes every key but the primary. Roll it out.
 *   <li>{@code show FILE}: the key ids, the primary marked.
 * </ol>
 */
public final class MasterKeysetCommand {

    private MasterKeysetCommand() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: master-keyset generate|add|promote|retire|show FILE");
            System.exit(2);
        }
        run(args[0], Path.of(args[1]), System.out);
    }

    static void run(String command, Path file, PrintStream out) throws GeneralSecurityException, IOException {
        AeadConfig.register();
        KeysetHandle keyset = switch (command) {
            case "generate" -> {
                if (Files.exists(file)) {
                    throw new IllegalStateException(file + " exists: generate never overwrites a keyset");
                }
                yield KeysetHandle.generateNew(PredefinedAeadParameters.AES256_GCM);
            }
            case "add" ->
                KeysetHandle.newBuilder(read(file))
                        .addEntry(KeysetHandle.generateEntryFromParameters(PredefinedAeadParameters.AES256_GCM)
                                .withRandomId())
                        .build();
            case "promote" -> promoteNewest(read(file));
            case "retire" -> retireAllButPrimary(read(file));
            case "show" -> read(file);
            default -> throw new IllegalArgumentException("unknown command " + command);
        };
        if (!command.equals("show")) {
            write(file, keyset);
        }
        describe(keyset, out);
    }

    private static KeysetHandle promoteNewest(KeysetHandle keyset) throws GeneralSecurityException {
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(keyset);
        builder.getAt(keyset.size() - 1).makePrimary();
        return builder.build();
    }

    private static KeysetHandle retireAllButPrimary(KeysetHandle keyset) throws GeneralSecurityException {
        KeysetHandle.Builder builder = KeysetHandle.newBuilder(keyset);
        int primary = keyset.getPrimary().getId();
        for (int i = keyset.size() - 1; i >= 0; i--) {
            if (keyset.getAt(i).getId() != primary) {
                builder.deleteAt(i);
            }
        }
        return builder.build();
    }

    static void describe(KeysetHandle keyset, PrintStream out) {
        for (int i = 0; i < keyset.size(); i++) {
            KeysetHandle.Entry entry = keyset.getAt(i);
            out.println("tink:" + Integer.toUnsignedString(entry.getId()) + (entry.isPrimary() ? " primary" : ""));
        }
    }

    private static KeysetHandle read(Path file) throws GeneralSecurityException, IOException {
        return TinkJsonProtoKeysetFormat.parseKeyset(Files.readString(file), InsecureSecretKeyAccess.get());
    }

    private static void write(Path file, KeysetHandle keyset) throws GeneralSecurityException, IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = parent.resolve(file.getFileName() + ".new");
        Files.deleteIfExists(partial);
        try {
            Files.createFile(
                    partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createFile(partial);
        }
        Files.writeString(partial, TinkJsonProtoKeysetFormat.serializeKeyset(keyset, InsecureSecretKeyAccess.get()));
        Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
