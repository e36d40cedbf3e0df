package dev.baton.internal.layout;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * One entry of the attachment table: {@code baton_attachment} in {@code baton.h}, which draws the
 * protocol. Only libbaton takes, judges and frees entries (judging a process takes /proc); Java
 * formats the table empty, sizes it, and asks whether the attachment a tag names is gone.
 *
 * <pre>
 *  offset  size  field
 *       0     8  owner                 pid &lt;&lt; 32 | FREE, ACQUIRING, LIVE or REAPING
 *       8     8  start_time            the process's start: field 22 of /proc/&lt;pid&gt;/stat
 *      16     8  pid_namespace         inode of /proc/self/ns/pid
 *      24     4  epoch                 moved on by each attacher of the entry
 *      28     4  dispatch_waiting      the attachment's calls asleep on dispatch_signal
 *      32     4  completion_waiting    the attachment's calls asleep on completion_signal
 *      36     4  reserved
 *      40     8  attached_at_ns
 *      48    16  reserved
 * </pre>
 */
public final class AttachmentTableDescriptor
{
    public static final int FREE = 0;
    public static final int ACQUIRING = 1;
    public static final int LIVE = 2;
    public static final int REAPING = 3;
    public static final int CAPACITY_MAX = 1024;

    public static final StructLayout ENTRY_LAYOUT = MemoryLayout.structLayout(
        JAVA_LONG.withName("owner"),
        JAVA_LONG.withName("start_time"),
        JAVA_LONG.withName("pid_namespace"),
        JAVA_INT.withName("epoch"),
        JAVA_INT.withName("dispatch_waiting"),
        JAVA_INT.withName("completion_waiting"),
        MemoryLayout.paddingLayout(4),
        JAVA_LONG.withName("attached_at_ns"),
        MemoryLayout.paddingLayout(16))
        .withName("baton_attachment");

    public static final int ENTRY_LENGTH = (int)ENTRY_LAYOUT.byteSize();
    public static final VarHandle OWNER = ENTRY_LAYOUT.varHandle(groupElement("owner"));
    public static final VarHandle EPOCH = ENTRY_LAYOUT.varHandle(groupElement("epoch"));

    /** The claimant tag: {@code (epoch & 0xFFF) << 12 | (entry index + 1)}. */
    public static final int TAG_INDEX_BITS = 12;
    public static final int TAG_EPOCH_MASK = 0xFFF;

    private AttachmentTableDescriptor()
    {
    }

    /**
     * @param capacity entries.
     * @return the table's length in bytes.
     */
    public static long length(final int capacity)
    {
        return (long)capacity * ENTRY_LENGTH;
    }
}
