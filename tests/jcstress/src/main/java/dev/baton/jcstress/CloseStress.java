package dev.baton.jcstress;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.baton.ErrorCode;
import dev.baton.internal.ffi.baton_h;
import dev.baton.internal.protocol.CloseHandshake;
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
    // Formatted by the Java host, as a channel is: libbaton only attaches to it.
    private final MemorySegment memory = StressMemory.channel(1, 2, 2).memory();
    private final MemorySegment attachment = Arena.ofAuto().allocate(ValueLayout.ADDRESS);

    @Actor
    public void attach(final II_Result result)
    {
        result.r1 = baton_h.baton_attach(memory, memory.byteSize(), attachment);
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
