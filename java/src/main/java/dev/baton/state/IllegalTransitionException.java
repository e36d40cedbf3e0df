package dev.baton.state;

import java.util.UUID;

/** A transition that the registry's {@link TransitionTable} does not allow. */
public final class IllegalTransitionException extends IllegalStateException
{
    private static final long serialVersionUID = 1L;

    IllegalTransitionException(final UUID key, final Enum<?> from, final Enum<?> to)
    {
        super("illegal transition of " + key + ": " + from + " -> " + to);
    }
}
