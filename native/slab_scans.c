/*
 * Scans of the slab's state words, which never block a dispatcher, handler or host: expiry, the
 * pending-event metrics and the list of the events held. The Java twin is java/.../SlabScans.java.
 */
#include <string.h>

#include "baton_internal.h"

/* relaxed: read after the state word's acquire, as baton__slot_holds_event reads it. */
static int64_t deadline_of(const baton_slot *slot)
{
    return atomic_load_explicit(baton__atomic(slot->deadline_ns), memory_order_relaxed);
}

/* Whether an event lies under the FREE word of the slot at index, its deadline past by more than the
 * patience: a FREE word with a holder tag, which the protocol writes only while a cancel frees a slot
 * (baton__slab_free, until the slot forgets its event), under a tag no live attachment holds: another
 * process wrote it over a slot that holds an event, or the canceller died. A FREE word with no holder
 * is the protocol's own, and left, so that a word written over a free slot's deadline never makes it
 * an event; so is the slot of a dispatch claim (its claimer writes it; the reaper ends a dead
 * claimer's). */
static int under_free_word(const baton_channel *channel, uint32_t index, uint64_t word, int64_t now)
{
    const baton_slot *slot = baton__slot(&channel->slab, index);
    uint32_t holder = baton__holder(word);
    return holder != 0 && baton__attachment_released(channel, holder) && baton__slot_holds_event(slot) &&
           !baton__slab_is_claim(&channel->slab, baton__handle(baton__generation(word), index)) &&
           baton__elapsed_ns(now, deadline_of(slot)) > channel->unblock_patience_ns;
}

/* Whether expiry times out the slot now, whatever its deadline, because nothing else ever would: its
 * word is one no protocol writes (another process wrote over it), or it is YIELDING under a tag no
 * attachment holds (its yielder is gone and settled, or the tag was written over; tag 0, a yielder
 * without an attachment, is never judged), or it is a FREE word over an event (under_free_word). A
 * slot that holds no event is left, whatever its word says (the caller read it with
 * baton__slab_load_held): the dispatch that pops it finds its word moved (baton__slab_publish). */
static int settles_now(const baton_channel *channel, uint32_t index, uint64_t word, int64_t now)
{
    uint32_t state = baton__state(word);
    if (state == BATON_SLOT_FREE) {
        return under_free_word(channel, index, word, now);
    }
    return baton__slab_word_corrupted(word) ||
           (state == BATON_SLOT_YIELDING && baton__holder(word) != 0 &&
            baton__attachment_released(channel, baton__holder(word)));
}

/* Times out the slot at index, whose word settles_now found so: the outcome the publish returns
 * (BATON_OK, BATON_ENOBUFS), or BATON_EAGAIN when the word moved meanwhile. The record names the
 * generation the slot then has, one a handle names. */
static int settle_now(baton_channel *channel, uint32_t index, uint64_t word)
{
    uint64_t named = baton__slab_normalize_corrupted(&channel->slab, index, word);
    if (named == 0) {
        return BATON_EAGAIN;
    }
    /* The low half as the state to move from: an exact match, holder and all (load_if_in). */
    return baton__publish_outcome(channel, baton__handle(baton__generation(named), index), (uint32_t)named,
                                  BATON_SLOT_TIMED_OUT, BATON_ETIMEDOUT, 0, NULL, 0);
}

static int reclaim_expired_entered(baton_channel *channel)
{
    int64_t now = baton__now_ns();
    int expired = 0;
    /* A YIELDING event is skipped: its handler is putting it back in the ring, DISPATCHED, and the
     * next scan expires it there. */
    for (uint32_t index = 0; index < channel->slab.capacity; index++) {
        uint64_t word = baton__slab_load_held(&channel->slab, index);
        uint32_t state = baton__state(word);
        if (settles_now(channel, index, word, now)) {
            int settled = settle_now(channel, index, word);
            if (settled == BATON_ENOBUFS) {
                break;
            }
            expired += settled == BATON_OK;
            continue;
        }
        if ((state != BATON_SLOT_DISPATCHED && state != BATON_SLOT_POLLED) ||
            baton__elapsed_ns(deadline_of(baton__slot(&channel->slab, index)), now) > 0) {
            continue;
        }
        /* The deadline read above belongs to this generation or a later one; a later one makes
         * the CAS below fail, because the state word would differ. */
        int published = baton__publish_outcome(channel, baton__handle(baton__generation(word), index), state,
                                               BATON_SLOT_TIMED_OUT, BATON_ETIMEDOUT, 0, NULL, 0);
        if (published == BATON_ENOBUFS) {
            break;
        }
        if (published == BATON_OK) {
            expired++;
        }
    }
    if (expired > 0) {
        baton__signal(&channel->header->completion_waiters, &channel->header->completion_signal);
    }
    return expired;
}

int baton_reclaim_expired(baton_channel *channel)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = reclaim_expired_entered(channel);
    baton__leave(channel);
    return returned;
}

static int read_metrics_entered(baton_channel *channel, baton_metrics *metrics)
{
    if (metrics == NULL) {
        return BATON_EFAULT;
    }
    memset(metrics, 0, sizeof *metrics);
    int64_t now = baton__now_ns();
    int64_t oldest_at = INT64_MAX;
    int64_t newest_at = INT64_MIN;
    for (uint32_t index = 0; index < channel->slab.capacity; index++) {
        baton_slot *slot = baton__slot(&channel->slab, index);
        uint64_t word = baton__slab_load_held(&channel->slab, index); /* acquire: the fields belong to it */
        uint32_t state = baton__state(word);
        if (state == BATON_SLOT_COMPLETED || state == BATON_SLOT_TIMED_OUT) {
            metrics->awaiting_drain_count++;
            continue;
        }
        if (state != BATON_SLOT_DISPATCHED && state != BATON_SLOT_POLLED && state != BATON_SLOT_YIELDING) {
            continue;
        }
        int64_t dispatched_at = atomic_load_explicit(baton__atomic(slot->dispatched_at_ns), memory_order_relaxed);
        uint64_t id_hi = atomic_load_explicit(baton__atomic(slot->event_id_hi), memory_order_relaxed);
        uint64_t id_lo = atomic_load_explicit(baton__atomic(slot->event_id_lo), memory_order_relaxed);
        /* A seqlock read: the fields count only if the state word did not move while we read them. */
        if (baton__slot_state_after_reads(slot) != word) {
            continue;
        }
        if (state == BATON_SLOT_DISPATCHED) {
            metrics->waiting_count++;
        } else {
            metrics->in_progress_count++;
        }
        if (baton__elapsed_ns(now, dispatched_at) > channel->starvation_threshold_ns) {
            metrics->starving_count++;
        }
        if (dispatched_at < oldest_at) {
            oldest_at = dispatched_at;
            metrics->oldest_event_id_hi = id_hi;
            metrics->oldest_event_id_lo = id_lo;
        }
        if (dispatched_at > newest_at) {
            newest_at = dispatched_at;
        }
    }
    metrics->pending_count = metrics->waiting_count + metrics->in_progress_count;
    if (metrics->pending_count != 0) {
        metrics->oldest_pending_age_ns = baton__elapsed_ns(now, oldest_at);
        metrics->newest_pending_age_ns = baton__elapsed_ns(now, newest_at);
    }
    return BATON_OK;
}

int baton_read_metrics(baton_channel *channel, baton_metrics *metrics)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = read_metrics_entered(channel, metrics);
    baton__leave(channel);
    return returned;
}

/* Whether a state word names an event: a state other than FREE, of a generation a handle may carry. */
static int holds_event(uint64_t word)
{
    uint32_t state = baton__state(word);
    uint32_t generation = baton__generation(word);
    return state >= BATON_SLOT_DISPATCHED && state <= BATON_SLOT_YIELDING && generation != 0 &&
           generation <= BATON_GENERATION_MAX;
}

/* Reads the event a slot holds under its state word: 1 with *listed filled, 0 when the slot holds
 * none, or held it only until the fields were read. */
static int read_listed(baton__slab *slab, uint32_t index, baton_listed_event *listed)
{
    baton_slot *slot = baton__slot(slab, index);
    uint64_t word = baton__slab_load_held(slab, index); /* acquire: the fields belong to it */
    if (!holds_event(word)) {
        return 0;
    }
    listed->handle = baton__handle(baton__generation(word), index);
    listed->event_id_hi = atomic_load_explicit(baton__atomic(slot->event_id_hi), memory_order_relaxed);
    listed->event_id_lo = atomic_load_explicit(baton__atomic(slot->event_id_lo), memory_order_relaxed);
    listed->correlation_id_hi = atomic_load_explicit(baton__atomic(slot->correlation_id_hi), memory_order_relaxed);
    listed->correlation_id_lo = atomic_load_explicit(baton__atomic(slot->correlation_id_lo), memory_order_relaxed);
    listed->dispatched_at_ns = atomic_load_explicit(baton__atomic(slot->dispatched_at_ns), memory_order_relaxed);
    listed->kind = atomic_load_explicit(baton__atomic(slot->kind), memory_order_relaxed);
    listed->state = baton__state(word);
    listed->redeliveries = atomic_load_explicit(baton__atomic(slot->redeliveries), memory_order_relaxed);
    listed->yields = atomic_load_explicit(baton__atomic(slot->yields), memory_order_relaxed);
    /* A seqlock read, as the metrics': the fields count only if the word did not move meanwhile. */
    return baton__slot_state_after_reads(slot) == word;
}

static int list_events_entered(baton_channel *channel, uint32_t *cursor, baton_listed_event *events, uint32_t max)
{
    if (cursor == NULL || (events == NULL && max > 0)) {
        return BATON_EFAULT;
    }
    uint32_t listed = 0;
    uint32_t index = *cursor;
    for (; index < channel->slab.capacity && listed < max; index++) {
        listed += (uint32_t)read_listed(&channel->slab, index, &events[listed]);
    }
    *cursor = index;
    return (int)listed;
}

int baton_list_events(baton_channel *channel, uint32_t *cursor, baton_listed_event *events, uint32_t max)
{
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = list_events_entered(channel, cursor, events, max);
    baton__leave(channel);
    return returned;
}
