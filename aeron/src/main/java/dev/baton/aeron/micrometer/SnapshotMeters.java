package dev.baton.aeron.micrometer;

import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;

/**
 * Registers meters that each read one figure of a fresh snapshot of an observed object's metrics
 * when they are read: a gauge for a level, a function counter for a count. The meters hold the
 * object weakly, as Micrometer's do. The binders' shared part.
 *
 * @param <S> the observed object's type.
 * @param <M> its snapshot's type.
 */
final class SnapshotMeters<S, M>
{
    private final MeterRegistry registry;
    private final S observed;
    private final Function<S, M> snapshot;
    private final Iterable<Tag> tags;

    SnapshotMeters(final MeterRegistry registry, final S observed, final Function<S, M> snapshot, final Iterable<Tag> tags)
    {
        this.registry = registry;
        this.observed = observed;
        this.snapshot = snapshot;
        this.tags = Tags.of(tags);
    }

    void gauge(final String name, final String description, final ToDoubleFunction<M> level)
    {
        Gauge.builder(name, observed, source -> level.applyAsDouble(snapshot.apply(source)))
            .description(description).tags(tags).register(registry);
    }

    void counter(final String name, final String description, final ToDoubleFunction<M> count)
    {
        FunctionCounter.builder(name, observed, source -> count.applyAsDouble(snapshot.apply(source)))
            .description(description).tags(tags).register(registry);
    }
}
