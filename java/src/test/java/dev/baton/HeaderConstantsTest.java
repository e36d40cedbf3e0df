package dev.baton;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java descriptors restate include/baton.h: every numeric #define the Java side mirrors must
 * have the same value in both.
 */
class HeaderConstantsTest
{
    private static final Pattern DEFINE = Pattern.compile(
        "^#define\\s+(BATON_\\w+)\\s+\\(?\\s*(-?)\\s*(?:UINT64_C\\(|UINT32_C\\()?(0x[0-9A-Fa-f]+|\\d+)\\)?\\s*\\)?\\s*(?:/\\*.*)?$");

    private static final Map<String, Long> DEFINES = new TreeMap<>();

    @BeforeAll
    static void readHeader() throws IOException
    {
        final Path header = Path.of(System.getProperty("baton.header", "../include/baton.h"));
        for (final String line : Files.readAllLines(header))
        {
            final Matcher matcher = DEFINE.matcher(line.trim());
            if (matcher.matches())
            {
                final String digits = matcher.group(3);
                final long value = digits.startsWith("0x") ? Long.parseUnsignedLong(digits.substring(2), 16) :
                    Long.parseLong(digits);
                DEFINES.put(matcher.group(1), matcher.group(2).isEmpty() ? value : -value);
            }
        }
        assertTrue(DEFINES.size() > 40, "parsed only " + DEFINES.keySet());
    }

    private static void assertDefine(final String name, final long javaValue)
    {
        assertTrue(DEFINES.containsKey(name), name + " missing from baton.h");
        assertEquals(DEFINES.get(name), javaValue, name);
    }

    @Test
    void versionsAndHeader()
    {
        assertDefine("BATON_MAGIC", HeaderDescriptor.MAGIC);
        assertDefine("BATON_ABI_MAJOR", HeaderDescriptor.ABI_MAJOR);
        assertDefine("BATON_ABI_MINOR", HeaderDescriptor.ABI_MINOR);
        assertDefine("BATON_CACHE_LINE_LENGTH", HeaderDescriptor.CACHE_LINE_LENGTH);
        assertDefine("BATON_SEGMENT_ALIGNMENT", HeaderDescriptor.SEGMENT_ALIGNMENT);
        assertDefine("BATON_HEADER_LENGTH", HeaderDescriptor.LENGTH);
        assertDefine("BATON_CHANNEL_OPEN", HeaderDescriptor.CHANNEL_OPEN);
        assertDefine("BATON_CHANNEL_CLOSED", HeaderDescriptor.CHANNEL_CLOSED);
        assertEquals(128, HeaderDescriptor.FREE_HEAD_OFFSET);
        assertEquals(88, HeaderDescriptor.offset("channel_state"));
        assertEquals(80, HeaderDescriptor.offset("starvation_threshold_ns"));
    }

    @Test
    void slotsAndHandles()
    {
        assertDefine("BATON_SLOT_HEADER_LENGTH", SlotDescriptor.HEADER_LENGTH);
        assertDefine("BATON_SLOT_SIZE_MIN", SlotDescriptor.SLOT_SIZE_MIN);
        assertDefine("BATON_SLOT_FREE", SlotDescriptor.FREE);
        assertDefine("BATON_SLOT_DISPATCHED", SlotDescriptor.DISPATCHED);
        assertDefine("BATON_SLOT_CLAIMED", SlotDescriptor.CLAIMED);
        assertDefine("BATON_SLOT_COMPLETED", SlotDescriptor.COMPLETED);
        assertDefine("BATON_SLOT_TIMED_OUT", SlotDescriptor.TIMED_OUT);
        assertDefine("BATON_HANDLE_NONE", Handles.NONE);
        assertDefine("BATON_GENERATION_MAX", Handles.GENERATION_MAX);
        assertEquals(72, SlotDescriptor.offset("payload_length"));
        assertEquals(48, SlotDescriptor.offset("dispatched_at_ns"));
    }

    @Test
    void rings()
    {
        assertDefine("BATON_DISPATCH_RING_PRODUCER_INDEX_OFFSET", DispatchRingDescriptor.PRODUCER_INDEX_OFFSET);
        assertDefine("BATON_DISPATCH_RING_CONSUMER_INDEX_OFFSET", DispatchRingDescriptor.CONSUMER_INDEX_OFFSET);
        assertDefine("BATON_DISPATCH_RING_CELLS_OFFSET", DispatchRingDescriptor.CELLS_OFFSET);
        assertDefine("BATON_DISPATCH_CELL_LENGTH", DispatchRingDescriptor.CELL_LENGTH);
        assertDefine("BATON_COMPLETION_TRAILER_LENGTH", CompletionRingDescriptor.TRAILER_LENGTH);
        assertDefine("BATON_COMPLETION_TAIL_POSITION_OFFSET", CompletionRingDescriptor.TAIL_POSITION_OFFSET);
        assertDefine(
            "BATON_COMPLETION_HEAD_CACHE_POSITION_OFFSET", CompletionRingDescriptor.HEAD_CACHE_POSITION_OFFSET);
        assertDefine("BATON_COMPLETION_HEAD_POSITION_OFFSET", CompletionRingDescriptor.HEAD_POSITION_OFFSET);
        assertDefine(
            "BATON_COMPLETION_CORRELATION_COUNTER_OFFSET", CompletionRingDescriptor.CORRELATION_COUNTER_OFFSET);
        assertDefine(
            "BATON_COMPLETION_CONSUMER_HEARTBEAT_OFFSET", CompletionRingDescriptor.CONSUMER_HEARTBEAT_OFFSET);
        assertDefine("BATON_COMPLETION_RING_CAPACITY_MIN", CompletionRingDescriptor.CAPACITY_MIN);
        assertDefine("BATON_RECORD_HEADER_LENGTH", CompletionRingDescriptor.RECORD_HEADER_LENGTH);
        assertDefine("BATON_RECORD_ALIGNMENT", CompletionRingDescriptor.RECORD_ALIGNMENT);
        assertDefine("BATON_RECORD_PADDING", CompletionRingDescriptor.PADDING);
        assertDefine("BATON_RECORD_COMPLETED", CompletionRingDescriptor.COMPLETED);
        assertDefine("BATON_RECORD_TIMED_OUT", CompletionRingDescriptor.TIMED_OUT);
        assertDefine("BATON_COMPLETION_BODY_LENGTH", CompletionRingDescriptor.BODY_LENGTH);
    }

    @Test
    void errorCodes()
    {
        assertDefine("BATON_OK", ErrorCode.OK);
        assertDefine("BATON_ENOENT", ErrorCode.ENOENT);
        assertDefine("BATON_EAGAIN", ErrorCode.EAGAIN);
        assertDefine("BATON_EFAULT", ErrorCode.EFAULT);
        assertDefine("BATON_EINVAL", ErrorCode.EINVAL);
        assertDefine("BATON_ENOSPC", ErrorCode.ENOSPC);
        assertDefine("BATON_EPROTO", ErrorCode.EPROTO);
        assertDefine("BATON_EBADMSG", ErrorCode.EBADMSG);
        assertDefine("BATON_EMSGSIZE", ErrorCode.EMSGSIZE);
        assertDefine("BATON_EPROTONOSUPPORT", ErrorCode.EPROTONOSUPPORT);
        assertDefine("BATON_ENOBUFS", ErrorCode.ENOBUFS);
        assertDefine("BATON_ESHUTDOWN", ErrorCode.ESHUTDOWN);
        assertDefine("BATON_ETIMEDOUT", ErrorCode.ETIMEDOUT);
        assertDefine("BATON_EALREADY", ErrorCode.EALREADY);
        assertDefine("BATON_ESTALE", ErrorCode.ESTALE);
    }
}
