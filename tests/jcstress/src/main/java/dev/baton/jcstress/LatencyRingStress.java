package dev.baton.jcstress;

import dev.baton.internal.layout.LatencyRingDescriptor;
import dev.baton.internal.protocol.LatencyRing;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.JJ_Result;

import static org.openjdk.jcstress.annotations.Expect.ACCEPTABLE;
import static org.openjdk.jcstress.annotations.Expect.FORBIDDEN;

/** The latency ring's seqlock: a reader never sees an entry half overwritten. */
@JCStressTest
@Description("A recorder overwrites entry 0 (value 1) with value 3 while a reader reads entry 0.")
@Outcome(id = "1, 1", expect = ACCEPTABLE, desc = "read the old entry whole")
@Outcome(id = "-1, -1", expect = ACCEPTABLE, desc = "saw it being overwritten and left it out")
@Outcome(expect = FORBIDDEN, desc = "a torn read: value and time from different recordings")
@State
public class LatencyRingStress
{
    private final LatencyRing ring = StressMemory.channel(1, 2, 2).latencyRing();

    public LatencyRingStress()
    {
        ring.record(1, 1, LatencyRingDescriptor.SOURCE_JAVA); // entry 0
        ring.record(2, 2, LatencyRingDescriptor.SOURCE_JAVA); // entry 1; the next recording overwrites entry 0
    }

    @Actor
    public void record()
    {
        ring.record(3, 3, LatencyRingDescriptor.SOURCE_JAVA);
    }

    @Actor
    public void read(final JJ_Result result)
    {
        result.r1 = -1;
        result.r2 = -1;
        ring.read(0, (value, recordedAt, source) -> {
            result.r1 = value;
            result.r2 = recordedAt;
        });
    }
}
