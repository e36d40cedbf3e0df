package dev.baton.state;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The transitions a {@link StateRegistry} allows, and the states that end a machine's life.
 *
 * @param <S> the states.
 */
public final class TransitionTable<S extends Enum<S>>
{
    private final Map<S, Set<S>> allowed;
    private final Set<S> terminal;

    private TransitionTable(final Map<S, Set<S>> allowed, final Set<S> terminal)
    {
        this.allowed = allowed;
        this.terminal = terminal;
    }

    /**
     * @param type the enum of states.
     * @param <S>  the states.
     * @return a builder with no transition allowed and no terminal state.
     */
    public static <S extends Enum<S>> Builder<S> builder(final Class<S> type)
    {
        return new Builder<>(type);
    }

    /**
     * @param from a state.
     * @param to   another.
     * @return whether the table allows moving from {@code from} to {@code to}.
     */
    public boolean allows(final S from, final S to)
    {
        return allowed.get(from).contains(to);
    }

    /**
     * @param state a state.
     * @return whether it ends a machine's life (its entry is then evicted).
     */
    public boolean isTerminal(final S state)
    {
        return terminal.contains(state);
    }

    /**
     * Builds a {@link TransitionTable}.
     *
     * @param <S> the states.
     */
    public static final class Builder<S extends Enum<S>>
    {
        private final Class<S> type;
        private final Map<S, Set<S>> allowed;
        private final Set<S> terminal;

        private Builder(final Class<S> type)
        {
            this.type = type;
            this.allowed = new EnumMap<>(type);
            this.terminal = EnumSet.noneOf(type);
            for (final S state : type.getEnumConstants())
            {
                allowed.put(state, EnumSet.noneOf(type));
            }
        }

        /**
         * @param from a state.
         * @param to   the states it may move to.
         * @return this.
         */
        @SafeVarargs
        public final Builder<S> allow(final S from, final S... to)
        {
            for (final S state : to)
            {
                allowed.get(from).add(state);
            }
            return this;
        }

        /**
         * @param states states that end a machine's life.
         * @return this.
         */
        @SafeVarargs
        public final Builder<S> terminal(final S... states)
        {
            for (final S state : states)
            {
                terminal.add(state);
            }
            return this;
        }

        /**
         * @return the table.
         * @throws IllegalArgumentException if a terminal state allows a way out.
         */
        public TransitionTable<S> build()
        {
            for (final S state : terminal)
            {
                if (!allowed.get(state).isEmpty())
                {
                    throw new IllegalArgumentException(
                        "terminal state " + state + " of " + type.getSimpleName() + " allows " + allowed.get(state));
                }
            }
            final Map<S, Set<S>> copy = new EnumMap<>(type);
            allowed.forEach((from, to) -> copy.put(from, Set.copyOf(to)));
            return new TransitionTable<>(copy, Set.copyOf(terminal));
        }
    }
}
