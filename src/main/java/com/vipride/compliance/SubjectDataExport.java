package com.vipride.compliance;

import com.vipride.vip.export.SubjectFieldDecryption.OpenedField;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A subject's archive built while the database reads their rows: {@code compliance.open_subject_data}
 * streams every row the data map finds, as JSON and as its CSV line (a cursor, fetched in batches on the
 * caller's connection and transaction), and a second thread writes each batch into the archive
 * ({@link SubjectArchive.Rows}, compressed) while the database builds the next. The manifest entries
 * ({@code compliance.subject_data_manifests}) and the decrypted VIP fields follow the last row.
 */
public final class SubjectDataExport {

    static final int BATCH_ROWS = 5_000;
    private static final String CURSOR = "subject_data";
    private static final int BATCHES_AHEAD = 8;

    /** The archive and how long reading the rows took (the archive is written meanwhile). */
    public record Result(byte[] archive, double readSeconds) {}

    private SubjectDataExport() {}

    /** Must run inside a transaction (the cursor lives in it). */
    public static Result build(
            JdbcClient jdbc, UUID subject, Instant generatedAt, Supplier<List<OpenedField>> decryptedFields) {
        long start = System.nanoTime();
        SubjectArchive.Rows archive = new SubjectArchive.Rows(subject, generatedAt);
        ExecutorService writer = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "subject-archive-writer");
            thread.setDaemon(true);
            return thread;
        });
        Semaphore ahead = new Semaphore(BATCHES_AHEAD);
        List<Future<?>> written = new ArrayList<>();
        try {
            jdbc.sql("SELECT compliance.open_subject_data(:user, :cursor)")
                    .param("user", subject)
                    .param("cursor", CURSOR)
                    .query(String.class)
                    .single();
            List<String> tables = new ArrayList<>();
            List<Long> counts = new ArrayList<>();
            while (true) {
                List<String[]> batch = jdbc.sql("FETCH FORWARD " + BATCH_ROWS + " FROM " + CURSOR)
                        .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)})
                        .list();
                // The batch by table (a table's rows are consecutive), each handed to the writer.
                int from = 0;
                for (int i = 1; i <= batch.size(); i++) {
                    if (i == batch.size() || !batch.get(i)[0].equals(batch.get(from)[0])) {
                        String table = batch.get(from)[0];
                        List<String> rows = new ArrayList<>(i - from);
                        List<String> csvLines = new ArrayList<>(i - from);
                        for (String[] row : batch.subList(from, i)) {
                            rows.add(row[1]);
                            csvLines.add(row[2]);
                        }
                        int last = tables.size() - 1;
                        if (last >= 0 && tables.get(last).equals(table)) {
                            counts.set(last, counts.get(last) + rows.size());
                        } else {
                            tables.add(table);
                            counts.add((long) rows.size());
                        }
                        acquire(ahead);
                        written.add(writer.submit(() -> {
                            try {
                                archive.rows(table, rows, csvLines);
                            } finally {
                                ahead.release();
                            }
                        }));
                        failFast(written);
                        from = i;
                    }
                }
                if (batch.size() < BATCH_ROWS) {
                    break;
                }
            }
            jdbc.sql("CLOSE " + CURSOR).update();
            double readSeconds = (System.nanoTime() - start) / 1e9;
            List<String> manifests = jdbc.sql("SELECT manifest::text FROM compliance.subject_data_manifests("
                            + "CAST(:tables AS text[]), CAST(:counts AS bigint[]))")
                    .param("tables", tables.toArray(String[]::new))
                    .param("counts", counts.toArray(Long[]::new))
                    .query(String.class)
                    .list();
            List<OpenedField> decrypted = decryptedFields.get();
            byte[] bytes =
                    writer.submit(() -> archive.finish(manifests, decrypted)).get();
            for (Future<?> batch : written) {
                batch.get();
            }
            return new Result(bytes, readSeconds);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing the archive", e);
        } catch (ExecutionException e) {
            throw failure(e);
        } finally {
            writer.shutdownNow();
        }
    }

    private static void acquire(Semaphore ahead) throws InterruptedException {
        ahead.acquire();
    }

    /** A batch the writer failed on ends the export at once. */
    private static void failFast(List<Future<?>> written) throws InterruptedException, ExecutionException {
        while (!written.isEmpty() && written.get(0).isDone()) {
            written.remove(0).get();
        }
    }

    private static RuntimeException failure(ExecutionException e) {
        return e.getCause() instanceof RuntimeException runtime
                ? runtime
                : new IllegalStateException("Could not write the archive", e.getCause());
    }
}
