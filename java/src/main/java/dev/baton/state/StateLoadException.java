package dev.baton.state;

import java.util.UUID;

/** A load of a state machine failed; every caller waiting for that load gets this, with its cause. */
public final class StateLoadException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    StateLoadException(final UUID key, final Throwable cause)
    {
        super("loading the state machine of " + key + " failed: " + cause, cause);
    }
}
