package example.consumer;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;

import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.NativeHandlerPool;

/**
 * A Java host with C handlers, as a user writes it against the installed artifact: dispatch numbers,
 * let the C handlers double them, drain, and check that every event came back once, doubled.
 *
 * <p>Arguments: the C handler library, its function prefix, the number of events.
 */
public final class ConsumerHost
{
    private ConsumerHost()
    {
    }

    public static void main(final String[] args)
    {
        final Path handlers = Path.of(args[0]);
        final String prefix = args[1];
        final int events = Integer.parseInt(args[2]);
        final byte[] seen = new byte[events];
        final long[] completed = new long[1];
        try (Arena arena = Arena.ofConfined();
             DispatchChannel channel = DispatchChannel.builder()
                .slabCapacity(256)
                .completionTimeout(Duration.ofSeconds(30))
                .build();
             NativeHandlerPool pool = NativeHandlerPool.start(handlers, prefix, channel, 2, 0))
        {
            final MemorySegment number = arena.allocate(ValueLayout.JAVA_LONG);
            int dispatched = 0;
            while (completed[0] < events)
            {
                while (dispatched < events)
                {
                    number.set(ValueLayout.JAVA_LONG, 0L, dispatched);
                    final long handle = channel.dispatcher().dispatch(0L, dispatched, 0L, 0L, 1, number);
                    if (handle == ErrorCode.EAGAIN || handle == ErrorCode.ENOSPC)
                    {
                        break; // backpressure: drain first
                    }
                    if (handle < 0)
                    {
                        throw new IllegalStateException(ErrorCode.describe((int)handle));
                    }
                    dispatched++;
                }
                channel.outcomeDrain().awaitOutcomes(Duration.ofMillis(100));
                channel.outcomeDrain().drain(completion -> {
                    if (completion.timedOut())
                    {
                        throw new IllegalStateException("event " + completion.eventIdLo() + " timed out");
                    }
                    final long event = completion.eventIdLo();
                    if (completion.result().get(ValueLayout.JAVA_LONG_UNALIGNED, 0L) != 2 * event)
                    {
                        throw new IllegalStateException("event " + event + ": wrong result");
                    }
                    seen[(int)event]++;
                    completed[0]++;
                }, 256);
            }
        }
        for (int event = 0; event < events; event++)
        {
            if (seen[event] != 1)
            {
                throw new IllegalStateException("event " + event + " reported " + seen[event] + " times");
            }
        }
        System.out.println("consumer: " + events + " events through C handlers, each reported once; libbaton from " +
            DispatchChannel.nativeLibraryPath().orElseThrow());
    }
}
