package dev.baton.aeron;

/**
 * What a node has seen since it started: a snapshot ({@link RemoteNode#metrics()}), beside its local
 * channel's own ({@code local.metrics()}) and what the host's side counts of it ({@link RemoteMetrics}).
 *
 * @param epoch             the epoch of the lease the node holds or last held; 0 before its first.
 * @param leasesGranted     leases the host granted this node, each under a new epoch.
 * @param eventsDispatched  the host's events dispatched into the local channel.
 * @param deliveriesDropped deliveries not dispatched: a repeat of an event dispatched under the
 *                          lease it came under, or one that came under a lease that had ended.
 * @param outcomesSent      handlers' outcomes sent back to the host (or waiting to be, in order).
 * @param expiredReported   events reported back to the host as expired: their time there ran out
 *                          before they came, or while they were here, or they could not be dispatched.
 * @param payloadsRefused   events answered {@code EMSGSIZE}: a payload longer than the local
 *                          channel takes, which the host's check at the node's join keeps out.
 * @param malformedMessages messages dropped as not the bridge's: too short for what they claim, or
 *                          an event with trace flags over a byte.
 * @param eventsHeld        the host's events in the local channel now.
 * @param bytesWaiting      bytes of messages to the host waiting for room in its publication now.
 */
public record NodeMetrics(
    long epoch,
    long leasesGranted,
    long eventsDispatched,
    long deliveriesDropped,
    long outcomesSent,
    long expiredReported,
    long payloadsRefused,
    long malformedMessages,
    int eventsHeld,
    int bytesWaiting)
{
}
