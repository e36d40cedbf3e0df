/*
 * Internal declarations of libbaton. Helpers carry the baton__ prefix and are
 * hidden (not exported): only the baton_* functions of baton.h are.
 */
#ifndef BATON__INTERNAL_H
#define BATON__INTERNAL_H

#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "baton.h"

/*
 * baton.h declares shared words as plain integers, so that C++, Rust and the
 * Java layouts read the same structs. The library reaches them only through
 * C11 atomics of the same size and alignment, with the ordering named at each
 * use, as the Java side does with VarHandle access modes.
 */
#define baton__atomic(lvalue) ((_Atomic __typeof__(lvalue) *)&(lvalue))

/*
 * Each part of a channel is a structure of its own over memory its caller hands it, as Aeron's
 * aeron_mpsc_rb_t is: a test can drive a slab or a ring over any buffer. Sizes are copied in once
 * and never re-read from shared memory, so a corrupted header cannot move an access out of bounds.
 */

/* free_list.c, the twin of FreeList.java: a Treiber stack of numbered items. */
typedef struct baton__free_list {
    uint64_t *head;   /* tag << 32 | (top index + 1), a hot word of shared memory */
    uint8_t *links;   /* item i's link, a uint32_t, at links + i * stride */
    uint32_t stride;
    uint32_t capacity;
} baton__free_list;

/* block_pools.c, the twin of BlockPools.java: the block area's size classes. */
typedef struct baton__block_class {
    uint8_t *blocks;
    uint32_t block_size;
    baton__free_list free_list;
} baton__block_class;

typedef struct baton__block_pools {
    baton__block_class classes[BATON_BLOCK_CLASSES];
} baton__block_pools;

/* slab.c, the twin of Slab.java: fixed-size slots and the free list threaded through them. */
typedef struct baton__slab {
    uint8_t *slots;
    baton__free_list free_list; /* through each slot's next_free; its head is the header's free_head */
    baton__block_pools *blocks; /* where a slot's payload_block is released when the slot is freed */
    uint32_t capacity;
    uint32_t slot_size;
} baton__slab;

/* The most slots a drain frees before it pushes them back on the free list together. */
#define BATON_FREED_RUN 64

/* The slots the host's drain freed, kept off the free list for the same thread's next dispatches,
 * which take them back with plain operations (slab.c). Java keeps freed slots in a magazine per
 * thread, for up to four threads (SlotMagazines.java); libbaton keeps this one. One thread
 * owns them: the first to drain, until it ends (host_drain.c). A drain on another thread while the
 * owner lives frees to the free list. After a drain the owner keeps at most `keep` and pushes the
 * rest back with one CAS; all of them when it has not dispatched since its last drain (a host
 * thread that only drains keeps nothing from the threads that dispatch), once another thread found
 * the free list empty and asked, and as the attachment detaches (baton__host_drain_return_kept). A
 * slot kept is FREE and on no list, as between a pop and its publication: an adopter's audit puts
 * it back (baton__slab_recover_free). */
typedef struct baton__freed_slots {
    uint32_t count; /* the owner's alone */
    uint32_t keep;  /* a sixteenth of the slab, at most BATON_FREED_RUN */
    int owner_dispatched; /* the owner's: whether it dispatched since its last drain's end */
    /* The owner's thread serial (calls.c), 0 for none: written by drains (one at a time), read by
     * dispatching threads, each of which finds its own serial here only if it wrote it. */
    _Atomic uint64_t owner;
    const struct baton__call_record *owner_record; /* the owner's record: drains' alone */
    pid_t owner_pid; /* the process the owner ran in: a fork's child copies this struct, not the slots */
    atomic_uint asked; /* set by a dispatch that found the free list empty; cleared by the owner */
    uint32_t indices[BATON_FREED_RUN];
} baton__freed_slots;

/* dispatch_ring.c, the twin of DispatchRing.java. */
typedef struct baton__dispatch_ring {
    baton_dispatch_ring *shared;
    uint32_t capacity;
    /* This attachment's dispatchers: the position whose cell they found held by a consumer that
     * moved on without releasing it, and since when (relaxed atomics: a hint, the CAS decides). */
    uint64_t stalled_position;
    int64_t stalled_since_ns;
    /* BATON_CELL_CLAIMED_BY(this attachment's tag), or of tag 0 while unattached: what a claim
     * marks its cell's sequence with, so that a reaper commits it if this process dies before the
     * commit. */
    uint64_t claim_mark;
    /* This process's reapers: the consumer position whose cell they found taken by a producer and
     * not marked, and since when (relaxed atomics: a hint, the CAS decides). */
    uint64_t unmarked_position;
    int64_t unmarked_since_ns;
    /* This attachment's dispatchers: when one may next audit the ring after finding it full. */
    int64_t audit_due_ns;
} baton__dispatch_ring;

/* completion_ring.c, the twin of CompletionRing.java. The reader's own state (the head it last
 * found blocked, and since when) lives here, in the reader's process, never in shared memory. */
typedef struct baton__completion_ring {
    uint8_t *records;
    baton_completion_trailer *trailer;
    uint32_t capacity;
    uint32_t max_body_length; /* capacity / 8 */
    int64_t blocked_head;
    int64_t blocked_since_ns;
} baton__completion_ring;

/* latency_ring.c, the twin of LatencyRing.java. */
typedef struct baton__latency_ring {
    baton_latency_ring *shared;
    uint32_t capacity;
} baton__latency_ring;

/* attachment_table.c: the entries that let survivors settle what a dead process left. This
 * attachment's own entry is `own` (NULL once it left); its claims carry `tag`. */
typedef struct baton__attachment_table {
    baton_attachment *entries;
    uint32_t capacity;
    uint32_t redelivery_limit;
    baton_attachment *own;
    uint32_t tag;
    uint32_t own_pid;
    uint64_t own_pid_namespace;
    uint64_t own_start_time; /* from /proc; 0 when it could not be read */
} baton__attachment_table;

/* host_drain.c, the twin of HostDrain.java: what this attachment's drains counted. Written by the
 * draining thread, read by baton_read_drain_counts from any thread (relaxed atomics). */
typedef struct baton__host_drain {
    uint32_t draining; /* 1 while a drain of this attachment runs: a second one gets BATON_EBUSY */
    uint64_t completed_count;
    uint64_t timed_out_count;
    uint64_t rejected_record_count;
    uint64_t unblocked_record_count;
    int64_t cached_clock_ns; /* what this host last stored in the header's clock_ns (clock.c) */
    /* The slots the owner's drains freed and keep for its dispatches (baton__freed_slots). */
    baton__freed_slots freed;
} baton__host_drain;

/* An attachment: what baton_attach checked, and the parts bound over the memory
 * (channel_memory.c, the twin of ChannelMemory.java). */
/* orphaned_outcomes.c: this attachment's audit of slots in an end state that no record reports. */
typedef struct baton__outcome_audit {
    uint32_t running; /* one audit at a time per attachment (atomic exchange) */
    uint32_t noted_count;
    uint32_t noted_capacity;
    uint32_t *noted_indexes; /* the slots noted in an end state, and their state words */
    uint64_t *noted_words;
    int64_t tail_noted; /* the completion ring's tail once they were noted */
    int64_t noted_at_ns; /* 0: nothing noted yet */
} baton__outcome_audit;

struct baton_channel {
    uint8_t *memory;
    uint64_t length;
    /* channel_file.c: set when this attachment mapped a file (baton_create, baton_open): it unmaps
     * at detach; the file's path is removed at close by its creator or its adopter (removes_file). */
    int mapped;
    char *file_path;
    int removes_file;
    /* host_liveness.c: when a handler's wait may next look at the host (relaxed: any thread). */
    int64_t host_watch_due_ns;
    /* close_handshake.c: whether the attachment is being detached; a detach wakes the parked calls
     * and waits until every thread's call record (calls.c) is out of it before it frees
     * anything. */
    uint32_t detaching;
    baton_header *header;
    uint32_t inline_payload_capacity; /* slot_size - BATON_SLOT_HEADER_LENGTH */
    uint32_t max_payload_length;      /* the larger of the inline room and the largest block */
    uint32_t max_result_length;       /* the larger of a record's inline room and the largest block */
    uint32_t yield_limit;             /* yields an event may make; the next one ends it (BATON_ELOOP) */
    int64_t completion_timeout_ns;
    int64_t starvation_threshold_ns;
    /* How long a ring may stay blocked by a peer before the peer is presumed dead: the completion
     * timeout, at least BATON_UNBLOCK_PATIENCE_MIN_NS. */
    int64_t unblock_patience_ns;
    baton__slab slab;
    baton__block_pools payload_blocks; /* held by events: taken at dispatch, released with the slot */
    baton__block_pools result_blocks;  /* held by outcomes: taken at completion, released by the drain */
    baton__dispatch_ring dispatch_ring;
    baton__completion_ring completion_ring;
    baton__latency_ring latency_ring;
    baton__host_drain host_drain;
    baton__attachment_table attachments;
    baton__outcome_audit outcome_audit;
};

/* Crash trials: a build with BATON_FAULT_HOOKS (tests/c/fault_hooks.c, never libbaton itself) kills
 * the process at a named instant where dying is most dangerous; elsewhere the hooks compile away. */
#ifdef BATON_FAULT_HOOKS
void baton__fault(const char *point);
#else
#define baton__fault(point) ((void)0)
#endif

/* clock.c */
int64_t baton__now_ns(void);
int64_t baton__channel_now(baton_header *header);
void baton__cache_clock(baton_header *header, int64_t *last_cached, int64_t time);
void baton__clear_clock(baton_header *header, int64_t *last_cached);
int baton__due(int64_t *next_due_ns, int64_t interval_ns);
/* later - earlier on the monotonic clock, wrapping rather than overflowing: the times come from
 * shared memory, which another process may have scribbled on. */
static inline int64_t baton__elapsed_ns(int64_t later, int64_t earlier)
{
    return (int64_t)((uint64_t)later - (uint64_t)earlier);
}
/* calls.c: calls in and out of an attachment, so that baton_detach waits for the calls in progress
 * and refuses new ones, and whether the channel is closed. Every API entry point starts here (Java's
 * twin: ChannelLifecycle.ensureOpen, isClosed). Each thread records the attachments it is inside a
 * call on, innermost last; a detach waits until no record holds its attachment. Entry and exit are
 * inline: they are on every path. */
#define BATON_CALL_NESTING 8 /* calls a thread may be inside at once, through callbacks */
typedef struct baton__call_record {
    /* The attachments this thread is inside, outermost first; NULL past its depth. Written only by
     * the owner, read by detaches. */
    _Atomic(const baton_channel *) inside[BATON_CALL_NESTING];
    uint32_t depth;                  /* the owner's alone */
    atomic_uint held;                /* 1 while a live thread owns the record */
    /* Its thread's serial, never reused within the process: set as a thread adopts the record
     * (release), read by a drain judging whether the owner of the slots kept lives (acquire). */
    _Atomic uint64_t serial;
    struct baton__call_record *next; /* set before the record is published, never changed */
} baton__call_record;
/* initial-exec: read at a fixed offset from the thread pointer, where the general model calls
 * __tls_get_addr on every call. glibc keeps room in static TLS for the few bytes of a library loaded
 * with dlopen, as every binding and Java load libbaton. */
extern _Thread_local baton__call_record *baton__own_call_record __attribute__((tls_model("initial-exec")));
extern atomic_int baton__asymmetric_fence; /* 1 when membarrier runs the detach's side of the fence */
/* The calling thread's record, on its first call: a freed one if any, else a new one; NULL if none
 * can be allocated. */
__attribute__((cold)) baton__call_record *baton__call_record_adopt(void);
/* Whether the calling thread is inside a call on the attachment. */
int baton__call_record_holds(const baton_channel *channel);
/* Whether the thread of `serial`, which adopted `record`, has not ended; acquire, so that once it
 * has, its writes happen before the caller's next accesses. */
int baton__thread_lives(const baton__call_record *record, uint64_t serial);
/* The calling thread's serial, inside a call (which made its record). relaxed: only this thread
 * writes it. */
static inline uint64_t baton__thread_serial(void)
{
    return atomic_load_explicit(&baton__own_call_record->serial, memory_order_relaxed);
}
/* After the detaching flag is set: waits until no thread is inside a call on the attachment. */
void baton__call_records_wait_out(const baton_channel *channel);

static inline int baton__is_closed(const baton_channel *channel)
{
    /* acquire: pairs with the close's store, so a closed channel is never acted on after it. */
    return atomic_load_explicit(baton__atomic(channel->header->channel_state), memory_order_acquire) !=
           BATON_CHANNEL_OPEN;
}

/* Records the call out of its attachment: the calling thread's innermost call, which is the caller's. */
static inline void baton__leave(const baton_channel *channel)
{
    (void)channel; /* the record holds it, innermost */
    baton__call_record *record = baton__own_call_record;
    record->depth--;
    /* release: the call's accesses to the attachment happen before a detach sees it gone. */
    atomic_store_explicit(&record->inside[record->depth], NULL, memory_order_release);
}

/* Records a call in on the attachment, so that baton_detach waits for it: BATON_OK (then the caller
 * must baton__leave), BATON_EFAULT, BATON_ESHUTDOWN once the attachment is being detached,
 * BATON_EBUSY when the thread is already inside BATON_CALL_NESTING calls (through callbacks), or
 * BATON_ENOMEM when the thread's first call finds no memory for its record. */
static inline int baton__enter_any(const baton_channel *channel)
{
    if (channel == NULL) {
        return BATON_EFAULT;
    }
    baton__call_record *record = baton__own_call_record;
    if (record == NULL && (record = baton__call_record_adopt()) == NULL) {
        return BATON_ENOMEM;
    }
    if (record->depth == BATON_CALL_NESTING) {
        return BATON_EBUSY;
    }
    if (atomic_load_explicit(&baton__asymmetric_fence, memory_order_relaxed)) {
        /* relaxed, then a compiler barrier: the detach's membarrier supplies the hardware fence
         * between this store and the load below (calls.c). */
        atomic_store_explicit(&record->inside[record->depth], channel, memory_order_relaxed);
        atomic_signal_fence(memory_order_seq_cst);
    } else {
        /* seq_cst, as the load below and the detach's store and loads: a Dekker pattern. */
        atomic_store_explicit(&record->inside[record->depth], channel, memory_order_seq_cst);
    }
    record->depth++;
    /* seq_cst (a plain load on x86): either the detach sees this call recorded, or this call sees
     * the detach. */
    if (atomic_load_explicit(baton__atomic(channel->detaching), memory_order_seq_cst) != 0) {
        baton__leave(channel);
        return BATON_ESHUTDOWN;
    }
    return BATON_OK;
}

/* As baton__enter_any, for the operations a closed channel refuses (Java: ensureOpen). */
static inline int baton__enter(const baton_channel *channel)
{
    int entered = baton__enter_any(channel);
    if (entered == BATON_OK && baton__is_closed(channel)) {
        baton__leave(channel);
        return BATON_ESHUTDOWN;
    }
    return entered;
}

/* error.c: the calling thread's detail of its last refused opening call (baton_error_detail).
 * Each opening call clears it first; a step that refuses says what it found (baton__refuse returns
 * code); an outer step puts the object's name before it. */
#define BATON_ERROR_DETAIL_CAPACITY 1024
void baton__detail_clear(void);
int baton__refuse(int code, const char *format, ...) __attribute__((format(printf, 2, 3)));
void baton__detail_name(const char *object);

/* geometry.c: sizes and offsets, as Java's ChannelGeometry. */
int baton__check_config(const baton_config *config);
uint64_t baton__segment_length(const baton_config *config);
uint64_t baton__slab_offset(const baton_config *config);
uint64_t baton__completion_ring_offset(const baton_config *config);
uint64_t baton__latency_ring_offset(const baton_config *config);
uint64_t baton__attachment_table_offset(const baton_config *config);
uint64_t baton__block_area_offset(const baton_config *config);
/* The length of one of the block area's two halves (payloads, then results). */
uint64_t baton__block_half_length(const baton_config *config);
/* Within a half of the block area: where class k's links and blocks start. */
uint64_t baton__block_links_offset(const baton_config *config, uint32_t k);
uint64_t baton__block_blocks_offset(const baton_config *config, uint32_t k);


/* channel_memory.c, the twin of ChannelMemory.java */
void baton__channel_bind(baton_channel *channel, uint8_t *memory, uint64_t length, const baton_config *config);
void baton__channel_format(baton_channel *channel, uint64_t segment_length);
int baton__check_header_room(uint64_t length);
int baton__channel_read_config(const uint8_t *memory, uint64_t length, baton_config *config);

/* slab.c */
static inline uint64_t baton__state_word(uint32_t generation, uint32_t state)
{
    return ((uint64_t)generation << 32) | state;
}
static inline uint32_t baton__generation(uint64_t word) { return (uint32_t)(word >> 32); }
static inline uint32_t baton__state(uint64_t word) { return (uint32_t)word & BATON_SLOT_STATE_MASK; }
static inline uint32_t baton__holder(uint64_t word) { return (uint32_t)word >> BATON_SLOT_HOLDER_SHIFT; }
/* The low half of a state word: a state, with a holder tag for POLLED. */
static inline uint32_t baton__polled_by(uint32_t tag)
{
    return BATON_SLOT_POLLED | (tag << BATON_SLOT_HOLDER_SHIFT);
}
static inline uint32_t baton__handle_index(uint64_t handle) { return (uint32_t)handle; }
static inline uint64_t baton__handle(uint32_t generation, uint32_t index)
{
    return ((uint64_t)generation << 32) | index;
}

/* free_list.c */
void baton__free_list_format(baton__free_list *list);
uint32_t baton__free_list_pop_run(baton__free_list *list, uint32_t max, uint32_t *items);
int64_t baton__free_list_pop(baton__free_list *list);
uint32_t *baton__free_list_link(const baton__free_list *list, uint32_t index);
void baton__free_list_push_run(baton__free_list *list, const uint32_t *items, uint32_t count);
void baton__free_list_mark_members(const baton__free_list *list, uint64_t *members);
void baton__free_list_push(baton__free_list *list, uint32_t index);
int baton__free_list_corrupted(const baton__free_list *list);

/* block_pools.c */
void baton__block_pools_format(baton__block_pools *pools);
uint32_t baton__block_take(baton__block_pools *pools, uint32_t length);
void baton__block_stamp_owner(baton__block_pools *pools, uint32_t block, uint64_t handle);
int baton__block_owned_by(const baton__block_pools *pools, uint32_t block, uint64_t handle);
void baton__block_release(baton__block_pools *pools, uint32_t block);
uint32_t baton__block_size(const baton__block_pools *pools, uint32_t block);
uint8_t *baton__block_address(const baton__block_pools *pools, uint32_t block);
uint32_t baton__block_largest(const baton__block_pools *pools);
int baton__block_lists_corrupted(const baton__block_pools *pools, uint32_t length);
uint32_t baton__block_stamp(uint64_t handle);
void baton__block_release_orphans(baton__block_pools *pools,
                                  int (*orphaned)(const void *context, uint32_t stamp, uint32_t block),
                                  const void *context);

void baton__slab_format(baton__slab *slab);
baton_slot *baton__slot(const baton__slab *slab, uint32_t index);
int baton__slab_in_range(const baton__slab *slab, uint64_t handle);
int64_t baton__slab_acquire(baton__slab *slab);
int baton__slab_free_list_corrupted(const baton__slab *slab);
void baton__slab_release_run(baton__slab *slab, const uint32_t *indices, uint32_t count);
void baton__slab_release(baton__slab *slab, uint32_t index);
uint64_t baton__slab_publish(baton__slab *slab, uint32_t index);
int baton__slab_transition(baton__slab *slab, uint64_t handle, uint32_t from, uint32_t to);
int baton__slab_free(baton__slab *slab, uint64_t handle, uint32_t from, uint32_t tag);
void baton__slab_free_owned(baton__slab *slab, uint64_t handle);
void baton__slab_free_owned_into(baton__slab *slab, uint64_t handle, baton__freed_slots *kept);
uint32_t baton__slab_trim_freed(baton__slab *slab, baton__freed_slots *kept);
int64_t baton__slab_acquire_kept(baton__slab *slab, baton__freed_slots *kept, uint64_t thread);
uint32_t baton__slab_acquire_run_kept(baton__slab *slab, baton__freed_slots *kept, uint64_t thread, uint32_t max,
                                      uint32_t *indices);
uint64_t baton__slab_load_state(const baton__slab *slab, uint32_t index);
uint64_t baton__slab_load_held(const baton__slab *slab, uint32_t index);
int baton__slab_rejection_of(uint64_t handle, uint64_t word, uint32_t expected);
int baton__slab_rejection(const baton__slab *slab, uint64_t handle, uint32_t expected);
int baton__slab_word_corrupted(uint64_t word);
uint64_t baton__slab_stamped_word(const baton__slab *slab, uint32_t stamp);
uint64_t baton__slab_normalize_corrupted(baton__slab *slab, uint32_t index, uint64_t word);
void baton__slab_mark_claim(baton__slab *slab, uint32_t index, uint32_t tag);
int baton__slab_is_claim(const baton__slab *slab, uint64_t token);
int baton__slab_end_claim(baton__slab *slab, uint64_t token);
int baton__slab_claimed_for_dispatch_by(const baton__slab *slab, uint32_t index, uint32_t tag);

/* slot_fields.c, the twin of SlotFields.java: an event's fields in its slot */
void baton__slot_fence_before_rewrite(void);
void baton__slot_write_event(baton_slot *slot, uint64_t event_id_hi, uint64_t event_id_lo,
                             uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind,
                             int64_t dispatched_at_ns, int64_t deadline_ns);
void baton__slot_write_payload(baton_slot *slot, uint32_t payload_block, uint8_t *payload_at, const void *payload,
                               uint32_t payload_length);
uint32_t baton__slot_payload_block(const baton_slot *slot);
void baton__slot_forget_event(baton_slot *slot);
int baton__slot_holds_event(const baton_slot *slot);
uint32_t baton__slot_yields(baton_slot *slot);
void baton__slot_count_yield(baton_slot *slot);
void baton__slot_write_trace(baton_slot *slot, const baton_trace_context *trace);
void baton__slot_write_handler_span(baton_slot *slot, uint64_t handler_span_id);
void baton__slot_read_trace(baton_slot *slot, baton_trace_context *trace);
const uint8_t *baton__slot_block_payload(baton_slot *slot, const baton__block_pools *blocks, uint32_t block,
                                         uint32_t *length);
/* Where the event's payload is, and its length: the slot's inline room (here, inline, for the hot
 * path), or the block payload_block names (baton__slot_block_payload). The length is bounded by that
 * room. Relaxed reads: the caller owns the event, or validates against the state word afterwards. */
static inline const uint8_t *baton__slot_payload(baton_slot *slot, const baton__block_pools *blocks,
                                                 uint32_t inline_capacity, uint32_t *length)
{
    uint32_t block = atomic_load_explicit(baton__atomic(slot->payload_block), memory_order_relaxed);
    if (block != 0) {
        return baton__slot_block_payload(slot, blocks, block, length);
    }
    uint32_t written = atomic_load_explicit(baton__atomic(slot->payload_length), memory_order_relaxed);
    *length = written <= inline_capacity ? written : inline_capacity;
    return slot->payload;
}
void baton__slot_read_event(baton_slot *slot, const baton__block_pools *blocks, uint32_t inline_capacity,
                            baton_event *event);
void baton__copy_out(uint8_t *destination, const uint8_t *source, uint32_t length);
uint64_t baton__slot_state_after_reads(baton_slot *slot);
void baton__slot_count_redelivery(baton_slot *slot);
void baton__slot_carry_redeliveries(baton_slot *slot, uint32_t redeliveries);

/* dispatch_ops.c: a dispatch ring position for a new handle, or -1 when the ring is full of live
 * work; its commit, which wakes the handlers; and the room a payload needs in a slot (its inline
 * room, or a block) */
int64_t baton__claim_dispatch_cell(baton_channel *channel);
void baton__commit_dispatch_cell(baton_channel *channel, int64_t position, uint64_t handle);
int64_t baton__take_payload_block(baton_channel *channel, uint32_t index, uint32_t payload_length,
                                  uint8_t **payload_at);
/* Takes the room a payload of payload_length bytes needs in the slot at index (slot), which the
 * caller holds: its inline room, or for a longer payload a block (baton__take_payload_block), then
 * the caller's. A dispatch and a yield (handler_ops.c) share it; inline, so that an inline payload
 * costs the dispatch no call. The block (0 for the inline room) with *payload_at set to where the
 * payload goes, or BATON_EAGAIN, BATON_EUCLEAN as baton__take_payload_block. */
static inline int64_t baton__take_payload_room(baton_channel *channel, baton_slot *slot, uint32_t index,
                                               uint32_t payload_length, uint8_t **payload_at)
{
    if (payload_length > channel->inline_payload_capacity) {
        return baton__take_payload_block(channel, index, payload_length, payload_at);
    }
    *payload_at = slot->payload;
    return 0;
}

/* attachment_table.c */
void baton__attachments_format(baton__attachment_table *table);
void baton__attachments_identify(baton__attachment_table *table);
int baton__attachments_take(baton__attachment_table *table);
int baton__attachments_take_dead(baton__attachment_table *table, uint32_t index);
uint32_t baton__attachments_tag_of(const baton__attachment_table *table, uint32_t index);
void baton__attachments_free(baton__attachment_table *table, uint32_t index);
uint32_t *baton__own_dispatch_waiting(baton_channel *channel);
uint32_t *baton__own_completion_waiting(baton_channel *channel);
int baton__attachment_gone(const baton_channel *channel, uint32_t tag);
int baton__attachment_released(const baton_channel *channel, uint32_t tag);

int baton__attachment_lost(const baton_channel *channel, uint32_t tag);
uint32_t baton__attachment_pid(const baton_channel *channel, uint32_t tag);
int baton__attachment_reaping(const baton_channel *channel, uint32_t tag);

/* host_liveness.c: the host named in the header, and whether it lives */
void baton__host_name_first(baton_channel *channel);
int baton__host_watch(baton_channel *channel);

/* slab.c: after a dispatcher died */
uint32_t baton__slab_recover_free(baton__slab *slab);

/* reaper.c: what a dead or detaching attachment left, settled once */
int baton__reap_entered(baton_channel *channel);
int baton__attachments_join(baton_channel *channel);

/* orphaned_outcomes.c: settles each slot found in an end state with no record left to report it;
 * the slots settled. baton_reap runs it. */
int baton__settle_orphaned_outcomes(baton_channel *channel);
void baton__outcome_audit_free(baton__outcome_audit *audit);
void baton__attachments_leave(baton_channel *channel);

/* dispatch_ring.c */
void baton__dispatch_ring_format(baton__dispatch_ring *ring);
int64_t baton__dispatch_ring_claim(baton__dispatch_ring *ring);
uint32_t baton__dispatch_ring_claim_run(baton__dispatch_ring *ring, uint32_t count, int64_t *positions);
void baton__dispatch_ring_commit(baton__dispatch_ring *ring, int64_t position, uint64_t handle);
uint64_t baton__dispatch_ring_poll(baton__dispatch_ring *ring);
uint32_t baton__dispatch_ring_poll_run(baton__dispatch_ring *ring, uint32_t max, uint64_t *handles);
int baton__dispatch_ring_has_ready(baton__dispatch_ring *ring);
/* Whether a handle names an event that ended (or nothing): its cell is garbage. */
typedef int (*baton__stale_fn)(void *context, uint64_t handle);
int baton__dispatch_ring_drop_stale(baton__dispatch_ring *ring, baton__stale_fn stale, void *context);
int baton__dispatch_ring_unblock_if_stalled(baton__dispatch_ring *ring, int64_t patience_ns);
int baton__dispatch_ring_release_taken(baton__dispatch_ring *ring);
int baton__dispatch_ring_unblock_unmarked(baton__dispatch_ring *ring, int64_t patience_ns);
int baton__dispatch_ring_commit_abandoned(baton__dispatch_ring *ring, uint32_t tag);
int baton__dispatch_ring_audit(baton__dispatch_ring *ring);
int baton__dispatch_ring_audit_if_due(baton__dispatch_ring *ring, int64_t patience_ns);
void baton__dispatch_ring_for_each_queued(baton__dispatch_ring *ring, void (*visit)(void *, uint64_t), void *context);

/* completion_ring.c */
/* A record's length rounded up to the ring's alignment: the bytes it takes in the area. */
static inline uint32_t baton__align_record(uint32_t length)
{
    return (length + BATON_RECORD_ALIGNMENT - 1) & ~(uint32_t)(BATON_RECORD_ALIGNMENT - 1);
}
/* Takes one committed record: nonzero when it consumed it, 0 to leave it at the head and stop. */
typedef int (*baton__record_handler)(void *context, int32_t type, const uint8_t *body, uint32_t length);
void baton__completion_ring_format(baton__completion_ring *ring);
uint8_t *baton__completion_ring_claim(baton__completion_ring *ring, int32_t type, uint32_t body_length,
                                      uint32_t publisher, int *refused);
int baton__completion_ring_claim_run(baton__completion_ring *ring, int32_t type, const uint32_t *body_lengths,
                                     uint32_t count, uint32_t publisher, uint8_t **bodies);
void baton__completion_ring_commit(uint8_t *body);
void baton__completion_ring_abort(uint8_t *body);
int baton__completion_ring_read(baton__completion_ring *ring, baton__record_handler handler, void *context,
                                 uint32_t limit);
int baton__completion_ring_has_ready(baton__completion_ring *ring);
int64_t baton__completion_ring_tail(baton__completion_ring *ring);
int baton__completion_ring_read_past(baton__completion_ring *ring, int64_t position);
/* Decides a record left in progress at the head: WAIT while its producer may still finish it, else
 * COMMIT it as written or PAD it. patience_elapsed: the head has been blocked for longer than any
 * living producer holds a claim, so the producer is presumed dead whatever else is known. */
enum { JUDGE_WAIT = -1, JUDGE_PAD = 0, JUDGE_COMMIT = 1 };
typedef int (*baton__abandoned_record_judge)(void *context, int32_t type, uint32_t publisher, const uint8_t *body,
                                             uint32_t length, int patience_elapsed);
enum { NOT_BLOCKED = 0, UNBLOCKED_BY_COMMIT = 1, UNBLOCKED_BY_PADDING = 2 };
int baton__completion_ring_unblock(baton__completion_ring *ring, baton__abandoned_record_judge judge,
                                    void *context, int patience_elapsed, int gap_patience_elapsed);
int baton__completion_ring_unblock_if_stalled(baton__completion_ring *ring, baton__abandoned_record_judge judge,
                                               void *context, int64_t patience_ns);

/* outcome_publisher.c, the twin of OutcomePublisher.java */
int baton__publish_outcome(baton_channel *channel, uint64_t handle, uint32_t from, uint32_t to, int32_t status,
                           uint64_t handler_span_id, const void *result, uint32_t result_length);
/* The most completions one claim of the completion ring takes records for. */
#define BATON_COMPLETION_RUN 64
int baton__publish_completions(baton_channel *channel, const baton_completion *completions, uint32_t count,
                               int32_t *codes);
int baton__reports_outcome(const baton__slab *slab, uint64_t handle, int32_t type);
uint32_t baton__end_state(int32_t type);
int baton__judge_abandoned(void *channel, int32_t type, uint32_t publisher, const uint8_t *body, uint32_t length,
                           int patience_elapsed);

/* host_drain.c */
int baton__host_drain_each(baton_channel *channel, baton_outcome_handler handler, void *context, uint32_t limit);
int baton__host_drain_copy(baton_channel *channel, baton_outcome *outcomes, baton_trace_context *traces, uint32_t max,
                           uint8_t *results, uint32_t results_capacity);
void baton__host_drain_counts(baton__host_drain *drain, baton_drain_counts *counts);
void baton__host_drain_return_kept(baton_channel *channel);

/* latency_ring.c */
void baton__latency_ring_format(baton__latency_ring *ring);
void baton__latency_ring_record_run(baton__latency_ring *ring, const int64_t *values_ns, uint32_t count, int64_t now_ns,
                                    uint32_t source);

/* wait.c: futex waits, which Java's NativeAttachment reaches through libbaton */
typedef int (*baton__ready_fn)(baton_channel *channel);
/* What a wait watches besides its ring: BATON_OK, or the code that ends the wait. */
typedef int (*baton__watch_fn)(baton_channel *channel);
int baton__wait(baton_channel *channel, uint32_t *waiters, uint32_t *own_waiting, uint32_t *signal,
                 baton__ready_fn ready, baton__watch_fn watch, int64_t timeout_ns);
void baton__signal(uint32_t *waiters, uint32_t *signal);
void baton__signal_after_rmw(uint32_t *waiters, uint32_t *signal);
void baton__signal_all(uint32_t *signal);

#endif /* BATON__INTERNAL_H */
