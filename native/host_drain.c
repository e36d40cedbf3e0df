/*
 * The host's end of the completion ring: drains outcomes, frees their slots, records latencies
 * and counts what it saw. The ring keeps the mechanism of unblocking a publisher that died
 * mid-record; the policy, how long to wait before presuming it dead, is here. The Java twin is
 * java/.../HostDrain.java; the functions are in the same order.
 *
 * One drain at a time per attachment: a drain started inside another (from its callback) or
 * beside it (another thread) gets BATON_EBUSY, so no record is delivered twice. The counts are
 * this attachment's, stored with relaxed atomics so baton_read_drain_counts may read them from
 * any thread.
 */
#include <string.h>
#include <unistd.h>

#include "baton_internal.h"

/* The most latencies a drain gathers before it records them. */
#define LATENCY_RUN 64

/* Where a drain delivers: to a callback, or copied into a caller's arrays. */
typedef struct drain_call {
    baton_channel *channel;
    baton_outcome_handler handler; /* NULL when copying */
    void *context;
    baton_outcome *outcomes;
    baton_trace_context *traces; /* NULL when the caller wants none */
    uint8_t *results;
    uint32_t results_capacity;
    uint32_t results_used;
    uint32_t delivered;
    int64_t now; /* read once per drain: see drain() */
    int result_too_long; /* the first outcome's result alone is longer than the result buffer */
    int keeps_freed;     /* this drain's thread owns the slots kept (baton__freed_slots): it frees into them */
    /* The completions' latencies, recorded a run at a time (record_latencies): one pair of locked
     * instructions per run, not per outcome. The array is drain()'s, left uninitialised: only the
     * first latency_count are read. */
    int64_t *latencies;
    uint32_t latency_count;
} drain_call;

/* Records the latencies the call gathered, as one run of the latency ring. */
static void record_latencies(drain_call *call)
{
    if (call->latency_count > 0) {
        baton__latency_ring_record_run(&call->channel->latency_ring, call->latencies, call->latency_count, call->now,
                                       BATON_LATENCY_SOURCE_NATIVE);
        call->latency_count = 0;
    }
}

static void count(uint64_t *counter)
{
    /* relaxed: a statistic; only the draining thread writes it. */
    atomic_store_explicit(baton__atomic(*counter),
                          atomic_load_explicit(baton__atomic(*counter), memory_order_relaxed) + 1,
                          memory_order_relaxed);
}

/* Shows one outcome to the call: 1 when it took it, 0 when it has no room left (copying). */
static int deliver(drain_call *call, const baton_outcome *outcome)
{
    if (call->handler != NULL) {
        call->handler(call->context, outcome);
        return 1;
    }
    if (outcome->result_length > call->results_capacity - call->results_used) {
        call->result_too_long = call->delivered == 0 && outcome->result_length > call->results_capacity;
        return 0;
    }
    uint8_t *copied = call->results + call->results_used;
    memcpy(copied, outcome->result, outcome->result_length);
    call->outcomes[call->delivered] = *outcome;
    call->outcomes[call->delivered].result = copied;
    call->results_used += outcome->result_length;
    return 1;
}

/* One record: delivers it when it reports its event, then frees the slot and records the latency.
 * A record the call has no room for stays at the ring's head, its slot untouched. */
static int on_record(void *context, int32_t type, const uint8_t *body, uint32_t length)
{
    drain_call *call = context;
    baton_channel *channel = call->channel;
    baton__host_drain *drain = &channel->host_drain;
    const baton_completion_body *record = (const baton_completion_body *)body;
    if (length < BATON_COMPLETION_BODY_LENGTH ||
        (record->result_block != 0 &&
         (length < BATON_COMPLETION_BLOCK_BODY_LENGTH ||
          !baton__block_owned_by(&channel->result_blocks, record->result_block, record->handle))) ||
        !baton__reports_outcome(&channel->slab, record->handle, type)) {
        /* Only a writer outside this protocol produces such a record (or names a block it never
         * took); count it and move on: the reaper settles its event (orphaned_outcomes.c). */
        count(&drain->rejected_record_count);
        return 1;
    }
    uint64_t handle = record->handle;
    uint32_t end_state = baton__end_state(type);
    /* plain reads of the slot: it is in an end state, which only this drain moves on. */
    baton_slot *slot = baton__slot(&channel->slab, baton__handle_index(handle));
    int64_t latency = baton__elapsed_ns(call->now, slot->dispatched_at_ns);
    uint32_t block = record->result_block;
    uint32_t result_length = length - BATON_COMPLETION_BODY_LENGTH;
    const uint8_t *result = record->result;
    if (block != 0) {
        /* The block's bytes were written before the commit this read acquired, and its stamp names
         * this event. A length another process scribbled on gives an empty result, never a read
         * outside the block. */
        uint32_t written;
        memcpy(&written, record->result, sizeof written);
        uint32_t room = baton__block_size(&channel->result_blocks, block);
        result_length = written <= room ? written : 0;
        result = baton__block_address(&channel->result_blocks, block);
    }
    baton_outcome outcome = {
        .handle = handle,
        .status = record->status,
        .result_length = result_length,
        .timed_out = end_state == BATON_SLOT_TIMED_OUT,
        .kind = slot->kind,
        .event_id_hi = slot->event_id_hi,
        .event_id_lo = slot->event_id_lo,
        .latency_ns = latency > 0 ? latency : 0, /* 0 for an event dispatched after the drain began */
        .result = result,
    };
    if (!deliver(call, &outcome)) {
        return 0;
    }
    if (call->traces != NULL) {
        baton__slot_read_trace(slot, &call->traces[call->delivered]); /* a copy that wants its trace */
    }
    call->delivered++;
    if (call->keeps_freed) {
        baton__slab_free_owned_into(&channel->slab, handle, &drain->freed);
    } else {
        baton__slab_free_owned(&channel->slab, handle);
    }
    if (block != 0) {
        baton__block_release(&channel->result_blocks, block);
    }
    if (outcome.timed_out) {
        count(&drain->timed_out_count);
    } else {
        call->latencies[call->latency_count++] = outcome.latency_ns;
        if (call->latency_count == LATENCY_RUN || call->latency_count == channel->latency_ring.capacity) {
            record_latencies(call);
        }
        count(&drain->completed_count);
    }
    return 1;
}

/* A drain's start, under its exclusion: whether its thread owns the slots kept, taking them when
 * there is no owner or the owner ended (its last writes happen before baton__thread_lives says so,
 * and the slots are then this thread's). In the child of a fork the slots kept are the parent's,
 * still in its hands: the child forgets them. Java claims a thread's magazine likewise (SlotMagazines). */
static int own_kept(baton__freed_slots *kept)
{
    const baton__call_record *mine = baton__own_call_record;
    uint64_t serial = baton__thread_serial();
    /* relaxed: drains write the owner one at a time, ordered by the drain's exclusion. */
    uint64_t owner = atomic_load_explicit(&kept->owner, memory_order_relaxed);
    if (owner == serial) {
        return 1;
    }
    if (owner != 0 && baton__thread_lives(kept->owner_record, owner)) {
        return 0;
    }
    pid_t pid = getpid(); /* only as the owner changes */
    if (owner != 0 && kept->owner_pid != pid) {
        kept->count = 0;
    }
    kept->owner_record = mine;
    kept->owner_pid = pid;
    kept->owner_dispatched = 0;
    /* relaxed: dispatching threads compare it with their own serial only. */
    atomic_store_explicit(&kept->owner, serial, memory_order_relaxed);
    return 1;
}

/* As the attachment detaches, with no call inside it: pushes back the slots its drains kept, unless
 * this process is a fork's child, where they are the parent's. The Java twin is
 * HostDrain.returnKeptSlots. */
void baton__host_drain_return_kept(baton_channel *channel)
{
    baton__freed_slots *kept = &channel->host_drain.freed;
    if (kept->count > 0 && kept->owner_pid == getpid()) {
        atomic_store_explicit(&kept->asked, 1, memory_order_relaxed);
        baton__slab_trim_freed(&channel->slab, kept);
    }
}

/* Reads up to limit records into the call, one drain at a time: the outcomes delivered, or
 * BATON_EBUSY. */
static int drain(baton_channel *channel, drain_call *call, uint32_t limit)
{
    baton__host_drain *host = &channel->host_drain;
    /* acquire, paired with the release below: a drain that follows another sees its head. */
    if (atomic_exchange_explicit(baton__atomic(host->draining), 1, memory_order_acquire) != 0) {
        return BATON_EBUSY;
    }
    /* One clock read per drain, not per outcome: each outcome's latency runs from its dispatch to
     * the start of the drain that delivers it, which is when the host looked. */
    call->now = baton__now_ns();
    int64_t latencies[LATENCY_RUN];
    call->latencies = latencies;
    call->keeps_freed = own_kept(&host->freed);
    int read = baton__completion_ring_read(&channel->completion_ring, on_record, call, limit);
    if (call->keeps_freed) {
        baton__slab_trim_freed(&channel->slab, &host->freed); /* what this thread keeps past the drain */
    }
    record_latencies(call);
    /* A publisher that died between claim and commit blocks the ring; once its attachment is gone
     * (reaped), or the patience (the completion timeout, at least BATON_UNBLOCK_PATIENCE_MIN_NS) has
     * run out, it is presumed dead, and its record is committed or skipped. */
    if (read == 0 && call->delivered == 0 && !call->result_too_long &&
        baton__completion_ring_unblock_if_stalled(&channel->completion_ring, baton__judge_abandoned, channel,
                                                  channel->unblock_patience_ns) != NOT_BLOCKED) {
        count(&host->unblocked_record_count);
    }
    /* A drain that found nothing also looks at the dispatch ring's head: a cell a producer took and
     * died before marking stops the handlers, and names no one a reaper could find, so the host
     * commits it once found so for the patience, whether or not it ever reaps. Three loads. */
    if (read == 0 && call->delivered == 0 &&
        baton__dispatch_ring_unblock_unmarked(&channel->dispatch_ring, BATON_UNBLOCK_PATIENCE_MIN_NS)) {
        baton__signal(&channel->header->dispatch_waiters, &channel->header->dispatch_signal);
    }
    /* The drain's start is the cached clock after a drain that delivered; none after one that did
     * not, as the host may stop for a while (baton.h). */
    baton__cache_clock(channel->header, &host->cached_clock_ns, call->delivered > 0 ? call->now : 0);
    atomic_store_explicit(baton__atomic(host->draining), 0, memory_order_release);
    if (read < 0) {
        return read; /* BATON_EUCLEAN: the ring's positions are corrupted */
    }
    return call->result_too_long ? BATON_EMSGSIZE : (int)call->delivered;
}

/* Drains up to limit outcomes to a callback. */
int baton__host_drain_each(baton_channel *channel, baton_outcome_handler handler, void *context, uint32_t limit)
{
    drain_call call = {.channel = channel, .handler = handler, .context = context};
    return drain(channel, &call, limit);
}

/* Copies up to max outcomes, their trace contexts (traces NULL: none), and their results one after
 * another, into the caller's arrays. */
int baton__host_drain_copy(baton_channel *channel, baton_outcome *outcomes, baton_trace_context *traces, uint32_t max,
                           uint8_t *results, uint32_t results_capacity)
{
    drain_call call = {
        .channel = channel,
        .outcomes = outcomes,
        .traces = traces,
        .results = results,
        .results_capacity = results_capacity,
    };
    return drain(channel, &call, max);
}

/* The counts so far, each read relaxed: they need not agree with each other to the event. */
void baton__host_drain_counts(baton__host_drain *drain, baton_drain_counts *counts)
{
    counts->completed_count = atomic_load_explicit(baton__atomic(drain->completed_count), memory_order_relaxed);
    counts->timed_out_count = atomic_load_explicit(baton__atomic(drain->timed_out_count), memory_order_relaxed);
    counts->rejected_record_count =
        atomic_load_explicit(baton__atomic(drain->rejected_record_count), memory_order_relaxed);
    counts->unblocked_record_count =
        atomic_load_explicit(baton__atomic(drain->unblocked_record_count), memory_order_relaxed);
}
