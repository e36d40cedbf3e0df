package dev.baton;

import java.util.UUID;

import dev.baton.latency.LatencyStatistics;

/**
 * A view of a channel from one scan of its slots' state words (which never blocks a writer) and the
 * host's counters. Slots that change while the scan reads them are left out, so the counts are a
 * near-instant picture rather than an atomic one. The first six components describe the pending events.
 *
 * @param pendingCount           events dispatched and not yet completed: waiting plus in progress.
 * @param oldestPendingAgeMillis age of the oldest pending event, 0 when none is pending.
 * @param newestPendingAgeMillis age of the newest pending event, 0 when none is pending.
 * @param oldestEventId          id of the oldest pending event, null when none is pending.
 * @param starvationDetected     whether any pending event is older than the starvation threshold.
 * @param starvingEventCount     pending events older than the starvation threshold.
 * @param waitingCount           dispatched events no handler has claimed yet.
 * @param inProgressCount        events a handler claimed and has not completed.
 * @param awaitingDrainCount     completed or timed-out events the host has not drained yet.
 * @param capacity               slots: the bound on events in flight.
 * @param completedCount         completions drained since creation.
 * @param timedOutCount          timeouts drained since creation.
 * @param cancelledCount         events cancelled since creation.
 * @param rejectedRecordCount    completion records that named no completed or timed-out slot, and
 *                               were skipped (only a writer outside the protocol makes one).
 * @param unblockedRecordCount   completion records left unfinished by a publisher presumed dead (it
 *                               held the ring for longer than the completion timeout, and at least a
 *                               second), which the host then committed or skipped.
 * @param latency                dispatch-to-drain latency of completed events since creation, and
 *                               the rate of completions over the last 10 seconds.
 */
public record ChannelMetrics(
    long pendingCount,
    long oldestPendingAgeMillis,
    long newestPendingAgeMillis,
    UUID oldestEventId,
    boolean starvationDetected,
    long starvingEventCount,
    long waitingCount,
    long inProgressCount,
    long awaitingDrainCount,
    int capacity,
    long completedCount,
    long timedOutCount,
    long cancelledCount,
    long rejectedRecordCount,
    long unblockedRecordCount,
    LatencyStatistics latency)
{
}
