/*
 * The handlers' side of a channel: poll the oldest dispatched event (one, or a batch), read its
 * payload and trace context, await one, complete it or yield it with a continuation. Any number of
 * threads; lock-free. The Java twin is java/.../HandlerOps.java (with the event views SlotView.java
 * and PolledEvent.java); the operations make the same transitions with the same orderings.
 */
#include "baton_internal.h"

/* Claims a handle taken from the dispatch ring for this attachment, stamped as polled at now, and
 * fills *event: 1, or 0 for a stale entry (its event timed out or was cancelled while waiting:
 * the CAS fails). */
static int claim_polled(baton_channel *channel, uint64_t handle, baton_event *event, int64_t now)
{
    if (!baton__slab_in_range(&channel->slab, handle) ||
        !baton__slab_transition(&channel->slab, handle, BATON_SLOT_DISPATCHED,
                                baton__polled_by(channel->attachments.tag))) {
        return 0;
    }
    baton_slot *slot = baton__slot(&channel->slab, baton__handle_index(handle));
    /* relaxed: read racily by the metrics scan; ours while POLLED. */
    atomic_store_explicit(baton__atomic(slot->polled_at_ns), now, memory_order_relaxed);
    event->handle = handle;
    baton__slot_read_event(slot, &channel->payload_blocks, channel->inline_payload_capacity, event);
    baton__fault("holding"); /* dies holding a claimed event */
    return 1;
}

/* Takes the oldest dispatched event, stamped as polled at now: the clock, read once per call. Not
 * the host's cached clock: a handler on another core would read the line the host's drain keeps
 * writing, on every poll (a batch reads it once for all its events: baton_poll_batch). */
static int poll_entered(baton_channel *channel, baton_event *event, int64_t now)
{
    if (event == NULL) {
        return BATON_EFAULT;
    }
    for (;;) {
        uint64_t handle = baton__dispatch_ring_poll(&channel->dispatch_ring);
        if (handle == BATON_HANDLE_NONE) {
            return 0;
        }
        if (claim_polled(channel, handle, event, now)) {
            return 1;
        }
    }
}

/* The most handles one poll of a batch takes from the ring with one index claim. */
#define POLL_RUN 64

/* Takes up to max dispatched events into events[], a run of ring cells at a time (one index claim
 * per run), stamped as polled at now: the number taken. Stale entries are skipped. */
static uint32_t poll_runs_entered(baton_channel *channel, baton_event *events, uint32_t max, int64_t now)
{
    uint32_t taken = 0;
    while (taken < max) {
        uint64_t handles[POLL_RUN];
        uint32_t wanted = max - taken < POLL_RUN ? max - taken : POLL_RUN;
        uint32_t run = baton__dispatch_ring_poll_run(&channel->dispatch_ring, wanted, handles);
        if (run == 0) {
            break;
        }
        for (uint32_t i = 0; i < run; i++) {
            taken += (uint32_t)claim_polled(channel, handles[i], &events[taken], now);
        }
    }
    return taken;
}

/* One look at the dispatch ring by a caller that has entered, refused once the channel is closed. */
static int poll_if_open(baton_channel *channel, baton_event *event, int64_t now)
{
    return baton__is_closed(channel) ? BATON_ESHUTDOWN : poll_entered(channel, event, now);
}

/* One look at the dispatch ring, entering and leaving around it, refused once the channel is closed. */
static int poll_once(baton_channel *channel, baton_event *event, int64_t now)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = poll_entered(channel, event, now);
    baton__leave(channel);
    return returned;
}

static int read_payload_entered(baton_channel *channel, const baton_event *event, void *destination, uint32_t capacity)
{
    if (event == NULL || (destination == NULL && capacity != 0)) {
        return BATON_EFAULT;
    }
    if (!baton__slab_in_range(&channel->slab, event->handle)) {
        return BATON_ENOENT;
    }
    baton_slot *slot = baton__slot(&channel->slab, baton__handle_index(event->handle));
    /* Read from the slot, not from the caller's event, so a scribbled event cannot point the copy
     * anywhere; the state word below validates both the location and the bytes. */
    uint32_t length;
    const uint8_t *source = baton__slot_payload(slot, &channel->payload_blocks, channel->inline_payload_capacity, &length);
    if (length > capacity) {
        return BATON_EMSGSIZE;
    }
    baton__copy_out(destination, source, length);
    /* A seqlock read: the copy counts only if the slot is still this handler's event. */
    uint64_t word = baton__slot_state_after_reads(slot);
    uint32_t state = baton__state(word);
    if (baton__generation(word) != baton__generation(event->handle) ||
        (state != BATON_SLOT_POLLED && state != BATON_SLOT_COMPLETED)) {
        return baton__slab_rejection_of(event->handle, word, BATON_SLOT_POLLED);
    }
    return (int)length;
}

int baton_read_payload(baton_channel *channel, const baton_event *event, void *destination, uint32_t capacity)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = read_payload_entered(channel, event, destination, capacity);
    baton__leave(channel);
    return returned;
}

static int dispatch_ready(baton_channel *channel)
{
    return baton__dispatch_ring_has_ready(&channel->dispatch_ring);
}

static int poll_wait_entered(baton_channel *channel, baton_event *event, int64_t timeout_ns)
{
    for (;;) {
        int polled = poll_if_open(channel, event, baton__now_ns()); /* the time after each wait */
        if (polled != 0) {
            return polled;
        }
        int waited = baton__wait(channel, &channel->header->dispatch_waiters, baton__own_dispatch_waiting(channel),
                                  &channel->header->dispatch_signal, dispatch_ready, baton__host_watch, timeout_ns);
        if (waited <= 0) {
            return waited;
        }
        /* ready, but another handler may take it first: poll again (the timeout restarts, which
         * only lengthens the wait of a handler that keeps losing races) */
    }
}

int baton_poll(baton_channel *channel, baton_event *event, int64_t timeout_ns)
{
    if (timeout_ns == 0) {
        return poll_once(channel, event, baton__now_ns()); /* no wait: no waiter count, no futex */
    }
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = poll_wait_entered(channel, event, timeout_ns);
    baton__leave(channel);
    return returned;
}

int baton_await_events(baton_channel *channel, int64_t timeout_ns)
{
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = baton__wait(channel, &channel->header->dispatch_waiters, baton__own_dispatch_waiting(channel),
                                &channel->header->dispatch_signal, dispatch_ready, baton__host_watch, timeout_ns);
    baton__leave(channel);
    return returned;
}

int baton_poll_batch(baton_channel *channel, baton_event *events, uint32_t max)
{
    if (events == NULL && max != 0) {
        return BATON_EFAULT;
    }
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    /* Entered once for the batch; its stamps are the host's cached clock (baton.h), one read of the
     * host's line for the whole batch, where a poll of one event reads the clock. */
    int returned = baton__is_closed(channel) ? BATON_ESHUTDOWN
                                              : (int)poll_runs_entered(channel, events, max, baton__channel_now(channel->header));
    baton__leave(channel);
    return returned;
}

/* Whether the handle names an event in POLLED, for a completion or a yield: BATON_OK with its
 * state word (naming its claimant), or why not. acquire: a cheap early answer for stale handles,
 * before any ring space is claimed. */
static int check_claimed(baton_channel *channel, uint64_t handle, uint64_t *word)
{
    if (!baton__slab_in_range(&channel->slab, handle)) {
        return BATON_ENOENT;
    }
    *word = baton__slab_load_state(&channel->slab, baton__handle_index(handle));
    if (baton__generation(*word) != baton__generation(handle) || baton__state(*word) != BATON_SLOT_POLLED) {
        return baton__slab_rejection_of(handle, *word, BATON_SLOT_POLLED);
    }
    return BATON_OK;
}

/* Publishes one completion; the caller wakes a sleeping host after it (or after its batch). */
static int publish_completion(baton_channel *channel, uint64_t handle, int32_t status, uint64_t handler_span_id,
                              const void *result, uint32_t result_length)
{
    if (result == NULL && result_length != 0) {
        return BATON_EFAULT;
    }
    if (result_length > channel->max_result_length) {
        return BATON_EMSGSIZE;
    }
    uint64_t word;
    int claimed = check_claimed(channel, handle, &word);
    if (claimed != BATON_OK) {
        return claimed;
    }
    return baton__publish_outcome(channel, handle, BATON_SLOT_POLLED, BATON_SLOT_COMPLETED, status, handler_span_id,
                                  result, result_length);
}

static void wake_the_host(baton_channel *channel)
{
    baton__signal_after_rmw(&channel->header->completion_waiters, &channel->header->completion_signal);
}

static int complete_entered(baton_channel *channel, uint64_t handle, int32_t status, uint64_t handler_span_id,
                            const void *result, uint32_t result_length)
{
    int published = publish_completion(channel, handle, status, handler_span_id, result, result_length);
    if (published == BATON_OK) {
        wake_the_host(channel);
    }
    return published;
}

/* How many completions from the first can share one claim of the completion ring: each would be
 * published (a valid result, an event this caller holds), with a result that fits its record inline;
 * at most BATON_COMPLETION_RUN, their records together no longer than the ring's largest record, so
 * a run wastes no more room at the wrap than one record does. */
static uint32_t run_length(baton_channel *channel, const baton_completion *completions, uint32_t count)
{
    const uint32_t room = channel->completion_ring.max_body_length;
    uint64_t bytes = 0;
    uint32_t run = 0;
    for (; run < count && run < BATON_COMPLETION_RUN; run++) {
        const baton_completion *completion = &completions[run];
        uint64_t word;
        if ((completion->result == NULL && completion->result_length != 0) ||
            completion->result_length > room - BATON_COMPLETION_BODY_LENGTH) {
            break;
        }
        bytes += baton__align_record(BATON_RECORD_HEADER_LENGTH + BATON_COMPLETION_BODY_LENGTH + completion->result_length);
        if (bytes > room || check_claimed(channel, completion->handle, &word) != BATON_OK) {
            break;
        }
    }
    return run;
}

/* The completions in order, until one finds no room (BATON_ENOBUFS), then one wake-up for them all:
 * one enter and leave, and one read of the host's waiters count, per batch. Runs of them share one
 * claim of the completion ring (run_length); the rest, and a run the ring has no room for, go one at
 * a time, which says which entry found no room. */
static int complete_batch_entered(baton_channel *channel, const baton_completion *completions, uint32_t count,
                                  int32_t *codes)
{
    uint32_t settled = 0;
    int accepted = 0;
    while (settled < count) {
        uint32_t run = run_length(channel, &completions[settled], count - settled);
        if (run > 1 && baton__publish_completions(channel, &completions[settled], run, &codes[settled]) == BATON_OK) {
            for (uint32_t i = 0; i < run; i++) {
                accepted |= codes[settled + i] == BATON_OK;
            }
            settled += run;
            continue;
        }
        const baton_completion *completion = &completions[settled];
        codes[settled] = publish_completion(channel, completion->handle, completion->status,
                                            completion->handler_span_id, completion->result,
                                            completion->result_length);
        if (codes[settled] == BATON_ENOBUFS) {
            break;
        }
        accepted |= codes[settled] == BATON_OK;
        settled++;
    }
    if (accepted) {
        wake_the_host(channel);
    }
    return (int)settled;
}

int baton_complete_batch(baton_channel *channel, const baton_completion *completions, uint32_t count, int32_t *codes)
{
    if ((completions == NULL || codes == NULL) && count != 0) {
        return BATON_EFAULT;
    }
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int settled = complete_batch_entered(channel, completions, count, codes);
    baton__leave(channel);
    return settled;
}

int baton_complete_traced(baton_channel *channel, uint64_t handle, int32_t status, uint64_t handler_span_id,
                          const void *result, uint32_t result_length)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = complete_entered(channel, handle, status, handler_span_id, result, result_length);
    baton__leave(channel);
    return returned;
}

int baton_complete(baton_channel *channel, uint64_t handle, int32_t status, const void *result,
                   uint32_t result_length)
{
    return baton_complete_traced(channel, handle, status, 0, result, result_length);
}

/* The end of a yield past the channel's yield_limit: the event completes with BATON_ELOOP. */
static int end_endless_yield(baton_channel *channel, uint64_t handle, uint32_t claimed)
{
    int published = baton__publish_outcome(channel, handle, claimed, BATON_SLOT_COMPLETED, BATON_ELOOP, 0, NULL, 0);
    if (published != BATON_OK) {
        return published;
    }
    wake_the_host(channel);
    return BATON_ELOOP;
}

static int yield_entered(baton_channel *channel, uint64_t handle, const void *continuation, uint32_t length)
{
    if (continuation == NULL && length != 0) {
        return BATON_EFAULT;
    }
    if (length > channel->max_payload_length) {
        return BATON_EMSGSIZE;
    }
    uint64_t word;
    int claimed = check_claimed(channel, handle, &word);
    if (claimed != BATON_OK) {
        return claimed;
    }
    baton_slot *slot = baton__slot(&channel->slab, baton__handle_index(handle));
    /* A count read while the event is ours; if it ended meanwhile, the CAS below fails. */
    if (baton__slot_yields(slot) >= channel->yield_limit) {
        return end_endless_yield(channel, handle, (uint32_t)word);
    }
    /* A block for a long continuation first: a refusal leaves the claim as it was. */
    uint8_t *payload_at;
    int64_t taken = baton__take_payload_room(channel, slot, baton__handle_index(handle), length, &payload_at);
    if (taken < 0) {
        return (int)taken;
    }
    const uint32_t block = (uint32_t)taken;
    /* POLLED(g, tag) to YIELDING(g, tag): from here no cancel, expiry or reaper of a live claimant
     * frees the slot, so the continuation can be written where the payload was. */
    const uint32_t yielding = BATON_SLOT_YIELDING | (baton__holder(word) << BATON_SLOT_HOLDER_SHIFT);
    if (!baton__slab_transition(&channel->slab, handle, (uint32_t)word, yielding)) {
        if (block != 0) {
            baton__block_release(&channel->payload_blocks, block);
        }
        return baton__slab_rejection(&channel->slab, handle, BATON_SLOT_POLLED);
    }
    /* The stale readers of the claimed payload validate against the state word, which moved first. */
    baton__slot_fence_before_rewrite();
    /* Then the ring cell it goes back into; a full ring gives the claim back as it was (POLLED). */
    int64_t position = baton__claim_dispatch_cell(channel);
    if (position < 0) {
        baton__slab_transition(&channel->slab, handle, yielding, (uint32_t)word);
        if (block != 0) {
            baton__block_release(&channel->payload_blocks, block);
        }
        return BATON_ENOSPC;
    }
    /* relaxed: YIELDING, the slot is ours. The old block goes back after the new payload names its
     * new place: a stale reader of it validates against the state word, which moved first. */
    uint32_t old_block = atomic_load_explicit(baton__atomic(slot->payload_block), memory_order_relaxed);
    baton__slot_write_payload(slot, block, payload_at, continuation, length);
    if (old_block != 0) {
        baton__block_release(&channel->payload_blocks, old_block);
    }
    baton__slot_count_yield(slot);
    baton__fault("yielding"); /* dies mid-yield: the reaper reports it timed out, its cell empty */
    /* YIELDING to DISPATCHED (seq_cst CAS: releases the continuation and the count), then the
     * cell's commit hands the handle to the next claimant. The CAS fails only if a reaper settled
     * the event, having taken this attachment for dead: then the cell carries nothing. */
    if (!baton__slab_transition(&channel->slab, handle, yielding, BATON_SLOT_DISPATCHED)) {
        baton__commit_dispatch_cell(channel, position, BATON_HANDLE_NONE);
        return baton__slab_rejection(&channel->slab, handle, BATON_SLOT_POLLED);
    }
    baton__fault("yielded"); /* dies DISPATCHED in a cell it claimed and never committed */
    baton__commit_dispatch_cell(channel, position, handle);
    return BATON_OK;
}

int baton_yield(baton_channel *channel, uint64_t handle, const void *continuation, uint32_t continuation_length)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = yield_entered(channel, handle, continuation, continuation_length);
    baton__leave(channel);
    return returned;
}

static int read_trace_entered(baton_channel *channel, uint64_t handle, baton_trace_context *trace)
{
    if (trace == NULL) {
        return BATON_EFAULT;
    }
    if (!baton__slab_in_range(&channel->slab, handle)) {
        return BATON_ENOENT;
    }
    baton_slot *slot = baton__slot(&channel->slab, baton__handle_index(handle));
    baton__slot_read_trace(slot, trace);
    /* A seqlock read: the fields count only if the slot still holds the handle's event. */
    uint64_t word = baton__slot_state_after_reads(slot);
    if (baton__generation(word) != baton__generation(handle) || baton__state(word) == BATON_SLOT_FREE) {
        *trace = (baton_trace_context){0};
        return baton__generation(word) != baton__generation(handle) ? BATON_ESTALE : BATON_ENOENT;
    }
    return BATON_OK;
}

int baton_read_traces(baton_channel *channel, const baton_event *events, uint32_t count, baton_trace_context *traces)
{
    if ((events == NULL || traces == NULL) && count != 0) {
        return BATON_EFAULT;
    }
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    for (uint32_t i = 0; i < count; i++) {
        read_trace_entered(channel, events[i].handle, &traces[i]); /* zeroed when the event ended */
    }
    baton__leave(channel);
    return (int)count;
}

int baton_read_trace(baton_channel *channel, uint64_t handle, baton_trace_context *trace)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = read_trace_entered(channel, handle, trace);
    baton__leave(channel);
    return returned;
}
