package dev.baton;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.baton.internal.ffi.baton_h;
import dev.baton.ffi.baton_trace_context;
import dev.baton.internal.ffi.NativeLibrary;
import dev.baton.opentelemetry.BatonTracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A W3C trace context set at dispatch reaches the handler, a handler's span reaches the host, and
 * OpenTelemetry's current context goes in at dispatch and comes back around the host's handler.
 */
class TraceContextTest
{
    private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    private static final long HANDLER_SPAN = 0x1122334455667788L;

    @Test
    void aTraceparentParsesAndPrintsBack()
    {
        final TraceContext trace = TraceContext.parse(TRACEPARENT);
        assertEquals(0x4bf92f3577b34da6L, trace.traceIdHi());
        assertEquals(0xa3ce929d0e0e4736L, trace.traceIdLo());
        assertEquals(0x00f067aa0ba902b7L, trace.spanId());
        assertTrue(trace.sampled());
        assertEquals(TRACEPARENT, trace.traceparent());
        assertFalse(TraceContext.NONE.isPresent());
        for (final String bad : List.of("", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", TRACEPARENT + "-"))
        {
            assertThrows(IllegalArgumentException.class, () -> TraceContext.parse(bad), bad);
        }
    }

    /** Java's parser and libbaton's (which the bindings call) accept and refuse the same texts, alike. */
    @Test
    void javaAndLibbatonParseTraceparentsAlike()
    {
        assertTrue(NativeLibrary.isAvailable(), "libbaton must be built for this test (make native)");
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment trace = arena.allocate(baton_trace_context.layout());
            final MemorySegment text = arena.allocate(baton_h.BATON_TRACEPARENT_LENGTH + 1);
            for (final String candidate : List.of(TRACEPARENT, TRACEPARENT.toUpperCase(Locale.ROOT),
                "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00", "", "00",
                "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736_00f067aa0ba902b7-01",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
                "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01", TRACEPARENT + "-"))
            {
                final int parsed = baton_h.baton_trace_parse(arena.allocateFrom(candidate), trace);
                TraceContext java = null;
                try
                {
                    java = TraceContext.parse(candidate);
                }
                catch (final IllegalArgumentException refused)
                {
                    assertEquals(ErrorCode.EINVAL, parsed, "libbaton refuses what Java refuses: " + candidate);
                    continue;
                }
                assertEquals(ErrorCode.OK, parsed, "libbaton accepts what Java accepts: " + candidate);
                assertEquals(java.traceIdHi(), baton_trace_context.trace_id_hi(trace), candidate);
                assertEquals(java.traceIdLo(), baton_trace_context.trace_id_lo(trace), candidate);
                assertEquals(java.spanId(), baton_trace_context.parent_span_id(trace), candidate);
                assertEquals(java.flags(), baton_trace_context.flags(trace), candidate);
                assertEquals(baton_h.BATON_TRACEPARENT_LENGTH, baton_h.baton_trace_format(trace, text, (int)text.byteSize()));
                assertEquals(java.traceparent(), text.getString(0), "both print the same traceparent");
            }
        }
    }

    @Test
    void theTraceReachesTheHandlerAndTheHandlersSpanReachesTheHost()
    {
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(4).build())
        {
            final TraceContext sent = TraceContext.parse(TRACEPARENT);
        final Poller poller = channel.newPoller();
            final long handle = channel.dispatcher().dispatch(0, 1, 0, 0, 0, MemorySegment.NULL, sent);
            final PolledEvent event = channel.newPoller().poll();
            assertEquals(sent, event.traceContext());
            assertEquals(0, event.handlerSpanId());
            assertEquals(ErrorCode.OK, poller.complete(handle, 0, MemorySegment.NULL, HANDLER_SPAN));
            final List<TraceContext> traces = new ArrayList<>();
            final List<Long> spans = new ArrayList<>();
            assertEquals(1, channel.outcomeDrain().drain(completion -> {
                traces.add(completion.traceContext());
                spans.add(completion.handlerSpanId());
            }, 4));
            assertEquals(List.of(sent), traces);
            assertEquals(List.of(HANDLER_SPAN), spans);

            // The next event in that slot, dispatched without a trace, carries none.
            channel.dispatcher().dispatch(0, 2, 0, 0, 0, MemorySegment.NULL);
            final PolledEvent untraced = channel.newPoller().poll();
            assertEquals(TraceContext.NONE, untraced.traceContext());
        }
    }

    @Test
    void openTelemetrysContextGoesInAtDispatchAndComesBackAroundTheHostsHandler()
    {
        final SpanContext dispatcher = SpanContext.create(
            "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault());
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(4).build())
        {
            assertEquals(TraceContext.NONE, BatonTracing.current(), "no span is current");
        final Poller poller = channel.newPoller();
            final Scope dispatching = Span.wrap(dispatcher).makeCurrent();
            final long handle = channel.dispatcher().dispatch(0, 1, 0, 0, 0, MemorySegment.NULL, BatonTracing.current());
            dispatching.close();
            final PolledEvent event = channel.newPoller().poll();
            final BatonTracing.CurrentTrace handling = BatonTracing.makeCurrent(event);
            final String parentSeen = Span.current().getSpanContext().getSpanId();
            handling.close();
            assertEquals("00f067aa0ba902b7", parentSeen, "the handler runs under the dispatcher's span");
            assertEquals(ErrorCode.OK, poller.complete(handle, 0, MemorySegment.NULL, HANDLER_SPAN));
            final List<SpanContext> seen = new ArrayList<>();
            assertEquals(1, channel.outcomeDrain().drain(
                BatonTracing.restoring(completion -> seen.add(Span.current().getSpanContext())), 4));
            assertEquals("4bf92f3577b34da6a3ce929d0e0e4736", seen.get(0).getTraceId());
            assertEquals("1122334455667788", seen.get(0).getSpanId(), "the host's handler runs under the handler's span");
            assertTrue(seen.get(0).isRemote() && seen.get(0).isSampled());
            assertFalse(Span.current().getSpanContext().isValid(), "the scope closed after the handler");
        }
    }
}
