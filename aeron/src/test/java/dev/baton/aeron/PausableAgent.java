package dev.baton.aeron;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentTerminationException;

/**
 * An agent's duty cycle on a thread of the test's own, which the test can pause (as SIGSTOP pauses
 * a process: nothing the agent does happens, and nothing it would send is sent) and stop without
 * the agent closing anything (as SIGKILL stops it: no goodbye).
 */
final class PausableAgent
{
    private final Agent agent;
    private final AtomicBoolean paused = new AtomicBoolean();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;

    PausableAgent(final Agent agent)
    {
        this.agent = agent;
        this.thread = Thread.ofPlatform().name(agent.roleName()).daemon().start(this::run);
    }

    private void run()
    {
        try
        {
            while (running.get())
            {
                if (paused.get() || agent.doWork() == 0)
                {
                    Thread.onSpinWait();
                }
            }
        }
        catch (final AgentTerminationException expected)
        {
            // its channel closed
        }
        catch (final Throwable t)
        {
            failure.set(t);
        }
    }

    void pause()
    {
        paused.set(true);
    }

    void resume()
    {
        paused.set(false);
    }

    /** Stops the duty cycle; the agent's resources stay as they were. */
    void halt() throws InterruptedException
    {
        running.set(false);
        thread.join();
    }

    /** Stops the duty cycle, then closes the agent. */
    void close() throws InterruptedException
    {
        halt();
        agent.onClose();
    }

    /** @return what ended the duty cycle with an error, or null. */
    Throwable failure()
    {
        return failure.get();
    }
}
