package dev.baton.bench.remote;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;

import dev.baton.DispatchChannel;
import dev.baton.ErrorCode;
import dev.baton.EventHandler;
import dev.baton.OutcomeHandler;
import dev.baton.Poller;
import dev.baton.aeron.AeronTransport;
import dev.baton.aeron.RemoteHandlers;
import dev.baton.aeron.RemoteNode;
import io.aeron.Aeron;
import io.aeron.driver.MediaDriver;
import org.agrona.concurrent.Agent;

/**
 * Through the bridge: the caller's thread is the host's duty cycle, which dispatches into a host
 * channel, runs the bridge's host side between its dispatches and drains (as a host composes the
 * bridge into its duty cycle), and drains the outcomes; a node (its own local channel, and a
 * handler answering twice the number) runs on a thread of its own ({@link NodeWithHandler}); the two talk over UDP
 * on loopback through one media driver, which the node's thread invokes, with one Aeron client. So
 * the pipeline has the threads Aeron's ping has: the caller's, the far side's, the client's conductor.
 */
final class BridgePipeline implements RemotePipeline
{
    private final MediaDriver driver;
    /** One client for the bridge and the node, as Aeron's ping has one. */
    private final Aeron aeron;
    private final DispatchChannel host;
    private final DispatchChannel local;
    private final RemoteHandlers bridge;
    private final Transports.FarSide nodeAgents;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment payload = arena.allocate(Long.BYTES, 8);
    private final MemorySegment answer = arena.allocate(Long.BYTES, 8);
    private final OutcomeHandler check;
    private long next;
    private long answered;

    BridgePipeline()
    {
        driver = Transports.launchDriver();
        nodeAgents = new Transports.FarSide(driver);
        host = DispatchChannel.builder().slabCapacity(256).completionTimeout(Duration.ofSeconds(30)).build();
        local = DispatchChannel.builder().slabCapacity(256).completionTimeout(Duration.ofSeconds(30)).build();
        final String hostChannel = Transports.loopbackChannel();
        aeron = Aeron.connect(new Aeron.Context().aeronDirectoryName(driver.aeronDirectoryName()));
        final RemoteHandlers bridge = RemoteHandlers.builder(host)
            .listen(hostChannel, 4100)
            .transport(AeronTransport.client(aeron))
            .build();
        final RemoteNode node = RemoteNode.builder(local)
            .host(hostChannel, 4100)
            .listen(Transports.loopbackChannel(), 4101)
            .transport(AeronTransport.client(aeron))
            .build();
        this.bridge = bridge;
        nodeAgents.add(new NodeWithHandler(node, new Doubler(local)));
        Transports.awaitConnected(() ->
        {
            bridge.doWork();
            return bridge.metrics().nodes() == 1 && node.epoch() != 0;
        });
        check = outcome ->
        {
            outcome.copyResultTo(answer, 0);
            if (outcome.timedOut() || answer.get(ValueLayout.JAVA_LONG_UNALIGNED, 0) != RemotePipeline.answerTo(outcome.eventIdLo()))
            {
                throw new IllegalStateException("event " + outcome.eventIdLo() + " came back as " + outcome);
            }
            answered++;
        };
    }

    @Override
    public int exchange(final int count)
    {
        for (int i = 0; i < count; i++)
        {
            payload.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, next);
            while (ErrorCode.isBackpressure(host.dispatcher().dispatch(0, next, 0, 0, 1, payload)))
            {
                bridge.doWork(); // the host's duty cycle goes on while its channel is full
                host.outcomeDrain().drain(check, count);
            }
            next++;
        }
        while (answered < next)
        {
            if (bridge.doWork() + host.outcomeDrain().drain(check, count) == 0)
            {
                Thread.onSpinWait();
            }
        }
        return count;
    }

    @Override
    public void close()
    {
        nodeAgents.close(); // closes the node
        bridge.close();
        aeron.close();
        local.close();
        host.close();
        arena.close();
        driver.close();
    }

    /**
     * The node and its handler on one duty cycle, in the order a pong has: the node dispatches what
     * arrived, the handler answers it, and the node sends the answers, all in one cycle of the
     * driver. With the node once per cycle, an answer would wait for the next cycle to be sent.
     */
    private record NodeWithHandler(RemoteNode node, Doubler handler) implements Agent
    {
        @Override
        public int doWork()
        {
            return node.doWork() + handler.doWork() + node.doWork();
        }

        @Override
        public void onClose()
        {
            handler.onClose();
            node.onClose();
        }

        @Override
        public String roleName()
        {
            return "node-with-handler";
        }
    }

    /** The node's handler: answers each event with twice its number. */
    private static final class Doubler implements Agent
    {
        private final Poller poller;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment number = arena.allocate(Long.BYTES, 8);
        private final MemorySegment result = arena.allocate(Long.BYTES, 8);
        private final EventHandler answer;

        Doubler(final DispatchChannel local)
        {
            this.poller = local.newPoller();
            this.answer = event ->
            {
                event.copyPayloadTo(number, 0);
                result.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, RemotePipeline.answerTo(number.get(ValueLayout.JAVA_LONG_UNALIGNED, 0)));
                poller.complete(event.handle(), 0, result);
            };
        }

        @Override
        public int doWork()
        {
            return Math.max(0, poller.pollBatch(answer, 64));
        }

        @Override
        public void onClose()
        {
            arena.close();
        }

        @Override
        public String roleName()
        {
            return "doubler";
        }
    }
}
