package dev.baton.aeron.internal;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * How an agent of the bridge ends: on a thread of its own once {@link #start} made one (named by its
 * role; an error that ends a duty cycle is printed, and the agent goes on), or on its owner's thread.
 * Closing ends the thread, which then calls the agent's {@code onClose}, or calls it at once when no
 * thread was made.
 */
public final class Runner implements AutoCloseable
{
    private final Agent agent;
    private AgentRunner agentRunner;

    /** @param agent the agent, not yet running. */
    public Runner(final Agent agent)
    {
        this.agent = agent;
    }

    /** Runs the agent's duty cycle on a thread of its own until {@link #close()}. */
    public void start(final IdleStrategy idleStrategy)
    {
        final AtomicCounter noErrorCounter = null;
        agentRunner = new AgentRunner(
            idleStrategy, error -> System.err.println(agent.roleName() + ": " + error), noErrorCounter, agent);
        AgentRunner.startOnThread(agentRunner);
    }

    @Override
    public void close()
    {
        if (agentRunner != null)
        {
            agentRunner.close(); // ends the duty cycle, then calls onClose on the agent's thread
        }
        else
        {
            agent.onClose();
        }
    }
}
