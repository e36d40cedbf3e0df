package dev.baton.aeron;

/**
 * What the host's side of the bridge has seen, since it started: a snapshot
 * ({@link RemoteHandlers#metrics()}). Every failure the bridge meets is counted here, and written as
 * a JFR event when a recording enables it ({@code dev.baton.aeron.*}).
 *
 * @param nodes                 nodes holding a lease now.
 * @param nodesJoined           leases granted.
 * @param nodesRefused          nodes refused a lease: another wire version, or a payload limit below the channel's.
 * @param leasesLost            leases that ended without a heartbeat, or because their node joined again.
 * @param eventsSent            events sent to nodes, counting each delivery.
 * @param outcomesAccepted      outcomes that completed an event in the host's channel.
 * @param redeliveries          events sent again after their node was lost.
 * @param leftToTimeOut         events of a lost node past the channel's redelivery limit, left to time out once.
 * @param zombieOutcomesRefused outcomes refused: their lease had ended, or their event had moved to another node.
 * @param expiredOnNodes        events whose time ran out on a node before a handler answered.
 * @param malformedMessages     messages dropped as not the bridge's: too short for what they claimed,
 *                              or of a type only a host sends.
 * @param inFlight              events the bridge holds: sent, or waiting to be sent.
 */
public record RemoteMetrics(
    int nodes,
    long nodesJoined,
    long nodesRefused,
    long leasesLost,
    long eventsSent,
    long outcomesAccepted,
    long redeliveries,
    long leftToTimeOut,
    long zombieOutcomesRefused,
    long expiredOnNodes,
    long malformedMessages,
    int inFlight)
{
}
