/*
 * The host's operations: drain, await, counts, notifications and latency recording. Each composes
 * the parts that channel_memory.c binds; it touches no layout itself. The Java twin is
 * java/.../DispatchChannel.java. The dispatchers' side is in dispatch_ops.c, the handlers' in
 * handler_ops.c, expiry and metrics in slab_scans.c, the reaper in reaper.c, attach, detach and
 * close in close_handshake.c, files in channel_file.c.
 */
#include "baton_internal.h"

static int drain_each_entered(baton_channel *channel, baton_outcome_handler handler, void *context, uint32_t max)
{
    if (handler == NULL) {
        return BATON_EFAULT;
    }
    return baton__host_drain_each(channel, handler, context, max);
}

int baton_drain_each(baton_channel *channel, baton_outcome_handler handler, void *context, uint32_t max)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = drain_each_entered(channel, handler, context, max);
    baton__leave(channel);
    return returned;
}

static int drain_entered(baton_channel *channel, baton_outcome *outcomes, baton_trace_context *traces, uint32_t max,
                         uint8_t *results, uint32_t results_capacity)
{
    if ((outcomes == NULL && max != 0) || (results == NULL && results_capacity != 0)) {
        return BATON_EFAULT;
    }
    return baton__host_drain_copy(channel, outcomes, traces, max, results, results_capacity);
}

int baton_drain(baton_channel *channel, baton_outcome *outcomes, baton_trace_context *traces, uint32_t max,
                uint8_t *results, uint32_t results_capacity)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = drain_entered(channel, outcomes, traces, max, results, results_capacity);
    baton__leave(channel);
    return returned;
}

static int completion_ready(baton_channel *channel)
{
    return baton__completion_ring_has_ready(&channel->completion_ring);
}

int baton_await_outcomes(baton_channel *channel, int64_t timeout_ns)
{
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    if (timeout_ns != 0) {
        /* While the host waits, dispatches read the clock (baton.h: clock_ns). The cache's
         * writer is the drain, which this wait may not run beside (the host's thread). */
        baton__cache_clock(channel->header, &channel->host_drain.cached_clock_ns, 0);
    }
    int returned = baton__wait(channel, &channel->header->completion_waiters, baton__own_completion_waiting(channel),
                                &channel->header->completion_signal, completion_ready, NULL, timeout_ns);
    baton__leave(channel);
    return returned;
}

int baton_read_drain_counts(baton_channel *channel, baton_drain_counts *counts)
{
    if (counts == NULL) {
        return BATON_EFAULT;
    }
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    baton__host_drain_counts(&channel->host_drain, counts);
    baton__leave(channel);
    return BATON_OK;
}

int baton_notify_dispatched(baton_channel *channel)
{
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    baton__signal_all(&channel->header->dispatch_signal);
    baton__leave(channel);
    return BATON_OK;
}

int baton_notify_completed(baton_channel *channel)
{
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    baton__signal_all(&channel->header->completion_signal);
    baton__leave(channel);
    return BATON_OK;
}

static int record_latency_entered(baton_channel *channel, int64_t value_ns)
{
    if (value_ns < 0) {
        return BATON_EINVAL;
    }
    baton__latency_ring_record_run(&channel->latency_ring, &value_ns, 1, baton__now_ns(), BATON_LATENCY_SOURCE_NATIVE);
    return BATON_OK;
}

int baton_record_latency(baton_channel *channel, int64_t value_ns)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = record_latency_entered(channel, value_ns);
    baton__leave(channel);
    return returned;
}
