/*
 * The dispatchers' side of a channel: dispatch into a free slot (and a block for a long payload)
 * and the dispatch ring, copied, or claimed, written in place and committed; and cancel. Any
 * number of threads; lock-free. The Java twin is java/.../DispatchOps.java; the operations are in the same order and make the same transitions
 * with the same orderings.
 */
#include "baton_internal.h"

/* Whether a handle in the dispatch ring names an event that ended, or nothing: garbage, not work. */
static int is_stale(void *slab, uint64_t handle)
{
    return !baton__slab_in_range(slab, handle) ||
           baton__slab_load_state(slab, baton__handle_index(handle)) !=
               baton__state_word(baton__generation(handle), BATON_SLOT_DISPATCHED);
}

/* A ring position for a new handle, or -1 when the ring is full of live work. A full ring first
 * drops the handles of ended events at its head, releases a cell that a dead consumer has held for
 * longer than the patience, and commits a cell a dead producer took and never marked (which stops
 * the consumers) once found so for the patience; each step frees one cell, so at most capacity of
 * them. A ring still full is audited, at most once per patience (BATON_UNBLOCK_PATIENCE_MIN_NS), for
 * words another process scribbled on, so that a host that never reaps is not refused for ever. */
int64_t baton__claim_dispatch_cell(baton_channel *channel)
{
    baton__dispatch_ring *ring = &channel->dispatch_ring;
    int64_t position = baton__dispatch_ring_claim(ring);
    for (uint32_t repairs = 0; position < 0 && repairs < ring->capacity; repairs++) {
        if (!baton__dispatch_ring_drop_stale(ring, is_stale, &channel->slab) &&
            !baton__dispatch_ring_unblock_if_stalled(ring, channel->unblock_patience_ns) &&
            !baton__dispatch_ring_unblock_unmarked(ring, BATON_UNBLOCK_PATIENCE_MIN_NS) &&
            !baton__dispatch_ring_audit_if_due(ring, BATON_UNBLOCK_PATIENCE_MIN_NS)) {
            break;
        }
        position = baton__dispatch_ring_claim(ring);
    }
    return position;
}

/* Wakes the handlers asleep on the dispatch ring, after the caller committed cells. Every commit
 * wakes them, of no handle too: while a cell was claimed, consumers stopped at it and the
 * dispatches behind it woke handlers to nothing ready, so only its commit lets them on. */
static void wake_handlers(baton_channel *channel)
{
    baton__signal(&channel->header->dispatch_waiters, &channel->header->dispatch_signal);
}

/* Commits a handle (or BATON_HANDLE_NONE) at a dispatch-ring position the caller claimed, then
 * wakes the handlers asleep on the ring. */
void baton__commit_dispatch_cell(baton_channel *channel, int64_t position, uint64_t handle)
{
    baton__dispatch_ring_commit(&channel->dispatch_ring, position, handle);
    wake_handlers(channel);
}

/* baton__take_payload_room's block, for a payload longer than the slot's inline room: taken, then
 * the caller's, and stamped with the event the slot at index holds or is about to (baton.h, block
 * area), so that a reaper or an adopter gives it back should the caller die before the slot names
 * it. The block with *payload_at set to where the payload goes, or BATON_EAGAIN when every block
 * class that could hold it is empty (BATON_EUCLEAN when one's free list is corrupted). */
int64_t baton__take_payload_block(baton_channel *channel, uint32_t index, uint32_t payload_length,
                                  uint8_t **payload_at)
{
    baton_slot *slot = baton__slot(&channel->slab, index);
    uint32_t block = baton__block_take(&channel->payload_blocks, payload_length);
    if (block == 0) {
        return baton__block_lists_corrupted(&channel->payload_blocks, payload_length) ? BATON_EUCLEAN : BATON_EAGAIN;
    }
    /* relaxed: the slot is the caller's (popped FREE(g), or claimed POLLED(g)), so its generation,
     * the event's, holds still. */
    uint64_t word = atomic_load_explicit(baton__atomic(slot->state), memory_order_relaxed);
    baton__block_stamp_owner(&channel->payload_blocks, block, baton__handle(baton__generation(word), index));
    *payload_at = baton__block_address(&channel->payload_blocks, block);
    return block;
}

/* Why no slot was taken: BATON_EAGAIN when the slab is full, BATON_EUCLEAN when its free list is
 * corrupted (for good: every later dispatch that finds no slot says so too). */
static int no_slot(const baton_channel *channel)
{
    return baton__slab_free_list_corrupted(&channel->slab) ? BATON_EUCLEAN : BATON_EAGAIN;
}

/* Takes a free slot, the caller's until it is published or released: one this thread's drains kept
 * for it, else one popped from the free list (baton__slab_acquire_kept). Its index, or -1 when none
 * is free to it. */
static int64_t take_slot(baton_channel *channel)
{
    return baton__slab_acquire_kept(&channel->slab, &channel->host_drain.freed, baton__thread_serial());
}

/* Takes up to max free slots, each the caller's until it is published or released: those kept for
 * this thread, or a run popped from the free list with one CAS. How many, 0 when none is free. */
static uint32_t take_slots(baton_channel *channel, uint32_t max, uint32_t *indices)
{
    return baton__slab_acquire_run_kept(&channel->slab, &channel->host_drain.freed, baton__thread_serial(), max,
                                        indices);
}

/* Writes a new event into a slot the caller took: its fields, its trace context, and its payload,
 * in the slot's inline room or, for a longer payload, a block the slot then owns (releasing the slot
 * releases the block); for a payload of NULL, *payload_at is where the caller is to write it in
 * place. now is its dispatch time, from dispatch_time. BATON_OK, or BATON_EAGAIN when every block
 * class that could hold the payload is empty, BATON_EUCLEAN when one's free list is corrupted (the
 * slot is untouched; the caller releases it). */
static inline int write_event(baton_channel *channel, uint32_t index, uint64_t event_id_hi, uint64_t event_id_lo,
                       uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind,
                       const baton_trace_context *trace, const void *payload, uint32_t payload_length, int64_t now,
                       uint8_t **payload_at)
{
    baton_slot *slot = baton__slot(&channel->slab, index);
    int64_t block = baton__take_payload_room(channel, slot, index, payload_length, payload_at);
    if (block < 0) {
        return (int)block;
    }
    baton__slot_fence_before_rewrite(); /* the slot (and block) may still be read by their last event's stale readers */
    baton__slot_write_event(slot, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo, kind, now,
                            now + channel->completion_timeout_ns);
    baton__slot_write_trace(slot, trace);
    baton__slot_write_payload(slot, (uint32_t)block, *payload_at, payload, payload_length);
    return BATON_OK;
}

/* Takes a free slot for a new event and writes it there (write_event). The slot's index, the
 * caller's until it is published or released, or BATON_EMSGSIZE, BATON_EAGAIN, BATON_EUCLEAN. */
static int64_t take_and_write(baton_channel *channel, uint64_t event_id_hi, uint64_t event_id_lo,
                              uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind,
                              const baton_trace_context *trace, const void *payload, uint32_t payload_length,
                              int64_t now, uint8_t **payload_at)
{
    if (payload_length > channel->max_payload_length) {
        return BATON_EMSGSIZE;
    }
    int64_t index = take_slot(channel);
    if (index < 0) {
        return no_slot(channel);
    }
    int written = write_event(channel, (uint32_t)index, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo, kind,
                              trace, payload, payload_length, now, payload_at);
    if (written != BATON_OK) {
        baton__slab_release(&channel->slab, (uint32_t)index);
        return written;
    }
    return index;
}

/* The time a dispatch stamps its events with: the host's cached clock (baton.h), early, never late;
 * read once per call, a batch's events share it. */
static int64_t dispatch_time(baton_channel *channel)
{
    return baton__channel_now(channel->header);
}

/* Publishes a filled slot the caller holds into the ring cell it claimed, without waking the
 * handlers (the caller does, once it has committed its last cell): the handle, or BATON_EPROTO
 * when the slot's state word was corrupted. A claimed cell is always committed, or it blocks the
 * ring; NONE is skipped by pollers. */
static int64_t publish_unsignalled(baton_channel *channel, uint32_t index, int64_t position)
{
    uint64_t handle = baton__slab_publish(&channel->slab, index);
    baton__dispatch_ring_commit(&channel->dispatch_ring, position, handle);
    return handle == BATON_HANDLE_NONE ? BATON_EPROTO : (int64_t)handle;
}

/* Publishes a filled slot the caller holds into the ring cell it claimed, and wakes the handlers:
 * as publish_unsignalled. */
static int64_t publish_into(baton_channel *channel, uint32_t index, int64_t position)
{
    int64_t published = publish_unsignalled(channel, index, position);
    wake_handlers(channel);
    return published;
}

static int64_t dispatch_entered(baton_channel *channel, uint64_t event_id_hi, uint64_t event_id_lo,
                                uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind,
                                const baton_trace_context *trace, const void *payload, uint32_t payload_length)
{
    if (payload == NULL && payload_length != 0) {
        return BATON_EFAULT;
    }
    uint8_t *payload_at;
    int64_t index = take_and_write(channel, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo, kind, trace,
                                   payload, payload_length, dispatch_time(channel), &payload_at);
    if (index < 0) {
        return index;
    }
    /* Claim the ring cell before publishing the slot: if the ring is full the slot is still FREE
     * and goes straight back, unseen by expiry, cancel or the metrics scan. */
    int64_t position = baton__claim_dispatch_cell(channel);
    if (position < 0) {
        baton__slab_release(&channel->slab, (uint32_t)index);
        return BATON_ENOSPC;
    }
    return publish_into(channel, (uint32_t)index, position);
}

int64_t baton_dispatch_traced(baton_channel *channel, uint64_t event_id_hi, uint64_t event_id_lo,
                              uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind,
                              const baton_trace_context *trace, const void *payload, uint32_t payload_length)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int64_t returned = dispatch_entered(channel, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo, kind,
                                        trace, payload, payload_length);
    baton__leave(channel);
    return returned;
}

int64_t baton_dispatch(baton_channel *channel, uint64_t event_id_hi, uint64_t event_id_lo,
                       uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind, const void *payload,
                       uint32_t payload_length)
{
    return baton_dispatch_traced(channel, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo, kind, NULL,
                                 payload, payload_length);
}

/* The most entries of a dispatch batch taken into slots before their cells are claimed together. */
#define DISPATCH_RUN 64

/* Why a batch entry cannot be dispatched whatever room there is, or BATON_OK. */
static int64_t entry_refusal(const baton_channel *channel, const baton_dispatch_entry *entry)
{
    if (entry->payload == NULL && entry->payload_length != 0) {
        return BATON_EFAULT;
    }
    return entry->payload_length > channel->max_payload_length ? BATON_EMSGSIZE : BATON_OK;
}

/* Takes slots for up to count entries with one pop of the free list and writes them (write_event),
 * stopping at the first that cannot be: the number taken, their slots in indices[], and *refusal set
 * to why the next was not (0 when all were, or when the slab gave fewer slots than asked for: the
 * caller asks again). Slots popped and not written go back together. */
static uint32_t take_run(baton_channel *channel, const baton_dispatch_entry *entries, uint32_t count, int64_t now,
                         uint32_t *indices, int64_t *refusal)
{
    uint32_t valid = 0;
    while (valid < count && (*refusal = entry_refusal(channel, &entries[valid])) == BATON_OK) {
        valid++;
    }
    uint32_t popped = valid > 0 ? take_slots(channel, valid, indices) : 0;
    if (valid > 0 && popped == 0) {
        *refusal = no_slot(channel);
        return 0;
    }
    for (uint32_t i = 0; i < popped; i++) {
        const baton_dispatch_entry *entry = &entries[i];
        const baton_trace_context trace = {
            .trace_id_hi = entry->trace_id_hi,
            .trace_id_lo = entry->trace_id_lo,
            .parent_span_id = entry->parent_span_id,
            .flags = entry->trace_flags,
        };
        uint8_t *payload_at;
        int written = write_event(channel, indices[i], entry->event_id_hi, entry->event_id_lo, entry->correlation_id_hi,
                                  entry->correlation_id_lo, entry->kind, &trace, entry->payload, entry->payload_length,
                                  now, &payload_at);
        if (written != BATON_OK) {
            baton__slab_release_run(&channel->slab, &indices[i], popped - i);
            *refusal = written; /* no block for its payload */
            return i;
        }
        baton__slot_carry_redeliveries(baton__slot(&channel->slab, indices[i]), entry->redeliveries);
    }
    if (popped < valid) {
        *refusal = BATON_OK;
    }
    return popped;
}

/* Publishes count filled slots into dispatch-ring cells: all of them in one run claim when the ring
 * has room, else one cell at a time (with the repairs of a full ring). handles[i] gets slot i's
 * handle. The number published; the slots after it go back to the slab (the ring is full). */
static uint32_t publish_run(baton_channel *channel, const uint32_t *indices, uint32_t count, int64_t *handles)
{
    int64_t positions[DISPATCH_RUN];
    uint32_t claimed = baton__dispatch_ring_claim_run(&channel->dispatch_ring, count, positions);
    uint32_t published = 0;
    for (; published < claimed; published++) {
        handles[published] = publish_unsignalled(channel, indices[published], positions[published]);
    }
    for (; published < count; published++) {
        int64_t position = baton__claim_dispatch_cell(channel);
        if (position < 0) {
            break;
        }
        handles[published] = publish_unsignalled(channel, indices[published], position);
    }
    for (uint32_t unpublished = published; unpublished < count; unpublished++) {
        baton__slab_release(&channel->slab, indices[unpublished]);
    }
    return published;
}

static int dispatch_batch_entered(baton_channel *channel, const baton_dispatch_entry *entries, uint32_t count,
                                  int64_t *handles)
{
    const int64_t now = dispatch_time(channel);
    uint32_t dispatched = 0;
    int64_t refusal = 0;
    while (dispatched < count && refusal == 0) {
        uint32_t indices[DISPATCH_RUN];
        uint32_t wanted = count - dispatched < DISPATCH_RUN ? count - dispatched : DISPATCH_RUN;
        uint32_t taken = take_run(channel, &entries[dispatched], wanted, now, indices, &refusal);
        uint32_t published = publish_run(channel, indices, taken, &handles[dispatched]);
        if (published < taken) {
            refusal = BATON_ENOSPC;
        }
        dispatched += published;
    }
    if (dispatched > 0) {
        wake_handlers(channel); /* once, after the batch's last commit */
    }
    if (refusal != 0) {
        handles[dispatched] = refusal;
    }
    return (int)dispatched;
}

int baton_dispatch_batch(baton_channel *channel, const baton_dispatch_entry *entries, uint32_t count,
                         int64_t *handles)
{
    if (count > 0 && (entries == NULL || handles == NULL)) {
        return BATON_EFAULT;
    }
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int dispatched = dispatch_batch_entered(channel, entries, count, handles);
    baton__leave(channel);
    return dispatched;
}

static int claim_entered(baton_channel *channel, uint64_t event_id_hi, uint64_t event_id_lo,
                         uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind,
                         const baton_trace_context *trace, uint32_t payload_length,
                         baton_payload_claim *claim)
{
    if (claim == NULL) {
        return BATON_EFAULT;
    }
    uint8_t *payload_at;
    int64_t index = take_and_write(channel, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo, kind, trace,
                                   NULL, payload_length, dispatch_time(channel), &payload_at);
    if (index < 0) {
        return (int)index;
    }
    baton__slab_mark_claim(&channel->slab, (uint32_t)index, channel->attachments.tag);
    /* The slot is ours: its FREE word, whose generation the token names, holds still until the commit
     * or abort moves it. */
    uint64_t free_word = baton__slab_load_state(&channel->slab, (uint32_t)index);
    *claim = (baton_payload_claim){
        .token = baton__handle(baton__generation(free_word), (uint32_t)index),
        .payload = payload_at,
        .payload_length = payload_length,
    };
    return BATON_OK;
}

int baton_claim(baton_channel *channel, uint64_t event_id_hi, uint64_t event_id_lo,
                uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind,
                const baton_trace_context *trace, uint32_t payload_length, baton_payload_claim *claim)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = claim_entered(channel, event_id_hi, event_id_lo, correlation_id_hi, correlation_id_lo,
                                          kind, trace, payload_length, claim);
    baton__leave(channel);
    return returned;
}

/* Whether claim names a dispatch claim that is still held: BATON_OK, or why not. */
static int check_claim(baton_channel *channel, const baton_payload_claim *claim)
{
    if (claim == NULL) {
        return BATON_EFAULT;
    }
    if (claim->token == 0) {
        return BATON_EALREADY;
    }
    if (!baton__slab_in_range(&channel->slab, claim->token)) {
        return BATON_ENOENT;
    }
    uint64_t word = baton__slab_load_state(&channel->slab, baton__handle_index(claim->token));
    if (baton__generation(word) != baton__generation(claim->token)) {
        return BATON_ESTALE;
    }
    return baton__state(word) == BATON_SLOT_FREE && baton__slab_is_claim(&channel->slab, claim->token)
               ? BATON_OK
               : BATON_EALREADY;
}

static int64_t commit_entered(baton_channel *channel, baton_payload_claim *claim)
{
    int checked = check_claim(channel, claim);
    if (checked != BATON_OK) {
        return checked;
    }
    /* The cell first, as dispatch does: a full ring keeps the claim for another commit. */
    int64_t position = baton__claim_dispatch_cell(channel);
    if (position < 0) {
        return BATON_ENOSPC;
    }
    /* Ending the claim is a CAS of its mark, so of two commits (or a commit and an abort) with one
     * token exactly one goes on. */
    if (!baton__slab_end_claim(&channel->slab, claim->token)) {
        baton__commit_dispatch_cell(channel, position, BATON_HANDLE_NONE);
        return BATON_EALREADY;
    }
    uint32_t index = baton__handle_index(claim->token);
    claim->token = 0;
    return publish_into(channel, index, position);
}

int64_t baton_commit(baton_channel *channel, baton_payload_claim *claim)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int64_t returned = commit_entered(channel, claim);
    baton__leave(channel);
    return returned;
}

static int abort_entered(baton_channel *channel, baton_payload_claim *claim)
{
    int checked = check_claim(channel, claim);
    if (checked != BATON_OK) {
        return checked;
    }
    if (!baton__slab_end_claim(&channel->slab, claim->token)) {
        return BATON_EALREADY;
    }
    baton__slab_free_owned(&channel->slab, claim->token);
    claim->token = 0;
    return BATON_OK;
}

int baton_abort(baton_channel *channel, baton_payload_claim *claim)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = abort_entered(channel, claim);
    baton__leave(channel);
    return returned;
}

static int cancel_entered(baton_channel *channel, uint64_t handle)
{
    if (!baton__slab_in_range(&channel->slab, handle)) {
        return BATON_ENOENT;
    }
    /* Lock-free: the CAS expects the word as read, holder tag and all, so a failed CAS means the event
     * moved on (polled, completed, timed out) and the loop looks again. Expecting a clean DISPATCHED
     * word instead would loop for ever on one whose tag bits another process scribbled. */
    for (;;) {
        uint64_t word = baton__slab_load_state(&channel->slab, baton__handle_index(handle));
        uint32_t state = baton__state(word);
        if (baton__generation(word) != baton__generation(handle) ||
            (state != BATON_SLOT_DISPATCHED && state != BATON_SLOT_POLLED)) {
            return baton__slab_rejection_of(handle, word, BATON_SLOT_DISPATCHED);
        }
        if (baton__slab_free(&channel->slab, handle, (uint32_t)word, channel->attachments.tag)) {
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
