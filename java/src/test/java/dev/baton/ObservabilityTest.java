package dev.baton;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.baton.micrometer.ChannelMeterBinder;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A channel's metrics in Micrometer, and its JFR events, which stay off unless a recording enables them. */
class ObservabilityTest
{
    private static final Duration SHORT = Duration.ofMillis(5);

    @TempDir
    Path temp;

    private static DispatchChannel channel()
    {
        return DispatchChannel.builder().slabCapacity(8).completionTimeout(SHORT).starvationThreshold(SHORT).build();
    }

    private static long dispatch(final DispatchChannel channel, final long id)
    {
        final long handle = channel.dispatcher().dispatch(0L, id, 0L, 0L, 3, MemorySegment.NULL);
        assertTrue(handle > 0, () -> ErrorCode.describe((int)handle));
        return handle;
    }

    @Test
    void theMeterBinderPublishesPendingStarvationTimeoutsAndLatency() throws InterruptedException
    {
        final SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DispatchChannel channel = channel())
        {
            new ChannelMeterBinder(channel, Tags.of("channel", "steps"), Duration.ZERO).bindTo(registry);
            final Poller poller = channel.newPoller();
            dispatch(channel, 1);
            final PolledEvent claimed = poller.poll();
            assertNotNull(claimed);
            assertEquals(ErrorCode.OK, poller.complete(claimed.handle(), 0, MemorySegment.NULL));
            assertEquals(1, channel.outcomeDrain().drain(completion -> { }, 8));
            dispatch(channel, 2);
            dispatch(channel, 3);
            Thread.sleep(SHORT.toMillis() * 4);

            assertEquals(2.0, registry.get("baton.events.pending").tag("channel", "steps").gauge().value());
            assertEquals(2.0, registry.get("baton.events.starving").gauge().value());
            assertTrue(registry.get("baton.events.pending.oldest.age").timeGauge().value(TimeUnit.MILLISECONDS) >=
                SHORT.toMillis() * 4);
            assertEquals(1.0, registry.get("baton.events.completed").functionCounter().count());
            assertTrue(registry.get("baton.latency").tag("quantile", "0.99").timeGauge().value(TimeUnit.NANOSECONDS) > 0);

            assertEquals(2, channel.reclaimExpired());
            assertEquals(2, channel.outcomeDrain().drain(completion -> { }, 8));
            assertEquals(2.0, registry.get("baton.events.timeouts").functionCounter().count());
            assertEquals(0.0, registry.get("baton.events.pending").gauge().value());
        }
        assertTrue(Double.isNaN(registry.get("baton.events.pending").gauge().value()), "a closed channel reads NaN");
    }

    @Test
    void timeoutsAndStarvationAreRecordedWhenARecordingEnablesThem() throws Exception
    {
        final List<RecordedEvent> events = record(true);
        final List<RecordedEvent> timeouts = events.stream()
            .filter(event -> event.getEventType().getName().equals("dev.baton.Timeout")).toList();
        assertEquals(2, timeouts.size(), events::toString);
        assertEquals(3, timeouts.getFirst().getInt("kind"));
        assertTrue(timeouts.stream().anyMatch(event -> event.getBoolean("claimed")), "one was claimed");
        assertTrue(timeouts.getFirst().getDuration("ageNanos").toMillis() >= SHORT.toMillis());
        final RecordedEvent starvation = events.stream()
            .filter(event -> event.getEventType().getName().equals("dev.baton.Starvation")).findFirst().orElseThrow();
        assertEquals(2, starvation.getLong("starvingCount"));
    }

    @Test
    void nothingIsRecordedUnlessEnabled() throws Exception
    {
        assertEquals(List.of(), record(false));
    }

    /** Two events starve, one of them claimed, then both time out, under a recording. */
    private List<RecordedEvent> record(final boolean enabled) throws Exception
    {
        final Path file = temp.resolve("baton-" + enabled + ".jfr");
        try (Recording recording = new Recording())
        {
            if (enabled)
            {
                recording.enable("dev.baton.Timeout");
                recording.enable("dev.baton.Starvation");
            }
            recording.start();
            try (DispatchChannel channel = channel())
            {
                dispatch(channel, 1);
                dispatch(channel, 2);
                assertNotNull(channel.newPoller().poll());
                Thread.sleep(SHORT.toMillis() * 4);
                assertEquals(2, channel.metrics().starvingEventCount());
                assertEquals(2, channel.reclaimExpired());
            }
            recording.stop();
            recording.dump(file);
        }
        return RecordingFile.readAllEvents(file).stream()
            .filter(event -> event.getEventType().getName().startsWith("dev.baton.")).toList();
    }
}
