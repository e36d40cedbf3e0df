/*
 * The host's end of the completion ring: drains outcomes to a handler, frees their slots, records
 * latencies and counts what it saw. The ring keeps the mechanism of unblocking a publisher that
 * died mid-record; the policy, how long to wait before presuming it dead, is here. The Java twin is
 * java/.../HostDrain.java; the functions are in the same order.
 *
 * One draining thread per attachment. The counts are this attachment's, stored with relaxed
 * atomics so baton_read_drain_counts may read them from any thread.
 */
#include "baton_internal.h"

typedef struct drain_call {
    baton_channel *channel;
    baton_completion_handler handler;
    void *context;
} drain_call;

/* After a completion timeout (at least BATON_UNBLOCK_PATIENCE_MIN_NS) a publisher that holds the
 * ring's head is presumed dead. */
void baton__host_drain_init(baton__host_drain *drain, int64_t completion_timeout_ns)
{
    drain->unblock_patience_ns =
        completion_timeout_ns > BATON_UNBLOCK_PATIENCE_MIN_NS ? completion_timeout_ns : BATON_UNBLOCK_PATIENCE_MIN_NS;
}

static void count(uint64_t *counter)
{
    /* relaxed: a statistic; only the draining thread writes it. */
    atomic_store_explicit(baton__atomic(*counter),
                          atomic_load_explicit(baton__atomic(*counter), memory_order_relaxed) + 1,
                          memory_order_relaxed);
}

/* One record: delivers it when it reports its event, then frees the slot and records the latency. */
static void on_record(void *context, int32_t type, const uint8_t *body, uint32_t length)
{
    const drain_call *call = context;
    baton_channel *channel = call->channel;
    baton__host_drain *drain = &channel->host_drain;
    const baton_completion_body *record = (const baton_completion_body *)body;
    if (length < BATON_COMPLETION_BODY_LENGTH || !baton__reports_outcome(&channel->slab, record->handle, type)) {
        /* Only a writer outside this protocol produces such a record; count it and move on. */
        count(&drain->rejected_record_count);
        return;
    }
    uint64_t handle = record->handle;
    uint32_t end_state = baton__end_state(type);
    /* plain reads of the slot: it is in an end state, which only this drain moves on. */
    baton_slot *slot = baton__slot(&channel->slab, baton__handle_index(handle));
    int64_t now = baton__now_ns();
    baton_completion completion = {
        .handle = handle,
        .status = record->status,
        .result_length = length - BATON_COMPLETION_BODY_LENGTH,
        .timed_out = end_state == BATON_SLOT_TIMED_OUT,
        .kind = slot->kind,
        .event_id_hi = slot->event_id_hi,
        .event_id_lo = slot->event_id_lo,
        .latency_ns = now - slot->dispatched_at_ns,
        .result = record->result,
    };
    call->handler(call->context, &completion);
    baton__slab_free(&channel->slab, handle, end_state);
    if (completion.timed_out) {
        count(&drain->timed_out_count);
    } else {
        baton__latency_ring_record(&channel->latency_ring, completion.latency_ns, now, BATON_LATENCY_SOURCE_NATIVE);
        count(&drain->completed_count);
    }
}

/* Drains up to limit outcomes: the number drained. */
int baton__host_drain_read(baton_channel *channel, baton_completion_handler handler, void *context, uint32_t limit)
{
    drain_call call = {.channel = channel, .handler = handler, .context = context};
    baton__host_drain *drain = &channel->host_drain;
    int drained = baton__completion_ring_read(&channel->completion_ring, on_record, &call, limit);
    /* A publisher that died between claim and commit blocks the ring; once the patience has run
     * out it is presumed dead, and its record is committed or skipped. */
    if (drained == 0 &&
        baton__completion_ring_unblock_if_stalled(&channel->completion_ring, baton__must_commit, &channel->slab,
                                                  drain->unblock_patience_ns) != NOT_BLOCKED) {
        count(&drain->unblocked_record_count);
    }
    return drained;
}

/* The counts so far, each read relaxed: they need not agree with each other to the event. */
void baton__host_drain_counts(baton__host_drain *fields, baton_drain_counts *counts)
{
    counts->completed_count = atomic_load_explicit(baton__atomic(fields->completed_count), memory_order_relaxed);
    counts->timed_out_count = atomic_load_explicit(baton__atomic(fields->timed_out_count), memory_order_relaxed);
    counts->rejected_record_count =
        atomic_load_explicit(baton__atomic(fields->rejected_record_count), memory_order_relaxed);
    counts->unblocked_record_count =
        atomic_load_explicit(baton__atomic(fields->unblocked_record_count), memory_order_relaxed);
}
