/*
 * Outcomes no record reports. A slot COMPLETED or TIMED_OUT is reported by the one record its
 * publisher claimed before moving the state; should that record be lost (another process wrote over
 * the completion ring, or a writer outside the protocol moved the state and wrote none), the slot
 * would stay so for ever: its event neither pending nor reported, its slot never freed. This audit,
 * run by baton_reap, finds such slots and publishes a record for each, so the host's drain reports
 * the event once. Java hosts reach it through libbaton's reap (java/.../NativeAttachment.java).
 *
 * Two looks, at least BATON_UNBLOCK_PATIENCE_MIN_NS apart, so the slab is scanned at most once a
 * second, and nothing is read per event. The first notes each slot in an end state, then the
 * completion ring's tail: a publisher claims its record before it moves the state, so every record
 * that reports a slot noted lies before that tail, its body written. Once the host's drain has read
 * up to it (delivering such a record, or committing it for a publisher that died), a noted slot still
 * in the same end state under the same generation has no record left: the drain frees a slot as it
 * delivers the record. The audit then publishes a record for it,
 * moving the state by CAS from the word noted to itself, so a slot that moved meanwhile gets none:
 * status BATON_ETIMEDOUT for a timeout, as a timeout's own record says, and BATON_ENODATA for a
 * completion, whose status and result are lost. Were a record found after all (two auditors), the
 * drain delivers the first and skips the other as stale: the event is still reported once.
 */
#include <stdlib.h>

#include "baton_internal.h"

static int is_end_state(uint32_t state)
{
    return state == BATON_SLOT_COMPLETED || state == BATON_SLOT_TIMED_OUT;
}

/* Makes room for one more slot noted: 0 when memory ran out (the audit then notes fewer). */
static int room_for_one_more(baton__outcome_audit *audit)
{
    if (audit->noted_count < audit->noted_capacity) {
        return 1;
    }
    uint32_t capacity = audit->noted_capacity != 0 ? 2 * audit->noted_capacity : 64;
    uint64_t *words = realloc(audit->noted_words, capacity * sizeof *words);
    if (words == NULL) {
        return 0;
    }
    audit->noted_words = words;
    uint32_t *indexes = realloc(audit->noted_indexes, capacity * sizeof *indexes);
    if (indexes == NULL) {
        return 0;
    }
    audit->noted_indexes = indexes;
    audit->noted_capacity = capacity;
    return 1;
}

/* The first look: every slot in an end state, then the ring's tail. */
static void note(baton_channel *channel, baton__outcome_audit *audit, int64_t now)
{
    audit->noted_count = 0;
    for (uint32_t index = 0; index < channel->slab.capacity; index++) {
        /* acquire: pairs with the publisher's CAS of the state, which followed its claim, so the tail
         * read below lies past the claim. */
        uint64_t word = baton__slab_load_held(&channel->slab, index);
        uint32_t state = baton__state(word);
        if (!is_end_state(state) || word != baton__state_word(baton__generation(word), state)) {
            continue;
        }
        if (!room_for_one_more(audit)) {
            break;
        }
        audit->noted_indexes[audit->noted_count] = index;
        audit->noted_words[audit->noted_count] = word;
        audit->noted_count++;
    }
    audit->tail_noted = baton__completion_ring_tail(&channel->completion_ring);
    audit->noted_at_ns = now;
}

/* The second look: a record for each noted slot still in its noted word. The slots settled. */
static int settle_noted(baton_channel *channel, baton__outcome_audit *audit)
{
    int settled = 0;
    for (uint32_t i = 0; i < audit->noted_count; i++) {
        uint64_t word = audit->noted_words[i];
        uint32_t state = baton__state(word);
        uint64_t handle = baton__handle(baton__generation(word), audit->noted_indexes[i]);
        int32_t status = state == BATON_SLOT_TIMED_OUT ? BATON_ETIMEDOUT : BATON_ENODATA;
        int published = baton__publish_outcome(channel, handle, state, state, status, 0, NULL, 0);
        if (published == BATON_ENOBUFS || published == BATON_EUCLEAN) {
            break; /* the next audit notes them again */
        }
        settled += published == BATON_OK;
    }
    return settled;
}

int baton__settle_orphaned_outcomes(baton_channel *channel)
{
    baton__outcome_audit *audit = &channel->outcome_audit;
    /* acquire: one audit at a time per attachment; the next sees what the last noted. */
    if (atomic_exchange_explicit(baton__atomic(audit->running), 1, memory_order_acquire) != 0) {
        return 0;
    }
    int64_t now = baton__now_ns();
    int settled = 0;
    int noted = audit->noted_at_ns != 0;
    if (!noted || (baton__elapsed_ns(now, audit->noted_at_ns) >= BATON_UNBLOCK_PATIENCE_MIN_NS &&
                   baton__completion_ring_read_past(&channel->completion_ring, audit->tail_noted))) {
        /* The drain has read every record that could report a slot noted: the head's acquire pairs
         * with its release, after it freed the slots those records reported. */
        settled = noted ? settle_noted(channel, audit) : 0;
        note(channel, audit, now);
    }
    atomic_store_explicit(baton__atomic(audit->running), 0, memory_order_release);
    if (settled > 0) {
        baton__signal(&channel->header->completion_waiters, &channel->header->completion_signal);
    }
    return settled;
}

void baton__outcome_audit_free(baton__outcome_audit *audit)
{
    free(audit->noted_words);
    free(audit->noted_indexes);
}
