package dev.baton.internal.layout;

import java.io.IOException;
import java.lang.foreign.GroupLayout;
import java.lang.foreign.MemoryLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.baton.TraceContext;
import dev.baton.ffi.baton_completion;
import dev.baton.ffi.baton_config;
import dev.baton.ffi.baton_dispatch_entry;
import dev.baton.ffi.baton_drain_counts;
import dev.baton.ffi.baton_event;
import dev.baton.ffi.baton_listed_event;
import dev.baton.ffi.baton_metrics;
import dev.baton.ffi.baton_outcome;
import dev.baton.ffi.baton_payload_claim;
import dev.baton.ffi.baton_trace_context;
import dev.baton.internal.ffi.NativeLibrary;
import dev.baton.internal.ffi.baton_h;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java bindings are held to what a C compiler makes of include/baton.h: tests/c/abi_dump.c is
 * compiled against the header and prints every struct size, field offset and constant; each must
 * match the Java layouts, the declarations generated from the header (baton_h and dev.baton.ffi's
 * structs) and the library's own constants exactly. Every #define and every exported function of
 * the header must also have its Java counterpart, and every function must resolve in libbaton.
 */
class AbiConformanceTest
{
    private static final Path ROOT = Path.of(System.getProperty("baton.root", ".."));
    private static final Path HEADER = ROOT.resolve("include/baton.h");

    private static final Map<String, GroupLayout> JAVA_LAYOUTS = Map.ofEntries(
        Map.entry("baton_header", HeaderDescriptor.LAYOUT),
        Map.entry("baton_slot", SlotDescriptor.LAYOUT),
        Map.entry("baton_attachment", AttachmentTableDescriptor.ENTRY_LAYOUT),
        Map.entry("baton_dispatch_cell", DispatchRingDescriptor.CELL_LAYOUT),
        Map.entry("baton_dispatch_ring", DispatchRingDescriptor.INDICES_LAYOUT),
        Map.entry("baton_completion_trailer", CompletionRingDescriptor.TRAILER_LAYOUT),
        Map.entry("baton_completion_body", CompletionRingDescriptor.BODY_LAYOUT),
        Map.entry("baton_latency_entry", LatencyRingDescriptor.ENTRY_LAYOUT),
        Map.entry("baton_latency_ring", LatencyRingDescriptor.INDICES_LAYOUT),
        Map.entry("baton_config", baton_config.layout()),
        Map.entry("baton_event", baton_event.layout()),
        Map.entry("baton_outcome", baton_outcome.layout()),
        Map.entry("baton_metrics", baton_metrics.layout()),
        Map.entry("baton_drain_counts", baton_drain_counts.layout()),
        Map.entry("baton_trace_context", baton_trace_context.layout()),
        Map.entry("baton_payload_claim", baton_payload_claim.layout()),
        Map.entry("baton_completion", baton_completion.layout()),
        Map.entry("baton_dispatch_entry", baton_dispatch_entry.layout()),
        Map.entry("baton_listed_event", baton_listed_event.layout()));

    /** The library's own constant for each #define it has one for. */
    private static final Map<String, Long> LIBRARY_CONSTANTS = Map.ofEntries(
        Map.entry("BATON_MAGIC", HeaderDescriptor.MAGIC),
        Map.entry("BATON_ABI_MAJOR", (long)HeaderDescriptor.ABI_MAJOR),
        Map.entry("BATON_ABI_MINOR", (long)HeaderDescriptor.ABI_MINOR),
        Map.entry("BATON_CACHE_LINE_LENGTH", (long)HeaderDescriptor.CACHE_LINE_LENGTH),
        Map.entry("BATON_SEGMENT_ALIGNMENT", (long)HeaderDescriptor.SEGMENT_ALIGNMENT),
        Map.entry("BATON_TRACEPARENT_LENGTH", (long)TraceContext.TRACEPARENT_LENGTH),
        Map.entry("BATON_OK", (long)Errno.OK),
        Map.entry("BATON_ENOENT", (long)Errno.ENOENT),
        Map.entry("BATON_EINTR", (long)Errno.EINTR),
        Map.entry("BATON_EIO", (long)Errno.EIO),
        Map.entry("BATON_EACCES", (long)Errno.EACCES),
        Map.entry("BATON_EAGAIN", (long)Errno.EAGAIN),
        Map.entry("BATON_ENOMEM", (long)Errno.ENOMEM),
        Map.entry("BATON_EFAULT", (long)Errno.EFAULT),
        Map.entry("BATON_EBUSY", (long)Errno.EBUSY),
        Map.entry("BATON_EEXIST", (long)Errno.EEXIST),
        Map.entry("BATON_EINVAL", (long)Errno.EINVAL),
        Map.entry("BATON_ELOOP", (long)Errno.ELOOP),
        Map.entry("BATON_ENOSPC", (long)Errno.ENOSPC),
        Map.entry("BATON_EPROTO", (long)Errno.EPROTO),
        Map.entry("BATON_EUCLEAN", (long)Errno.EUCLEAN),
        Map.entry("BATON_ENODATA", (long)Errno.ENODATA),
        Map.entry("BATON_EBADMSG", (long)Errno.EBADMSG),
        Map.entry("BATON_EMSGSIZE", (long)Errno.EMSGSIZE),
        Map.entry("BATON_EPROTONOSUPPORT", (long)Errno.EPROTONOSUPPORT),
        Map.entry("BATON_EUSERS", (long)Errno.EUSERS),
        Map.entry("BATON_ENOBUFS", (long)Errno.ENOBUFS),
        Map.entry("BATON_EISCONN", (long)Errno.EISCONN),
        Map.entry("BATON_ESHUTDOWN", (long)Errno.ESHUTDOWN),
        Map.entry("BATON_ETIMEDOUT", (long)Errno.ETIMEDOUT),
        Map.entry("BATON_EHOSTDOWN", (long)Errno.EHOSTDOWN),
        Map.entry("BATON_EALREADY", (long)Errno.EALREADY),
        Map.entry("BATON_ESTALE", (long)Errno.ESTALE),
        Map.entry("BATON_YIELD_LIMIT_DEFAULT", (long)HeaderDescriptor.YIELD_LIMIT_DEFAULT),
        Map.entry("BATON_HANDLE_NONE", Handles.NONE),
        Map.entry("BATON_GENERATION_MAX", (long)Handles.GENERATION_MAX),
        Map.entry("BATON_CHANNEL_OPEN", (long)HeaderDescriptor.CHANNEL_OPEN),
        Map.entry("BATON_CHANNEL_CLOSED", (long)HeaderDescriptor.CHANNEL_CLOSED),
        Map.entry("BATON_SLOT_FREE", (long)SlotDescriptor.FREE),
        Map.entry("BATON_SLOT_DISPATCHED", (long)SlotDescriptor.DISPATCHED),
        Map.entry("BATON_SLOT_POLLED", (long)SlotDescriptor.POLLED),
        Map.entry("BATON_SLOT_COMPLETED", (long)SlotDescriptor.COMPLETED),
        Map.entry("BATON_SLOT_TIMED_OUT", (long)SlotDescriptor.TIMED_OUT),
        Map.entry("BATON_SLOT_YIELDING", (long)SlotDescriptor.YIELDING),
        Map.entry("BATON_SLOT_STATE_MASK", (long)SlotDescriptor.STATE_MASK),
        Map.entry("BATON_SLOT_HOLDER_SHIFT", (long)SlotDescriptor.HOLDER_SHIFT),
        Map.entry("BATON_SLOT_CLAIM_MARK", Integer.toUnsignedLong(SlotDescriptor.CLAIM_MARK)),
        Map.entry("BATON_SLOT_SIZE_MIN", (long)SlotDescriptor.SLOT_SIZE_MIN),
        Map.entry("BATON_ATTACHMENT_FREE", (long)AttachmentTableDescriptor.FREE),
        Map.entry("BATON_ATTACHMENT_ACQUIRING", (long)AttachmentTableDescriptor.ACQUIRING),
        Map.entry("BATON_ATTACHMENT_LIVE", (long)AttachmentTableDescriptor.LIVE),
        Map.entry("BATON_ATTACHMENT_REAPING", (long)AttachmentTableDescriptor.REAPING),
        Map.entry("BATON_ATTACHMENT_CAPACITY_MAX", (long)AttachmentTableDescriptor.CAPACITY_MAX),
        Map.entry("BATON_ATTACHMENT_LENGTH", (long)AttachmentTableDescriptor.ENTRY_LENGTH),
        Map.entry("BATON_LATENCY_SOURCE_JAVA", (long)LatencyRingDescriptor.SOURCE_JAVA),
        Map.entry("BATON_LATENCY_SOURCE_NATIVE", (long)LatencyRingDescriptor.SOURCE_NATIVE),
        Map.entry("BATON_LATENCY_RING_CAPACITY_MIN", (long)LatencyRingDescriptor.CAPACITY_MIN),
        Map.entry("BATON_COMPLETION_RING_CAPACITY_MIN", (long)CompletionRingDescriptor.CAPACITY_MIN),
        Map.entry("BATON_RECORD_HEADER_LENGTH", (long)CompletionRingDescriptor.RECORD_HEADER_LENGTH),
        Map.entry("BATON_RECORD_ALIGNMENT", (long)CompletionRingDescriptor.RECORD_ALIGNMENT),
        Map.entry("BATON_RECORD_PADDING", (long)CompletionRingDescriptor.PADDING),
        Map.entry("BATON_RECORD_COMPLETED", (long)CompletionRingDescriptor.COMPLETED),
        Map.entry("BATON_RECORD_TIMED_OUT", (long)CompletionRingDescriptor.TIMED_OUT),
        Map.entry("BATON_UNBLOCK_PATIENCE_MIN_NS", CompletionRingDescriptor.UNBLOCK_PATIENCE_MIN_NANOS),
        Map.entry("BATON_BLOCK_CLASSES", (long)BlockAreaDescriptor.CLASSES),
        Map.entry("BATON_BLOCK_SIZE_MIN", (long)BlockAreaDescriptor.BLOCK_SIZE_MIN),
        Map.entry("BATON_BLOCK_COUNT_MAX", (long)BlockAreaDescriptor.BLOCK_COUNT_MAX),
        Map.entry("BATON_BLOCK_AREA_LINKS_OFFSET", (long)BlockAreaDescriptor.LINKS_OFFSET),
        Map.entry("BATON_BLOCK_CLASS_SHIFT", (long)BlockAreaDescriptor.CLASS_SHIFT),
        Map.entry("BATON_BLOCK_INDEX_MASK", (long)BlockAreaDescriptor.INDEX_MASK),
        Map.entry("BATON_BLOCK_OWNED", Integer.toUnsignedLong(BlockAreaDescriptor.OWNED)),
        Map.entry("BATON_BLOCK_STAMP_GENERATION_SHIFT", (long)BlockAreaDescriptor.STAMP_GENERATION_SHIFT),
        Map.entry("BATON_BLOCK_STAMP_GENERATION_MASK", (long)BlockAreaDescriptor.STAMP_GENERATION_MASK),
        Map.entry("BATON_ABI_VERSION", (long)HeaderDescriptor.ABI_VERSION),
        Map.entry("BATON_HOT_FIELD_PADDING", (long)HeaderDescriptor.HOT_FIELD_PADDING));

    private static final Map<String, Long> SIZES = new LinkedHashMap<>();
    private static final Map<String, Long> OFFSETS = new LinkedHashMap<>();
    private static final Map<String, Long> DEFINES = new LinkedHashMap<>();

    @BeforeAll
    static void dumpTheHeader(@TempDir final Path dir) throws IOException, InterruptedException
    {
        final Path program = dir.resolve("abi_dump");
        run(List.of(System.getProperty("baton.cc", "cc"), "-std=c11", "-Wall", "-Werror",
            "-I" + ROOT.resolve("include"), ROOT.resolve("tests/c/abi_dump.c").toString(), "-o", program.toString()));
        for (final String line : run(List.of(program.toString())).split("\n"))
        {
            final String[] parts = line.split(" ");
            final Map<String, Long> target = switch (parts[0])
            {
                case "size" -> SIZES;
                case "offset" -> OFFSETS;
                case "define" -> DEFINES;
                default -> throw new AssertionError("unexpected line: " + line);
            };
            target.put(parts[1], Long.parseLong(parts[2]));
        }
        assertEquals(JAVA_LAYOUTS.keySet(), SIZES.keySet(), "structs dumped");
    }

    private static String run(final List<String> command) throws IOException, InterruptedException
    {
        final Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        final String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), () -> String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    @Test
    void everyStructHasTheSameSizeAndFieldOffsetsInJava()
    {
        for (final Map.Entry<String, GroupLayout> struct : JAVA_LAYOUTS.entrySet())
        {
            final String name = struct.getKey();
            final GroupLayout layout = struct.getValue();
            assertEquals(SIZES.get(name), layout.byteSize(), "sizeof " + name);
            final Set<String> dumped = OFFSETS.keySet().stream()
                .filter(field -> field.startsWith(name + "."))
                .map(field -> field.substring(name.length() + 1))
                .collect(Collectors.toCollection(TreeSet::new));
            final Set<String> named = layout.memberLayouts().stream()
                .flatMap(member -> member.name().stream())
                .collect(Collectors.toCollection(TreeSet::new));
            assertEquals(dumped, named, "fields of " + name);
            for (final String field : named)
            {
                assertEquals(OFFSETS.get(name + "." + field),
                    layout.byteOffset(MemoryLayout.PathElement.groupElement(field)), "offsetof " + name + "." + field);
            }
        }
    }

    @Test
    void everyConstantHasTheSameValueInJava() throws ReflectiveOperationException
    {
        for (final Map.Entry<String, Long> define : DEFINES.entrySet())
        {
            final Number value = (Number)baton_h.class.getField(define.getKey()).get(null);
            assertEquals(define.getValue().longValue(), value.longValue(), define.getKey() + " in baton_h");
        }
        for (final Map.Entry<String, Long> constant : LIBRARY_CONSTANTS.entrySet())
        {
            assertEquals(DEFINES.get(constant.getKey()), constant.getValue(), constant.getKey() + " in the library");
        }
        assertEquals(DEFINES.get("BATON_HEADER_LENGTH"), (long)HeaderDescriptor.LENGTH);
        assertEquals(DEFINES.get("BATON_SLOT_HEADER_LENGTH"), (long)SlotDescriptor.HEADER_LENGTH);
        assertEquals(DEFINES.get("BATON_DISPATCH_RING_CELLS_OFFSET"), DispatchRingDescriptor.CELLS_OFFSET);
        assertEquals(DEFINES.get("BATON_COMPLETION_TRAILER_LENGTH"), (long)CompletionRingDescriptor.TRAILER_LENGTH);
        assertEquals(DEFINES.get("BATON_COMPLETION_BODY_LENGTH"), (long)CompletionRingDescriptor.BODY_LENGTH);
        assertEquals(DEFINES.get("BATON_COMPLETION_HEAD_POSITION_OFFSET"), CompletionRingDescriptor.HEAD_POSITION_OFFSET);
    }

    @Test
    void aClaimantsCellMarkIsTheHeadersMacro(@TempDir final Path dir) throws IOException, InterruptedException
    {
        final int[] tags = {0, 0x3002, (AttachmentTableDescriptor.TAG_EPOCH_MASK << AttachmentTableDescriptor.TAG_INDEX_BITS) |
            AttachmentTableDescriptor.CAPACITY_MAX};
        final StringBuilder source = new StringBuilder("#include <stdio.h>\n#include \"baton.h\"\nint main(void)\n{\n");
        for (final int tag : tags)
        {
            source.append("    printf(\"%lld\\n\", (long long)BATON_CELL_CLAIMED_BY(").append(tag).append("));\n");
        }
        Files.writeString(dir.resolve("mark.c"), source.append("    return 0;\n}\n"));
        final Path program = dir.resolve("mark");
        run(List.of(System.getProperty("baton.cc", "cc"), "-std=c11", "-Wall", "-Werror",
            "-I" + ROOT.resolve("include"), dir.resolve("mark.c").toString(), "-o", program.toString()));
        final String[] marks = run(List.of(program.toString())).split("\n");
        for (int i = 0; i < tags.length; i++)
        {
            assertEquals(DispatchRingDescriptor.claimedBy(tags[i]), Long.parseLong(marks[i]), "BATON_CELL_CLAIMED_BY(" + tags[i] + ")");
            assertTrue(DispatchRingDescriptor.isClaimMark(Long.parseLong(marks[i])), "a mark is never a position");
        }
    }

    @Test
    void everyDefineOfTheHeaderIsDumpedAndBound() throws IOException
    {
        final Matcher define = Pattern.compile("(?m)^#define[ \\t]+(BATON_\\w+)[ \\t]+\\S").matcher(Files.readString(HEADER));
        final Set<String> defined = new TreeSet<>();
        while (define.find())
        {
            defined.add(define.group(1));
        }
        defined.remove("BATON_API"); // an attribute, not a value
        assertEquals(defined, new TreeSet<>(DEFINES.keySet()), "every value #define of baton.h is checked");
    }

    @Test
    void everyFunctionOfTheHeaderIsBoundAndExportedByLibbaton() throws IOException
    {
        assertTrue(NativeLibrary.isAvailable(), "libbaton must be built for this test (make native)");
        final Matcher function = Pattern.compile("BATON_API\\s+[\\w\\s*]*?\\b(baton_\\w+)\\s*\\(")
            .matcher(Files.readString(HEADER));
        final Set<String> declared = new TreeSet<>();
        while (function.find())
        {
            declared.add(function.group(1));
        }
        final Set<String> bound = java.util.Arrays.stream(baton_h.class.getMethods())
            .map(java.lang.reflect.Method::getName)
            .filter(name -> name.endsWith("$descriptor"))
            .map(name -> name.substring(0, name.length() - "$descriptor".length()))
            .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(declared, bound, "every function of baton.h has a binding, and no other");
        for (final String name : declared)
        {
            assertTrue(NativeLibrary.lookup().find(name).isPresent(), name + " not exported by libbaton");
        }
    }
}
