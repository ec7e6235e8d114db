package com.vipride.fleet;

import java.io.IOException;

/**
 * Where the files of drivers' and vehicles' documents are kept. The database keeps each file's key,
 * size and SHA-256; the store keeps the bytes. The default is {@link FolderDocumentStore}; a bean of
 * this type (an object store, a vault) replaces it.
 */
public interface DocumentStore {

    /** Stores {@code content} under {@code key}, a new key the fleet capability made. */
    void put(String key, byte[] content) throws IOException;

    /** The file stored under {@code key}. */
    byte[] get(String key) throws IOException;

    /** Forgets the file stored under {@code key}, if any (a write whose transaction rolled back). */
    void delete(String key) throws IOException;
}
