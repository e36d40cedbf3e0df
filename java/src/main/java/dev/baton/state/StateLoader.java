package dev.baton.state;

import java.util.UUID;

/**
 * Loads the current state of a machine that the registry does not hold, from wherever it lives (a
 * database, a service). May be slow; it runs outside any lock.
 *
 * @param <S> the states.
 */
@FunctionalInterface
public interface StateLoader<S extends Enum<S>>
{
    /**
     * @param key the machine's id.
     * @return its current state, never null.
     * @throws Exception when it cannot be loaded; every waiter gets it, and nothing is cached.
     */
    S load(UUID key) throws Exception;
}
