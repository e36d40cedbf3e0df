package dev.baton;

import java.lang.foreign.MemorySegment;

import dev.baton.internal.channel.PayloadClaimOps;

/**
 * Room for one event's payload, claimed by {@link Dispatcher#claim}, written in place and
 * then committed or aborted, as Agrona's {@code BufferClaim}: the payload is written once, into the
 * channel's memory, instead of being copied there from a buffer of the caller's.
 *
 * <p>Write {@link #length()} bytes into {@link #buffer()} from {@link #offset()}, then call
 * {@link #commit()} to dispatch the event, or {@link #abort()} to give the room back unseen. Until
 * then the event is invisible to handlers, expiry and the metrics, and holds a slot (and a block, for
 * a payload longer than a slot's inline room). One claim object can be reused for claim after
 * claim; it allocates nothing. Not thread-safe: one claim per dispatching thread, or handed over
 * with a happens-before.
 */
public final class PayloadClaim
{
    private PayloadClaimOps ops;
    private long token;
    private MemorySegment buffer;
    private long offset;
    private int length;

    /** An empty claim, for {@link Dispatcher#claim} to fill. */
    public PayloadClaim()
    {
    }

    void hold(final PayloadClaimOps ops, final long token, final MemorySegment buffer, final long offset, final int length)
    {
        this.ops = ops;
        this.token = token;
        this.buffer = buffer;
        this.offset = offset;
        this.length = length;
    }

    /** @return the channel's memory, in which the claimed room starts at {@link #offset()}. */
    public MemorySegment buffer()
    {
        return buffer;
    }

    /** @return where the claimed room starts in {@link #buffer()}. */
    public long offset()
    {
        return offset;
    }

    /** @return the payload's length: the bytes to write. */
    public int length()
    {
        return length;
    }

    /** @return the claimed room as its own segment (a view, which allocates; {@link #buffer()} does not). */
    public MemorySegment payload()
    {
        return buffer.asSlice(offset, length);
    }

    /** @return whether this claim holds room: claimed, and neither committed nor aborted since. */
    public boolean isHeld()
    {
        return token != 0;
    }

    /**
     * Dispatches the event whose payload was written in place.
     *
     * @return its handle (&gt; 0), after which this claim holds nothing; or {@link ErrorCode#ENOSPC}
     * (the dispatch ring is full: the claim is kept, to commit again or abort), or
     * {@link ErrorCode#EALREADY} / {@link ErrorCode#ESTALE} (committed or aborted already).
     * @throws IllegalStateException if the channel is closed.
     */
    public long commit()
    {
        if (token == 0)
        {
            return ErrorCode.EALREADY;
        }
        final long handle = ops.commit(token);
        if (handle > 0)
        {
            token = 0;
        }
        return handle;
    }

    /**
     * Gives the room back unseen.
     *
     * @return {@link ErrorCode#OK}, after which this claim holds nothing; or as {@link #commit()}.
     * @throws IllegalStateException if the channel is closed.
     */
    public int abort()
    {
        if (token == 0)
        {
            return ErrorCode.EALREADY;
        }
        final int aborted = ops.abort(token);
        if (aborted == ErrorCode.OK)
        {
            token = 0;
        }
        return aborted;
    }

    /** @return the claim's token: its slot and generation, 0 once committed or aborted. */
    long token()
    {
        return token;
    }

    /** Replaces the token, for the tests that replay a spent one or forge one. */
    void forgeToken(final long forged)
    {
        token = forged;
    }
}
