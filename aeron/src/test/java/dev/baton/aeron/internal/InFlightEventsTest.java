package dev.baton.aeron.internal;

import org.agrona.collections.LongArrayList;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The bridge's record of the events it holds: an outcome counts only under the epoch its event was sent in. */
class InFlightEventsTest
{
    @Test
    void anEventIsHeldUnderTheEpochItWasSentInAndNoOther()
    {
        final InFlightEvents events = new InFlightEvents();
        events.hold(11, InFlightEvents.UNSENT, 0);
        assertFalse(events.isHeldUnder(11, InFlightEvents.UNSENT), "an unsent event takes no outcome, even one naming epoch 0");
        events.hold(11, 7, 0);
        assertTrue(events.isHeldUnder(11, 7));
        assertFalse(events.isHeldUnder(11, 8));
        assertFalse(events.isHeldUnder(12, 7), "never held");
        events.release(11);
        assertFalse(events.isHeldUnder(11, 7), "released");
    }

    @Test
    void aLostEpochsEventsAreFoundWithTheirRedeliveries()
    {
        final InFlightEvents events = new InFlightEvents();
        events.hold(1, 5, 0);
        events.hold(2, 5, 2);
        events.hold(3, 6, 1);
        events.hold(4, (1L << 40) + 5, 0); // a large epoch is its own, not 5's
        final LongArrayList lost = new LongArrayList();
        events.collectUnder(5, lost);
        lost.sort(null);
        assertEquals(2, lost.size());
        assertEquals(1, lost.getLong(0));
        assertEquals(2, lost.getLong(1));
        assertEquals(2, events.redeliveries(2));
        assertEquals(-1, events.redeliveries(9));
        assertEquals(4, events.size());
    }

    @Test
    void aCountPastWhatTheBridgeKeepsIsHeldAsTheMost()
    {
        final InFlightEvents events = new InFlightEvents();
        events.hold(1, 5, 0xFFFF_FFFFL); // a uint32_t count from the host's channel
        events.hold(2, 5, InFlightEvents.MAX_REDELIVERIES - 1);
        assertEquals(InFlightEvents.MAX_REDELIVERIES, events.redeliveries(1));
        assertTrue(events.isHeldUnder(1, 5), "the count keeps out of the epoch's bits");
        assertEquals(InFlightEvents.MAX_REDELIVERIES - 1, events.redeliveries(2));
    }
}
