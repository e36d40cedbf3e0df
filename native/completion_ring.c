/*
 * The completion ring: a many-to-one ring of variable-length records in the
 * binary format of Agrona's ManyToOneRingBuffer and Aeron's aeron_mpsc_rb.
 * The Java twin is java/.../CompletionRing.java; the functions are in the
 * same order.
 *
 * Claiming is lock-free; commit and abort are wait-free; the single reader is
 * wait-free but stops at the first record not yet committed. A producer that
 * dies between claim and commit would hold it for ever: unblock frees it, as
 * Agrona's unblock does.
 */
#include <string.h>

#include "baton_internal.h"

/* A record type fits 8 bits; while a record is in progress, the bits above name its publisher. */
#define TYPE_MASK UINT32_C(0xFF)
#define PUBLISHER_SHIFT 8

static int64_t make_header(int32_t length, int32_t type)
{
    return (int64_t)(((uint64_t)(uint32_t)type << 32) | (uint32_t)length);
}

/* Producers and the reader only ever move the positions by whole aligned records: a position that
 * is not aligned was written by no one in this protocol (memory another process corrupted). */
static int aligned(int64_t position)
{
    return (position & (BATON_RECORD_ALIGNMENT - 1)) == 0;
}

/* The bytes claimed and not yet consumed between two positions, or -1 when they are positions no
 * producer or reader writes (misaligned, or further apart than the ring). Unsigned arithmetic, so
 * that positions another process scribbled on cannot overflow. */
static int64_t in_use(int64_t head, int64_t tail, int64_t capacity)
{
    uint64_t used = (uint64_t)tail - (uint64_t)head;
    return aligned(head) && aligned(tail) && used <= (uint64_t)capacity ? (int64_t)used : -1;
}


void baton__completion_ring_format(baton__completion_ring *ring)
{
    memset(ring->records, 0, (size_t)ring->capacity + BATON_COMPLETION_TRAILER_LENGTH);
}

static int64_t acquire_head(baton__completion_ring *ring)
{
    baton_completion_trailer *trailer = ring->trailer;
    /* acquire: pairs with the reader's release of head_position: the space it freed is zeroed. */
    int64_t head = atomic_load_explicit(baton__atomic(trailer->head_position), memory_order_acquire);
    atomic_store_explicit(baton__atomic(trailer->head_cache_position), head, memory_order_relaxed);
    return head;
}

/* Reserves `required` aligned bytes: their index in the record area, -1 when there is no room, or
 * -2 when the positions are corrupted. */
static int64_t claim_capacity(baton__completion_ring *ring, uint32_t required)
{
    baton_completion_trailer *trailer = ring->trailer;
    const int64_t capacity = ring->capacity;
    const int64_t mask = capacity - 1;
    /* relaxed: a cache of head_position that may lag; re-read with acquire before giving up. */
    int64_t head = atomic_load_explicit(baton__atomic(trailer->head_cache_position), memory_order_relaxed);
    int64_t tail;
    int64_t tail_index;
    int64_t padding;
    for (;;) {
        tail = atomic_load_explicit(baton__atomic(trailer->tail_position), memory_order_seq_cst);
        int64_t used = in_use(head, tail, capacity);
        if (used < 0 || (int64_t)required > capacity - used) {
            /* The cache may only lag: the positions themselves decide. The tail is read again after
             * the head's acquire, so a legitimate tail is never behind the head it is compared to
             * (the reader released the head only after producers had claimed up to it). */
            head = acquire_head(ring);
            tail = atomic_load_explicit(baton__atomic(trailer->tail_position), memory_order_seq_cst);
            used = in_use(head, tail, capacity);
            if (used < 0) {
                /* A producer held up between the two loads can find the tail more than a lap past
                 * the head it read: the reader moved the head on meanwhile and other producers
                 * claimed behind it. Only positions that stay apart while the head stands still
                 * are corrupted; a head that moved is progress, and the claim starts again. */
                int64_t moved = acquire_head(ring);
                if (moved != head) {
                    head = moved;
                    continue;
                }
                return -2;
            }
            if ((int64_t)required > capacity - used) {
                return -1;
            }
        }
        padding = 0;
        tail_index = tail & mask;
        int64_t to_end = capacity - tail_index;
        if ((int64_t)required > to_end) {
            /* The record does not fit before the wrap: pad to the end and write at index 0,
             * which needs [0, required) consumed. */
            if ((int64_t)required > (head & mask)) {
                head = acquire_head(ring);
                if ((int64_t)required > (head & mask)) {
                    return -1;
                }
            }
            padding = to_end;
        }
        if (atomic_compare_exchange_weak_explicit(baton__atomic(trailer->tail_position), &tail,
                                                  (int64_t)((uint64_t)tail + required + (uint64_t)padding),
                                                  memory_order_seq_cst, memory_order_relaxed)) {
            break;
        }
    }
    if (padding != 0) {
        int64_t *padding_header = (int64_t *)(ring->records + tail_index);
        /* release: pairs with the reader's acquire of the header. */
        atomic_store_explicit(baton__atomic(*padding_header), make_header((int32_t)padding, BATON_RECORD_PADDING),
                              memory_order_release);
        tail_index = 0;
    }
    return tail_index;
}

/* Marks a record the caller claimed in progress, naming its publisher (a tag, 0 for none) in the
 * upper bits of the in-progress header's type: a pointer to its body. */
static inline uint8_t *mark_in_progress(uint8_t *record, uint32_t record_length, int32_t type, uint32_t publisher)
{
    /* release: the reader zeroed this space before releasing head_position, which claim_capacity
     * acquired; the negative length tells the reader to stop here. One store names the record's
     * publisher with it, so no record is ever in progress without. */
    atomic_store_explicit(baton__atomic(*(int64_t *)record),
                          make_header(-(int32_t)record_length, (int32_t)((uint32_t)type | publisher << PUBLISHER_SHIFT)),
                          memory_order_release);
    return record + BATON_RECORD_HEADER_LENGTH;
}

/* Reserves a record and marks it in progress (mark_in_progress): a pointer to its body, or NULL with
 * *refused set to BATON_ENOBUFS (no room) or BATON_EUCLEAN (positions no producer or reader wrote). */
uint8_t *baton__completion_ring_claim(baton__completion_ring *ring, int32_t type, uint32_t body_length,
                                      uint32_t publisher, int *refused)
{
    uint32_t record_length = body_length + BATON_RECORD_HEADER_LENGTH;
    int64_t index = claim_capacity(ring, baton__align_record(record_length));
    if (index < 0) {
        *refused = index == -1 ? BATON_ENOBUFS : BATON_EUCLEAN;
        return NULL;
    }
    return mark_in_progress(ring->records + index, record_length, type, publisher);
}

/* Reserves count records one after another with one claim (one CAS of the tail for them all) and
 * marks each in progress, in order, at once: the claim and the headers are as adjacent as one
 * record's, so a producer that dies between them leaves zeroes the reader's unblock pads, as for
 * one record. bodies[i] gets record i's body. BATON_OK, or BATON_ENOBUFS / BATON_EUCLEAN as
 * baton__completion_ring_claim, with nothing claimed. */
int baton__completion_ring_claim_run(baton__completion_ring *ring, int32_t type, const uint32_t *body_lengths,
                                     uint32_t count, uint32_t publisher, uint8_t **bodies)
{
    uint64_t required = 0;
    for (uint32_t i = 0; i < count; i++) {
        required += baton__align_record(body_lengths[i] + BATON_RECORD_HEADER_LENGTH);
    }
    if (required > (uint64_t)ring->capacity) {
        return BATON_ENOBUFS;
    }
    int64_t index = claim_capacity(ring, (uint32_t)required);
    if (index < 0) {
        return index == -1 ? BATON_ENOBUFS : BATON_EUCLEAN;
    }
    for (uint32_t i = 0; i < count; i++) {
        uint32_t record_length = body_lengths[i] + BATON_RECORD_HEADER_LENGTH;
        bodies[i] = mark_in_progress(ring->records + index, record_length, type, publisher);
        index += baton__align_record(record_length);
    }
    return BATON_OK;
}

/* Ends a claimed record: header becomes the committed (or padding) header of its length, unless the
 * reader unblocked it after presuming its producer dead; then it stays as the reader decided. */
static void finish(uint8_t *body, int padding)
{
    int64_t *record = (int64_t *)(body - BATON_RECORD_HEADER_LENGTH);
    /* relaxed: our own store, unless the reader unblocked the record meanwhile. */
    int64_t in_progress = atomic_load_explicit(baton__atomic(*record), memory_order_relaxed);
    int32_t length = (int32_t)(uint32_t)in_progress;
    if (length < 0) {
        int32_t type = padding ? BATON_RECORD_PADDING : (int32_t)((uint32_t)(in_progress >> 32) & TYPE_MASK);
        /* seq_cst CAS: releases the body before the positive length, to the reader's acquire of the
         * header; from the value read, so an unblock that came first keeps its decision. seq_cst also
         * orders the commit before the publisher's read of the host's waiters count that follows
         * (baton__signal_after_rmw), with no fence. */
        atomic_compare_exchange_strong_explicit(baton__atomic(*record), &in_progress, make_header(-length, type),
                                                memory_order_seq_cst, memory_order_relaxed);
    }
}

/* Makes a claimed record visible to the reader. Wait-free. */
void baton__completion_ring_commit(uint8_t *body)
{
    finish(body, 0);
}

/* Turns a claimed record into padding that the reader skips. Wait-free. */
void baton__completion_ring_abort(uint8_t *body)
{
    finish(body, 1);
}

/* Whether a record header's length is one no producer writes where `room` bytes of the area are left:
 * committed or in progress, shorter than a header or longer than the room (zero is a claim whose
 * header is still to come). */
static int length_corrupted(int32_t length, uint32_t room)
{
    int64_t size = length < 0 ? -(int64_t)length : length;
    return length != 0 && (size < BATON_RECORD_HEADER_LENGTH || size > (int64_t)room);
}

/* Whether the header at a position is one no producer writes. acquire: as the reader's. */
static int header_corrupted(const baton__completion_ring *ring, int64_t position)
{
    uint32_t index = (uint32_t)(position & (ring->capacity - 1));
    int64_t header = atomic_load_explicit(baton__atomic(*(int64_t *)(ring->records + index)), memory_order_acquire);
    return length_corrupted((int32_t)(uint32_t)header, ring->capacity - index);
}

/* Reads the committed records from head to the end of the area, as baton__completion_ring_read does. */
static int read_contiguous(baton__completion_ring *ring, int64_t head, baton__record_handler handler, void *context,
                           uint32_t limit)
{
    const uint32_t capacity = ring->capacity;
    const uint32_t head_index = (uint32_t)(head & (capacity - 1));
    const uint32_t contiguous = capacity - head_index;
    uint32_t bytes_read = 0;
    uint32_t records = 0;
    while (bytes_read < contiguous && records < limit) {
        uint8_t *record = ring->records + head_index + bytes_read;
        /* acquire: pairs with the release of the positive length in commit or abort, and of the
         * padding header in claim_capacity. */
        int64_t header = atomic_load_explicit(baton__atomic(*(int64_t *)record), memory_order_acquire);
        int32_t length = (int32_t)(uint32_t)header;
        if (length <= 0 || (uint32_t)length > contiguous - bytes_read || length < BATON_RECORD_HEADER_LENGTH) {
            break; /* not written yet, in progress, or a header no producer writes (header_corrupted) */
        }
        int32_t type = (int32_t)(header >> 32);
        if (type != BATON_RECORD_PADDING) {
            if (!handler(context, type, record + BATON_RECORD_HEADER_LENGTH,
                         (uint32_t)length - BATON_RECORD_HEADER_LENGTH)) {
                break; /* the handler left this record for the next read */
            }
            records++;
        }
        bytes_read += baton__align_record((uint32_t)length);
    }
    if (bytes_read > 0) {
        /* plain zeroing: ordered before the space is given back by the release below. */
        memset(ring->records + head_index, 0, bytes_read);
        /* release: pairs with the producers' acquire of head_position in claim_capacity. */
        atomic_store_explicit(baton__atomic(ring->trailer->head_position), (int64_t)((uint64_t)head + bytes_read),
                              memory_order_release);
    }
    return (int)records;
}

/* Reads committed records in order, continuing past the wrap, until limit records or a handler
 * that leaves its record (returns 0): that record stays at the head for the next read. The
 * records consumed, or BATON_EUCLEAN when the ring is corrupted: a head no reader wrote, or, when
 * there was nothing to read, a header at the head no producer writes or a tail that is not within
 * a ring's length past the head. Single reader only. */
int baton__completion_ring_read(baton__completion_ring *ring, baton__record_handler handler, void *context,
                                 uint32_t limit)
{
    baton_completion_trailer *trailer = ring->trailer;
    const int64_t mask = ring->capacity - 1;
    /* relaxed: only the reader writes head_position. */
    int64_t head = atomic_load_explicit(baton__atomic(trailer->head_position), memory_order_relaxed);
    if (!aligned(head)) {
        return BATON_EUCLEAN;
    }
    int records = read_contiguous(ring, head, handler, context, limit);
    int64_t next = atomic_load_explicit(baton__atomic(trailer->head_position), memory_order_relaxed);
    /* A block that ran to the end of the area leaves the records after the wrap to a second
     * block, so a call never reports 0 while records wait at index 0. */
    if ((uint32_t)records < limit && (head & mask) != 0 && (next & mask) == 0) {
        records += read_contiguous(ring, next, handler, context, limit - (uint32_t)records);
    }
    /* Nothing read: a header at the head no producer writes stops the reader for good, and so may a
     * tail that was written over, which producers then refuse and the reader alone can tell for
     * sure, as the head is its own and a producer only ever claims within a ring's length past it
     * (acquire: pairs with the claims' CAS, as a producer reads it). */
    if (records == 0) {
        next = atomic_load_explicit(baton__atomic(trailer->head_position), memory_order_relaxed);
        if (header_corrupted(ring, next) ||
            in_use(next, atomic_load_explicit(baton__atomic(trailer->tail_position), memory_order_acquire),
                   ring->capacity) < 0) {
            return BATON_EUCLEAN;
        }
    }
    return records;
}

static uint32_t unwritten_claims(baton__completion_ring *ring, uint32_t head_index, int64_t claimed);

/* The longest the reader waits on zeroes at the head (a claim whose header was never written)
 * before padding them, whatever the patience for records in progress. */
#define UNWRITTEN_CLAIM_PATIENCE_NS INT64_C(10000000000)

/* Frees the reader from a record whose producer died between claim and commit. Reader only. Like
 * Agrona's unblock, it presumes the producer dead, but only where that is known: by the judge (the
 * producer's attachment is gone), or once the head has not moved for far longer than any producer
 * holds a claim (patience_elapsed). A producer that wakes after its record was unblocked finds a
 * positive length in commit or abort and leaves the record alone.
 * - A header in progress: the judge decides; the record waits, is committed as written, or padded.
 * - A zero header: the producer died between moving tail_position and writing its header, and
 *   nothing names it. Once the head has been blocked for the gap patience (the patience, at most
 *   UNWRITTEN_CLAIM_PATIENCE_NS: those two steps are adjacent, and no completion timeout makes a
 *   living producer pause between them), the zeroes up to the next written header (or to the end
 *   of the area, when the claims run past it) become one padding record.
 * Both changes are a CAS from the header read, so a producer that finishes first wins. */
int baton__completion_ring_unblock(baton__completion_ring *ring, baton__abandoned_record_judge judge, void *context,
                                   int patience_elapsed, int gap_patience_elapsed)
{
    baton_completion_trailer *trailer = ring->trailer;
    /* relaxed: only the reader writes head_position. */
    int64_t head = atomic_load_explicit(baton__atomic(trailer->head_position), memory_order_relaxed);
    int64_t claimed = in_use(head, atomic_load_explicit(baton__atomic(trailer->tail_position), memory_order_seq_cst),
                             ring->capacity);
    if (claimed <= 0) { /* empty, or positions no producer or reader writes */
        return NOT_BLOCKED;
    }
    uint32_t head_index = (uint32_t)(head & (ring->capacity - 1));
    uint8_t *record = ring->records + head_index;
    /* acquire: pairs with the producer's release of the in-progress header; with the judge's own
     * acquire of the state the producer moved, the body written before that move is visible. */
    int64_t header = atomic_load_explicit(baton__atomic(*(int64_t *)record), memory_order_acquire);
    int32_t length = (int32_t)(uint32_t)header;
    if (length < 0) {
        if (length_corrupted(length, ring->capacity - head_index)) {
            return NOT_BLOCKED; /* a corrupted header: only a writer outside this protocol makes one */
        }
        int32_t type = (int32_t)((uint32_t)(header >> 32) & TYPE_MASK);
        uint32_t publisher = (uint32_t)(header >> 32) >> PUBLISHER_SHIFT;
        int verdict = judge(context, type, publisher, record + BATON_RECORD_HEADER_LENGTH,
                            (uint32_t)(-length) - BATON_RECORD_HEADER_LENGTH, patience_elapsed);
        if (verdict == JUDGE_WAIT) {
            return NOT_BLOCKED;
        }
        int commit = verdict == JUDGE_COMMIT;
        /* seq_cst CAS: the producer's own commit or abort, if it lives, wins or loses as a whole. */
        if (!atomic_compare_exchange_strong_explicit(baton__atomic(*(int64_t *)record), &header,
                                                     make_header(-length, commit ? type : BATON_RECORD_PADDING),
                                                     memory_order_seq_cst, memory_order_relaxed)) {
            return NOT_BLOCKED;
        }
        return commit ? UNBLOCKED_BY_COMMIT : UNBLOCKED_BY_PADDING;
    }
    if (length == 0 && gap_patience_elapsed) {
        uint32_t gap = unwritten_claims(ring, head_index, claimed);
        int64_t zero = 0;
        /* seq_cst CAS from zero: a producer that writes its header first keeps its record. */
        if (gap > 0 && atomic_compare_exchange_strong_explicit(baton__atomic(*(int64_t *)record), &zero,
                                                               make_header((int32_t)gap, BATON_RECORD_PADDING),
                                                               memory_order_seq_cst, memory_order_relaxed)) {
            return UNBLOCKED_BY_PADDING;
        }
    }
    return NOT_BLOCKED;
}

/* Unblocks the ring when the reader finds the same head blocked a second time and the judge knows
 * its producer gone, or once it has been blocked for longer than patience_ns. Reader only; call it
 * when a read returned nothing. */
int baton__completion_ring_unblock_if_stalled(baton__completion_ring *ring, baton__abandoned_record_judge judge,
                                               void *context, int64_t patience_ns)
{
    baton_completion_trailer *trailer = ring->trailer;
    /* relaxed: only the reader writes head_position. */
    int64_t head = atomic_load_explicit(baton__atomic(trailer->head_position), memory_order_relaxed);
    if (atomic_load_explicit(baton__atomic(trailer->tail_position), memory_order_seq_cst) == head) {
        ring->blocked_head = -1;
        return NOT_BLOCKED;
    }
    int64_t now = baton__now_ns();
    if (head != ring->blocked_head) {
        ring->blocked_head = head;
        ring->blocked_since_ns = now;
        return NOT_BLOCKED;
    }
    int64_t blocked_ns = now - ring->blocked_since_ns;
    int patience_elapsed = blocked_ns > patience_ns;
    if (patience_elapsed) {
        ring->blocked_since_ns = now;
    }
    return baton__completion_ring_unblock(
        ring, judge, context, patience_elapsed,
        blocked_ns > (patience_ns < UNWRITTEN_CLAIM_PATIENCE_NS ? patience_ns : UNWRITTEN_CLAIM_PATIENCE_NS));
}

/* Bytes of zeroes from the head up to the next written header, or to the end of the area when the
 * claims run past it; 0 when neither is in sight. Producers write a record's header before its
 * body, so the first non-zero word is a header. */
static uint32_t unwritten_claims(baton__completion_ring *ring, uint32_t head_index, int64_t claimed)
{
    uint32_t to_end = ring->capacity - head_index;
    uint32_t limit = claimed < (int64_t)to_end ? (uint32_t)claimed : to_end;
    for (uint32_t gap = BATON_RECORD_ALIGNMENT; gap < limit; gap += BATON_RECORD_ALIGNMENT) {
        /* acquire: a header written after the first look must be seen as written. */
        if (atomic_load_explicit(baton__atomic(*(int64_t *)(ring->records + head_index + gap)),
                                 memory_order_acquire) != 0) {
            return gap;
        }
    }
    return claimed >= (int64_t)to_end ? to_end : 0;
}

/* The tail's position: every record claimed before this call lies before it. acquire: pairs with a
 * producer's claim, so a caller that acquired a state the producer moved after claiming reads a
 * tail past the claim. */
int64_t baton__completion_ring_tail(baton__completion_ring *ring)
{
    return atomic_load_explicit(baton__atomic(ring->trailer->tail_position), memory_order_acquire);
}

/* Whether the reader has read every record before position. acquire: pairs with the reader's
 * release of the head, after it handled those records. Positions only grow; the signed difference
 * orders them across a wrap of the 64-bit count. */
int baton__completion_ring_read_past(baton__completion_ring *ring, int64_t position)
{
    int64_t head = atomic_load_explicit(baton__atomic(ring->trailer->head_position), memory_order_acquire);
    return (int64_t)((uint64_t)head - (uint64_t)position) >= 0;
}

/* Whether the next record is committed: what a waiting host checks before sleeping. */
int baton__completion_ring_has_ready(baton__completion_ring *ring)
{
    int64_t head = atomic_load_explicit(baton__atomic(ring->trailer->head_position),
                                        memory_order_acquire);
    if (!aligned(head)) {
        return 0; /* corrupted: the drain reports it */
    }
    uint8_t *record = ring->records + (head & (ring->capacity - 1));
    return (int32_t)(uint32_t)atomic_load_explicit(baton__atomic(*(int64_t *)record), memory_order_acquire) > 0;
}
