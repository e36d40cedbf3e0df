package dev.baton;

import java.util.HexFormat;

/**
 * An event's W3C trace context: the trace id, the span it was dispatched under, and the trace
 * flags, as a {@code traceparent} header carries them ({@code 00-<trace id>-<span id>-<flags>}).
 * Dispatch it with an event ({@link Dispatcher#dispatch(long, long, long, long, int,
 * java.lang.foreign.MemorySegment, TraceContext)}); handlers in every language read it, and a handler's
 * completion may name its own span back ({@link Poller#complete(long, int,
 * java.lang.foreign.MemorySegment, long)}).
 *
 * @param traceIdHi the trace id's most significant 64 bits.
 * @param traceIdLo the trace id's least significant 64 bits; both 0 for no trace.
 * @param spanId    the span the event was dispatched under (the handler's parent).
 * @param flags     W3C trace flags: bit 0, sampled.
 */
public record TraceContext(long traceIdHi, long traceIdLo, long spanId, int flags)
{
    /** No trace: what an event dispatched without one carries. */
    public static final TraceContext NONE = new TraceContext(0, 0, 0, 0);

    private static final HexFormat HEX = HexFormat.of();
    /** The length of a W3C traceparent of version 00 (C: {@code BATON_TRACEPARENT_LENGTH}). */
    public static final int TRACEPARENT_LENGTH = 55;

    public TraceContext
    {
        checkFlags(flags);
    }

    /**
     * @param flags W3C trace flags, as a caller that carries the trace context as numbers has them.
     * @throws IllegalArgumentException if they are more than one byte.
     */
    static void checkFlags(final int flags)
    {
        if ((flags & ~0xFF) != 0)
        {
            throw new IllegalArgumentException("trace flags are one byte: " + flags);
        }
    }

    /**
     * @param traceparent a W3C {@code traceparent} of version 00.
     * @return its trace context.
     * @throws IllegalArgumentException if it is not one: its length, version, hex digits, or an
     *                                  all-zero trace id or span id.
     */
    public static TraceContext parse(final String traceparent)
    {
        if (traceparent.length() != TRACEPARENT_LENGTH || !traceparent.startsWith("00-") ||
            traceparent.charAt(35) != '-' || traceparent.charAt(52) != '-')
        {
            throw new IllegalArgumentException("not a version-00 traceparent: " + traceparent);
        }
        try
        {
            final TraceContext parsed = new TraceContext(
                HexFormat.fromHexDigitsToLong(traceparent, 3, 19), HexFormat.fromHexDigitsToLong(traceparent, 19, 35),
                HexFormat.fromHexDigitsToLong(traceparent, 36, 52), HexFormat.fromHexDigits(traceparent, 53, 55));
            if (!parsed.isPresent() || parsed.spanId == 0)
            {
                throw new IllegalArgumentException("a traceparent's trace id and span id are not zero: " + traceparent);
            }
            return parsed;
        }
        catch (final NumberFormatException notHex)
        {
            throw new IllegalArgumentException("not a version-00 traceparent: " + traceparent, notHex);
        }
    }

    /** @return whether this names a trace (its trace id is not zero). */
    public boolean isPresent()
    {
        return traceIdHi != 0 || traceIdLo != 0;
    }

    /** @return whether the trace flags say sampled. */
    public boolean sampled()
    {
        return (flags & 1) != 0;
    }

    /** @return the W3C {@code traceparent} header of version 00 (allocates). */
    public String traceparent()
    {
        return "00-" + HEX.toHexDigits(traceIdHi) + HEX.toHexDigits(traceIdLo) + '-' + HEX.toHexDigits(spanId) + '-' +
            HEX.toHexDigits((byte)flags);
    }

    @Override
    public String toString()
    {
        return traceparent();
    }
}
