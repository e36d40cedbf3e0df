/*
 * baton.h: the ABI of a Baton channel. This file is the single source of truth
 * for the shared memory layout; the Java descriptors (dev.baton.*Descriptor)
 * are written from the numbers below and checked against them by tests.
 *
 * A channel is one contiguous, 4096-byte aligned region of shared memory.
 * Every multi-byte field is in the platform's native byte order (little-endian
 * on x86-64 and aarch64); every 64-bit field is 8-byte aligned so that it can be
 * accessed atomically from Java (VarHandle) and C (C11 atomics).
 *
 *   +------------------------------+ 0
 *   | channel header               |   BATON_HEADER_LENGTH (512) bytes
 *   +------------------------------+ dispatch_ring_offset (= 512)
 *   | dispatch ring                |   BATON_DISPATCH_RING_CELLS_OFFSET (256)
 *   |   producer index, consumer   |   + dispatch_ring_capacity * 16 bytes
 *   |   index, cells              |
 *   +------------------------------+ slab_offset (aligned to 128)
 *   | slab                         |   slab_capacity * slot_size bytes
 *   |   slot 0 .. slot N-1         |
 *   +------------------------------+ completion_ring_offset (aligned to 128)
 *   | completion ring records      |   completion_ring_capacity bytes
 *   | completion ring trailer      |   BATON_COMPLETION_TRAILER_LENGTH (768)
 *   +------------------------------+ latency_ring_offset (aligned to 128)
 *   | latency ring                 |   BATON_LATENCY_RING_ENTRIES_OFFSET (256)
 *   |   index, native count, entries|  + latency_ring_capacity * 32 bytes
 *   +------------------------------+ attachment_table_offset (aligned to 128)
 *   | attachment table             |   attachment_capacity * 64 bytes
 *   |   one entry per attachment   |
 *   +------------------------------+ block_area_offset (aligned to 128)
 *   | block area: two halves,      |   each BATON_BLOCK_AREA_LINKS_OFFSET (2048)
 *   |   payloads', then results'   |   + per class with blocks: links, then
 *   |   (heads, then the classes)  |     block_counts[k] blocks of 1 KiB << k
 *   +------------------------------+ segment_length
 *
 * Hot fields written by different threads (the free-list head, the wait
 * words, the two ring indices, the completion ring's tail and head) each sit
 * alone in a 128-byte region: two cache lines, so the adjacent-line
 * prefetcher does not pull a neighbour's line along with them.
 */
#ifndef BATON_H
#define BATON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---------------------------------------------------------------- versions */

/* "BATONCH1" in memory order (little-endian load of the 8 bytes). */
#define BATON_MAGIC UINT64_C(0x3148434E4F544142)
#define BATON_ABI_MAJOR 7
#define BATON_ABI_MINOR 4
/* abi_version = major << 16 | minor. An attacher rejects another major. */
#define BATON_ABI_VERSION ((BATON_ABI_MAJOR << 16) | BATON_ABI_MINOR)

#define BATON_CACHE_LINE_LENGTH 64
/* Distance between hot fields that are written by different threads. */
#define BATON_HOT_FIELD_PADDING (2 * BATON_CACHE_LINE_LENGTH)
#define BATON_SEGMENT_ALIGNMENT 4096

/* ---------------------------------------------------------------- errors */
/*
 * Every operation returns 0 (or a non-negative result) on success and a
 * negative errno value on failure. The same numbers are used by Java
 * (dev.baton.ErrorCode). Besides the codes each function lists, any call on
 * an attachment may return BATON_ENOMEM, on a thread's first call into
 * libbaton, and BATON_EBUSY, when the thread is already inside 8 calls
 * (each a callback's call into libbaton from inside the last).
 */
#define BATON_OK 0
#define BATON_ENOENT (-2)       /* unknown handle: index out of range or generation 0; or no such channel file */
#define BATON_EINTR (-4)        /* a wait was interrupted by a signal: the caller's runtime may act */
#define BATON_EIO (-5)          /* the channel's file could not be created, sized or mapped */
#define BATON_EAGAIN (-11)      /* slab full, or no free block for the payload (backpressure) */
#define BATON_ENOMEM (-12)      /* this process could not allocate the few bytes an attachment or a calling thread needs */
#define BATON_EACCES (-13)      /* the channel's file belongs to another user, or may not be opened */
#define BATON_EFAULT (-14)      /* a NULL pointer where memory was required */
#define BATON_EBUSY (-16)       /* a drain of this attachment is already running (re-entrant drain), or calls nested 8 deep through callbacks */
#define BATON_EEXIST (-17)      /* a file already exists where a channel was to be created */
#define BATON_EINVAL (-22)      /* an argument out of its documented range */
#define BATON_ELOOP (-40)       /* the event was yielded yield_limit times: it is completed with this status */
#define BATON_ENOSPC (-28)      /* dispatch ring full (backpressure) */
#define BATON_EPROTO (-71)      /* the event is not in a state that allows this operation */
#define BATON_ENODATA (-61)     /* an outcome's status: the event ended, but its record was lost, and with it its status and result */
#define BATON_EBADMSG (-74)     /* wrong magic: this memory is not a Baton channel */
#define BATON_EUSERS (-87)      /* the attachment table is full: every entry names a live process */
#define BATON_EMSGSIZE (-90)    /* payload or result longer than the channel allows */
#define BATON_EPROTONOSUPPORT (-93) /* ABI major version differs from this header's */
#define BATON_ENOBUFS (-105)    /* completion ring full, or no free block for the result (backpressure) */
#define BATON_EISCONN (-106)    /* the channel's host is alive: it cannot be adopted */
#define BATON_ESHUTDOWN (-108)  /* the channel is closed */
#define BATON_ETIMEDOUT (-110)  /* the event timed out; its completion is no longer accepted */
#define BATON_EHOSTDOWN (-112)  /* the channel's host is gone: its process died, or it detached without closing */
#define BATON_EALREADY (-114)   /* the event was already completed */
#define BATON_ESTALE (-116)     /* stale handle: the slot has moved on to a later generation */
#define BATON_EUCLEAN (-117)    /* the channel's memory is corrupted where it cannot be repaired: a free list's head or the completion ring's positions */

/* ---------------------------------------------------------------- waits */
/*
 * Every wait takes a timeout in nanoseconds: BATON_WAIT_FOREVER (or any
 * negative value) waits until the wait's condition holds or the channel is
 * closed; 0 looks once and returns at once. A signal that interrupts the
 * sleep returns BATON_EINTR, unless its handler was installed with
 * SA_RESTART: then the kernel restarts the sleep, and the wait returns only
 * at its timeout. A runtime that must act on a signal (Ctrl-C) waits in
 * slices, as the bindings do (at most 100 ms a call), or installs its
 * handlers without SA_RESTART.
 *
 * A handler's wait (baton_poll, baton_await_events) also watches the host
 * (header field host_tag): when a sleep ends at its timeout with nothing
 * ready, and at most every BATON_HOST_WATCH_NS, it checks that the host's
 * attachment is still LIVE and its process alive (/proc), and returns
 * BATON_EHOSTDOWN when not. A forever wait sleeps at most BATON_HOST_WATCH_NS
 * at a time, so it notices a dead host within about twice that. Nothing is
 * checked per event: only a sleep that found nothing looks. A wait of 0
 * (a look) never checks.
 */
#define BATON_HOST_WATCH_NS INT64_C(250000000)
#define BATON_WAIT_FOREVER INT64_C(-1)

/* ---------------------------------------------------------------- handles */
/*
 * A handle names one dispatch of one slot:
 *
 *    63 62                 32 31                                  0
 *   +--+---------------------+-------------------------------------+
 *   | 0|   generation (31)   |            slot index (32)          |
 *   +--+---------------------+-------------------------------------+
 *
 * The generation is never 0, so a valid handle is always > 0; 0 is "no
 * handle" and negative values are error codes. A slot's generation moves on
 * (1, 2, ... 2^31-1, 1, ...) each time the slot is freed, so a handle kept
 * after its event was completed, timed out or cancelled is rejected.
 */
#define BATON_HANDLE_NONE UINT64_C(0)
#define BATON_GENERATION_MAX UINT32_C(0x7FFFFFFF)

/* ---------------------------------------------------------------- header */

#define BATON_CHANNEL_OPEN 1
#define BATON_CHANNEL_CLOSED 2

/*
 *  offset  size  field
 *       0     8  magic                  written last, with release; 0 while initialising
 *       8     4  abi_version
 *      12     4  header_length          BATON_HEADER_LENGTH
 *      16     4  slab_capacity          slots; a power of two; the max in-flight bound
 *      20     4  slot_size              bytes; a multiple of 64, at least 128
 *      24     4  dispatch_ring_capacity cells; a power of two
 *      28     4  completion_ring_capacity record bytes; a power of two, at least 1024
 *      32     8  slab_offset
 *      40     8  dispatch_ring_offset
 *      48     8  completion_ring_offset
 *      56     8  segment_length
 *      64     8  created_at_ns          CLOCK_MONOTONIC (= System.nanoTime on Linux)
 *      72     8  completion_timeout_ns  dispatch -> completion deadline
 *      80     8  starvation_threshold_ns pending longer than this counts as starving
 *      88     4  channel_state          BATON_CHANNEL_OPEN, then BATON_CHANNEL_CLOSED
 *      92     4  attached_count         attachments (baton_attach .. baton_detach, or reaped after death)
 *      96     8  latency_ring_offset
 *     104     4  latency_ring_capacity  entries; a power of two
 *     108     4  attachment_capacity    entries of the attachment table, in [1, 1024]
 *     112     8  attachment_table_offset
 *     120     4  redelivery_limit       deliveries after the first of an event whose handler died
 *     124     4  yield_limit            times an event may be yielded (baton_yield); 1 more ends it
 *     128     8  free_head              hot: tag << 32 | (top slot index + 1), 0 = empty
 *     136    64  block_counts[16]       blocks of each class (BATON_BLOCK_CLASSES); class k holds 1 KiB << k
 *     200     8  block_area_offset
 *     208     4  host_tag               the host's attachment tag, 0 = none named (below)
 *     212    44  reserved (zero)
 *     256     4  dispatch_waiters       handlers asleep in baton_poll or baton_await_events
 *     260     4  dispatch_signal        futex word: moved on by a dispatch that saw waiters
 *     264    56  reserved (zero)
 *     320     8  clock_ns               hot: the host's cached CLOCK_MONOTONIC, 0 = none (below)
 *     328    56  reserved (zero)
 *     384     4  completion_waiters     hosts asleep in baton_await_outcomes
 *     388     4  completion_signal      futex word: moved on by a completion that saw waiters
 *     392   120  reserved (zero)
 *     512        end
 *
 * Waiting without a syscall per event: a waiter increments its *_waiters
 * count (seq_cst), reads the *_signal word, checks its ring once more and only
 * then sleeps on the signal word (futex). A producer publishes, issues a
 * seq_cst fence, and reads the waiters count (a completion record's commit is
 * itself a seq_cst compare-and-swap, which stands in for the fence); only when
 * it is non-zero does it
 * move the signal word on and make the wake-up system call. The two seq_cst
 * steps make it impossible for both sides to miss each other. "Publishes"
 * means every commit of a dispatch-ring cell, of no handle too, and a
 * reaper's commit of a dead claimant's cell: consumers stop at a claimed
 * cell, so the handles committed behind it wake waiters to nothing ready, and
 * only the cell's own commit lets them on.
 *
 * The host (host_tag): the attachment that dispatches and drains. The
 * channel's first attachment, the one that formatted it (baton_create, or a
 * caller of baton_format then baton_attach), names itself here with a CAS
 * from 0; a later attachment becomes the host only by baton_adopt, once the
 * host named is gone or its process is dead. Handlers' waits read it (acquire,
 * pairing with the CAS) to notice a dead host; nothing else reads it.
 *
 * The cached clock (clock_ns), as Agrona's CachedNanoClock: the host's drain
 * stores CLOCK_MONOTONIC, which it reads once per drain anyway, and
 * dispatches and dispatch claims stamp their events with it instead of reading
 * the clock each (relaxed on both sides: a timestamp orders nothing). A batch
 * poll stamps its events with it too, one read of the line for the batch. A
 * poll of one event reads the clock: stamped from the cache, it would pull
 * the line the host keeps writing across to the handler's core in every single
 * round trip, about a tenth of its time (docs/reports/analysis.md, P7). The
 * host stores 0 when it may stop drawing outcomes for a while: a drain that
 * delivers none, a wait for outcomes, a close. While it is 0 they read the
 * clock. So a stamp is never later than the real time, and is early by at
 * most the time since the host's last drain that delivered an outcome: a
 * deadline taken from it comes that much early, never late, and a latency
 * reads that much longer. A host that does slow work between two drains
 * drains (or waits) before it dispatches, and its dispatches read the clock.
 */
typedef struct baton_header {
    uint64_t magic;
    uint32_t abi_version;
    uint32_t header_length;
    uint32_t slab_capacity;
    uint32_t slot_size;
    uint32_t dispatch_ring_capacity;
    uint32_t completion_ring_capacity;
    uint64_t slab_offset;
    uint64_t dispatch_ring_offset;
    uint64_t completion_ring_offset;
    uint64_t segment_length;
    int64_t created_at_ns;
    int64_t completion_timeout_ns;
    int64_t starvation_threshold_ns;
    uint32_t channel_state;
    uint32_t attached_count;
    uint64_t latency_ring_offset;
    uint32_t latency_ring_capacity;
    uint32_t attachment_capacity;
    uint64_t attachment_table_offset;
    uint32_t redelivery_limit;
    uint32_t yield_limit;
    uint64_t free_head;
    uint32_t block_counts[16];
    uint64_t block_area_offset;
    uint32_t host_tag;
    uint8_t reserved1[44];
    uint32_t dispatch_waiters;
    uint32_t dispatch_signal;
    uint8_t reserved2[56];
    int64_t clock_ns;
    uint8_t reserved3[56];
    uint32_t completion_waiters;
    uint32_t completion_signal;
    uint8_t reserved4[120];
} baton_header;

#define BATON_HEADER_LENGTH 512

/* ---------------------------------------------------------------- slots */
/*
 * The state word of a slot:
 *
 *    63 62                 32 31                         8 7            0
 *   +--+---------------------+----------------------------+--------------+
 *   | 0|   generation (31)   |       holder tag (24)      |  state (8)   |
 *   +--+---------------------+----------------------------+--------------+
 *
 * Every transition that another party could race is a compare-and-swap of
 * the whole word, so it succeeds only for the generation the caller's handle
 * names. Two are release stores by the slot's only owner: dispatch, from the
 * FREE(g) slot the dispatcher popped off the free list, and drain, from the
 * end state (COMPLETED or TIMED_OUT) that nothing but the host's drain moves
 * on:
 *
 *   FREE(g) --dispatch--> DISPATCHED(g) --poll--> POLLED(g, tag) --complete--> COMPLETED(g)
 *                              |   ^   ^                 |   |                       |
 *                              |   |   +-- redeliver ----+   | (its holder died)     |
 *                              |   |                         |                       |
 *                              |   +-- YIELDING(g, tag) <----+ yield                 |
 *                              |         (continuation written, then back in the ring)
 *                              |                         |                           |
 *                              +------ expire -----------+--> TIMED_OUT(g)           |
 *                              |                         |         |                 |
 *                              +------ cancel -----------+         +-- drain --------+--> FREE(g+1)
 *                                         |
 *                                         +--> FREE(g+1)
 *
 * The holder tag is the tag of the attachment whose handler polled the event
 * (see the attachment table), so that the event is settled when that
 * attachment's process dies; it is 0 in every other state, and for a poll
 * made without an attachment (a Java handler of a channel in its own process
 * without libbaton). The poll's CAS records it, so no instant exists at which
 * a polled event names no holder. A cancel's CAS writes FREE(g+1) under the
 * canceller's tag, which it clears once the slot has forgotten its event (its
 * deadline, below), by a release store.
 *
 * YIELDING(g, tag) is a handler's yield in progress (baton_yield): the
 * handler writes the continuation payload while no cancel, expiry or reaper
 * can free the slot under it, then moves it to DISPATCHED(g) and puts the
 * handle back in the dispatch ring. The handle, the ids and the trace stay;
 * yields counts the yields. A yielder that dies mid-way leaves a torn
 * continuation: its reaper reports the event timed out rather than deliver it.
 *
 * A dispatch claim (baton_claim) holds a FREE(g) slot off the free
 * list while its caller writes the payload in place; next_free then holds
 * BATON_SLOT_CLAIM_MARK | the claimer's tag, a value no free-list link takes
 * (links are at most slab_capacity <= 2^24), so a commit or abort with a
 * forged or spent token is refused, and a dead claimer's slot is found.
 */
#define BATON_SLOT_FREE 0
#define BATON_SLOT_DISPATCHED 1
#define BATON_SLOT_POLLED 2
#define BATON_SLOT_COMPLETED 3
#define BATON_SLOT_TIMED_OUT 4
#define BATON_SLOT_YIELDING 5
#define BATON_SLOT_STATE_MASK 0xFF
#define BATON_SLOT_HOLDER_SHIFT 8
#define BATON_SLOT_CLAIM_MARK UINT32_C(0x80000000)

/*
 *  offset  size  field
 *       0     8  state                 generation << 32 | holder tag << 8 | state (see above)
 *       8     4  next_free             free-list link: slot index + 1, 0 = end of list; while a
 *                                        dispatch claim holds the slot: BATON_SLOT_CLAIM_MARK | tag
 *      12     4  kind                  caller-defined event type
 *      16     8  event_id_hi           UUID, most significant 64 bits
 *      24     8  event_id_lo           UUID, least significant 64 bits
 *      32     8  correlation_id_hi
 *      40     8  correlation_id_lo
 *      48     8  dispatched_at_ns      CLOCK_MONOTONIC
 *      56     8  polled_at_ns          CLOCK_MONOTONIC, 0 until polled
 *      64     8  deadline_ns           dispatched_at_ns + completion_timeout_ns; 0 while the
 *                                        slot holds no event (see below)
 *      72     4  payload_length
 *      76     4  redeliveries          times dispatched again after its holder died; 0 at dispatch,
 *                                        or the count a batch entry carried (baton_dispatch_entry)
 *      80     4  payload_block         0: the payload is inline, below; else the block holding it
 *      84     4  trace_flags           W3C trace flags (bit 0: sampled), set at dispatch
 *      88     8  trace_id_hi           W3C trace id, most significant 64 bits; 0 with trace_id_lo: none
 *      96     8  trace_id_lo
 *     104     8  parent_span_id        the dispatcher's span
 *     112     8  handler_span_id       the handler's span, set by its completion; 0 until then
 *     120     4  yields                times yielded by a handler (baton_yield); 0 at dispatch
 *     124     4  reserved (zero)
 *     128     -  payload               inline: slot_size - 128 bytes
 *
 * A payload longer than the inline room is written to a block of the block
 * area, which payload_block names (see below) while the event lives. Whoever
 * moves the slot to FREE releases the block, after that CAS: a handler that
 * reads the payload and then finds the state word unchanged read the event's
 * own bytes, exactly as for an inline payload.
 *
 * A slot holds an event exactly while its deadline_ns is not 0: a dispatch
 * writes it with the event's other fields, before the release that publishes
 * the slot, and whoever frees the slot writes 0 there, before the release
 * store of the FREE word (or right after the CAS to FREE, which a scan that
 * reads FREE ignores). No event's deadline is 0: it is a time on the
 * monotonic clock plus the completion timeout. The scans that act on events
 * from their state words alone (expiry, the reaper, the audit of outcomes,
 * baton_read_metrics, baton_list_events) leave a slot that holds none,
 * whatever its word says: the word of a free slot that another process wrote
 * over names no event, and acting on it would report, redeliver or list the
 * slot's last event again. The dispatch that pops such a slot finds its word
 * not FREE; its event stays in the slot and expiry times it out once.
 * Expiry also times out, once, an event under a FREE word with a holder tag
 * no live attachment holds, when its deadline is past by the patience (the
 * completion timeout, at least BATON_UNBLOCK_PATIENCE_MIN_NS): the protocol
 * writes a holder on FREE only while a cancel frees the slot, so that is a
 * word another process wrote over the slot of an event, or a canceller that
 * died. It leaves a FREE word with no holder, the protocol's own (so a word
 * written over a free slot's deadline never makes it an event), one under a
 * live attachment's tag (a cancel in progress) and the FREE word of a
 * dispatch claim (next_free marked). Since ABI 7.4; a libbaton of
 * an older minor leaves the last deadline in a freed slot, and then a word
 * written over that slot can report its event twice.
 */
typedef struct baton_slot {
    uint64_t state;
    uint32_t next_free;
    int32_t kind;
    uint64_t event_id_hi;
    uint64_t event_id_lo;
    uint64_t correlation_id_hi;
    uint64_t correlation_id_lo;
    int64_t dispatched_at_ns;
    int64_t polled_at_ns;
    int64_t deadline_ns;
    uint32_t payload_length;
    uint32_t redeliveries;
    uint32_t payload_block;
    uint32_t trace_flags;
    uint64_t trace_id_hi;
    uint64_t trace_id_lo;
    uint64_t parent_span_id;
    uint64_t handler_span_id;
    uint32_t yields;
    uint32_t reserved;
    uint8_t payload[];
} baton_slot;

#define BATON_SLOT_HEADER_LENGTH 128
#define BATON_SLOT_SIZE_MIN 128

/* ---------------------------------------------------------------- dispatch ring */
/*
 * A bounded multi-producer multi-consumer ring of handles with one sequence
 * per cell (Vyukov's algorithm, as in JCTools' MpmcArrayQueue). Cell i starts
 * with sequence i. A producer takes position p by CAS of producer_index from
 * p to p+1 while cell.sequence == p; it owns the cell once it marks it, by
 * CAS of the sequence from p to BATON_CELL_CLAIMED_BY(its claimant tag). Then
 * it writes the handle and stores sequence p+1 with release. A consumer that
 * owns position c (by CAS of consumer_index while cell.sequence == c+1) reads
 * the handle, then stores sequence c+capacity with release, handing the cell
 * to the next lap. A mark has bit 63 set, which no position has: to consumers
 * the cell is not yet full, to the next lap's producers not yet free.
 *
 * Batches take runs of cells with one index CAS. A producer takes positions
 * p to p+n-1 by CAS of producer_index from p to p+n once each of their cells
 * reads free for its position; then it marks each, as above (a mark that
 * fails is a cell a reaper committed under it, and is not its own). A
 * consumer takes c to c+n-1 by CAS of consumer_index from c to c+n once each
 * of their cells reads full; then it reads and releases each, as above. A
 * cell that reads free or full for its position at or past its index moves
 * only once that index has passed it, so the CAS fails if any of them moved.
 * The mark stays a CAS, not a store: it is what tells a slow producer from a
 * dead one's cell that a reaper committed (below).
 *
 * Consumers cannot get past a claimed cell, so one whose producer died must
 * be committed by someone else. At every instant it is found:
 *   - marked (the producer died between its mark and its commit's release):
 *     the reaper of the dead attachment commits "no handle" in every cell
 *     marked with its tag, however many of its threads were claiming. A
 *     producer without an attachment marks with tag 0, which no reaper takes
 *     for dead.
 *   - taken, not marked (it died between its two CASes, where nothing names
 *     it): any reaper (baton_reap), a host's drain that finds nothing, or a
 *     dispatcher that finds the ring full, that finds such a cell at
 *     consumer_index for longer than BATON_UNBLOCK_PATIENCE_MIN_NS commits it
 *     as it is, by CAS of the sequence from p to p+1, so no host needs to reap
 *     for it. A producer
 *     that was only slow finds its mark CAS failing and takes another
 *     position; consumers take the previous lap's handle the cell still holds
 *     as any copy of a handle, through the slab's CAS.
 *
 * Claiming and polling are lock-free (a failed CAS means another thread moved
 * an index). The ring as a whole waits on a preempted producer: between its
 * claim and its commit, that cell and every cell after it read as not yet
 * full. Before a full ring refuses a dispatch it is repaired, so that full
 * means live work: the handles at its head whose events ended while they
 * waited are dropped (garbage, not work), and a cell whose consumer took its
 * position and never released the cell (it died in between) is released on
 * its behalf once the same position has been held past the patience, as the
 * completion ring's unblock does for a dead producer. The event that consumer
 * took is still DISPATCHED in the slab, so it times out: never lost, never
 * delivered twice.
 *
 * Memory another process scribbled on is audited, by every baton_reap and by
 * a dispatcher that finds the ring full (at most once per
 * BATON_UNBLOCK_PATIENCE_MIN_NS per attachment): an index whose cell holds a
 * sequence more than two laps from it, or the consumer index more than a lap
 * behind the producer's, is set back to where the cells place it; a cell
 * whose sequence is neither a well-formed mark (bit 63 and a 24-bit tag)
 * nor, within a few laps of its position, one a free or full cell holds, is
 * made full before the producer index and free from it. Each repair is a CAS
 * from the value read, which no living party expects. A cell made full hands
 * consumers its handle through the slab's CAS like any: a scribbled one is
 * dropped. The events a repair hid (DISPATCHED in no cell) are dispatched
 * again by the reaper, or end at their deadline.
 *
 *  offset  size  field
 *       0     8  producer_index        hot: dispatchers
 *     128     8  consumer_index        hot: handlers
 *     256    16  cells[capacity]       { uint64 sequence; uint64 handle; }
 */
typedef struct baton_dispatch_cell {
    uint64_t sequence;
    uint64_t handle;
} baton_dispatch_cell;

/* The sequence of a cell claimed under a claimant tag and not yet committed. */
#define BATON_CELL_CLAIMED_BY(tag) (UINT64_C(1) << 63 | (uint64_t)(uint32_t)(tag))

typedef struct baton_dispatch_ring {
    uint64_t producer_index;
    uint8_t pad0[120];
    uint64_t consumer_index;
    uint8_t pad1[120];
    baton_dispatch_cell cells[];
} baton_dispatch_ring;

#define BATON_DISPATCH_RING_PRODUCER_INDEX_OFFSET 0
#define BATON_DISPATCH_RING_CONSUMER_INDEX_OFFSET 128
#define BATON_DISPATCH_RING_CELLS_OFFSET 256
#define BATON_DISPATCH_CELL_LENGTH 16

/* ---------------------------------------------------------------- latency ring */
/*
 * The last latency_ring_capacity latencies recorded by libbaton: a C host's
 * drain, or a handler through baton_record_latency. (A Java host records its
 * own into per-thread histogram stripes on its heap, and harvests this ring
 * into the same histogram.) Wait-free: a recorder takes an
 * entry with one fetch_add of index, writes it, then stores the entry's
 * sequence (its index + 1) with release. A reader takes an entry only when its
 * sequence, read before and after the value, is the one it expects; the
 * oldest entries are overwritten. native_count counts native recordings, so
 * that the Java reader folds them into its histogram (and counts any it lost
 * to overwriting).
 *
 *  offset  size  field
 *       0     8  index                 hot: every recorder
 *     128     8  native_count          recordings by libbaton (source NATIVE)
 *     256    32  entries[capacity]     { sequence, value_ns, recorded_at_ns, source, reserved }
 */
#define BATON_LATENCY_SOURCE_JAVA 0   /* a recording made outside libbaton; readers skip it */
#define BATON_LATENCY_SOURCE_NATIVE 1

typedef struct baton_latency_entry {
    uint64_t sequence;
    int64_t value_ns;
    int64_t recorded_at_ns;
    uint32_t source;
    uint32_t reserved;
} baton_latency_entry;

typedef struct baton_latency_ring {
    uint64_t index;
    uint8_t pad0[120];
    uint64_t native_count;
    uint8_t pad1[120];
    baton_latency_entry entries[];
} baton_latency_ring;

#define BATON_LATENCY_RING_INDEX_OFFSET 0
#define BATON_LATENCY_RING_NATIVE_COUNT_OFFSET 128
#define BATON_LATENCY_RING_ENTRIES_OFFSET 256
#define BATON_LATENCY_ENTRY_LENGTH 32
#define BATON_LATENCY_RING_CAPACITY_MIN 2

/* ---------------------------------------------------------------- attachment table */
/*
 * One entry per attachment (baton_attach .. baton_detach), so that the
 * survivors of a process that died can settle what it left: its sleepers in
 * the waiter counts, and the events it had claimed. Every process attached to
 * a channel must share one PID namespace and see its /proc.
 *
 * owner packs the attaching process's id above the entry's state:
 *
 *   FREE (0) --attach--> ACQUIRING(pid) --> LIVE(pid) --detach--------------> FREE
 *                              |                |
 *                              +-- its pid -----+--> REAPING(reaper pid) --> FREE
 *                                  found dead
 *
 * An attacher takes a FREE entry by CAS to ACQUIRING, writes its identity and
 * moves the epoch on, then stores LIVE with release. A process counts as dead
 * when /proc/<pid>/stat is gone, shows a zombie, or shows another start time
 * than start_time (its pid was reused); an entry from another PID namespace
 * is never judged. A reaper takes a dead entry by CAS to REAPING with its own
 * pid (so a reaper that dies is taken over in turn), then:
 *   - subtracts the entry's waiting counts from the header's waiter counts
 *     (each by an exchange with 0, so a count is never subtracted twice);
 *   - commits "no handle" in each dispatch-ring cell the attachment claimed
 *     and never committed (marked with its tag), so consumers get past it,
 *     and wakes the handlers asleep on dispatch_signal;
 *   - settles each event whose state is POLLED with the entry's tag: it is
 *     dispatched again while its redeliveries are below redelivery_limit
 *     (and the dispatch ring has room), and otherwise reported timed out;
 *     one the completion ring has no room for stays to its deadline;
 *   - stores FREE and decrements attached_count;
 * and once per call that reaped any, releases the dispatch-ring cells that
 * consumers took and never released, and dispatches again every event that is
 * DISPATCHED in no cell (its taker or its dispatcher died on the way).
 * A waiter raises the header's count before its entry's, and lowers its
 * entry's before the header's: a process that dies between the two leaves
 * the header's count one too high (a wake-up system call too many), never
 * too low (a missed wake-up).
 *
 * The claimant tag of the attachment in entry i is
 *   (epoch & 0xFFF) << 12 | (i + 1)
 * so a tag is never 0, and an entry's next attachment claims under another.
 *
 *  offset  size  field
 *       0     8  owner                 pid << 32 | BATON_ATTACHMENT_* (see above)
 *       8     8  start_time            the process's start: field 22 of /proc/<pid>/stat
 *      16     8  pid_namespace         inode of /proc/self/ns/pid
 *      24     4  epoch                 moved on by each attacher of the entry
 *      28     4  dispatch_waiting      this attachment's calls asleep on dispatch_signal
 *      32     4  completion_waiting    this attachment's calls asleep on completion_signal
 *      36     4  reserved (zero)
 *      40     8  attached_at_ns        CLOCK_MONOTONIC
 *      48    16  reserved (zero)
 */
#define BATON_ATTACHMENT_FREE 0
#define BATON_ATTACHMENT_ACQUIRING 1
#define BATON_ATTACHMENT_LIVE 2
#define BATON_ATTACHMENT_REAPING 3
#define BATON_ATTACHMENT_CAPACITY_MAX 1024

typedef struct baton_attachment {
    uint64_t owner;
    uint64_t start_time;
    uint64_t pid_namespace;
    uint32_t epoch;
    uint32_t dispatch_waiting;
    uint32_t completion_waiting;
    uint32_t reserved0;
    int64_t attached_at_ns;
    uint64_t reserved1[2];
} baton_attachment;

#define BATON_ATTACHMENT_LENGTH 64

/* ---------------------------------------------------------------- block area */
/*
 * Room for payloads and results longer than a slot's inline room or a
 * completion record: BATON_BLOCK_CLASSES size classes, class k of
 * block_counts[k] blocks of BATON_BLOCK_SIZE_MIN << k bytes (1 KiB to 32 MiB).
 * A payload or result takes one block, of the smallest class that fits it and
 * has one free; so a channel carries any size up to its largest class without
 * sizing every slot for it, and blocks are freed in any order.
 *
 * The area has two halves of the same classes: payloads take blocks of the
 * first, results of the second. So a handler waiting for a result block waits
 * only for the host to drain outcomes, never for events that hold payload
 * blocks while they wait for handlers: no cycle, no deadlock.
 *
 * Each class is a Treiber stack, the algorithm of the slab's free list: its
 * head word is tag << 32 | (top index + 1), 0 = empty, and every push and pop
 * increments the tag (ABA). The link of block i is links[i]: the index + 1 of
 * the block below it, 0 = end of list.
 *
 * While a block is taken, its link holds its owner's stamp instead:
 * BATON_BLOCK_OWNED | (generation & BATON_BLOCK_STAMP_GENERATION_MASK) <<
 * BATON_BLOCK_STAMP_GENERATION_SHIFT | slot index, of the event whose payload
 * (taken by a dispatch or a yield) or outcome it carries. Its taker writes it
 * (relaxed) right after it takes the block: before the slot names a payload
 * block, and before the record that carries a result block is claimed, whose
 * commit publishes it with the result's bytes. A drain delivers and releases
 * the block a record names only when its stamp names the record's event;
 * otherwise it rejects the record (counted in rejected_record_count), so a
 * record naming a block its writer never took neither reads another outcome's
 * bytes nor frees a block twice, and the event is settled by the reaper
 * (baton_reap). A taker that dies before naming its block leaves the stamp
 * naming an event it still holds: the reaper gives back every block a dead
 * handler took for an event it held, unless the slot names it, before it
 * settles those events, and an adopter (baton_adopt) every payload block
 * stamped for a FREE slot that does not name it. A stamp never reads as a
 * link (bit 31), and a pop that reads one from a block taken meanwhile fails
 * its CAS on the tag. Since ABI 7.3; a taker of an older minor leaves no
 * stamp on a payload block, which then stays lost should it die.
 *
 * A block reference, in a slot's payload_block or a completion record:
 *
 *    31       24 23                                        0
 *   +-----------+-------------------------------------------+
 *   | class (8) |          block index + 1 (24)             |
 *   +-----------+-------------------------------------------+
 *
 * 0 names no block. A reference read from shared memory is checked against
 * the class counts before use: a corrupted one is refused, never followed.
 *
 * A channel without blocks (every count 0) has no block area: it ends at
 * block_area_offset. Otherwise each half, the payloads' at block_area_offset
 * and the results' right after it:
 *  offset  size  field
 *       0  2048  free heads              class k's head at k * 128 (hot: alone in 128 bytes)
 *    2048     -  for each class k with block_counts[k] > 0, in order of k:
 *                  links                 block_counts[k] * 4 bytes, from an offset aligned to 128
 *                  blocks                block_counts[k] * (1 KiB << k) bytes, from an offset aligned to 128
 */
#define BATON_BLOCK_CLASSES 16
#define BATON_BLOCK_SIZE_MIN 1024
#define BATON_BLOCK_COUNT_MAX (UINT32_C(1) << 24)
#define BATON_BLOCK_AREA_LINKS_OFFSET (BATON_BLOCK_CLASSES * BATON_HOT_FIELD_PADDING)
#define BATON_BLOCK_CLASS_SHIFT 24
#define BATON_BLOCK_OWNED UINT32_C(0x80000000)
#define BATON_BLOCK_STAMP_GENERATION_SHIFT 24
#define BATON_BLOCK_STAMP_GENERATION_MASK UINT32_C(0x7F)
#define BATON_BLOCK_INDEX_MASK UINT32_C(0xFFFFFF)

/* ---------------------------------------------------------------- completion ring */
/*
 * A many-to-one ring of variable-length records in the binary format of
 * Agrona's ManyToOneRingBuffer (and Aeron's C aeron_mpsc_rb): a power-of-two
 * record area followed by a trailer. Record positions are byte counts that
 * only grow; a position's index in the area is position & (capacity - 1).
 *
 * Trailer, at completion_ring_offset + completion_ring_capacity:
 *  offset  size  field
 *       0   128  padding
 *     128     8  tail_position         hot: producers claim space by CAS
 *     256     8  head_cache_position   producers' cached copy of head_position
 *     384     8  head_position         hot: the consumer releases space
 *     512     8  correlation_counter   unused by Baton, kept for the format
 *     640     8  consumer_heartbeat    unused by Baton, kept for the format
 *     768        end
 *
 * A record, 8-byte aligned:
 *    0               4               8
 *   +---------------+---------------+--------------------------------+
 *   |    length     |     type      |  body (length - 8 bytes) ...   |
 *   +---------------+---------------+--------------------------------+
 * length counts the 8-byte record header. A producer writes the header with
 * a negative length (with release), writes the body, then CASes the header to
 * its positive length (with release); the consumer reads the header with
 * acquire and stops at a length <= 0. A record type fits 8 bits: while a
 * record is in progress, the upper 24 bits of its type are its publisher's
 * attachment tag (0 for none), written in the same store as the header. A record of type BATON_RECORD_PADDING fills the end of the
 * area when the next record does not fit before the wrap.
 *
 * A batch's completions (baton_complete_batch) claim their records in runs:
 * one CAS of tail_position for up to 64 records that lie one after another
 * (no longer together than the ring's largest record), then each record's
 * in-progress header at once, in order; each is then committed or aborted on
 * its own. To the consumer and to unblock a run is its records, as if each
 * had been claimed alone; the format is unchanged.
 *
 * A producer that dies between claim and commit would stop the consumer for
 * ever. As with Agrona's unblock, the consumer presumes it dead: at once when
 * the record's publisher names an attachment that is gone (detached, or reaped
 * after its process died), otherwise once the same head has been blocked for
 * max(completion_timeout_ns, BATON_UNBLOCK_PATIENCE_MIN_NS). A record left in
 * progress is committed if its producer had already moved the slot's state
 * (Baton writes the body before that move), and otherwise becomes padding;
 * zeroes left by a claim whose header was never written become padding once
 * the head has been blocked for the patience, at most 10 s (nothing names
 * their producer, and a living one writes its header right after its claim).
 * Each change is a CAS from the header read, and a producer that wakes later
 * finds a positive length and leaves the record alone.
 *
 * A writer outside libbaton (Agrona's ManyToOneRingBuffer, Aeron's
 * aeron_mpsc_rb) may complete events under the same rule, in this order: it
 * moves the slot's state word from the POLLED word it holds to the end state
 * its record's type reports (COMPLETED for BATON_RECORD_COMPLETED, TIMED_OUT
 * for BATON_RECORD_TIMED_OUT) in the same generation, then commits the
 * record, then calls baton_notify_completed. A record of any other type
 * reports nothing: the drain rejects and counts it (baton_read_drain_counts),
 * as it does a record whose result block is not stamped with its event (see
 * the block area): a foreign writer that puts a result in a block takes the
 * block from the results' half and stamps it before it claims the record. An
 * event whose state such a writer moved without a record behind it is
 * settled by the reaper (baton_reap), once; so is one whose writer lets more
 * than a second pass between the move and the claim of its record, which the
 * drain then skips as stale.
 */
typedef struct baton_completion_trailer {
    uint8_t pad0[128];
    int64_t tail_position;
    uint8_t pad1[120];
    int64_t head_cache_position;
    uint8_t pad2[120];
    int64_t head_position;
    uint8_t pad3[120];
    int64_t correlation_counter;
    uint8_t pad4[120];
    int64_t consumer_heartbeat;
    uint8_t pad5[120];
} baton_completion_trailer;

#define BATON_COMPLETION_TRAILER_LENGTH 768
#define BATON_COMPLETION_TAIL_POSITION_OFFSET 128
#define BATON_COMPLETION_HEAD_CACHE_POSITION_OFFSET 256
#define BATON_COMPLETION_HEAD_POSITION_OFFSET 384
#define BATON_COMPLETION_CORRELATION_COUNTER_OFFSET 512
#define BATON_COMPLETION_CONSUMER_HEARTBEAT_OFFSET 640
#define BATON_COMPLETION_RING_CAPACITY_MIN 1024

#define BATON_RECORD_HEADER_LENGTH 8
#define BATON_RECORD_ALIGNMENT 8
#define BATON_RECORD_PADDING (-1)
#define BATON_RECORD_COMPLETED 1
#define BATON_RECORD_TIMED_OUT 2
#define BATON_UNBLOCK_PATIENCE_MIN_NS 1000000000

/*
 * Body of a BATON_RECORD_COMPLETED or BATON_RECORD_TIMED_OUT record:
 *  offset  size  field
 *       0     8  handle
 *       8     4  status                handler-defined; BATON_ETIMEDOUT for a timeout
 *      12     4  result_block          0: the result is inline, below; else the block holding it
 *      16     -  inline: result bytes, record length - 8 - 16 of them;
 *                with a block: result_length (4), reserved (4, zero)
 *
 * A result longer than the largest inline one goes to a block (see the block
 * area). The publisher takes the block and writes the result before it claims
 * the record; if its state move fails it releases the block itself. The host
 * releases the block after delivering the outcome.
 */
typedef struct baton_completion_body {
    uint64_t handle;
    int32_t status;
    uint32_t result_block;
    uint8_t result[];
} baton_completion_body;

#define BATON_COMPLETION_BODY_LENGTH 16
#define BATON_COMPLETION_BLOCK_BODY_LENGTH 24


/* ================================================================ API */
/*
 * Glossary. Every language spells these words in its own idiom (poll_batch
 * in C, Rust, Python and Ruby; pollBatch in Java and Node), and each keeps
 * this one meaning everywhere.
 *
 *   dispatch  the host sends an event, copying its payload into the channel.
 *   claim     zero-copy dispatch, as Agrona's tryClaim: take room for a
 *             payload and write it in place, then commit (publish it) or
 *             abort (give the room back unseen). Nothing else is a claim.
 *   poll      a handler takes events: one (poll) or a run of them
 *             (poll_batch). The event is then the handler's until it
 *             completes or yields it.
 *   complete  a handler ends an event with a status and a result.
 *   yield     a handler hands an event back to be dispatched again, with a
 *             continuation payload; the event has not ended.
 *   outcome   how an event ended, as the host sees it: completed by its
 *             handler, or timed out. One struct, baton_outcome.
 *   drain     the host reads outcomes and frees their slots. Nothing else.
 *   await     sleep until something is ready, without taking it: events for
 *             a handler (await_events), outcomes for the host (await_outcomes).
 *   cancel    the host withdraws a pending event; no outcome follows.
 *   reap      settle what the attachments of dead processes left.
 *   open      map a channel file by path and attach to it.
 *   attach    attach to channel memory the caller mapped itself.
 *
 * Waiting is said one way: a call that can wait takes a timeout in
 * nanoseconds (Java: a Duration; the bindings: seconds or milliseconds, as
 * their language does), waits up to it, and looks once without sleeping when
 * it is 0. A call without a timeout never waits.
 *
 * Every function is exported from libbaton (none is static inline, so FFM and
 * Rust can call them). Every function returns 0 or a non-negative result on
 * success and a negative BATON_E* on failure; none aborts the process. A
 * NULL pointer argument gives BATON_EFAULT. Operations on a channel whose
 * header says BATON_CHANNEL_CLOSED give BATON_ESHUTDOWN.
 *
 * Roles, as in Java's DispatchChannel: any number of dispatchers and handlers;
 * one host thread at a time drains outcomes.
 *
 * Each function below ends with two lines:
 *   Thread: who may call it. "Any" means any thread of any process attached,
 *           concurrently with every other call, unless a line says otherwise.
 *   Blocks: whether it can put the caller to sleep. "Never" calls are
 *           lock-free or wait-free and make no system call, except a futex
 *           wake when another thread sleeps.
 *
 * Lifetimes: an attachment is valid from baton_attach (baton_create,
 * baton_open) until baton_detach returns. baton_close marks the channel
 * closed for every attachment and wakes every sleeper; the memory stays
 * mapped until each attachment detaches, and an attachment made by
 * baton_create or baton_open unmaps it at baton_detach. A pointer into the
 * channel (baton_event.payload, baton_outcome.result) is valid only as
 * long as its own line says.
 */

#if defined(__GNUC__)
#define BATON_API __attribute__((visibility("default")))
#else
#define BATON_API
#endif

/* An attachment to a channel's memory: what this process checked and cached
 * when it attached. Opaque; one per attaching user, freed by baton_detach. */
typedef struct baton_channel baton_channel;

/* A channel's sizes. What they bound:
 *   inline payload   = slot_size - BATON_SLOT_HEADER_LENGTH (128): 128 bytes for 256-byte slots;
 *   inline result    = completion_ring_capacity / 8 - BATON_COMPLETION_BODY_LENGTH (16);
 *   largest payload or result = the larger of its inline room and the largest block class with
 *   blocks (block_counts[k] > 0: BATON_BLOCK_SIZE_MIN << k bytes); a longer one gets BATON_EMSGSIZE;
 *   blocks in use = payloads held out of line at once, and as many results: when a class and every
 *   larger one are all taken, a dispatch gets BATON_EAGAIN and a completion BATON_ENOBUFS
 *   (backpressure); block_counts sizes each half, so the area takes twice the blocks' bytes;
 *   events in flight = slab_capacity;
 *   dispatch_ring_capacity >= slab_capacity; twice it lets handles of events that ended while
 *   waiting sit in the ring without refusing live ones (a full ring drops them first anyway);
 *   completion_ring_capacity >= 64 * slab_capacity holds every in-flight event's outcome with a
 *   small result, so completions rarely meet BATON_ENOBUFS while the host drains;
 *   attachment_capacity bounds the attachments at once, across all processes (an attach beyond it
 *   gets BATON_EUSERS). */
typedef struct baton_config {
    uint32_t slab_capacity;            /* power of two, at most 2^24 */
    uint32_t slot_size;                /* multiple of 64 in [128, 2^20]; 128 keeps every payload in a block */
    uint32_t dispatch_ring_capacity;   /* power of two in [2, 2^26] */
    uint32_t completion_ring_capacity; /* power of two in [1024, 2^30] */
    uint32_t latency_ring_capacity;    /* power of two in [2, 2^24] */
    uint32_t attachment_capacity;      /* attachments at once, in [1, BATON_ATTACHMENT_CAPACITY_MAX] */
    int64_t completion_timeout_ns;     /* > 0 */
    int64_t starvation_threshold_ns;   /* > 0 */
    uint32_t redelivery_limit;         /* times an event whose handler died is dispatched again; 0: none */
    uint32_t yield_limit;              /* times an event may be yielded; 0: BATON_YIELD_LIMIT_DEFAULT */
    uint32_t block_counts[BATON_BLOCK_CLASSES]; /* blocks of 1 KiB << k, each at most BATON_BLOCK_COUNT_MAX */
} baton_config;

/* The yield_limit a channel configured with 0 records. */
#define BATON_YIELD_LIMIT_DEFAULT 100

/* An event a handler polled. payload points into the slot, or into the block
 * holding a longer payload: an unchecked, zero-copy view that is valid while
 * the handler holds the event. If the event times out or is cancelled meanwhile, the
 * slot and its block can be reused and the view can show the next event's
 * bytes; baton_read_payload gives a checked copy instead. */
typedef struct baton_event {
    uint64_t handle;
    int32_t kind;
    uint32_t payload_length;
    uint64_t event_id_hi;
    uint64_t event_id_lo;
    uint64_t correlation_id_hi;
    uint64_t correlation_id_lo;
    int64_t dispatched_at_ns;
    int64_t deadline_ns;
    uint32_t redeliveries;    /* 0 on the first delivery; then how often it was dispatched again after its handler died */
    uint32_t yields;          /* 0 on the first delivery; then how often a handler yielded it */
    const uint8_t *payload;
} baton_event;

/* An outcome, as a drain shows it to the host. result points at
 * result_length bytes: for baton_drain, into the caller's result buffer; for
 * baton_drain_each, into the channel, valid only during the handler call. */
typedef struct baton_outcome {
    uint64_t handle;
    int32_t status;           /* the handler's, or BATON_ETIMEDOUT */
    uint32_t result_length;
    int32_t timed_out;        /* 1 for a timeout, 0 for a completion */
    int32_t kind;
    uint64_t event_id_hi;
    uint64_t event_id_lo;
    int64_t latency_ns;       /* dispatch to drain */
    const uint8_t *result;
} baton_outcome;

/* The pending-event metrics, from one scan of the slot state words. */
typedef struct baton_metrics {
    uint64_t pending_count;        /* waiting + in progress */
    uint64_t waiting_count;        /* DISPATCHED */
    uint64_t in_progress_count;    /* POLLED or YIELDING */
    uint64_t awaiting_drain_count; /* COMPLETED or TIMED_OUT */
    uint64_t starving_count;       /* pending longer than the starvation threshold */
    int64_t oldest_pending_age_ns; /* 0 when none is pending */
    int64_t newest_pending_age_ns;
    uint64_t oldest_event_id_hi;
    uint64_t oldest_event_id_lo;
} baton_metrics;

/* An event's W3C trace context (a traceparent: version 00, trace id, parent id,
 * flags), set at dispatch, and the span of the handler that completed it. A
 * trace id of 0 names no trace. */
typedef struct baton_trace_context {
    uint64_t trace_id_hi;     /* the trace id's most significant 64 bits */
    uint64_t trace_id_lo;
    uint64_t parent_span_id;  /* the dispatcher's span */
    uint64_t handler_span_id; /* the handler's span, from baton_complete_traced; 0 until then */
    uint32_t flags;           /* W3C trace flags: bit 0 sampled */
    uint32_t reserved;        /* zero */
} baton_trace_context;

/* Room for a payload that the caller writes in place (baton_claim),
 * then commits or aborts. payload stays valid until then; token names the
 * claim and is checked by both. */
typedef struct baton_payload_claim {
    uint64_t token;           /* the slot and its generation; 0 once committed or aborted */
    uint8_t *payload;         /* payload_length bytes to write: in the slot, or in a block */
    uint32_t payload_length;
    uint32_t reserved;        /* zero */
} baton_payload_claim;

/* What this attachment's drains saw since it attached. */
typedef struct baton_drain_counts {
    uint64_t completed_count;        /* completions drained */
    uint64_t timed_out_count;        /* timeouts drained */
    uint64_t rejected_record_count;  /* records that reported no event: skipped */
    uint64_t unblocked_record_count; /* records of publishers presumed dead, committed or skipped */
} baton_drain_counts;

/* An event the slab holds, as baton_list_events reports it: read under its
 * state word, so its fields are the event's in that state. */
typedef struct baton_listed_event {
    uint64_t handle;
    uint64_t event_id_hi;
    uint64_t event_id_lo;
    uint64_t correlation_id_hi;
    uint64_t correlation_id_lo;
    int64_t dispatched_at_ns;
    int32_t kind;
    uint32_t state;           /* BATON_SLOT_DISPATCHED, _POLLED, _YIELDING, _COMPLETED or _TIMED_OUT */
    uint32_t redeliveries;
    uint32_t yields;
} baton_listed_event;

typedef void (*baton_outcome_handler)(void *context, const baton_outcome *outcome);

/* The bytes a channel with this configuration needs; 0 if the configuration
 * is out of range.
 * Thread: any. Blocks: never. */
BATON_API uint64_t baton_segment_length(const baton_config *config);

/* Lays out a new, open channel in memory (BATON_SEGMENT_ALIGNMENT-aligned,
 * at least baton_segment_length bytes). The magic is written last.
 * 0, BATON_EFAULT, or BATON_EINVAL (config out of range, memory too short or
 * misaligned).
 * Thread: one, before any attach. Blocks: never. */
BATON_API int baton_format(void *memory, uint64_t length, const baton_config *config);

/* Checks memory as a channel and attaches to it: takes an entry of the
 * attachment table for this process. 0, BATON_EFAULT, BATON_EBADMSG (wrong
 * magic), BATON_EPROTONOSUPPORT (ABI major), BATON_EINVAL (sizes
 * inconsistent with each other or with length), BATON_ESHUTDOWN (closed),
 * BATON_EUSERS (every entry names a live process, after reaping dead ones).
 * Thread: any. Blocks: never (it reads /proc only when the table is full). */
BATON_API int baton_attach(void *memory, uint64_t length, baton_channel **channel);

/* Detaches and frees the attachment; an attachment made by baton_create or
 * baton_open also unmaps its file. Events this attachment polled and did
 * not complete are settled as if its process had died (see baton_reap), so
 * no other process waits for their deadline. Calls parked on this attachment
 * in a wait are woken and return BATON_ESHUTDOWN, calls in progress are
 * waited for, and later calls on it are refused until it is freed; no call
 * may start after baton_detach returns. 0, BATON_EFAULT, or BATON_EBUSY (from
 * inside a call on this attachment, as its drain's callback, or while another
 * thread detaches it).
 * Thread: any, once per attachment. Blocks: until the attachment's calls in
 * progress have left (they leave promptly once woken). A call costs no locked
 * instruction to be waited for; a detach costs one membarrier system call. */
BATON_API int baton_detach(baton_channel *channel);

/* The channel's memory as this attachment reaches it, and its length: the
 * memory baton_attach was given, or this process's mapping of the file
 * (baton_create, baton_open). Every pointer libbaton hands out into the
 * channel (a polled event's payload, an outcome's result) lies inside it, so
 * a binding may read them through one view of it. Valid until baton_detach.
 * 0, BATON_EFAULT, or BATON_ESHUTDOWN (the attachment is being detached).
 * Thread: any. Blocks: never. */
BATON_API int baton_memory(baton_channel *channel, void **memory, uint64_t *length);

/* Marks the channel closed and wakes every waiter, in every process; the
 * attachment that created the channel's file, or adopted it, also removes the file (the
 * mappings of attached processes stay valid until each detaches). Never
 * waits for other processes, dead or alive. 0, BATON_EFAULT, or
 * BATON_ESHUTDOWN when already closed.
 * Thread: any; normally the host's. Blocks: never. */
BATON_API int baton_close(baton_channel *channel);

/* ---------------------------------------------------------------- across processes */
/*
 * A channel in a file that other processes map: conventionally under
 * /dev/shm, so its pages stay in memory. The creator formats it and removes
 * it at baton_close; any process attaches to it by path. Futex waits and
 * wake-ups work across the processes that map it.
 */
#define BATON_FILE_MODE_DEFAULT 0600     /* owner-only */
#define BATON_OPEN_ANY_OWNER UINT32_C(1) /* baton_open: accept a file another user owns */

/* Creates a channel in a new file at path, atomically: it is sized, mapped
 * and formatted under a temporary name beside path, then linked to path, so
 * no process ever opens a half-made channel. mode is the file's permission
 * bits (0: BATON_FILE_MODE_DEFAULT). The attachment maps the file until
 * baton_detach; baton_close removes the file. 0, BATON_EFAULT, BATON_EINVAL
 * (config out of range), BATON_EEXIST (path exists), BATON_EACCES, BATON_EIO.
 * Thread: any. Blocks: on file system calls only. */
BATON_API int baton_create(const char *path, const baton_config *config, uint32_t mode, baton_channel **channel);

/* Maps the channel file at path and attaches to it. A file owned by another
 * user is refused unless flags has BATON_OPEN_ANY_OWNER; a file shorter than
 * the header it holds claims is refused before it is read past its end. 0,
 * BATON_EFAULT, BATON_ENOENT (no such file), BATON_EACCES, BATON_EIO, or as
 * baton_attach.
 * Thread: any. Blocks: on file system calls only. */
BATON_API int baton_open(const char *path, uint32_t flags, baton_channel **channel);

/* Finds attachments whose process has died (see the attachment table) and
 * settles what they left: their sleepers in the waiter counts, and the events
 * they had polled, which are dispatched again while their redeliveries are
 * below the channel's redelivery_limit and otherwise reported timed out,
 * promptly rather than at their deadline, and the dispatch-ring cells they
 * claimed and never committed. At every call it also commits a cell whose
 * position a producer took and never marked, once calls of this process have
 * seen it so for BATON_UNBLOCK_PATIENCE_MIN_NS (see the dispatch ring). And
 * it settles a slot left COMPLETED or TIMED_OUT with no record to report it
 * (its record lost to another process's writes, or never written by a writer
 * outside this protocol): at most once a second it notes the slots in an end
 * state and the completion ring's tail; once the host's drain has read past
 * that tail, a slot still in the word noted has no record left, and the reaper
 * publishes one, status BATON_ETIMEDOUT for a timeout and BATON_ENODATA for a
 * completion (its status and result are lost). Were two reapers to publish
 * one each, the drain delivers the first and skips the other as stale: the
 * event is reported once. It reads /proc/<pid>/stat for each attachment of
 * another process: call it now and then (a host every 100 ms or so), not per
 * event. The attachments reaped (>= 0), or BATON_EFAULT, BATON_ESHUTDOWN.
 * Thread: any; usually the host's. Blocks: never (file reads of /proc). */
BATON_API int baton_reap(baton_channel *channel);

/* Makes this attachment the channel's host (header field host_tag), when the
 * host named is gone (detached, or reaped) or its process is dead, or none is
 * named: reaps the dead (baton_reap), so the old host's half-made dispatches
 * and its claims are settled; puts back on the free list every free slot a
 * dead dispatcher had taken and not yet filled; clears the cached clock. The
 * events still pending stay pending: the handlers serve them and this host's
 * drains deliver their outcomes, with those already in the completion ring.
 * An outcome the old host was handed by a drain it died in may be delivered
 * again: each outcome names its event id. Adopting by path is baton_open,
 * then this; the adopter's baton_close also removes the file.
 * 0 (this attachment is the host, perhaps already), BATON_EISCONN (the host
 * is alive), BATON_ESHUTDOWN, BATON_EFAULT.
 * Thread: one, before this attachment dispatches or drains; no other process
 * cancels meanwhile (a cancel frees a slot the audit could also free).
 * Blocks: while another process reaps the old host, a moment. */
BATON_API int baton_adopt(baton_channel *channel);

/* The tag this attachment's handlers carry in a slot's state word (> 0), for
 * a handler that polls without baton_poll (Java's Poller). BATON_EFAULT,
 * BATON_ESHUTDOWN.
 * Thread: any. Blocks: never. */
BATON_API int baton_attachment_tag(baton_channel *channel);

/* Dispatches an event; a payload longer than the slot's inline room is copied
 * to a block. The handle (> 0), or BATON_EAGAIN (slab full, or no block free
 * for the payload), BATON_ENOSPC (dispatch ring full), BATON_EMSGSIZE (longer
 * than the largest block), BATON_EPROTO (the free slot's state word had been
 * written over by another process: the event is in the slot all the same, and
 * baton_reclaim_expired times it out once), BATON_EFAULT (payload NULL with a length),
 * BATON_EUCLEAN (no slot or block, and another process wrote over the head of
 * the free list they come from: list the events to account for with
 * baton_list_events), BATON_ESHUTDOWN.
 * Thread: any (many dispatchers). Blocks: never. */
BATON_API int64_t baton_dispatch(baton_channel *channel, uint64_t event_id_hi, uint64_t event_id_lo,
                                 uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind,
                                 const void *payload, uint32_t payload_length);

/* As baton_dispatch, with the event's trace context (its handler_span_id is
 * ignored); NULL for none.
 * Thread: any (many dispatchers). Blocks: never. */
BATON_API int64_t baton_dispatch_traced(baton_channel *channel, uint64_t event_id_hi, uint64_t event_id_lo,
                                        uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind,
                                        const baton_trace_context *trace, const void *payload, uint32_t payload_length);

/* One entry of baton_dispatch_batch: what baton_dispatch_traced takes for one
 * event, its trace context inline (all zero: none). payload may be NULL when
 * payload_length is 0. redeliveries is 0 for a new event; a bridge that
 * carries an event from another channel, where it was already dispatched
 * again after its handler died, carries that count, so that its handler here
 * reads it (baton_event.redeliveries) and this channel's redelivery_limit
 * counts it too. */
typedef struct baton_dispatch_entry {
    uint64_t event_id_hi;
    uint64_t event_id_lo;
    uint64_t correlation_id_hi;
    uint64_t correlation_id_lo;
    uint64_t trace_id_hi;
    uint64_t trace_id_lo;
    uint64_t parent_span_id;
    uint32_t trace_flags;
    int32_t kind;
    const uint8_t *payload;
    uint32_t payload_length;
    uint32_t redeliveries;
} baton_dispatch_entry;

/* Dispatches count events in order, each as baton_dispatch_traced does, in
 * one call: one entry into the channel, one read of the cached clock, one claim of
 * dispatch-ring cells for up to 64 events at a time, and one wake-up of the
 * sleeping handlers for the batch. handles[i] gets entry i's handle, or
 * BATON_EPROTO when its slot's memory was corrupted (it still counts). The
 * number of entries taken: fewer than count only when entry [returned] could
 * not be dispatched: handles[returned] says why (BATON_EAGAIN, BATON_ENOSPC,
 * BATON_EMSGSIZE, BATON_EFAULT, BATON_EUCLEAN), and it and the entries after it are left
 * undispatched (retry from there). Or BATON_EFAULT (entries or handles NULL
 * with count > 0), BATON_ESHUTDOWN.
 * Thread: any (many dispatchers). Blocks: never. */
BATON_API int baton_dispatch_batch(baton_channel *channel, const baton_dispatch_entry *entries, uint32_t count,
                                   int64_t *handles);

/* Zero-copy dispatch, as Agrona's tryClaim: takes a free slot (and a block for
 * a payload longer than the inline room), writes the event's fields and trace
 * context (NULL: none), and fills *claim with where to write payload_length
 * bytes. The event is invisible until baton_commit; baton_abort gives the
 * room back. A claimer that dies holding it has it released by its
 * reaper. A handler still reading the slot's previous event may read the room
 * while it is written, and then discards what it read (baton_read_payload is a
 * seqlock read); under ThreadSanitizer write it with relaxed atomic stores.
 * 0, or BATON_EAGAIN, BATON_EMSGSIZE, BATON_EFAULT, BATON_EUCLEAN (as
 * baton_dispatch), BATON_ESHUTDOWN.
 * Thread: any (many dispatchers). Blocks: never. */
BATON_API int baton_claim(baton_channel *channel, uint64_t event_id_hi, uint64_t event_id_lo,
                          uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind,
                          const baton_trace_context *trace, uint32_t payload_length, baton_payload_claim *claim);

/* Publishes a claimed dispatch: the handle (> 0), and claim->token becomes 0.
 * BATON_ENOSPC (dispatch ring full: the claim is kept; commit again or abort),
 * BATON_ESTALE / BATON_EALREADY (the token was committed or aborted before, or
 * never named a claim), BATON_ENOENT, BATON_EFAULT, BATON_ESHUTDOWN.
 * Thread: the claimer's, or any it hands the claim to. Blocks: never. */
BATON_API int64_t baton_commit(baton_channel *channel, baton_payload_claim *claim);

/* Gives a claimed dispatch's slot and block back unseen; claim->token becomes
 * 0. 0, or as baton_commit.
 * Thread: as baton_commit. Blocks: never. */
BATON_API int baton_abort(baton_channel *channel, baton_payload_claim *claim);

/* Takes the oldest dispatched event into *event, recording this attachment as
 * its handler; while none is ready, sleeps (futex) up to timeout_ns (0: looks
 * once and returns). 1 when it took one, 0 when none was ready in time,
 * BATON_EINTR when a signal interrupted the sleep, BATON_ESHUTDOWN once closed
 * or while this attachment is detached, or BATON_EFAULT.
 * Thread: any (many handlers). Blocks: up to timeout_ns (BATON_WAIT_FOREVER:
 * until an event, a close, a detach or a signal); never with 0. */
BATON_API int baton_poll(baton_channel *channel, baton_event *event, int64_t timeout_ns);

/* Sleeps (futex) up to timeout_ns until an event is ready to poll, without
 * taking it; for a handler that polls by other means (Java's Poller). 1 when
 * one is ready (another handler may still take it first), 0 after the
 * timeout, BATON_EINTR (a signal), BATON_ESHUTDOWN, or BATON_EFAULT.
 * Thread: any. Blocks: as baton_poll. */
BATON_API int baton_await_events(baton_channel *channel, int64_t timeout_ns);

/* Copies a polled event's payload into destination, then checks that the
 * slot still holds that event (a seqlock read: the copy is never torn or
 * another event's). The payload length, or BATON_EMSGSIZE (capacity too
 * small), BATON_ETIMEDOUT or BATON_ESTALE (the event ended meanwhile),
 * BATON_ENOENT, BATON_EFAULT, BATON_ESHUTDOWN.
 * Thread: any holding the event. Blocks: never. */
BATON_API int baton_read_payload(baton_channel *channel, const baton_event *event, void *destination,
                                 uint32_t capacity);

/* Takes up to max ready events into events[], as baton_poll with timeout 0
 * does one, in runs of up to 64 ring cells with one index claim each, their
 * stamps one read of the cached clock (clock_ns), where baton_poll reads the
 * clock itself. The count (0 when none is ready;
 * fewer than max is no error), or BATON_EFAULT, BATON_ESHUTDOWN.
 * Thread: any (many handlers). Blocks: never. */
BATON_API int baton_poll_batch(baton_channel *channel, baton_event *events, uint32_t max);

/* Completes a polled event; a result longer than a completion record's inline
 * room is copied to a block. 0, or BATON_ENOENT, BATON_ESTALE, BATON_ETIMEDOUT,
 * BATON_EALREADY, BATON_EPROTO (not polled), BATON_EMSGSIZE (longer than the
 * largest block), BATON_ENOBUFS (completion ring full, or no block free for the
 * result: retry), BATON_EUCLEAN (the ring's positions, or the head of the
 * result blocks' free list, were written over by another process),
 * BATON_EFAULT, BATON_ESHUTDOWN.
 * Thread: any holding the handle, in any attached process. Blocks: never. */
BATON_API int baton_complete(baton_channel *channel, uint64_t handle, int32_t status, const void *result,
                             uint32_t result_length);

/* As baton_complete, naming the handler's span, which the host then reads with
 * baton_read_trace.
 * Thread: any holding the handle, in any attached process. Blocks: never. */
BATON_API int baton_complete_traced(baton_channel *channel, uint64_t handle, int32_t status, uint64_t handler_span_id,
                                    const void *result, uint32_t result_length);

/* One entry of baton_complete_batch: what baton_complete_traced takes for one
 * event. result may be NULL when result_length is 0. */
typedef struct baton_completion {
    uint64_t handle;
    int32_t status;
    uint32_t result_length;
    const uint8_t *result;
    uint64_t handler_span_id; /* 0: none */
} baton_completion;

/* Completes count polled events in order, each as baton_complete_traced
 * does, in one call: one entry into the channel and one wake-up of a
 * sleeping host for the batch. codes[i] gets entry i's result (0, or a code
 * of baton_complete); one entry refused does not stop the rest. Runs of
 * entries with inline results share one claim of the completion ring (see the
 * completion ring). The number of
 * entries settled: fewer than count only when entry [returned] found the
 * completion ring, or the blocks, without room (its code BATON_ENOBUFS, and
 * it and the entries after it left as they were: retry from there). Or
 * BATON_EFAULT (completions or codes NULL with count > 0), BATON_ESHUTDOWN.
 * Thread: any holding the handles, in any attached process. Blocks: never. */
BATON_API int baton_complete_batch(baton_channel *channel, const baton_completion *completions, uint32_t count,
                                   int32_t *codes);

/* Yields a polled event: yields it to be dispatched again with a continuation
 * payload (the engine's checkpoint yield): the handle, the ids and the trace
 * context stay, its yields count rises, and it joins the back of the dispatch
 * ring; the caller holds it no longer. A yield is neither a completion nor a
 * loss. An event that has already yielded yield_limit times is completed
 * with status BATON_ELOOP instead, and the call returns BATON_ELOOP: the
 * event has ended, reported once to the host. 0, BATON_ELOOP, or, with the
 * claim kept: BATON_EAGAIN (no block free for the continuation; BATON_EUCLEAN
 * when their free list's head was written over),
 * BATON_ENOSPC (dispatch ring full), BATON_ENOBUFS (completion ring full for
 * the BATON_ELOOP outcome), BATON_EMSGSIZE; or as baton_complete. After a
 * yield the handle names the event's next delivery, so a caller that uses it
 * again races that delivery's handler; the event still ends once.
 * Thread: any holding the handle. Blocks: never. */
BATON_API int baton_yield(baton_channel *channel, uint64_t handle, const void *continuation,
                          uint32_t continuation_length);

/* Reads the trace context of the event a handle names, for a handler holding
 * it or for the host during the drain callback that delivers it; a checked
 * read, as baton_read_payload's. 0, or BATON_ESTALE / BATON_ENOENT (the handle
 * names no event now), BATON_EFAULT, BATON_ESHUTDOWN.
 * Thread: any holding the event. Blocks: never. */
BATON_API int baton_read_trace(baton_channel *channel, uint64_t handle, baton_trace_context *trace);

/* Reads the trace contexts of count polled events (baton_poll_batch's) into
 * traces[], as baton_read_trace does each, in one call; an event that ended
 * meanwhile (or whose handle names no event) gets an all-zero trace: none.
 * count, or BATON_EFAULT (events or traces NULL with count > 0),
 * BATON_ESHUTDOWN.
 * Thread: any holding the events. Blocks: never. */
BATON_API int baton_read_traces(baton_channel *channel, const baton_event *events, uint32_t count,
                                baton_trace_context *traces);

/* Host only, one drain at a time per attachment: copies up to max outcomes
 * into outcomes[] and their results, one after another, into results
 * (results_capacity bytes; each outcome's result points there), then frees
 * their slots; a completed outcome's latency goes into the latency ring. The
 * thread of the attachment's first drain, until it ends, keeps the slots its
 * drains free for its own dispatches, which take them back without a locked
 * instruction; after each drain it keeps at most a sixteenth of the slab (64
 * at most), none when it did not dispatch since its last drain, and pushes the
 * rest back on the free list together (one CAS). A
 * dispatch on another thread that finds the free list empty asks for them,
 * and the owner's next drain pushes them all back; a drain on another thread
 * while the owner lives frees to the free list, and baton_detach pushes back
 * what the attachment kept. With
 * traces (may be NULL), it also copies each outcome's trace context beside it:
 * the trace id and parent span it was dispatched with, and the span its
 * handler named in baton_complete_traced (0 for none, and for a timeout). An
 * outcome whose result does not fit the room left stays for the next call.
 * Records that report no event, and records unblocked after their publisher
 * was presumed dead, are counted (baton_read_drain_counts). The outcomes
 * copied (fewer than max is no error), or BATON_EMSGSIZE (the first outcome's
 * result alone is longer than results_capacity), BATON_EBUSY (called from
 * inside a drain of this attachment, or while another thread drains it),
 * BATON_EUCLEAN (another process wrote over the completion ring's
 * positions: list the events to account for with baton_list_events),
 * BATON_EFAULT, BATON_ESHUTDOWN.
 * Thread: the host's, one at a time. Blocks: never. */
BATON_API int baton_drain(baton_channel *channel, baton_outcome *outcomes, baton_trace_context *traces, uint32_t max,
                          uint8_t *results, uint32_t results_capacity);

/* Host only, as baton_drain, passing each outcome to handler instead of
 * copying it: the baton_outcome and its result (in the channel) are valid
 * only during the handler call. A handler that cannot return normally (an
 * exception of a language runtime) loses nothing only with baton_drain.
 * Thread: the host's, one at a time. Blocks: never (the handler may). */
BATON_API int baton_drain_each(baton_channel *channel, baton_outcome_handler handler, void *context, uint32_t max);

/* Host only: sleeps (futex) up to timeout_ns until an outcome is ready to
 * drain, without draining it. 1 when one is, 0 after the timeout, BATON_EINTR
 * (a signal), or an error.
 * Thread: the host's. Blocks: as baton_poll, until an outcome. */
BATON_API int baton_await_outcomes(baton_channel *channel, int64_t timeout_ns);

/* Wakes handlers asleep in baton_poll or baton_await_events if there are any; for a host that
 * dispatched without baton_dispatch (the Java host). 0 or an error.
 * Thread: any. Blocks: never. */
BATON_API int baton_notify_dispatched(baton_channel *channel);

/* Wakes a host asleep in baton_await_outcomes if there is one; for a
 * handler that completed without baton_complete (Java handlers). 0 or an error.
 * Thread: any. Blocks: never. */
BATON_API int baton_notify_completed(baton_channel *channel);

/* Records one latency into the channel's latency ring.
 * 0, BATON_EINVAL (negative value), BATON_EFAULT, BATON_ESHUTDOWN.
 * Thread: any. Blocks: never (wait-free). */
BATON_API int baton_record_latency(baton_channel *channel, int64_t value_ns);

/* Times out pending events past their deadline, and at once, whatever its
 * deadline, an event whose slot's state word another process wrote over with
 * one no protocol writes (a state past YIELDING, a holder on a state that
 * carries none, a generation no handle names: it is timed out under one a
 * handle names) or leaves YIELDING under a tag no attachment holds. Each is
 * reported once; its handler's completion is refused. The number timed out,
 * or an error.
 * Thread: any; usually the host's, now and then. Blocks: never. */
BATON_API int baton_reclaim_expired(baton_channel *channel);

/* Cancels a pending event. 0; BATON_EAGAIN while its handler yields it
 * (baton_yield: try again, it is dispatched again in a moment); or as
 * baton_complete.
 * Thread: any; usually the dispatcher's. Blocks: never. */
BATON_API int baton_cancel(baton_channel *channel, uint64_t handle);

/* Fills *metrics from one scan of the slab. 0 or an error.
 * Thread: any. Blocks: never, and never blocks writers. */
BATON_API int baton_read_metrics(baton_channel *channel, baton_metrics *metrics);

/* Fills *counts with what this attachment's drains saw; each count is read on
 * its own. 0 or BATON_EFAULT.
 * Thread: any. Blocks: never. */
BATON_API int baton_read_drain_counts(baton_channel *channel, baton_drain_counts *counts);

/* Lists the events the slab holds (every slot not FREE: waiting, in
 * progress, yielding, or ended and not yet drained), so that a host can
 * account for the events it dispatched when their outcomes cannot reach it:
 * a completion ring refused as BATON_EUCLEAN, a channel it is abandoning.
 * Looks at the slots from *cursor on and writes up to max events, each read
 * under its state word (the word read before and after its fields), so each
 * is consistent; the list is not a snapshot across slots: an event that moves
 * while the scan runs is listed in its state before or after, or, if it ends
 * and its slot takes a new event meanwhile, as that one. *cursor moves past
 * the slots looked at; start at 0, and the list is complete once a call
 * leaves *cursor at the slab's capacity. Works on a closed channel, until
 * the detach. The events written, or BATON_EFAULT (a NULL cursor, or NULL
 * events with max > 0), BATON_ESHUTDOWN once detached.
 * Thread: any. Blocks: never, and never blocks writers. */
BATON_API int baton_list_events(baton_channel *channel, uint32_t *cursor, baton_listed_event *events, uint32_t max);

/* ---------------------------------------------------------------- trace context */

/* The length of a W3C traceparent of version 00, without its NUL. */
#define BATON_TRACEPARENT_LENGTH 55

/* Parses a W3C traceparent of version 00 ("00-" 32 hex digits of trace id "-"
 * 16 of parent span id "-" 2 of flags) into *trace, its handler_span_id 0:
 * what baton_dispatch_traced and baton_claim take. 0, BATON_EFAULT, or
 * BATON_EINVAL (not a traceparent of version 00, or a trace or span id of 0).
 * Thread: any. Blocks: never. */
BATON_API int baton_trace_parse(const char *traceparent, baton_trace_context *trace);

/* Writes trace's traceparent and a NUL into text (capacity bytes): its
 * dispatcher's context, not the handler's span. BATON_TRACEPARENT_LENGTH, 0
 * when trace names no trace (text becomes ""), BATON_EMSGSIZE (capacity below
 * BATON_TRACEPARENT_LENGTH + 1), or BATON_EFAULT.
 * Thread: any. Blocks: never. */
BATON_API int baton_trace_format(const baton_trace_context *trace, char *text, uint32_t capacity);

/* ---------------------------------------------------------------- this library */
/*
 * For bindings that load libbaton at run time without a C compiler (Python's
 * ctypes, Ruby's ffi, Node's koffi): before any other call they check the
 * library's ABI version, and hold each API struct they were generated with
 * (make declarations) to the library's size of it, refusing a mismatch with a
 * clear message.
 */
#define BATON_STRUCT_CONFIG 1
#define BATON_STRUCT_EVENT 2
#define BATON_STRUCT_OUTCOME 3
#define BATON_STRUCT_METRICS 4
#define BATON_STRUCT_DRAIN_COUNTS 5
#define BATON_STRUCT_TRACE_CONTEXT 6
#define BATON_STRUCT_PAYLOAD_CLAIM 7
#define BATON_STRUCT_COMPLETION 8
#define BATON_STRUCT_DISPATCH_ENTRY 9
#define BATON_STRUCT_LISTED_EVENT 10

/* BATON_ABI_VERSION of the baton.h this libbaton was built from. A binding
 * written for major.minor works with the same major and any minor >= minor.
 * Thread: any. Blocks: never. */
BATON_API uint32_t baton_abi_version(void);

/* The size in bytes of the API struct a BATON_STRUCT_* id names, in this
 * libbaton; 0 for an unknown id.
 * Thread: any. Blocks: never. */
BATON_API uint32_t baton_struct_size(uint32_t id);

/* A sentence naming a result code. Never NULL.
 * Thread: any. Blocks: never. */
BATON_API const char *baton_strerror(int code);

/* What the calling thread's last opening call (baton_create, baton_open,
 * baton_attach, baton_adopt, baton_format, baton_segment_length) found wrong
 * when it refused with code: a sentence naming the object and the fault, such
 * as "/dev/shm/x: 100 bytes, shorter than a channel header (512 bytes)" or
 * "slab_capacity must be a power of two in [1, 16777216]: 3". The Java library
 * and every binding put the same sentence in their exceptions. baton_strerror(code)
 * when that call left none, or refused with another code. Never NULL; valid
 * until the thread's next opening call. Ask right after the refused call: the
 * other calls leave no detail, so a later refusal with the same code would be
 * shown the earlier call's.
 * Thread: any (each thread has its own). Blocks: never. */
BATON_API const char *baton_error_detail(int code);

#ifdef __cplusplus
}
#endif

#endif /* BATON_H */
