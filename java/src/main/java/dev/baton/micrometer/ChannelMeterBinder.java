package dev.baton.micrometer;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

import dev.baton.ChannelMetrics;
import dev.baton.DispatchChannel;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Publishes a {@link DispatchChannel}'s metrics to Micrometer:
 * <ul>
 *   <li>{@code baton.events.pending}, {@code baton.events.starving}: gauges;</li>
 *   <li>{@code baton.events.pending.oldest.age}: a time gauge;</li>
 *   <li>{@code baton.events.completed}, {@code baton.events.timeouts}, {@code baton.events.cancelled}:
 *       function counters;</li>
 *   <li>{@code baton.events.rate}: completions per second over the recent window;</li>
 *   <li>{@code baton.latency}: dispatch-to-drain latency from the channel's recorder, one time gauge
 *       per {@code quantile} tag (0.5, 0.95, 0.99, 0.999) and {@code max}.</li>
 * </ul>
 * Every meter reads one {@link ChannelMetrics} snapshot, taken at most once per refresh interval, so a
 * scrape scans the slab once rather than once per meter. A closed channel reads as NaN.
 *
 * <p>Micrometer is an optional dependency of Baton: only this class needs it.
 */
// exports: Micrometer's types in this API are the user's own dependency; Baton requires Micrometer
// statically (optional), so it cannot re-export it to users who do not have it.
@SuppressWarnings("exports")
public final class ChannelMeterBinder implements MeterBinder
{
    private static final Duration DEFAULT_REFRESH = Duration.ofMillis(100);

    private final DispatchChannel channel;
    private final Iterable<Tag> tags;
    private final long refreshNanos;
    private ChannelMetrics snapshot;
    private long snapshotAt;

    /**
     * @param channel the channel to observe.
     * @param tags    tags for every meter, such as the channel's name.
     */
    public ChannelMeterBinder(final DispatchChannel channel, final Iterable<Tag> tags)
    {
        this(channel, tags, DEFAULT_REFRESH);
    }

    /**
     * @param channel the channel to observe.
     * @param tags    tags for every meter.
     * @param refresh how long one snapshot serves.
     */
    public ChannelMeterBinder(final DispatchChannel channel, final Iterable<Tag> tags, final Duration refresh)
    {
        this.channel = channel;
        this.tags = Tags.of(tags);
        this.refreshNanos = refresh.toNanos();
    }

    @Override
    public void bindTo(final MeterRegistry registry)
    {
        gauge(registry, "baton.events.pending", "events dispatched and not yet completed",
            metrics -> metrics.pendingCount());
        gauge(registry, "baton.events.starving", "pending events older than the starvation threshold",
            metrics -> metrics.starvingEventCount());
        gauge(registry, "baton.events.rate", "completions per second over the recent window",
            metrics -> metrics.latency().eventsPerSecond());
        TimeGauge.builder("baton.events.pending.oldest.age", this, TimeUnit.MILLISECONDS,
                binder -> binder.read(metrics -> metrics.oldestPendingAgeMillis()))
            .description("age of the oldest pending event").tags(tags).register(registry);
        counter(registry, "baton.events.completed", "completions drained", metrics -> metrics.completedCount());
        counter(registry, "baton.events.timeouts", "timeouts drained", metrics -> metrics.timedOutCount());
        counter(registry, "baton.events.cancelled", "events cancelled", metrics -> metrics.cancelledCount());
        latency(registry, "0.5", metrics -> metrics.latency().p50Nanos());
        latency(registry, "0.95", metrics -> metrics.latency().p95Nanos());
        latency(registry, "0.99", metrics -> metrics.latency().p99Nanos());
        latency(registry, "0.999", metrics -> metrics.latency().p999Nanos());
        latency(registry, "max", metrics -> metrics.latency().maxNanos());
    }

    private void gauge(
        final MeterRegistry registry, final String name, final String description,
        final ToDoubleFunction<ChannelMetrics> value)
    {
        Gauge.builder(name, this, binder -> binder.read(value)).description(description).tags(tags).register(registry);
    }

    private void counter(
        final MeterRegistry registry, final String name, final String description,
        final ToDoubleFunction<ChannelMetrics> value)
    {
        FunctionCounter.builder(name, this, binder -> binder.read(value))
            .description(description).tags(tags).register(registry);
    }

    private void latency(
        final MeterRegistry registry, final String quantile, final ToDoubleFunction<ChannelMetrics> value)
    {
        TimeGauge.builder("baton.latency", this, TimeUnit.NANOSECONDS, binder -> binder.read(value))
            .description("dispatch-to-drain latency of completed events").tags(tags).tag("quantile", quantile)
            .register(registry);
    }

    private synchronized double read(final ToDoubleFunction<ChannelMetrics> value)
    {
        if (channel.isClosed())
        {
            return Double.NaN;
        }
        final long now = System.nanoTime();
        if (snapshot == null || now - snapshotAt >= refreshNanos)
        {
            try
            {
                snapshot = channel.metrics();
                snapshotAt = now;
            }
            catch (final IllegalStateException closedMeanwhile)
            {
                return Double.NaN;
            }
        }
        return value.applyAsDouble(snapshot);
    }
}
