package dev.baton;

/**
 * An event a handler claimed, as a {@link Poller} shows it. Complete it with
 * {@link DispatchChannel#complete(long, int, java.lang.foreign.MemorySegment)} and its {@link #handle()}.
 */
public final class Event extends SlotView
{
    Event()
    {
    }

    @Override
    public String toString()
    {
        return "Event{handle=" + handle() + ", kind=" + kind() + ", eventId=" + eventId() +
            ", payloadLength=" + payloadLength() + '}';
    }
}
