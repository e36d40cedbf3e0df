package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import dev.baton.internal.layout.CompletionRingDescriptor;
import dev.baton.testing.TestMemory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.baton.internal.layout.CompletionRingDescriptor.PADDING;
import static dev.baton.internal.layout.CompletionRingDescriptor.RECORD_HEADER;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CompletionRingTest
{
    private static final AbandonedRecordJudge COMMIT = (type, publisher, segment, body, length, elapsed) -> AbandonedRecordJudge.COMMIT;
    private static final AbandonedRecordJudge PAD = (type, publisher, segment, body, length, elapsed) -> AbandonedRecordJudge.PAD;
    private static final AbandonedRecordJudge WAIT = (type, publisher, segment, body, length, elapsed) -> AbandonedRecordJudge.WAIT;
    private static final int CAPACITY = 1024;
    private static final long OFFSET = 256;
    private static final int TYPE = 7;
    private TestMemory memory;
    private CompletionRing ring;
    private final List<long[]> read = new ArrayList<>(); // {type, first body long, body length}

    @BeforeEach
    void format()
    {
        memory = new TestMemory(OFFSET + CAPACITY + CompletionRingDescriptor.TRAILER_LENGTH);
        ring = new CompletionRing(memory.segment, OFFSET, CAPACITY);
        ring.format();
    }

    @AfterEach
    void free()
    {
        memory.close();
    }

    private long write(final long value, final int bodyLength)
    {
        final long body = ring.claim(TYPE, bodyLength);
        assertTrue(body >= 0, "no room for " + value);
        memory.segment.set(JAVA_LONG, body, value);
        ring.commit(body);
        return body;
    }

    private int readAll()
    {
        return ring.read((type, segment, body, length) ->
            read.add(new long[] {type, segment.get(JAVA_LONG, body), length}), 100);
    }

    @Test
    void recordsAreReadInOrderWithTypeAndLength()
    {
        write(11, 16);
        write(12, 21);
        assertEquals(2, readAll());
        assertEquals(2, read.size());
        assertEquals(TYPE, read.get(0)[0]);
        assertEquals(11, read.get(0)[1]);
        assertEquals(16, read.get(0)[2]);
        assertEquals(12, read.get(1)[1]);
        assertEquals(21, read.get(1)[2], "lengths are exact; only positions are aligned");
        assertEquals(0, ring.size());
    }

    @Test
    void readerStopsAtARecordStillBeingWritten()
    {
        final long inProgress = ring.claim(TYPE, 8);
        write(2, 8);
        assertEquals(0, readAll(), "the first record's length is still negative");
        memory.segment.set(JAVA_LONG, inProgress, 1L);
        ring.commit(inProgress);
        assertEquals(2, readAll());
        assertEquals(1, read.get(0)[1]);
        assertEquals(2, read.get(1)[1]);
    }

    @Test
    void aRecordHeaderNoProducerWritesIsRefusedNotReadPast()
    {
        final long body = write(1, 8);
        final long record = body - CompletionRingDescriptor.RECORD_HEADER_LENGTH;
        // Committed or in progress: longer than the area left, or shorter than a record header.
        for (final int length : new int[] {CAPACITY + 64, 2, -(CAPACITY + 64), -2})
        {
            memory.segment.set(JAVA_INT, record, length);
            assertEquals(CompletionRing.CORRUPTED, readAll(), "a header of length " + length);
        }
        assertTrue(read.isEmpty());
        assertEquals(0L, (long)CompletionRingDescriptor.HEAD_POSITION.get(memory.segment, OFFSET + CAPACITY), "the head unmoved");
    }

    @Test
    void positionsNoProducerOrConsumerWritesAreRefusedNotFollowed()
    {
        write(1, 8);
        final long trailer = OFFSET + CAPACITY;
        final long tail = (long)CompletionRingDescriptor.TAIL_POSITION.get(memory.segment, trailer);
        CompletionRingDescriptor.TAIL_POSITION.set(memory.segment, trailer, tail + 3);
        assertEquals(CompletionRing.CORRUPTED, ring.claim(TYPE, 8), "a misaligned tail");
        CompletionRingDescriptor.TAIL_POSITION.set(memory.segment, trailer, tail + 2L * CAPACITY);
        assertEquals(CompletionRing.CORRUPTED, ring.claim(TYPE, 8), "a tail further ahead than the ring");
        CompletionRingDescriptor.TAIL_POSITION.set(memory.segment, trailer, tail);
        assertEquals(1, readAll());
        // With nothing to read, the consumer holds the tail to its own head.
        CompletionRingDescriptor.TAIL_POSITION.set(memory.segment, trailer, tail - 8);
        assertEquals(CompletionRing.CORRUPTED, readAll(), "a tail behind the head");
        CompletionRingDescriptor.TAIL_POSITION.set(memory.segment, trailer, tail + 2L * CAPACITY);
        assertEquals(CompletionRing.CORRUPTED, readAll(), "a tail further ahead than the ring");
        CompletionRingDescriptor.TAIL_POSITION.set(memory.segment, trailer, tail);
        assertEquals(0, readAll());
        CompletionRingDescriptor.HEAD_POSITION.set(memory.segment, trailer, 5L);
        assertEquals(CompletionRing.CORRUPTED, ring.read((type, segment, body, length) -> { }, 10));
        assertFalse(ring.hasReady());
    }

    @Test
    void abortedRecordsAreSkippedAndTheirSpaceReturned()
    {
        ring.abort(ring.claim(TYPE, 40));
        write(5, 8);
        assertEquals(1, readAll());
        assertEquals(5, read.get(0)[1]);
        assertEquals(0, ring.size());
    }

    @Test
    void aRecordThatDoesNotFitBeforeTheEndIsPrecededByAPaddingRecord()
    {
        // Five records of 8 + 192 = 200 bytes end at 1000; 24 bytes remain before the wrap.
        for (int i = 0; i < 5; i++)
        {
            write(i, 192);
        }
        assertEquals(5, readAll());
        final long body = write(99, 40); // 48 bytes: does not fit in the last 24
        assertEquals(OFFSET + CompletionRingDescriptor.RECORD_HEADER_LENGTH, body, "written at index 0");
        final long padding = (long)RECORD_HEADER.get(memory.segment, OFFSET + 1000);
        assertEquals(PADDING, CompletionRingDescriptor.recordType(padding));
        assertEquals(24, CompletionRingDescriptor.recordLength(padding));

        assertEquals(1, readAll(), "one read consumes the padding and continues at index 0");
        assertEquals(99, read.get(5)[1]);
        assertEquals(0, ring.size());
    }

    @Test
    void aRunIsClaimedAtOnceMarkedInOrderAndReadAsItsRecordsCommit()
    {
        final long[] bodies = new long[3];
        assertEquals(0, ring.claimRun(TYPE, new int[] {16, 21, 8}, 3, 5, bodies));
        assertEquals(24 + 32 + 16, ring.size(), "the three aligned records, claimed together");
        final int[] recordLengths = {24, 29, 16};
        for (int i = 0; i < 3; i++)
        {
            final long header = (long)RECORD_HEADER.get(memory.segment, bodies[i] - CompletionRingDescriptor.RECORD_HEADER_LENGTH);
            assertEquals(-recordLengths[i], CompletionRingDescriptor.recordLength(header), "record " + i + " in progress");
            memory.segment.set(JAVA_LONG, bodies[i], 100 + i);
        }
        assertEquals(OFFSET + 8, bodies[0]);
        assertEquals(OFFSET + 24 + 8, bodies[1]);
        assertEquals(OFFSET + 24 + 32 + 8, bodies[2]);
        ring.commit(bodies[1]);
        assertEquals(0, readAll(), "the first record is still in progress");
        ring.commit(bodies[0]);
        ring.abort(bodies[2]);
        assertEquals(2, readAll());
        assertEquals(List.of(100L, 101L), List.of(read.get(0)[1], read.get(1)[1]));
        assertEquals(21, read.get(1)[2]);
        assertEquals(0, ring.size());
        assertEquals(-1, ring.claimRun(TYPE, new int[] {CAPACITY}, 1, 0, bodies), "longer than the ring: no room");
        assertEquals(0, ring.size(), "nothing claimed");
    }

    @Test
    void aRunThatDoesNotFitBeforeTheEndIsPrecededByAPaddingRecord()
    {
        for (int i = 0; i < 5; i++)
        {
            write(i, 192);
        }
        assertEquals(5, readAll());
        final long[] bodies = new long[2];
        assertEquals(0, ring.claimRun(TYPE, new int[] {8, 8}, 2, 0, bodies), "32 bytes: not in the last 24");
        assertEquals(OFFSET + 8, bodies[0], "written at index 0");
        assertEquals(OFFSET + 24, bodies[1]);
        assertEquals(PADDING, CompletionRingDescriptor.recordType((long)RECORD_HEADER.get(memory.segment, OFFSET + 1000)));
        memory.segment.set(JAVA_LONG, bodies[0], 7);
        memory.segment.set(JAVA_LONG, bodies[1], 8);
        ring.commit(bodies[0]);
        ring.commit(bodies[1]);
        assertEquals(2, readAll());
        assertEquals(List.of(7L, 8L), List.of(read.get(5)[1], read.get(6)[1]));
    }

    @Test
    void oneReadStopsAtItsLimitEvenAcrossTheWrap()
    {
        for (int i = 0; i < 4; i++)
        {
            write(i, 192); // 4 x 200 bytes: ends at 800
        }
        assertEquals(4, readAll());
        write(10, 192); // 800..1000
        write(11, 40); // padding 1000..1024, then 0..48
        write(12, 40); // 48..96
        assertEquals(2, ring.read((type, segment, body, length) ->
            read.add(new long[] {type, segment.get(JAVA_LONG, body), length}), 2));
        assertEquals(1, readAll());
        assertEquals(java.util.List.of(10L, 11L, 12L), read.stream().skip(4).map(r -> r[1]).toList());
    }

    @Test
    void refusesWhenFullAndAcceptsAgainOnceRead()
    {
        int written = 0;
        for (long body = ring.claim(TYPE, 120); body >= 0; body = ring.claim(TYPE, 120))
        {
            ring.commit(body);
            written++;
        }
        assertEquals(CAPACITY / 128, written);
        assertEquals(-1, ring.claim(TYPE, 8));
        assertEquals(written, readAll());
        assertTrue(ring.claim(TYPE, 8) >= 0);
    }

    @Test
    void consumedSpaceIsZeroedForTheNextLap()
    {
        write(0x5555_5555_5555_5555L, 56);
        readAll();
        final MemorySegment area = memory.segment.asSlice(OFFSET, 64);
        for (long i = 0; i < 64; i += 8)
        {
            assertEquals(0L, area.get(JAVA_LONG, i), "byte " + i);
        }
    }

    @Test
    void aHandlerThatThrowsConsumesTheRecordsBeforeItAndLeavesItsOwnForTheNextRead()
    {
        write(1, 8);
        write(2, 8);
        final RuntimeException failure = new RuntimeException("handler failed");
        final List<Long> seen = new ArrayList<>();
        assertSame(failure, assertThrows(RuntimeException.class, () -> ring.read((type, segment, body, length) -> {
            seen.add(segment.get(JAVA_LONG, body));
            if (segment.get(JAVA_LONG, body) == 2)
            {
                throw failure;
            }
        }, 10)));
        assertEquals(List.of(1L, 2L), seen);
        assertEquals(1, readAll(), "record 2 is delivered again; record 1 is not");
        assertEquals(2, read.get(0)[1]);
    }

    @Test
    void unblockCommitsOrPadsARecordLeftInProgressAndItsProducerLeavesItAloneAfterwards()
    {
        final long kept = ring.claim(TYPE, 8);
        memory.segment.set(JAVA_LONG, kept, 21L);
        final long dropped = ring.claim(TYPE, 8);
        write(23, 8);
        assertEquals(0, readAll());
        assertEquals(CompletionRingUnblocker.NOT_BLOCKED, new CompletionRingUnblocker(ring).unblock(WAIT, true, true), "the judge may not know the producer dead");
        assertEquals(CompletionRingUnblocker.UNBLOCKED_BY_COMMIT, new CompletionRingUnblocker(ring).unblock(COMMIT, true, true));
        assertEquals(1, readAll());
        assertEquals(CompletionRingUnblocker.UNBLOCKED_BY_PADDING, new CompletionRingUnblocker(ring).unblock(PAD, true, true));
        ring.commit(kept); // producers that wake late: their records are already decided
        ring.abort(dropped);
        assertEquals(1, readAll());
        assertEquals(List.of(21L, 23L), read.stream().map(record -> record[1]).toList());
        assertEquals(CompletionRingUnblocker.NOT_BLOCKED, new CompletionRingUnblocker(ring).unblock(COMMIT, true, true));
        assertEquals(0, ring.size());
    }

    @Test
    void unblockPadsClaimsWhoseHeaderWasNeverWrittenUpToTheNextRecordOrTheWrap()
    {
        final long trailer = OFFSET + CAPACITY;
        // A producer moved the tail by 16 bytes and died before writing its header.
        final long tail = (long)CompletionRingDescriptor.TAIL_POSITION.getVolatile(memory.segment, trailer);
        CompletionRingDescriptor.TAIL_POSITION.setVolatile(memory.segment, trailer, tail + 16);
        assertEquals(CompletionRingUnblocker.NOT_BLOCKED, new CompletionRingUnblocker(ring).unblock(COMMIT, true, true),
            "no later header yet: the claim may still be written");
        write(31, 8);
        assertEquals(0, readAll());
        assertEquals(CompletionRingUnblocker.NOT_BLOCKED, new CompletionRingUnblocker(ring).unblock(COMMIT, true, false),
            "nothing names the producer of zeroes: only the gap patience presumes it dead");
        assertEquals(CompletionRingUnblocker.UNBLOCKED_BY_PADDING, new CompletionRingUnblocker(ring).unblock(COMMIT, true, true));
        assertEquals(1, readAll());

        // Fill up to near the end, then a producer that had to pad before the wrap dies before
        // writing the padding header: the zeroes run to the end of the area.
        while (CAPACITY - (int)((long)CompletionRingDescriptor.TAIL_POSITION.getVolatile(memory.segment, trailer) &
            (CAPACITY - 1)) > 64)
        {
            write(0, 24);
        }
        readAll();
        final long nearEnd = (long)CompletionRingDescriptor.TAIL_POSITION.getVolatile(memory.segment, trailer);
        final int toEnd = CAPACITY - (int)(nearEnd & (CAPACITY - 1));
        CompletionRingDescriptor.TAIL_POSITION.setVolatile(memory.segment, trailer, nearEnd + toEnd + 16);
        assertEquals(CompletionRingUnblocker.UNBLOCKED_BY_PADDING, new CompletionRingUnblocker(ring).unblock(COMMIT, true, true));
        read.clear();
        write(33, 8);
        assertEquals(0, readAll(), "the claim at index 0 is still unwritten");
        assertEquals(CompletionRingUnblocker.UNBLOCKED_BY_PADDING, new CompletionRingUnblocker(ring).unblock(COMMIT, true, true));
        assertEquals(1, readAll());
        assertEquals(33L, read.get(0)[1]);
        assertEquals(0, ring.size());
    }

    @Test
    void unblockLeavesACorruptedHeaderAloneAndTheReaderRefusesIt()
    {
        final long body = ring.claim(TYPE, 8);
        RECORD_HEADER.setVolatile(memory.segment, body - CompletionRingDescriptor.RECORD_HEADER_LENGTH,
            CompletionRingDescriptor.makeHeader(-4, TYPE));
        assertEquals(CompletionRingUnblocker.NOT_BLOCKED, new CompletionRingUnblocker(ring).unblock(COMMIT, true, true));
        assertEquals(CompletionRing.CORRUPTED, readAll(), "the drain refuses it instead");
    }
}
