/*
 * Publishes an event's outcome exactly once. It claims a completion record, moves the slot's state
 * by CAS, and commits the record only if this call made the move; otherwise it aborts the record
 * into padding. So a COMPLETED or TIMED_OUT slot always has exactly one committed record, and of a
 * completion and a timeout racing for one event, exactly one wins. The Java twin is
 * java/.../OutcomePublisher.java; the functions are in the same order.
 *
 * The body is written before the state moves, so a publisher that dies after the move leaves a
 * complete record: baton__judge_abandoned lets the ring's unblock commit it, and the event is still
 * reported exactly once.
 */
#include <string.h>

#include "baton_internal.h"

/* Writes a claimed record's body, moves the slot's state from `from` to `to`, and commits the record
 * if this call made the move, else aborts it into padding: BATON_OK, or why the slot could not be
 * moved. block: the result's block (0 for a result in the record), the caller's until the commit. */
static inline int settle(baton_channel *channel, uint8_t *body, uint64_t handle, uint32_t from, uint32_t to, int32_t status,
                  uint64_t handler_span_id, const void *result, uint32_t result_length, uint32_t block)
{
    baton__slab *slab = &channel->slab;
    /* plain: the claimed record is ours; the commit publishes it to the reader, and with it the
     * block's bytes, written before. The handle goes last, with release: an unblocking host that
     * acquires a handle in a record whose publisher died sees the status and result complete, and
     * a body the publisher died writing names no event (0), so it is never committed. */
    baton_completion_body *record = (baton_completion_body *)body;
    record->status = status;
    record->result_block = block;
    if (block != 0) {
        memcpy(record->result, &result_length, sizeof result_length);
        memset(record->result + sizeof result_length, 0, BATON_COMPLETION_BLOCK_BODY_LENGTH - BATON_COMPLETION_BODY_LENGTH - sizeof result_length);
    } else if (result_length != 0) {
        memcpy(record->result, result, result_length);
    }
    atomic_store_explicit(baton__atomic(record->handle), handle, memory_order_release);
    baton__fault("complete-claimed"); /* dies with a record in progress, the event still pending */
    if (!baton__slab_transition(slab, handle, from, to)) {
        baton__completion_ring_abort(body);
        baton__block_release(&channel->result_blocks, block);
        return baton__slab_rejection(slab, handle, from);
    }
    baton__fault("complete-moved"); /* dies after the move, before the commit */
    /* The slot is ours to write from the move until the commit hands it to the host; a publisher
     * that dies in between leaves the span 0, and the outcome is still reported once. */
    if (handler_span_id != 0) {
        baton__slot_write_handler_span(baton__slot(slab, baton__handle_index(handle)), handler_span_id);
    }
    baton__completion_ring_commit(body);
    return BATON_OK;
}

/* BATON_OK; BATON_ENOBUFS when the ring, or the result blocks, have no room (nothing changed);
 * BATON_EUCLEAN when its positions, or a free list of the blocks, are corrupted; or why the slot
 * could not be moved (another thread moved it first).
 * Lock-free. */
int baton__publish_outcome(baton_channel *channel, uint64_t handle, uint32_t from, uint32_t to, int32_t status,
                           uint64_t handler_span_id, const void *result, uint32_t result_length)
{
    baton__completion_ring *ring = &channel->completion_ring;
    int32_t type = to == BATON_SLOT_TIMED_OUT ? BATON_RECORD_TIMED_OUT : BATON_RECORD_COMPLETED;
    /* A result longer than the record's inline room goes to a block, taken and written first: the
     * block is ours until the commit hands it to the host, and ours to release if we lose. */
    uint32_t block = 0;
    if (result_length > ring->max_body_length - BATON_COMPLETION_BODY_LENGTH) {
        block = baton__block_take(&channel->result_blocks, result_length);
        if (block == 0) {
            return baton__block_lists_corrupted(&channel->result_blocks, result_length) ? BATON_EUCLEAN : BATON_ENOBUFS;
        }
        baton__block_stamp_owner(&channel->result_blocks, block, handle);
        memcpy(baton__block_address(&channel->result_blocks, block), result, result_length);
    }
    /* Claim the record, write it, then move the state, then commit: a lost race leaves only
     * padding, and a publisher that dies after the move leaves a record unblock can commit. */
    int refused = BATON_OK;
    /* The claim names this attachment as the record's publisher, so the host can unblock the record
     * at once if this attachment dies before the commit. */
    uint32_t body_length = block != 0 ? BATON_COMPLETION_BLOCK_BODY_LENGTH : BATON_COMPLETION_BODY_LENGTH + result_length;
    uint8_t *body = baton__completion_ring_claim(ring, type, body_length, channel->attachments.tag, &refused);
    if (body == NULL) {
        baton__block_release(&channel->result_blocks, block);
        return refused;
    }
    return settle(channel, body, handle, from, to, status, handler_span_id, result, result_length, block);
}

/* The completions of count polled events (POLLED to COMPLETED, handles in range), each with a
 * result that fits its record inline, with one claim of the completion ring for all of their records: then codes[i] gets entry i's result as baton__publish_outcome's (a record whose
 * move failed becomes padding) and the call returns BATON_OK. BATON_ENOBUFS / BATON_EUCLEAN with
 * nothing claimed or changed. Lock-free. */
int baton__publish_completions(baton_channel *channel, const baton_completion *completions, uint32_t count,
                               int32_t *codes)
{
    uint32_t body_lengths[BATON_COMPLETION_RUN] = {0}; /* zeroed: GCC cannot see count bound its reads */
    uint8_t *bodies[BATON_COMPLETION_RUN];
    if (count == 0 || count > BATON_COMPLETION_RUN) {
        return BATON_EINVAL; /* the caller's run_length never forms such a run */
    }
    for (uint32_t i = 0; i < count; i++) {
        body_lengths[i] = BATON_COMPLETION_BODY_LENGTH + completions[i].result_length;
    }
    /* The run names this attachment as each record's publisher, as a single claim does. */
    int claimed = baton__completion_ring_claim_run(&channel->completion_ring, BATON_RECORD_COMPLETED, body_lengths,
                                                   count, channel->attachments.tag, bodies);
    if (claimed != BATON_OK) {
        return claimed;
    }
    for (uint32_t i = 0; i < count; i++) {
        const baton_completion *completion = &completions[i];
        codes[i] = settle(channel, bodies[i], completion->handle, BATON_SLOT_POLLED, BATON_SLOT_COMPLETED,
                          completion->status, completion->handler_span_id, completion->result,
                          completion->result_length, 0);
    }
    return BATON_OK;
}

/* The record of a publisher presumed dead must be committed exactly when the publisher moved the
 * state: then no other record reports the event. Otherwise the event is still pending (the reaper
 * or the timeout reports it) or another publisher moved it and wrote its own record. The publisher
 * is presumed dead once its attachment is gone (detached or reaped: no call of it runs any more),
 * or once the ring's patience has run out. One corner stays: a second completion of one event
 * whose publisher lost the CAS and died before aborting has its record committed too; if it lies
 * ahead of the winner's, the host sees its status and result, and the winner's record is then
 * skipped as stale. The event is still reported once. The judge the completion ring's unblock
 * calls; its context is the channel. */
int baton__judge_abandoned(void *channel, int32_t type, uint32_t publisher, const uint8_t *body, uint32_t length,
                           int patience_elapsed)
{
    baton_channel *self = channel;
    /* 0 names no publisher: only patience decides then. */
    if (!patience_elapsed && !baton__attachment_gone(self, publisher)) {
        return JUDGE_WAIT;
    }
    if (length < BATON_COMPLETION_BODY_LENGTH) {
        return JUDGE_PAD;
    }
    /* acquire: pairs with the publisher's release of the handle, written after the rest of the body.
     * A publisher that died before writing it left 0 there, and generation 0 never names a slot:
     * that record is not committed (its event is settled by its own record, or the reaper's). */
    uint64_t handle =
        atomic_load_explicit(baton__atomic(((baton_completion_body *)body)->handle), memory_order_acquire);
    return baton__reports_outcome(&self->slab, handle, type) ? JUDGE_COMMIT : JUDGE_PAD;
}

/* Whether the record is of a type this protocol writes and the handle's slot is in the end state
 * that type reports, so the record is the one that reports its event: the drain delivers only such
 * records, and unblock commits only such. A record of another type (a foreign writer's) reports
 * nothing. The handle may be out of range or stale. */
int baton__reports_outcome(const baton__slab *slab, uint64_t handle, int32_t type)
{
    return (type == BATON_RECORD_COMPLETED || type == BATON_RECORD_TIMED_OUT) && baton__slab_in_range(slab, handle) &&
           baton__slab_load_state(slab, baton__handle_index(handle)) ==
               baton__state_word(baton__generation(handle), baton__end_state(type));
}

/* The slot state a record of this type reports: BATON_SLOT_TIMED_OUT or BATON_SLOT_COMPLETED. */
uint32_t baton__end_state(int32_t type)
{
    return type == BATON_RECORD_TIMED_OUT ? BATON_SLOT_TIMED_OUT : BATON_SLOT_COMPLETED;
}
