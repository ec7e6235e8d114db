package com.vipride.notifications;

import static org.assertj.core.api.Assertions.assertThat;

import com.vipride.notifications.StreamCursor.Announced;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The poller's cursor: every committed id is announced exactly once, whatever the order in which ids
 * commit; ids that never commit are given up after the window, and only after a read looked for them.
 */
class StreamCursorTest {

    private static final long SECOND = 1_000_000_000L;
    private static final UUID USER = UUID.randomUUID();

    private final StreamCursor cursor = new StreamCursor(30 * SECOND, SECOND, 100);

    private static List<Announced> rows(long... ids) {
        return Arrays.stream(ids)
                .mapToObj(id -> new Announced(id, USER, null, "ride"))
                .toList();
    }

    private static List<Long> ids(List<Announced> announced) {
        return announced.stream().map(Announced::id).toList();
    }

    @Test
    void theFirstReadPlacesTheCursorAndAnnouncesNothing() {
        StreamCursor.Read first = cursor.nextRead(0);
        assertThat(first.after()).isNull();
        assertThat(cursor.accept(first, rows(7, 5, 3))).isEmpty();
        assertThat(cursor.after()).isEqualTo(7);
        // 4 and 6 may still commit.
        assertThat(cursor.nextRead(1).holes()).containsExactly(4L, 6L);
    }

    @Test
    void anEmptyTableStartsAtZero() {
        cursor.accept(cursor.nextRead(0), List.of());
        assertThat(cursor.after()).isZero();
        assertThat(ids(cursor.accept(cursor.nextRead(1), rows(1, 2)))).containsExactly(1L, 2L);
    }

    @Test
    void aLowerIdCommittedAfterAHigherOneIsAnnouncedOnce() {
        cursor.accept(cursor.nextRead(0), rows(10));
        // 11 is still in its transaction; 12 committed.
        StreamCursor.Read read = cursor.nextRead(1);
        assertThat(ids(cursor.accept(read, rows(12)))).containsExactly(12L);
        read = cursor.nextRead(2);
        assertThat(read.after()).isEqualTo(12);
        assertThat(read.holes()).containsExactly(11L);
        // 11 commits.
        assertThat(ids(cursor.accept(read, rows(11)))).containsExactly(11L);
        read = cursor.nextRead(3);
        assertThat(read.holes()).isEmpty();
        // Read again (the function returns it only while asked for): never announced twice.
        assertThat(cursor.accept(read, rows(11, 12))).isEmpty();
    }

    @Test
    void aRolledBackIdIsGivenUpAfterTheWindowButOnlyOnceAReadLookedForIt() {
        cursor.accept(cursor.nextRead(0), rows(1));
        cursor.accept(cursor.nextRead(1), rows(3));
        assertThat(cursor.holes()).isEqualTo(1);
        // Older than two seconds: read every second only.
        StreamCursor.Read sparse = cursor.nextRead(1 + 3 * SECOND);
        assertThat(sparse.full()).isTrue();
        cursor.accept(sparse, List.of());
        assertThat(cursor.nextRead(1 + 3 * SECOND + SECOND / 2).holes()).isEmpty();
        assertThat(cursor.nextRead(1 + 4 * SECOND).holes()).containsExactly(2L);
        // After the window, the next full read gives it up.
        StreamCursor.Read late = cursor.nextRead(1 + 31 * SECOND);
        assertThat(late.holes()).containsExactly(2L);
        cursor.accept(late, List.of());
        assertThat(cursor.holes()).isZero();
    }

    @Test
    void aLateCommitStillArrivesWithinTheWindow() {
        cursor.accept(cursor.nextRead(0), rows(1));
        cursor.accept(cursor.nextRead(1), rows(3));
        StreamCursor.Read read = cursor.nextRead(20 * SECOND);
        assertThat(ids(cursor.accept(read, rows(2)))).containsExactly(2L);
    }

    @Test
    void holesAreBoundedKeepingTheHighest() {
        cursor.accept(cursor.nextRead(0), rows(1));
        cursor.accept(cursor.nextRead(1), rows(1_000));
        assertThat(cursor.holes()).isEqualTo(100);
        assertThat(cursor.nextRead(2).holes()).startsWith(900L).endsWith(999L);
    }
}
