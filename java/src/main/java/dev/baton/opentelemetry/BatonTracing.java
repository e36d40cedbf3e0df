package dev.baton.opentelemetry;

import dev.baton.OutcomeHandler;
import dev.baton.SlotView;
import dev.baton.TraceContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * An event's trace context from and to OpenTelemetry's current context. {@code opentelemetry-api}
 * is an optional dependency: add it yourself; a channel that does not use this class never loads it.
 * <ul>
 *   <li>a dispatcher takes {@link #current()} and dispatches it with the event;</li>
 *   <li>a Java handler runs under {@link #makeCurrent(SlotView)}, so that its spans are children of
 *       the dispatcher's, and completes naming its span ({@code Span.current()});</li>
 *   <li>the host drains through {@link #restoring(OutcomeHandler)}, which makes the handler's span
 *       (or, without one, the dispatcher's) current around the host's completion handler.</li>
 * </ul>
 * Each call allocates OpenTelemetry's objects; the channel's own paths stay allocation-free.
 */
public final class BatonTracing
{
    private BatonTracing()
    {
    }

    /** A context made current until {@link #close()}: OpenTelemetry's {@code Scope}, without its type. */
    public interface CurrentTrace extends AutoCloseable
    {
        /** Restores the context that was current before. */
        @Override
        void close();
    }

    /** @return the current span's context as a {@link TraceContext}, {@link TraceContext#NONE} without a valid one. */
    public static TraceContext current()
    {
        final SpanContext span = Span.current().getSpanContext();
        if (!span.isValid())
        {
            return TraceContext.NONE;
        }
        return TraceContext.parse(
            "00-" + span.getTraceId() + '-' + span.getSpanId() + '-' + span.getTraceFlags().asHex());
    }

    /**
     * Makes the event's dispatcher's span current, as a remote parent: for a Java handler, around
     * its work on the event. Close the scope when done.
     *
     * @param event a claimed event.
     * @return what to close when done; a no-op when the event carries no trace.
     */
    public static CurrentTrace makeCurrent(final SlotView event)
    {
        return makeCurrent(event.traceContext(), event.parentSpanId())::close;
    }

    /**
     * @param handler the host's completion handler.
     * @return a handler that runs it with the span of the event's handler current (the dispatcher's
     * when the handler named none), as a remote parent; events without a trace run it as is.
     */
    public static OutcomeHandler restoring(final OutcomeHandler handler)
    {
        return completion -> {
            final long span = completion.handlerSpanId() != 0 ? completion.handlerSpanId() : completion.parentSpanId();
            final Scope scope = makeCurrent(completion.traceContext(), span);
            try
            {
                handler.onOutcome(completion);
            }
            finally
            {
                scope.close();
            }
        };
    }

    private static Scope makeCurrent(final TraceContext trace, final long spanId)
    {
        if (!trace.isPresent() || spanId == 0)
        {
            return Scope.noop();
        }
        final String traceparent = new TraceContext(trace.traceIdHi(), trace.traceIdLo(), spanId, trace.flags())
            .traceparent();
        final SpanContext remote = SpanContext.createFromRemoteParent(
            traceparent.substring(3, 35), traceparent.substring(36, 52),
            TraceFlags.fromByte((byte)trace.flags()), TraceState.getDefault());
        return Context.current().with(Span.wrap(remote)).makeCurrent();
    }
}
