/*
 * A channel's operations: dispatch, then a handler's poll, payload read and complete, then the
 * host's drain, wait and cancel. Each composes the parts that channel_memory.c binds; it touches
 * no layout itself. The Java twin is java/.../DispatchChannel.java; the operations are in the same
 * order and make the same transitions with the same orderings. Expiry and metrics are in
 * slab_scans.c, attach, detach and close in close_handshake.c.
 */
#include <string.h>

#include "baton_internal.h"

/* Counts a call in on the attachment, so that baton_detach waits for it: BATON_OK (then the caller
 * must baton__leave), BATON_EFAULT, or BATON_ESHUTDOWN once the attachment is being detached. */
int baton__enter_any(baton_channel *channel)
{
    if (channel == NULL) {
        return BATON_EFAULT;
    }
    /* seq_cst, paired with detach's store of detaching then load of calls (a Dekker pattern): either
     * detach sees this call counted, or this call sees the detach. */
    atomic_fetch_add_explicit(baton__atomic(channel->calls), 1, memory_order_seq_cst);
    if (atomic_load_explicit(baton__atomic(channel->detaching), memory_order_seq_cst) != 0) {
        baton__leave(channel);
        return BATON_ESHUTDOWN;
    }
    return BATON_OK;
}

/* As baton__enter_any, for the operations a closed channel refuses (Java: ensureOpen). */
int baton__enter(baton_channel *channel)
{
    int entered = baton__enter_any(channel);
    if (entered == BATON_OK && baton__is_closed(channel)) {
        baton__leave(channel);
        return BATON_ESHUTDOWN;
    }
    return entered;
}

/* Counts a call out. release: the call's accesses happen before a detach sees the count drop. */
void baton__leave(baton_channel *channel)
{
    atomic_fetch_sub_explicit(baton__atomic(channel->calls), 1, memory_order_release);
}

/* Whether a handle in the dispatch ring names an event that ended, or nothing: garbage, not work. */
static int is_stale(void *slab, uint64_t handle)
{
    return !baton__slab_in_range(slab, handle) ||
           baton__slab_load_state(slab, baton__handle_index(handle)) !=
               baton__state_word(baton__generation(handle), BATON_SLOT_DISPATCHED);
}

/* A ring position for a new handle, or -1 when the ring is full of live work. A full ring first
 * drops the handles of ended events at its head, and releases a cell that a dead consumer has
 * held for longer than the patience; each step frees one cell, so at most capacity of them. */
int64_t baton__claim_dispatch_cell(baton_channel *channel)
{
    baton__dispatch_ring *ring = &channel->dispatch_ring;
    int64_t position = baton__dispatch_ring_claim(ring);
    for (uint32_t repairs = 0; position < 0 && repairs < ring->capacity; repairs++) {
        if (!baton__dispatch_ring_drop_stale(ring, is_stale, &channel->slab) &&
            !baton__dispatch_ring_unblock_if_stalled(ring, channel->unblock_patience_ns)) {
            break;
        }
        position = baton__dispatch_ring_claim(ring);
    }
    return position;
}

static int64_t dispatch_entered(baton_channel *channel, uint64_t event_id_hi, uint64_t event_id_lo,
                                uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind,
                                const void *payload, uint32_t payload_length)
{
    if (payload == NULL && payload_length != 0) {
        return BATON_EFAULT;
    }
    if (payload_length > channel->max_payload_length) {
        return BATON_EMSGSIZE;
    }
    int64_t index = baton__slab_acquire(&channel->slab);
    if (index < 0) {
        return BATON_EAGAIN;
    }
    /* The slot is ours from the pop until publish releases it, and so is the block it takes for a
     * payload longer than its inline room: releasing the slot releases the block. */
    baton_slot *slot = baton__slot(&channel->slab, (uint32_t)index);
    uint32_t block = 0;
    uint8_t *payload_at = slot->payload;
    if (payload_length > channel->inline_payload_capacity) {
        block = baton__block_take(&channel->payload_blocks, payload_length);
        if (block == 0) {
            baton__slab_release(&channel->slab, (uint32_t)index);
            return BATON_EAGAIN;
        }
        payload_at = baton__block_address(&channel->payload_blocks, block);
    }
    int64_t now = baton__now_ns();
    baton__slot_write_event(slot, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo, kind, now,
                            now + channel->completion_timeout_ns, block, payload_at, payload, payload_length);
    /* Claim the ring cell before publishing the slot: if the ring is full the slot is still FREE
     * and goes straight back, unseen by expiry, cancel or the metrics scan. */
    int64_t position = baton__claim_dispatch_cell(channel);
    if (position < 0) {
        baton__slab_release(&channel->slab, (uint32_t)index);
        return BATON_ENOSPC;
    }
    uint64_t handle = baton__slab_publish(&channel->slab, (uint32_t)index);
    /* A claimed cell is always committed, or it blocks the ring; NONE is skipped by pollers. */
    baton__dispatch_ring_commit(&channel->dispatch_ring, position, handle);
    baton__signal(&channel->header->dispatch_waiters, &channel->header->dispatch_signal);
    return handle == BATON_HANDLE_NONE ? BATON_EPROTO : (int64_t)handle;
}

int64_t baton_dispatch(baton_channel *channel, uint64_t event_id_hi, uint64_t event_id_lo,
                       uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind, const void *payload,
                       uint32_t payload_length)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int64_t returned = dispatch_entered(channel, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo, kind,
                                        payload, payload_length);
    baton__leave(channel);
    return returned;
}

static int poll_entered(baton_channel *channel, baton_event *event)
{
    if (event == NULL) {
        return BATON_EFAULT;
    }
    for (;;) {
        uint64_t handle = baton__dispatch_ring_poll(&channel->dispatch_ring);
        if (handle == BATON_HANDLE_NONE) {
            return 0;
        }
        /* A stale entry (its event timed out or was cancelled while waiting) fails the CAS: skip it. */
        if (baton__slab_in_range(&channel->slab, handle) &&
            baton__slab_transition(&channel->slab, handle, BATON_SLOT_DISPATCHED,
                                   baton__claimed_by(channel->attachments.tag))) {
            baton_slot *slot = baton__slot(&channel->slab, baton__handle_index(handle));
            /* relaxed: read racily by the metrics scan; ours while CLAIMED. */
            atomic_store_explicit(baton__atomic(slot->claimed_at_ns), baton__now_ns(), memory_order_relaxed);
            event->handle = handle;
            baton__slot_read_event(slot, &channel->payload_blocks, channel->inline_payload_capacity, event);
            baton__fault("holding"); /* dies holding a claimed event */
            return 1;
        }
    }
}

int baton_poll(baton_channel *channel, baton_event *event)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = poll_entered(channel, event);
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
        (state != BATON_SLOT_CLAIMED && state != BATON_SLOT_COMPLETED)) {
        return baton__slab_rejection_of(event->handle, word, BATON_SLOT_CLAIMED);
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
        int polled = baton_poll(channel, event);
        if (polled != 0) {
            return polled;
        }
        int waited = baton__wait(channel, &channel->header->dispatch_waiters, baton__own_dispatch_waiting(channel),
                                &channel->header->dispatch_signal,
                                  dispatch_ready, timeout_ns);
        if (waited <= 0) {
            return waited;
        }
        /* ready, but another handler may take it first: poll again (the timeout restarts, which
         * only lengthens the wait of a handler that keeps losing races) */
    }
}

int baton_poll_wait(baton_channel *channel, baton_event *event, int64_t timeout_ns)
{
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = poll_wait_entered(channel, event, timeout_ns);
    baton__leave(channel);
    return returned;
}

int baton_await_dispatch(baton_channel *channel, int64_t timeout_ns)
{
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = baton__wait(channel, &channel->header->dispatch_waiters, baton__own_dispatch_waiting(channel),
                                &channel->header->dispatch_signal,
                                dispatch_ready, timeout_ns);
    baton__leave(channel);
    return returned;
}

int baton_drain(baton_channel *channel, baton_event *events, uint32_t max)
{
    if (events == NULL && max != 0) {
        return BATON_EFAULT;
    }
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    uint32_t claimed = 0;
    int refused = 0;
    while (claimed < max) {
        int polled = baton_poll(channel, &events[claimed]);
        if (polled < 0) {
            refused = polled;
            break;
        }
        if (polled == 0) {
            break;
        }
        claimed++;
    }
    baton__leave(channel);
    return claimed == 0 && refused < 0 ? refused : (int)claimed;
}

static int complete_entered(baton_channel *channel, uint64_t handle, int32_t status, const void *result,
                            uint32_t result_length)
{
    if (result == NULL && result_length != 0) {
        return BATON_EFAULT;
    }
    if (result_length > channel->max_result_length) {
        return BATON_EMSGSIZE;
    }
    if (!baton__slab_in_range(&channel->slab, handle)) {
        return BATON_ENOENT;
    }
    /* acquire: a cheap early answer for stale handles, before any ring space is claimed. */
    uint64_t word = baton__slab_load_state(&channel->slab, baton__handle_index(handle));
    if (baton__generation(word) != baton__generation(handle) || baton__state(word) != BATON_SLOT_CLAIMED) {
        return baton__slab_rejection_of(handle, word, BATON_SLOT_CLAIMED);
    }
    int published = baton__publish_outcome(channel, handle, BATON_SLOT_CLAIMED,
                                           BATON_SLOT_COMPLETED, status, result, result_length);
    if (published == BATON_OK) {
        baton__signal(&channel->header->completion_waiters, &channel->header->completion_signal);
    }
    return published;
}

int baton_complete(baton_channel *channel, uint64_t handle, int32_t status, const void *result,
                   uint32_t result_length)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = complete_entered(channel, handle, status, result, result_length);
    baton__leave(channel);
    return returned;
}

static int drain_completions_entered(baton_channel *channel, baton_completion_handler handler, void *context, uint32_t max)
{
    if (handler == NULL) {
        return BATON_EFAULT;
    }
    return baton__host_drain_read(channel, handler, context, max);
}

int baton_drain_completions(baton_channel *channel, baton_completion_handler handler, void *context, uint32_t max)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = drain_completions_entered(channel, handler, context, max);
    baton__leave(channel);
    return returned;
}

static int drain_outcomes_entered(baton_channel *channel, baton_outcome *outcomes, uint32_t max, uint8_t *results,
                                  uint32_t results_capacity)
{
    if ((outcomes == NULL && max != 0) || (results == NULL && results_capacity != 0)) {
        return BATON_EFAULT;
    }
    return baton__host_drain_copy(channel, outcomes, max, results, results_capacity);
}

int baton_drain_outcomes(baton_channel *channel, baton_outcome *outcomes, uint32_t max, uint8_t *results,
                         uint32_t results_capacity)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = drain_outcomes_entered(channel, outcomes, max, results, results_capacity);
    baton__leave(channel);
    return returned;
}

static int completion_ready(baton_channel *channel)
{
    return baton__completion_ring_has_ready(&channel->completion_ring);
}

int baton_await_completions(baton_channel *channel, int64_t timeout_ns)
{
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = baton__wait(channel, &channel->header->completion_waiters, baton__own_completion_waiting(channel),
                                &channel->header->completion_signal,
                                completion_ready, timeout_ns);
    baton__leave(channel);
    return returned;
}

static int cancel_entered(baton_channel *channel, uint64_t handle)
{
    if (!baton__slab_in_range(&channel->slab, handle)) {
        return BATON_ENOENT;
    }
    /* Lock-free: a failed CAS means the event moved on (claimed, completed, timed out); look again. */
    for (;;) {
        uint64_t word = baton__slab_load_state(&channel->slab, baton__handle_index(handle));
        uint32_t state = baton__state(word);
        if (baton__generation(word) != baton__generation(handle) ||
            (state != BATON_SLOT_DISPATCHED && state != BATON_SLOT_CLAIMED)) {
            return baton__slab_rejection_of(handle, word, BATON_SLOT_DISPATCHED);
        }
        if (baton__slab_free(&channel->slab, handle, state)) {
            return BATON_OK;
        }
    }
}

int baton_cancel(baton_channel *channel, uint64_t handle)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = cancel_entered(channel, handle);
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
    baton__latency_ring_record(&channel->latency_ring, value_ns, baton__now_ns(), BATON_LATENCY_SOURCE_NATIVE);
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
