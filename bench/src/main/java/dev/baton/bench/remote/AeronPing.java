package dev.baton.bench.remote;

import io.aeron.Aeron;
import io.aeron.ExclusivePublication;
import io.aeron.FragmentAssembler;
import io.aeron.Subscription;
import io.aeron.driver.MediaDriver;
import io.aeron.logbuffer.ControlledFragmentHandler;
import io.aeron.logbuffer.ControlledFragmentHandler.Action;
import io.aeron.logbuffer.FragmentHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Aeron's own ping, the engine's floor: a number on a publication over UDP on loopback, a pong agent
 * that answers twice it on another, and the pinger polling for the answers. Nothing else.
 */
final class AeronPing implements RemotePipeline
{
    private final MediaDriver driver;
    private final Aeron aeron;
    private final ExclusivePublication ping;
    private final Subscription pongs;
    private final Transports.FarSide ponger;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[Long.BYTES]);
    private final FragmentHandler onPong;
    private long next;
    private long answered;

    AeronPing()
    {
        driver = Transports.launchDriver();
        ponger = new Transports.FarSide(driver);
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final String pingChannel = Transports.loopbackChannel();
        final String pongChannel = Transports.loopbackChannel();
        ping = aeron.addExclusivePublication(pingChannel, 1);
        pongs = aeron.addSubscription(pongChannel, 2);
        ponger.add(new Ponger(aeron.addSubscription(pingChannel, 1), aeron.addExclusivePublication(pongChannel, 2)));
        onPong = new FragmentAssembler((buffer, offset, length, header) ->
        {
            if (buffer.getLong(offset) != RemotePipeline.answerTo(answered))
            {
                throw new IllegalStateException("pong " + buffer.getLong(offset) + " for ping " + answered);
            }
            answered++;
        });
        Transports.awaitConnected(ping::isConnected);
    }

    @Override
    public int exchange(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            message.putLong(0, next);
            while (ping.offer(message, 0, Long.BYTES) < 0)
            {
                Thread.onSpinWait();
            }
            next++;
        }
        while (answered < next)
        {
            if (pongs.poll(onPong, count) == 0)
            {
                Thread.onSpinWait();
            }
        }
        return count;
    }

    @Override
    public void close()
    {
        ponger.close();
        aeron.close();
        driver.close();
    }

    /** Answers each ping with twice its number. */
    private static final class Ponger implements Agent
    {
        private final Subscription pings;
        private final ExclusivePublication pongs;
        private final UnsafeBuffer answer = new UnsafeBuffer(new byte[Long.BYTES]);
        private final ControlledFragmentHandler onPing;

        Ponger(final Subscription pings, final ExclusivePublication pongs)
        {
            this.pings = pings;
            this.pongs = pongs;
            // A pong the publication refuses is aborted, and the ping polled again at the next duty
            // cycle: a spin here would stop the driver that runs on this thread.
            this.onPing = (buffer, offset, length, header) ->
            {
                answer.putLong(0, RemotePipeline.answerTo(buffer.getLong(offset)));
                return this.pongs.offer(answer, 0, Long.BYTES) < 0 ? Action.ABORT : Action.CONTINUE;
            };
        }

        @Override
        public int doWork()
        {
            return pings.controlledPoll(onPing, 64);
        }

        @Override
        public String roleName()
        {
            return "aeron-ponger";
        }
    }
}
