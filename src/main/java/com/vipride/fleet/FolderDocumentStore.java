package com.vipride.fleet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Keeps document files in a folder, one file per key, written to a temporary name and moved into place
 * so that a reader never sees half a file.
 */
final class FolderDocumentStore implements DocumentStore {

    private final Path root;

    FolderDocumentStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    @Override
    public void put(String key, byte[] content) throws IOException {
        Path target = resolve(key);
        Files.createDirectories(target.getParent());
        Path partial = Files.createTempFile(target.getParent(), ".upload-", ".part");
        try {
            Files.write(partial, content);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    @Override
    public byte[] get(String key) throws IOException {
        return Files.readAllBytes(resolve(key));
    }

    @Override
    public void delete(String key) throws IOException {
        Files.deleteIfExists(resolve(key));
    }

    /** Keys are made by the service ({@code <two hex digits>/<uuid>}); anything else is refused. */
    private Path resolve(String key) {
        if (!key.matches("[0-9a-f]{2}/[0-9a-f-]{36}")) {
            throw new IllegalArgumentException("not a document key: " + key);
        }
        return root.resolve(key);
    }
}
