package dev.baton;

import dev.baton.internal.channel.ChannelLifecycle;
import dev.baton.internal.channel.HostDrain;
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
    private final HostDrain hostDrain;
    private final long longestSleepNanos;
    private final IdleStrategy backOff = new BackoffIdleStrategy();

    OutcomeIdleStrategy(
        final ChannelLifecycle lifecycle,
        final HostDrain hostDrain,
        final long longestSleepNanos)
    {
        this.lifecycle = lifecycle;
        this.hostDrain = hostDrain;
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
            hostDrain.awaitOutcomes(lifecycle, longestSleepNanos, backOff);
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
