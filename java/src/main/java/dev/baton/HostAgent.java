package dev.baton;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;

/**
 * The host's duty cycle as an Agrona {@link Agent}: drain outcomes, and now and then time out the
 * events past their deadline and settle what dead handler processes left
 * ({@link DispatchChannel#reap}, which reads /proc once per other attached process).
 * Made by {@link OutcomeDrain#agent}; run it on one {@link org.agrona.concurrent.AgentRunner},
 * with {@link OutcomeDrain#idleStrategy} to sleep between outcomes. Allocation-free per
 * duty cycle (unless the UUID index is on).
 */
public final class HostAgent implements Agent
{
    private final DispatchChannel channel;
    private final OutcomeHandler handler;
    private final int drainLimit;
    private final long reclaimIntervalNanos;
    private long lastReclaimNanos;

    HostAgent(
        final DispatchChannel channel,
        final OutcomeHandler handler,
        final int drainLimit,
        final long reclaimIntervalNanos)
    {
        if (drainLimit <= 0 || reclaimIntervalNanos <= 0)
        {
            throw new IllegalArgumentException(
                "drainLimit and reclaimInterval must be positive: " + drainLimit + ", " + reclaimIntervalNanos + " ns");
        }
        this.channel = channel;
        this.handler = handler;
        this.drainLimit = drainLimit;
        this.reclaimIntervalNanos = reclaimIntervalNanos;
        this.lastReclaimNanos = System.nanoTime();
    }

    /**
     * @return outcomes drained plus events timed out.
     * @throws AgentTerminationException once the channel is closed: the agent's work is over (an
     *                                   expected end, which the runner does not report as an error).
     */
    @Override
    public int doWork()
    {
        if (channel.isClosed())
        {
            throw new AgentTerminationException("channel closed", true); // expected: not an error
        }
        try
        {
            int work = channel.outcomeDrain().drain(handler, drainLimit);
            final long now = System.nanoTime();
            if (now - lastReclaimNanos >= reclaimIntervalNanos)
            {
                lastReclaimNanos = now;
                work += channel.reclaimExpired() + Math.max(0, channel.reap());
            }
            return work;
        }
        catch (final IllegalStateException failure)
        {
            if (channel.isClosed())
            {
                throw new AgentTerminationException("channel closed", true); // expected: not an error
            }
            throw failure;
        }
    }

    @Override
    public String roleName()
    {
        return "baton-host";
    }
}
