package dev.baton;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import dev.baton.internal.ffi.NativeLibrary;
import dev.baton.internal.layout.HeaderDescriptor;
import dev.baton.testing.DoublingLedger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Java host with C or Rust handler threads on the memory the Java host created: started with one
 * downcall each, they meet the host only in the channel. Every event must be completed or timed out
 * exactly once, with the answer its handler computed.
 */
class NativeHandlersTest
{
    private static final int EVENTS = 50_000;
    private static final int HANDLER_THREADS = 2;
    private static final int SILENT_PER_MILLE = 5;
    private static final long DISPATCH_SIGNAL_OFFSET = HeaderDescriptor.offset("dispatch_signal");
    private static final long COMPLETION_SIGNAL_OFFSET = HeaderDescriptor.offset("completion_signal");
    private static final long ATTACHED_COUNT_OFFSET = HeaderDescriptor.offset("attached_count");

    static Path poolLibrary(final String language)
    {
        assertTrue(NativeLibrary.isAvailable(), "libbaton must be built for this test (make native)");
        final Path pool = NativeLibrary.beside("libbaton_" + language + "_handlers.so");
        // The pools are fixtures that `make handler-pools` builds; make test-java requires them.
        if (Boolean.getBoolean("baton.handler.pools.required"))
        {
            assertTrue(Files.isRegularFile(pool), pool + " must be built for this test (make handler-pools)");
        }
        Assumptions.assumeTrue(Files.isRegularFile(pool), pool + " is not built: run make handler-pools");
        return pool;
    }

    static NativeHandlerPool startPool(final String language, final DispatchChannel channel, final int silentPerMille)
    {
        return NativeHandlerPool.start(
            poolLibrary(language), "baton_" + language + "_handlers", channel, HANDLER_THREADS, silentPerMille);
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "rust"})
    void aJavaHostAndNativeHandlersBalanceTheLedger(final String language)
    {
        try (DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(64)
            .completionTimeout(Duration.ofMillis(20))
            .build())
        {
            final MemorySegment memory = channel.memory();
            assertEquals(1, memory.get(ValueLayout.JAVA_INT, ATTACHED_COUNT_OFFSET), "the Java host's attachment");
            final NativeHandlerPool pool = startPool(language, channel, SILENT_PER_MILLE);
            assertEquals(1 + HANDLER_THREADS, memory.get(ValueLayout.JAVA_INT, ATTACHED_COUNT_OFFSET));

            // The first dispatch must find a handler asleep on the futex, so the wake-up is exercised.
            // The count seen asleep is the one checked: a handler's wait ends at each slice's timeout
            // and begins again, so a second read may fall between the two.
            final long asleepBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            int asleep;
            while ((asleep = (int)HeaderDescriptor.DISPATCH_WAITERS_HANDLE.getVolatile(memory, 0L)) == 0 &&
                System.nanoTime() < asleepBy)
            {
                Thread.onSpinWait();
            }
            assertTrue(asleep > 0, "a handler with nothing to do sleeps on the dispatch futex");

            final DoublingLedger ledger = DoublingLedger.serve(channel, EVENTS, () -> { });
            final long[] served = pool.stop();

            ledger.assertBalanced();
            final long completed = ledger.count(DoublingLedger.COMPLETED);
            final long timedOut = ledger.count(DoublingLedger.TIMED_OUT);
            assertEquals(completed, Arrays.stream(served).sum(), language + " handlers' own count of completions");
            assertTrue(timedOut > 0, "silent handlers made events time out");
            assertTrue(Arrays.stream(served).allMatch(count -> count > 0), "every handler thread served");
            assertTrue(memory.get(ValueLayout.JAVA_INT, DISPATCH_SIGNAL_OFFSET) > 0,
                "Java dispatches woke handlers asleep in baton_poll");
            assertEquals(1, memory.get(ValueLayout.JAVA_INT, ATTACHED_COUNT_OFFSET), "the handlers detached");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"c", "rust"})
    void closeStopsNativeHandlersAndFreesTheMemoryOnlyAfterTheyDetach(final String language)
    {
        final DispatchChannel channel = DispatchChannel.builder().slabCapacity(8).build();
        final MemorySegment memory = channel.memory();
        final NativeHandlerPool pool = startPool(language, channel, 0);
        channel.close(); // the handlers, asleep in baton_poll, are woken, see BATON_ESHUTDOWN and detach
        assertTrue(channel.isClosed());
        assertThrows(IllegalStateException.class, () -> memory.get(ValueLayout.JAVA_INT, 0),
            "the memory was freed, which close does only once no native user is attached");
        assertEquals(HANDLER_THREADS, pool.stop().length);
    }

    @Test
    void aJavaCompletionWakesAHostAsleepInTheFutex() throws InterruptedException
    {
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(8).build())
        {
            final long handle = channel.dispatcher().dispatch(0, 1, 0, 0, 0, MemorySegment.NULL);
        final Poller poller = channel.newPoller();
            final Thread handler = Thread.ofPlatform().start(() -> {
                final MemorySegment memory = channel.memory();
                // wait until the host sleeps, then complete from Java
                while (memory.get(ValueLayout.JAVA_INT, HeaderDescriptor.offset("completion_waiters")) == 0)
                {
                    Thread.onSpinWait();
                }
                final PolledEvent event = channel.newPoller().poll();
                assertEquals(ErrorCode.OK, poller.complete(event.handle(), 7, MemorySegment.NULL));
            });
            assertTrue(channel.outcomeDrain().awaitOutcomes(Duration.ofSeconds(60)));
            handler.join();
            assertTrue(channel.memory().get(ValueLayout.JAVA_INT, COMPLETION_SIGNAL_OFFSET) > 0,
                "the completion woke the sleeping host through libbaton");
            final int[] statuses = new int[1];
            assertEquals(1, channel.outcomeDrain().drain(completion -> statuses[0] = completion.status(), 1));
            assertEquals(7, statuses[0]);
            assertTrue(handle > 0);
        }
    }
}
