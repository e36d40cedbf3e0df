package dev.baton.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.baton.internal.layout.CompletionRingDescriptor;
import dev.baton.testing.TestMemory;
import dev.baton.testing.TestThreads;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RecordDescriptor;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Agrona's ManyToOneRingBuffer is the oracle for the completion ring's format: it reads what Baton
 * writes and Baton reads what it writes, on the same memory, across wraps and concurrently.
 */
class AgronaInteropTest
{
    private static final int CAPACITY = 4096;
    private TestMemory memory;
    private CompletionRing baton;
    private ManyToOneRingBuffer agrona;

    @BeforeEach
    void format()
    {
        memory = new TestMemory(CAPACITY + CompletionRingDescriptor.TRAILER_LENGTH);
        baton = new CompletionRing(memory.segment, 0, CAPACITY);
        baton.format();
        agrona = new ManyToOneRingBuffer(
            new UnsafeBuffer(memory.segment.address(), CAPACITY + CompletionRingDescriptor.TRAILER_LENGTH));
    }

    @AfterEach
    void free()
    {
        memory.close();
    }

    @Test
    void descriptorsMatchAgronas()
    {
        assertEquals(RingBufferDescriptor.TRAILER_LENGTH, CompletionRingDescriptor.TRAILER_LENGTH);
        assertEquals(RingBufferDescriptor.TAIL_POSITION_OFFSET, CompletionRingDescriptor.TAIL_POSITION_OFFSET);
        assertEquals(
            RingBufferDescriptor.HEAD_CACHE_POSITION_OFFSET, CompletionRingDescriptor.HEAD_CACHE_POSITION_OFFSET);
        assertEquals(RingBufferDescriptor.HEAD_POSITION_OFFSET, CompletionRingDescriptor.HEAD_POSITION_OFFSET);
        assertEquals(
            RingBufferDescriptor.CORRELATION_COUNTER_OFFSET, CompletionRingDescriptor.CORRELATION_COUNTER_OFFSET);
        assertEquals(
            RingBufferDescriptor.CONSUMER_HEARTBEAT_OFFSET, CompletionRingDescriptor.CONSUMER_HEARTBEAT_OFFSET);
        assertEquals(RecordDescriptor.HEADER_LENGTH, CompletionRingDescriptor.RECORD_HEADER_LENGTH);
        assertEquals(RecordDescriptor.ALIGNMENT, CompletionRingDescriptor.RECORD_ALIGNMENT);
        assertEquals(ManyToOneRingBuffer.PADDING_MSG_TYPE_ID, CompletionRingDescriptor.PADDING);
        assertEquals(agrona.maxMsgLength(), baton.maxBodyLength());
    }

    private static byte[] body(final int sequence)
    {
        final byte[] body = new byte[8 + sequence % 50];
        for (int i = 0; i < body.length; i++)
        {
            body[i] = (byte)(sequence * 31 + i);
        }
        return body;
    }

    private void batonWrite(final int type, final byte[] body)
    {
        final long offset = baton.claim(type, body.length);
        assertTrue(offset >= 0, "Baton found no room");
        MemorySegment.copy(body, 0, memory.segment, ValueLayout.JAVA_BYTE, offset, body.length);
        baton.commit(offset);
    }

    @Test
    void agronaReadsWhatBatonWritesAcrossManyWraps()
    {
        final List<byte[]> seen = new ArrayList<>();
        for (int sequence = 0; sequence < 2000; sequence++)
        {
            batonWrite(1 + sequence % 3, body(sequence));
            if (sequence % 7 == 6)
            {
                agrona.read((type, buffer, index, length) -> {
                    final byte[] bytes = new byte[length];
                    buffer.getBytes(index, bytes);
                    assertEquals(1 + seen.size() % 3, type);
                    seen.add(bytes);
                });
            }
        }
        while (agrona.read((type, buffer, index, length) -> {
            final byte[] bytes = new byte[length];
            buffer.getBytes(index, bytes);
            seen.add(bytes);
        }) > 0 || seen.size() < 2000)
        {
            assertTrue(seen.size() <= 2000);
        }
        for (int sequence = 0; sequence < 2000; sequence++)
        {
            assertArrayEquals(body(sequence), seen.get(sequence), "record " + sequence);
        }
    }

    @Test
    void batonReadsWhatAgronaWritesAcrossManyWraps()
    {
        final List<byte[]> seen = new ArrayList<>();
        final RecordHandler collect = (type, segment, offset, length) -> {
            assertEquals(1 + seen.size() % 3, type);
            seen.add(segment.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE));
        };
        for (int sequence = 0; sequence < 2000; sequence++)
        {
            final byte[] body = body(sequence);
            assertTrue(agrona.write(1 + sequence % 3, new UnsafeBuffer(body), 0, body.length));
            if (sequence % 7 == 6)
            {
                baton.read(collect, 100);
            }
        }
        while (seen.size() < 2000)
        {
            assertTrue(baton.read(collect, 100) > 0 || seen.size() == 2000, "records missing after " + seen.size());
        }
        for (int sequence = 0; sequence < 2000; sequence++)
        {
            assertArrayEquals(body(sequence), seen.get(sequence), "record " + sequence);
        }
    }

    @Test
    void agronaAndBatonProducersShareOneRingConcurrently() throws InterruptedException
    {
        final int perProducer = 50_000;
        final int producers = 3; // two Baton, one Agrona
        final CountDownLatch start = new CountDownLatch(1);
        final List<Thread> threads = new ArrayList<>();
        for (int producer = 0; producer < producers; producer++)
        {
            final int id = producer;
            threads.add(Thread.ofPlatform().start(() -> {
                TestThreads.awaitOpen(start);
                final UnsafeBuffer scratch = new UnsafeBuffer(new byte[16]);
                for (int sequence = 0; sequence < perProducer; sequence++)
                {
                    if (id == 2)
                    {
                        scratch.putInt(0, id);
                        scratch.putInt(4, sequence);
                        while (!agrona.write(1, scratch, 0, 8))
                        {
                            Thread.onSpinWait();
                        }
                    }
                    else
                    {
                        long offset;
                        while ((offset = baton.claim(1, 8)) < 0)
                        {
                            Thread.onSpinWait();
                        }
                        memory.segment.set(ValueLayout.JAVA_INT, offset, id);
                        memory.segment.set(ValueLayout.JAVA_INT, offset + 4, sequence);
                        baton.commit(offset);
                    }
                }
            }));
        }
        final int[] next = new int[producers];
        start.countDown();
        int total = 0;
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (total < producers * perProducer && System.nanoTime() < deadline)
        {
            total += baton.read((type, segment, offset, length) -> {
                final int id = segment.get(ValueLayout.JAVA_INT, offset);
                final int sequence = segment.get(ValueLayout.JAVA_INT, offset + 4);
                assertEquals(next[id]++, sequence, "producer " + id + " out of order or duplicated");
            }, 256);
        }
        for (final Thread thread : threads)
        {
            thread.join();
        }
        assertArrayEquals(new int[] {perProducer, perProducer, perProducer}, next, "every record read once");
        assertEquals(0, baton.size());
    }
}
