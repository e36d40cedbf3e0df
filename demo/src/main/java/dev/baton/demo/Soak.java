package dev.baton.demo;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.SplittableRandom;

import dev.baton.ChannelMetrics;
import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.NativeHandlerPool;
import dev.baton.OutcomeHandler;
import dev.baton.PayloadClaim;
import dev.baton.Poller;
import dev.baton.TraceContext;
import dev.baton.internal.ffi.NativeLibrary;
import dev.baton.internal.layout.Handles;

/**
 * The soak: millions of events from a Java host through C handler threads, with payloads of mixed
 * sizes: most inline, some in 4 KiB and 64 KiB blocks, a few of up to 1 MiB, and results as long as
 * their payloads. Half the events are dispatched through claims written in place (some aborted and
 * claimed again), and a share is yielded once by its handler before it is completed. It mixes
 * in timeouts
 * (a short deadline, and handlers that stay silent on a share of events), cancellations racing the
 * handlers, late completions of timed-out events and bad calls with handles that name nothing. At
 * the end the ledger must balance exactly: every event completed, timed out or cancelled once (the
 * yielded ones too, after their yield), every answer right, every bad call refused. Writes its figures to a Markdown file.
 * Usage: {@code Soak OUTPUT.md [EVENTS]}.
 */
public final class Soak
{
    private static final int SILENT_PER_MILLE = 2;
    private static final int CANCEL_PER_MILLE = 5;
    private static final int BAD_CALL_PER_MILLE = 1;
    private static final int BLOCK_PAYLOAD_PER_MILLE = 50;
    private static final int LARGE_PAYLOAD_PER_MILLE = 1;
    private static final int YIELD_PER_MILLE = 20;
    private static final int ABORT_PER_MILLE = 5;
    /** The kind the C handlers yield once before completing, with status 200 + yields. */
    private static final int KIND_YIELD_ONCE = 0x59;
    private static final int LARGEST_PAYLOAD = 1024 * 1024;
    private static final int COMPLETED = 1;
    private static final int TIMED_OUT = 1 << 8;
    private static final int CANCELLED = 1 << 16;

    private Soak()
    {
    }

    /** Most payloads inline; a twentieth in a 4 KiB or 64 KiB block; a thousandth of up to 1 MiB. */
    private static int payloadLength(final SplittableRandom random)
    {
        final int draw = random.nextInt(1000);
        final int longest = draw < LARGE_PAYLOAD_PER_MILLE ? LARGEST_PAYLOAD :
            draw < BLOCK_PAYLOAD_PER_MILLE ? 64 * 1024 : 128;
        return Long.BYTES + random.nextInt(longest - Long.BYTES + 1);
    }

    /** The events the handlers yield once: a share, chosen from the event's number. */
    private static int kindOf(final int event)
    {
        return Math.floorMod(event * 0x9E3779B9, 1000) < YIELD_PER_MILLE ? KIND_YIELD_ONCE : 1;
    }

    /**
     * Dispatches the event: every other one through a claim written in place, of which a few are
     * aborted first and claimed again.
     *
     * @return its handle, or a backpressure code.
     */
    private static long dispatch(
        final DispatchChannel channel,
        final PayloadClaim claim,
        final int event,
        final MemorySegment payloads,
        final int length,
        final SplittableRandom random,
        final long[] counts)
    {
        if (event % 2 == 0)
        {
            return channel.dispatcher().dispatch(0, event, 0, 0, kindOf(event), payloads.asSlice(0, length));
        }
        int claimed = channel.dispatcher().claim(0, event, 0, 0, kindOf(event), length, TraceContext.NONE, claim);
        if (claimed == ErrorCode.OK && random.nextInt(1000) < ABORT_PER_MILLE)
        {
            counts[9] += claim.abort() == ErrorCode.OK ? 1 : 0;
            claimed = channel.dispatcher().claim(0, event, 0, 0, kindOf(event), length, TraceContext.NONE, claim);
        }
        if (claimed != ErrorCode.OK)
        {
            return claimed;
        }
        MemorySegment.copy(payloads, 0, claim.buffer(), claim.offset(), length);
        long handle;
        while ((handle = claim.commit()) == ErrorCode.ENOSPC)
        {
            Thread.onSpinWait(); // the dispatch ring is full: the handlers take from it
        }
        return handle;
    }

    public static void main(final String[] args) throws IOException
    {
        if (args.length < 1)
        {
            System.err.println("usage: Soak OUTPUT.md [EVENTS]");
            System.exit(2);
        }
        final int events = args.length > 1 ? Integer.parseInt(args[1]) : 10_000_000;
        final int[] ledger = new int[events];
        // completed, timed out, cancelled, wrong answers, bad calls, bad refused, late, late refused,
        // completed after a yield, claims aborted
        final long[] counts = new long[10];
        final long[] recentlyTimedOut = new long[64];
        final SplittableRandom random = new SplittableRandom(20261125);
        final long started = System.nanoTime();
        final long[] served;
        final long unblocked;
        final long rejected;
        try (DispatchChannel channel = DispatchChannel.builder()
            .slabCapacity(1024)
            .completionTimeout(Duration.ofMillis(2))
            .build();
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment payloads = arena.allocate(LARGEST_PAYLOAD, Long.BYTES);
            for (long i = 0; i < LARGEST_PAYLOAD; i++)
            {
                payloads.set(ValueLayout.JAVA_BYTE, i, (byte)(i * 7));
            }
            final int[] payloadLengths = new int[events];
            final OutcomeHandler onOutcome = completion -> {
                final int event = (int)completion.eventIdLo();
                if (completion.timedOut())
                {
                    ledger[event] += TIMED_OUT;
                    counts[1]++;
                    recentlyTimedOut[(int)(counts[1] & 63)] = completion.handle();
                    return;
                }
                // The handler answers with the payload, its number doubled: as long, and the same bytes after.
                final MemorySegment answer = completion.result();
                final int length = payloadLengths[event];
                final boolean yieldsOnce = kindOf(event) == KIND_YIELD_ONCE;
                counts[8] += yieldsOnce ? 1 : 0;
                if (completion.status() != (yieldsOnce ? 201 : 200) || answer.byteSize() != length ||
                    answer.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != 2L * event ||
                    length > Long.BYTES &&
                    answer.get(ValueLayout.JAVA_BYTE, length - 1L) != payloads.get(ValueLayout.JAVA_BYTE, length - 1L))
                {
                    counts[3]++;
                }
                ledger[event] += COMPLETED;
                counts[0]++;
            };
            final NativeHandlerPool pool = NativeHandlerPool.start(
                NativeLibrary.beside("libbaton_c_handlers.so"), "baton_c_handlers", channel, 1, SILENT_PER_MILLE);
            final PayloadClaim claim = new PayloadClaim();
            final Poller badCalls = channel.newPoller(); // the soak's own bad calls, beside the C handlers
            int dispatched = 0;
            long nextReap = 0;
            long nextProgress = 0;
            while (dispatched < events || counts[0] + counts[1] + counts[2] < events)
            {
                if (System.nanoTime() - nextProgress > 0)
                {
                    // for build/with-progress (make soak): the events ended so far, once a second
                    System.out.println("progress " + (counts[0] + counts[1] + counts[2]) + " " + events);
                    nextProgress = System.nanoTime() + 1_000_000_000L;
                }
                if (dispatched < events)
                {
                    if (payloadLengths[dispatched] == 0)
                    {
                        payloadLengths[dispatched] = payloadLength(random);
                    }
                    payloads.set(ValueLayout.JAVA_LONG, 0, dispatched);
                    final long handle = dispatch(channel, claim, dispatched, payloads, payloadLengths[dispatched], random, counts);
                    if (handle > 0)
                    {
                        if (random.nextInt(1000) < CANCEL_PER_MILLE && channel.dispatcher().cancel(handle) == ErrorCode.OK)
                        {
                            ledger[dispatched] += CANCELLED;
                            counts[2]++;
                        }
                        dispatched++;
                    }
                }
                if (random.nextInt(1000) < BAD_CALL_PER_MILLE)
                {
                    // A handle beyond the slab, and a late completion of an event that already timed out.
                    counts[4]++;
                    final long beyond = Handles.handle(1 + random.nextInt(1000), 1024 + random.nextInt(1000));
                    if (badCalls.complete(beyond, 0, MemorySegment.NULL) == ErrorCode.ENOENT &&
                        channel.dispatcher().cancel(beyond) == ErrorCode.ENOENT)
                    {
                        counts[5]++;
                    }
                    final long late = recentlyTimedOut[random.nextInt(64)];
                    if (late != 0)
                    {
                        counts[6]++;
                        final int refused = badCalls.complete(late, 0, MemorySegment.NULL);
                        if (refused == ErrorCode.ETIMEDOUT || refused == ErrorCode.ESTALE || refused == ErrorCode.EPROTO)
                        {
                            counts[7]++;
                        }
                    }
                }
                channel.outcomeDrain().drain(onOutcome, 256);
                if (System.nanoTime() - nextReap > 0)
                {
                    channel.reclaimExpired();
                    nextReap = System.nanoTime() + 1_000_000;
                }
            }
            served = pool.stop();
            final ChannelMetrics metrics = channel.metrics();
            unblocked = metrics.unblockedRecordCount();
            rejected = metrics.rejectedRecordCount();
        }
        final double seconds = (System.nanoTime() - started) / 1e9;

        long lost = 0;
        long duplicated = 0;
        for (final int entry : ledger)
        {
            if (entry == 0)
            {
                lost++;
            }
            else if (entry != COMPLETED && entry != TIMED_OUT && entry != CANCELLED)
            {
                duplicated++;
            }
        }
        final boolean balanced = counts[8] > 0 && counts[9] > 0 && lost == 0 && duplicated == 0 && counts[0] + counts[1] + counts[2] == events &&
            counts[3] == 0 && counts[5] == counts[4] && counts[7] == counts[6] && served[0] == counts[0] &&
            unblocked == 0 && rejected == 0;
        final String report = String.format(Locale.ROOT, """
            # Soak

            Written by `make soak` (`dev.baton.demo.Soak`) on %s: %d cores, Java %s.

            %,d events from a Java host through a C handler thread in %.1f s, with payloads from 8 bytes to 1 MiB: \
            %d per thousand of up to 64 KiB, in blocks beyond the slot's inline room, and %d of up to 1 MiB. \
            Each result is as long as its payload. The completion timeout was 2 ms. \
            The handlers stayed silent on %d events per thousand. The host cancelled %d per thousand right after \
            dispatching them, racing the handler. Every other event was dispatched through a claim written \
            in place, and %d claims in a thousand were aborted and claimed again. The handlers yielded %d events in a \
            thousand once, with their payload as the continuation, before completing them. On %d in a \
            thousand turns of its loop it also made a bad call: a handle beyond the slab, and a late completion of \
            a timed-out event.

            | figure | value |
            |---|---|
            | dispatched | %,d |
            | completed | %,d |
            | of which yielded once before (status 201) | %,d |
            | claims aborted | %,d |
            | timed out | %,d |
            | cancelled | %,d |
            | lost | %,d |
            | duplicated | %,d |
            | wrong answers | %,d |
            | bad calls refused / made | %,d / %,d |
            | late completions refused / made | %,d / %,d |
            | completions the C handler counted | %,d |
            | completion records unblocked (no handler died, so none may be) | %,d |
            | completion records rejected | %,d |
            | ledger | %s |
            """, Instant.now(), Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"),
            events, seconds, BLOCK_PAYLOAD_PER_MILLE, LARGE_PAYLOAD_PER_MILLE, SILENT_PER_MILLE, CANCEL_PER_MILLE,
            ABORT_PER_MILLE, YIELD_PER_MILLE, BAD_CALL_PER_MILLE,
            events, counts[0], counts[8], counts[9], counts[1], counts[2], lost, duplicated, counts[3], counts[5], counts[4], counts[7],
            counts[6], served[0], unblocked, rejected,
            balanced ? "balanced: dispatched = completed + timed out + cancelled, the yielded ones each once" :
                "UNBALANCED");
        Files.createDirectories(Path.of(args[0]).getParent());
        Files.writeString(Path.of(args[0]), report);
        System.out.print(report);
        if (!balanced)
        {
            System.exit(1);
        }
    }
}
