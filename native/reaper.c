/*
 * The reaper: settles what an attachment left when its process died, or when it detached, promptly
 * and exactly once: its sleepers in the waiter counts, the dispatch-ring cells it claimed and never
 * committed, the events it had polled (dispatched again up to the redelivery limit, otherwise
 * reported timed out), the events it was yielding, and the slots of its dispatch claims. The
 * attachment table (attachment_table.c) says whose entry is dead; the policy of when to reap is the
 * caller's (a host every 100 ms or so). Java reaches it through libbaton
 * (java/.../NativeAttachment.java).
 */
#include <stdlib.h>

#include "baton_internal.h"

/* Dispatches a dead claimant's event again, if it may be: 1 when it was. The ring cell is claimed
 * before the state moves, as dispatch does, so an event made DISPATCHED always has a cell. */
static int redeliver(baton_channel *channel, uint64_t handle, uint32_t claimed)
{
    baton_slot *slot = baton__slot(&channel->slab, baton__handle_index(handle));
    /* relaxed: the slot is POLLED by a dead attachment, so its count holds still; a slot that
     * moved on since fails the CAS below. */
    if (atomic_load_explicit(baton__atomic(slot->redeliveries), memory_order_relaxed) >=
        channel->attachments.redelivery_limit) {
        return 0;
    }
    int64_t position = baton__claim_dispatch_cell(channel);
    if (position < 0) {
        return 0; /* no room: report it timed out instead */
    }
    if (!baton__slab_transition(&channel->slab, handle, claimed, BATON_SLOT_DISPATCHED)) {
        baton__commit_dispatch_cell(channel, position, BATON_HANDLE_NONE);
        return 0;
    }
    baton__slot_count_redelivery(slot);
    /* release (the commit): the count and the state are visible to the handler that takes the cell. */
    baton__commit_dispatch_cell(channel, position, handle);
    return 1;
}

/* The events a dead attachment still holds: POLLED or YIELDING under its tag, frozen since it died. */
typedef struct held_events {
    const baton__slab *slab;
    uint32_t claimed;
    uint32_t yielding;
} held_events;

/* Whether a block's stamp names an event the dead attachment still holds, in the generation it
 * holds it. */
static int held_by_the_dead(const held_events *held, uint32_t stamp)
{
    uint64_t word = baton__slab_stamped_word(held->slab, stamp);
    return word != 0 && ((uint32_t)word == held->claimed || (uint32_t)word == held->yielding);
}

/* A result block the dead attachment's handler took for an event it still holds: no record of it
 * will name the block (a record that does reports an event its handler moved on before the commit,
 * which it no longer holds). */
static int result_taken_by_the_dead(const void *context, uint32_t stamp, uint32_t block)
{
    (void)block;
    return held_by_the_dead(context, stamp);
}

/* A payload block the dead attachment's handler took to yield an event it still holds, which the
 * slot does not name: it died before the slot named the block, or after, before it gave back the
 * block the slot named until then. */
static int payload_taken_by_the_dead(const void *context, uint32_t stamp, uint32_t block)
{
    const held_events *held = context;
    return held_by_the_dead(held, stamp) &&
           baton__slot_payload_block(baton__slot(held->slab, stamp & BATON_BLOCK_INDEX_MASK)) != block;
}

/* Settles every event claimed under tag: dispatched again while it may be, else reported timed
 * out; an event it died yielding (YIELDING) is reported timed out, since its continuation may
 * be torn; the slots of its dispatch claims go back unseen; and the blocks it took for those events
 * and never named, in a record or in the slot, go back too. Stops at a full completion ring:
 * what is left ends at its deadline, by expiry. */
static void settle_claims(baton_channel *channel, uint32_t tag)
{
    const uint32_t claimed = baton__polled_by(tag);
    const uint32_t yielding = BATON_SLOT_YIELDING | (tag << BATON_SLOT_HOLDER_SHIFT);
    /* First, while the events are still the dead attachment's: once one is dispatched again, a live
     * handler may take a block stamped for it. */
    const held_events held = {.slab = &channel->slab, .claimed = claimed, .yielding = yielding};
    baton__block_release_orphans(&channel->result_blocks, result_taken_by_the_dead, &held);
    baton__block_release_orphans(&channel->payload_blocks, payload_taken_by_the_dead, &held);
    int timed_out = 0;
    for (uint32_t index = 0; index < channel->slab.capacity; index++) {
        uint64_t word = baton__slab_load_held(&channel->slab, index);
        uint64_t handle = baton__handle(baton__generation(word), index);
        if (baton__state(word) == BATON_SLOT_FREE && baton__slab_claimed_for_dispatch_by(&channel->slab, index, tag)) {
            if (baton__slab_end_claim(&channel->slab, handle)) {
                baton__slab_free_owned(&channel->slab, handle);
            }
            continue;
        }
        if ((uint32_t)word != claimed && (uint32_t)word != yielding) {
            continue;
        }
        if ((uint32_t)word == claimed && redeliver(channel, handle, claimed)) {
            continue;
        }
        int published = baton__publish_outcome(channel, handle, (uint32_t)word, BATON_SLOT_TIMED_OUT, BATON_ETIMEDOUT,
                                               0, NULL, 0);
        if (published == BATON_ENOBUFS) {
            break;
        }
        timed_out += published == BATON_OK;
    }
    if (timed_out > 0) {
        baton__signal(&channel->header->completion_waiters, &channel->header->completion_signal);
    }
}

/* Takes an entry's sleepers out of the header's waiter counts. An exchange with 0 first, so two
 * reapers (one taking over from the other) never subtract the same sleeper twice. */
static void drop_waiting(uint32_t *own_waiting, uint32_t *waiters)
{
    uint32_t sleepers = atomic_exchange_explicit(baton__atomic(*own_waiting), 0, memory_order_relaxed);
    if (sleepers != 0) {
        /* seq_cst, as every change of a waiters count: a producer's fence orders its read after it. */
        atomic_fetch_sub_explicit(baton__atomic(*waiters), sleepers, memory_order_seq_cst);
    }
}

/* Settles what the attachment in entry `index` left (its claimed events only while the channel is
 * open: a closed channel's outcomes are no longer drained), then frees the entry. The caller holds
 * it: REAPING under the caller's pid, or LIVE as its own. */
static void release_entry(baton_channel *channel, uint32_t index)
{
    baton_attachment *entry = &channel->attachments.entries[index];
    const uint32_t tag = baton__attachments_tag_of(&channel->attachments, index);
    /* A reaper that takes over commits nothing twice: a committed cell no longer reads as claimed.
     * Handlers asleep while consumers were stopped at such a cell found nothing ready and were woken
     * by no dispatch since (the dispatches behind it signalled while it blocked them): wake them, or
     * the events behind it wait for ever. */
    if (baton__dispatch_ring_commit_abandoned(&channel->dispatch_ring, tag) > 0) {
        baton__signal(&channel->header->dispatch_waiters, &channel->header->dispatch_signal);
    }
    drop_waiting(&entry->dispatch_waiting, &channel->header->dispatch_waiters);
    drop_waiting(&entry->completion_waiting, &channel->header->completion_waiters);
    if (!baton__is_closed(channel)) {
        settle_claims(channel, tag);
    }
    baton__attachments_free(&channel->attachments, index); /* after the settling above */
}

/* The slots whose handles the dispatch ring holds, one bit each. */
typedef struct queued_slots {
    uint64_t *bits;
    const baton__slab *slab;
} queued_slots;

static void mark_queued(void *context, uint64_t handle)
{
    queued_slots *queued = context;
    if (baton__slab_in_range(queued->slab, handle)) { /* a cell another process scribbled on names none */
        uint32_t index = baton__handle_index(handle);
        queued->bits[index / 64] |= UINT64_C(1) << (index % 64);
    }
}

/* After a death: releases the dispatch ring's cells that consumers took and never released, then
 * dispatches again each event that is DISPATCHED in no cell: its taker died between taking its
 * cell and claiming the event, or a reaper died between undoing a claim and committing the handle.
 * A dispatch between publishing its slot and committing its cell looks the same and gets a second
 * cell; handlers claim by CAS, so the later copy is dropped as stale. */
static void redispatch_orphans(baton_channel *channel)
{
    baton__dispatch_ring_release_taken(&channel->dispatch_ring);
    uint32_t capacity = channel->slab.capacity;
    queued_slots queued = {.bits = calloc((capacity + 63) / 64, sizeof(uint64_t)), .slab = &channel->slab};
    if (queued.bits == NULL) {
        return; /* the orphans end at their deadline, by expiry */
    }
    baton__dispatch_ring_for_each_queued(&channel->dispatch_ring, mark_queued, &queued);
    for (uint32_t index = 0; index < capacity; index++) {
        uint64_t word = baton__slab_load_held(&channel->slab, index);
        if (baton__state(word) != BATON_SLOT_DISPATCHED || (queued.bits[index / 64] >> (index % 64)) & 1) {
            continue;
        }
        int64_t position = baton__claim_dispatch_cell(channel);
        if (position < 0) {
            break; /* the ring is full of live work: the rest end at their deadline */
        }
        baton__commit_dispatch_cell(channel, position, baton__handle(baton__generation(word), index));
    }
    free(queued.bits);
}

/* Reaps every dead attachment, inside a call: the attachments reaped. */
int baton__reap_entered(baton_channel *channel)
{
    baton__attachment_table *table = &channel->attachments;
    int reaped = 0;
    for (uint32_t index = 0; index < table->capacity; index++) {
        if (!baton__attachments_take_dead(table, index)) {
            continue;
        }
        release_entry(channel, index);
        /* After the entry is free, so a reaper that dies between the two leaves the count too high
         * (a detached-looking channel waits), never too low. */
        atomic_fetch_sub_explicit(baton__atomic(channel->header->attached_count), 1, memory_order_release);
        reaped++;
    }
    /* Words another process scribbled on the dispatch ring: repaired from the cells, then the
     * events they hid (DISPATCHED in no cell) dispatched again, as after a death. */
    int repaired = baton__dispatch_ring_audit(&channel->dispatch_ring);
    if ((reaped > 0 || repaired > 0) && !baton__is_closed(channel)) {
        redispatch_orphans(channel);
    }
    if (repaired > 0) {
        baton__signal(&channel->header->dispatch_waiters, &channel->header->dispatch_signal);
    }
    /* A producer that died between taking a position and marking its cell is named by nothing, so
     * its cell is judged by its age alone, at every call (its death may have been reaped before).
     * The shortest patience: the two steps are adjacent, and presuming a slow producer dead is
     * safe (its mark's CAS fails, and it claims again). */
    if (baton__dispatch_ring_unblock_unmarked(&channel->dispatch_ring, BATON_UNBLOCK_PATIENCE_MIN_NS)) {
        baton__signal(&channel->header->dispatch_waiters, &channel->header->dispatch_signal);
    }
    return reaped;
}

int baton_reap(baton_channel *channel)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = baton__reap_entered(channel);
    /* Slots in an end state whose records were lost: settled a patience after they were found so. */
    baton__settle_orphaned_outcomes(channel);
    baton__leave(channel);
    return returned;
}

/* Takes a FREE entry for this attachment; when none is, reaps the dead and looks once more.
 * BATON_OK or BATON_EUSERS. */
int baton__attachments_join(baton_channel *channel)
{
    baton__attachment_table *table = &channel->attachments;
    baton__attachments_identify(table);
    int taken = baton__attachments_take(table);
    if (taken != BATON_OK) {
        baton__reap_entered(channel);
        taken = baton__attachments_take(table);
    }
    if (taken == BATON_OK) {
        channel->dispatch_ring.claim_mark = BATON_CELL_CLAIMED_BY(table->tag);
    }
    return taken;
}

/* At detach, after the attachment's last call: settles its own claims, as a reaper would after its
 * death, unless the channel is closed, and frees its entry. */
void baton__attachments_leave(baton_channel *channel)
{
    baton__attachment_table *table = &channel->attachments;
    if (table->own == NULL) {
        return;
    }
    release_entry(channel, (uint32_t)(table->own - table->entries));
    table->own = NULL;
    channel->dispatch_ring.claim_mark = BATON_CELL_CLAIMED_BY(0);
}
