package dev.baton.ffi;

import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * {@code struct baton_listed_event} of baton.h: an event the slab holds, as {@code baton_list_events}
 * reports it. Written by hand in jextract's style; {@code AbiConformanceTest} holds it to the header.
 */
public final class baton_listed_event
{
    private static final GroupLayout LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("handle"),
        JAVA_LONG.withName("event_id_hi"),
        JAVA_LONG.withName("event_id_lo"),
        JAVA_LONG.withName("correlation_id_hi"),
        JAVA_LONG.withName("correlation_id_lo"),
        JAVA_LONG.withName("dispatched_at_ns"),
        JAVA_INT.withName("kind"),
        JAVA_INT.withName("state"),
        JAVA_INT.withName("redeliveries"),
        JAVA_INT.withName("yields"))
        .withName("baton_listed_event");

    private baton_listed_event()
    {
    }

    /** @return the layout of the struct. */
    public static GroupLayout layout()
    {
        return LAYOUT;
    }
}
