package dev.baton.aeron.internal;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;

/** An agent on a thread of its own, named by its role; an error that ends a duty cycle is printed, and the agent goes on. */
public final class Runner implements AutoCloseable
{
    private final AgentRunner agentRunner;

    private Runner(final AgentRunner agentRunner)
    {
        this.agentRunner = agentRunner;
    }

    /** @return the agent, running. */
    public static Runner start(final Agent agent, final IdleStrategy idleStrategy)
    {
        final AtomicCounter noErrorCounter = null;
        final AgentRunner agentRunner = new AgentRunner(
            idleStrategy, error -> System.err.println(agent.roleName() + ": " + error), noErrorCounter, agent);
        AgentRunner.startOnThread(agentRunner);
        return new Runner(agentRunner);
    }

    @Override
    public void close()
    {
        agentRunner.close();
    }
}
