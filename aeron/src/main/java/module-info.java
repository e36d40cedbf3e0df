/**
 * Baton over Aeron: handlers on other machines. {@code dev.baton.aeron.RemoteHandlers} forwards a
 * host channel's events to nodes over Aeron and completes them from the nodes' answers;
 * {@code dev.baton.aeron.RemoteNode} receives them into a local channel that handler processes of
 * any language open by path. Leases with epochs give each event exactly one outcome across node
 * loss, partitions and zombies.
 *
 * <p>Aeron's media driver needs {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}
 * (Agrona's {@code UnsafeApi}); the core module {@code dev.baton} needs no such flag.
 */
module dev.baton.aeron
{
    requires transitive dev.baton;
    requires transitive io.aeron.client;
    requires io.aeron.driver;
    requires org.agrona;
    requires static micrometer.core;

    exports dev.baton.aeron;
    exports dev.baton.aeron.jfr;
    exports dev.baton.aeron.micrometer;
}
