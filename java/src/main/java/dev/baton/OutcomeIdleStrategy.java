package dev.baton;

import java.util.function.BooleanSupplier;

import dev.baton.internal.channel.ChannelLifecycle;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.IdleStrategy;

/**
 * Idles a host's duty cycle until the next outcome: on the channel's completion futex with libbaton
 * loaded (the publishing handler wakes it), backing off without. Each idle call sleeps at most the
 * longest sleep, so a duty cycle still runs often enough to reclaim expired events. A closed channel
 * ends the sleep; the agent's next duty cycle then terminates.
 */
final class OutcomeIdleStrategy implements IdleStrategy
{
    private final ChannelLifecycle lifecycle;
    private final BooleanSupplier completionReady;
    private final long longestSleepNanos;
    private final IdleStrategy backOff = new BackoffIdleStrategy();

    OutcomeIdleStrategy(
        final ChannelLifecycle lifecycle,
        final BooleanSupplier completionReady,
        final long longestSleepNanos)
    {
        this.lifecycle = lifecycle;
        this.completionReady = completionReady;
        this.longestSleepNanos = longestSleepNanos;
    }

    @Override
    public void idle(final int workCount)
    {
        if (workCount <= 0)
        {
            idle();
        }
    }

    @Override
    public void idle()
    {
        try
        {
            lifecycle.awaitOutcomes(completionReady, longestSleepNanos, backOff);
        }
        catch (final IllegalStateException closedUnderUs)
        {
            lifecycle.shutdownOr(closedUnderUs);
        }
    }

    @Override
    public void reset()
    {
        backOff.reset();
    }

    @Override
    public String alias()
    {
        return "baton-completion";
    }
}
