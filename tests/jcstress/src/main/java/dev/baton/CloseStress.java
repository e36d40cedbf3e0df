package dev.baton;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.baton.ffi.baton_config;
import dev.baton.ffi.baton_h;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.II_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/**
 * Close versus a native user attaching: libbaton's {@code baton_attach}, called through FFM, races
 * the Java host's half of the close handshake. The closer may free the memory only if it counts no
 * attached user, so an attach that succeeds must be counted.
 */
@JCStressTest
@Description("A native user attaches while the Java host closes the channel.")
@Outcome(id = "0, 1", expect = ACCEPTABLE, desc = "attached, and the closer counted it: it waits for the detach")
@Outcome(id = "-108, 0", expect = ACCEPTABLE, desc = "refused: the channel was closed first")
@Outcome(id = "-108, 1", expect = ACCEPTABLE, desc = "refused, but counted for a moment: the closer waits for the uncount")
@Outcome(id = "0, 0", expect = FORBIDDEN, desc = "attached to memory the closer would free")
@Outcome(expect = FORBIDDEN, desc = "any other attach result")
@State
public class CloseStress
{
    private static final MemorySegment CONFIG = config();
    private static final long LENGTH = baton_h.baton_segment_length(CONFIG);

    private final Arena arena = Arena.ofAuto();
    private final MemorySegment memory = arena.allocate(LENGTH, HeaderDescriptor.SEGMENT_ALIGNMENT);
    private final MemorySegment attachment = arena.allocate(ValueLayout.ADDRESS);

    public CloseStress()
    {
        if (baton_h.baton_format(memory, LENGTH, CONFIG) != ErrorCode.OK)
        {
            throw new IllegalStateException("baton_format failed");
        }
    }

    private static MemorySegment config()
    {
        final MemorySegment config = baton_config.allocate(Arena.global());
        baton_config.slab_capacity(config, 1);
        baton_config.slot_size(config, 128);
        baton_config.dispatch_ring_capacity(config, 2);
        baton_config.completion_ring_capacity(config, 1024);
        baton_config.latency_ring_capacity(config, 2);
        baton_config.completion_timeout_ns(config, 1_000_000_000L);
        baton_config.starvation_threshold_ns(config, 1_000_000_000L);
        return config;
    }

    @Actor
    public void attach(final II_Result result)
    {
        result.r1 = baton_h.baton_attach(memory, LENGTH, attachment);
    }

    @Actor
    public void close(final II_Result result)
    {
        CloseHandshake.markClosed(memory);
        result.r2 = CloseHandshake.attachedCount(memory) > 0 ? 1 : 0;
    }

    @Arbiter
    public void detach(final II_Result result)
    {
        if (result.r1 == ErrorCode.OK)
        {
            baton_h.baton_detach(attachment.get(ValueLayout.ADDRESS, 0L));
        }
    }
}
