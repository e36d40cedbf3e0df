/**
 * Baton: lock-free dispatch channels in one off-heap {@link java.lang.foreign.MemorySegment}, shared
 * by a host and its handlers in Java, C, Rust or any language that can call C.
 *
 * <h2>Packages</h2>
 * Exported, for users:
 * <ul>
 *   <li>{@code dev.baton}: the channel ({@code DispatchChannel}) and the object of each role it hands
 *       out ({@code Dispatcher}, {@code Poller}, {@code OutcomeDrain}), their views, error codes and
 *       metrics;</li>
 *   <li>{@code dev.baton.latency}: the dispatch-to-completion latency recorder;</li>
 *   <li>{@code dev.baton.state}: a registry of state machines with single-flight loading;</li>
 *   <li>{@code dev.baton.micrometer}: meters for Micrometer, an optional dependency;</li>
 *   <li>{@code dev.baton.opentelemetry}: an event's trace context from and to OpenTelemetry's
 *       current context, an optional dependency;</li>
 *   <li>{@code dev.baton.jfr}: the JFR events a channel writes when a recording enables them.</li>
 * </ul>
 * Internal, layered bottom up, each depending only on the ones below it:
 * {@code dev.baton.internal.layout} (the memory layout of {@code baton.h}),
 * {@code dev.baton.internal.protocol} (the lock-free slab and rings over that memory),
 * {@code dev.baton.internal.ffi} (loading libbaton and the downcalls the library makes) and
 * {@code dev.baton.internal.channel} (the operations of each role over those, named as their C
 * twins in {@code native/}).
 *
 * <h2>Native access</h2>
 * Baton calls libbaton through {@code java.lang.foreign}. On the module path grant it with
 * {@code --enable-native-access=dev.baton}; on the class path with
 * {@code --enable-native-access=ALL-UNNAMED}.
 */
module dev.baton
{
    requires transitive org.agrona;
    requires HdrHistogram;
    requires transitive jdk.jfr;
    requires static micrometer.core;
    requires static io.opentelemetry.api;
    requires static io.opentelemetry.context;

    exports dev.baton;
    exports dev.baton.latency;
    exports dev.baton.state;
    exports dev.baton.micrometer;
    exports dev.baton.opentelemetry;
    exports dev.baton.jfr;
}
