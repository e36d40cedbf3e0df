/*
 * Internal declarations of libbaton. Helpers carry the baton__ prefix and are
 * hidden (not exported): only the baton_* functions of baton.h are.
 */
#ifndef BATON__INTERNAL_H
#define BATON__INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>

#include "baton.h"

/*
 * baton.h declares shared words as plain integers, so that C++, Rust and the
 * Java layouts read the same structs. The library reaches them only through
 * C11 atomics of the same size and alignment, with the ordering named at each
 * use, as the Java side does with VarHandle access modes.
 */
#define baton__atomic(lvalue) ((_Atomic __typeof__(lvalue) *)&(lvalue))

/* What baton_attach checked and cached. Sizes and offsets are never re-read
 * from shared memory afterwards, so a corrupted header cannot move an access
 * out of bounds. */
struct baton_channel {
    uint8_t *memory;
    uint64_t length;
    baton_header *header;
    uint8_t *slab;
    uint32_t slab_capacity;
    uint32_t slot_size;
    uint32_t payload_capacity;
    baton_dispatch_ring *dispatch_ring;
    uint32_t dispatch_ring_capacity;
    uint8_t *completion_records;
    baton_completion_trailer *completion_trailer;
    uint32_t completion_ring_capacity;
    uint32_t max_body_length;
    baton_latency_ring *latency_ring;
    uint32_t latency_ring_capacity;
    int64_t completion_timeout_ns;
    int64_t starvation_threshold_ns;
    /* Draining host only: the completion ring's head it last found blocked, and since when. */
    int64_t blocked_head;
    int64_t blocked_since_ns;
};

/* The longest result a completion record carries. */
#define __BATON_MAX_RESULT_LENGTH(channel) ((channel)->max_body_length - BATON_COMPLETION_BODY_LENGTH)

int64_t baton__now_ns(void);
int baton__is_closed(const baton_channel *channel);

/* geometry: sizes and offsets, as Java's ChannelGeometry. */
int baton__check_config(const baton_config *config);
uint64_t baton__slab_offset(const baton_config *config);
uint64_t baton__completion_ring_offset(const baton_config *config);
uint64_t baton__latency_ring_offset(const baton_config *config);

/* slab.c, the twin of Slab.java */
static inline uint64_t baton__state_word(uint32_t generation, uint32_t state)
{
    return ((uint64_t)generation << 32) | state;
}
static inline uint32_t baton__generation(uint64_t word) { return (uint32_t)(word >> 32); }
static inline uint32_t baton__state(uint64_t word) { return (uint32_t)word; }
static inline uint32_t baton__handle_index(uint64_t handle) { return (uint32_t)handle; }
static inline uint64_t baton__handle(uint32_t generation, uint32_t index)
{
    return ((uint64_t)generation << 32) | index;
}

void baton__slab_format(baton_channel *channel);
baton_slot *baton__slot(const baton_channel *channel, uint32_t index);
int baton__slab_in_range(const baton_channel *channel, uint64_t handle);
int64_t baton__slab_acquire(baton_channel *channel);
void baton__slab_release(baton_channel *channel, uint32_t index);
uint64_t baton__slab_publish(baton_channel *channel, uint32_t index);
int baton__slab_transition(baton_channel *channel, uint64_t handle, uint32_t from, uint32_t to);
int baton__slab_free(baton_channel *channel, uint64_t handle, uint32_t from);
uint64_t baton__slab_load_state(const baton_channel *channel, uint32_t index);
int baton__slab_rejection_of(uint64_t handle, uint64_t word, uint32_t expected);
int baton__slab_rejection(const baton_channel *channel, uint64_t handle, uint32_t expected);

/* dispatch_ring.c, the twin of DispatchRing.java */
void baton__dispatch_ring_format(baton_channel *channel);
int64_t baton__dispatch_ring_claim(baton_channel *channel);
void baton__dispatch_ring_commit(baton_channel *channel, int64_t position, uint64_t handle);
uint64_t baton__dispatch_ring_poll(baton_channel *channel);
int baton__dispatch_ring_has_ready(baton_channel *channel);

/* completion_ring.c, the twin of CompletionRing.java */
typedef void (*baton__record_handler)(baton_channel *channel, int32_t type, const uint8_t *body, uint32_t length,
                                       void *context);
void baton__completion_ring_format(baton_channel *channel);
uint8_t *baton__completion_ring_claim(baton_channel *channel, int32_t type, uint32_t body_length);
void baton__completion_ring_commit(uint8_t *body);
void baton__completion_ring_abort(uint8_t *body);
int baton__completion_ring_read(baton_channel *channel, baton__record_handler handler, void *context,
                                 uint32_t limit);
int baton__completion_ring_has_ready(baton_channel *channel);
/* Decides a record left in progress by a producer presumed dead: nonzero to commit it as written. */
typedef int (*baton__abandoned_record_judge)(baton_channel *channel, int32_t type, const uint8_t *body,
                                              uint32_t length);
enum { BATON_NOT_BLOCKED = 0, BATON_UNBLOCKED_BY_COMMIT = 1, BATON_UNBLOCKED_BY_PADDING = 2 };
int baton__completion_ring_unblock(baton_channel *channel, baton__abandoned_record_judge judge);
int baton__completion_ring_unblock_if_stalled(baton_channel *channel, baton__abandoned_record_judge judge,
                                               int64_t patience_ns);

/* latency_ring.c, the twin of LatencyRing.java */
void baton__latency_ring_format(baton_channel *channel);
void baton__latency_ring_record(baton_channel *channel, int64_t value_ns, int64_t now_ns, uint32_t source);

/* wait.c, the twin of Java's NativeWaits */
typedef int (*baton__ready_fn)(baton_channel *channel);
int baton__wait(baton_channel *channel, uint32_t *waiters, uint32_t *signal, baton__ready_fn ready,
                 int64_t timeout_ns);
void baton__signal(uint32_t *waiters, uint32_t *signal);
void baton__signal_all(uint32_t *signal);

#endif /* BATON__INTERNAL_H */
