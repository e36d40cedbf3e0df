package dev.baton;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import dev.baton.internal.ffi.baton_h;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code baton_memory} names the memory a native attachment reaches the channel through, where every
 * pointer libbaton hands out lies: the bindings read polled payloads through one view of it.
 */
class NativeMemoryTest
{
    @Test
    void aNativeAttachmentNamesTheMemoryItAttachedAndRefusesNullPointers()
    {
        try (DispatchChannel channel = DispatchChannel.builder().slabCapacity(8).build();
            Arena arena = Arena.ofConfined())
        {
            final MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            assertEquals(0, baton_h.baton_attach(channel.memory(), channel.memory().byteSize(), out));
            final MemorySegment attachment = out.get(ValueLayout.ADDRESS, 0);
            final MemorySegment memory = arena.allocate(ValueLayout.ADDRESS);
            final MemorySegment length = arena.allocate(ValueLayout.JAVA_LONG);
            assertEquals(0, baton_h.baton_memory(attachment, memory, length));
            assertEquals(channel.memory().address(), memory.get(ValueLayout.ADDRESS, 0).address());
            assertEquals(channel.memory().byteSize(), length.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(ErrorCode.EFAULT, baton_h.baton_memory(attachment, MemorySegment.NULL, length));
            assertEquals(ErrorCode.EFAULT, baton_h.baton_memory(attachment, memory, MemorySegment.NULL));
            assertEquals(ErrorCode.EFAULT, baton_h.baton_memory(MemorySegment.NULL, memory, length));
            assertEquals(0, baton_h.baton_detach(attachment));
        }
    }
}
