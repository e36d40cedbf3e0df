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
 *   | channel header               |   BATON_HEADER_LENGTH (384) bytes
 *   +------------------------------+ dispatch_ring_offset (= 384)
 *   | dispatch ring                |   BATON_DISPATCH_RING_CELLS_OFFSET (256)
 *   |   producer index, consumer   |   + dispatch_ring_capacity * 16 bytes
 *   |   index, cells              |
 *   +------------------------------+ slab_offset (aligned to 128)
 *   | slab                         |   slab_capacity * slot_size bytes
 *   |   slot 0 .. slot N-1         |
 *   +------------------------------+ completion_ring_offset (aligned to 128)
 *   | completion ring records      |   completion_ring_capacity bytes
 *   | completion ring trailer      |   BATON_COMPLETION_TRAILER_LENGTH (768)
 *   +------------------------------+ segment_length
 *
 * Hot fields written by different threads (the free-list head, the two ring
 * indices, the completion ring's tail and head) each sit alone in a
 * 128-byte region: two cache lines, so the adjacent-line prefetcher does not
 * pull a neighbour's line along with them.
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
#define BATON_ABI_MAJOR 1
#define BATON_ABI_MINOR 0
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
 * (dev.baton.ErrorCode).
 */
#define BATON_OK 0
#define BATON_ENOENT (-2)       /* unknown handle: index out of range or generation 0 */
#define BATON_EAGAIN (-11)      /* slab full: max in-flight events reached (backpressure) */
#define BATON_EFAULT (-14)      /* a NULL pointer where memory was required */
#define BATON_EINVAL (-22)      /* an argument out of its documented range */
#define BATON_ENOSPC (-28)      /* dispatch ring full (backpressure) */
#define BATON_EPROTO (-71)      /* the event is not in a state that allows this operation */
#define BATON_EBADMSG (-74)     /* wrong magic: this memory is not a Baton channel */
#define BATON_EMSGSIZE (-90)    /* payload or result longer than the channel allows */
#define BATON_EPROTONOSUPPORT (-93) /* ABI major version differs from this header's */
#define BATON_ENOBUFS (-105)    /* completion ring full (backpressure) */
#define BATON_ESHUTDOWN (-108)  /* the channel is closed */
#define BATON_ETIMEDOUT (-110)  /* the event timed out; its completion is no longer accepted */
#define BATON_EALREADY (-114)   /* the event was already completed */
#define BATON_ESTALE (-116)     /* stale handle: the slot has moved on to a later generation */

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
 *      92    36  reserved (zero)
 *     128     8  free_head              hot: tag << 32 | (top slot index + 1), 0 = empty
 *     136   248  reserved (zero)
 *     384        end
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
    uint8_t reserved0[36];
    uint64_t free_head;
    uint8_t reserved1[248];
} baton_header;

#define BATON_HEADER_LENGTH 384

/* ---------------------------------------------------------------- slots */
/*
 * The state word of a slot:
 *
 *    63 62                 32 31                                  0
 *   +--+---------------------+-------------------------------------+
 *   | 0|   generation (31)   |                state                |
 *   +--+---------------------+-------------------------------------+
 *
 * Every transition is a compare-and-swap of the whole word, so it succeeds
 * only for the generation the caller's handle names:
 *
 *   FREE(g) --dispatch--> DISPATCHED(g) --poll--> CLAIMED(g) --complete--> COMPLETED(g)
 *                              |                       |                        |
 *                              +------ expire ---------+--> TIMED_OUT(g)        |
 *                              |                       |         |              |
 *                              +------ cancel ---------+         +-- drain -----+--> FREE(g+1)
 *                                         |
 *                                         +--> FREE(g+1)
 */
#define BATON_SLOT_FREE 0
#define BATON_SLOT_DISPATCHED 1
#define BATON_SLOT_CLAIMED 2
#define BATON_SLOT_COMPLETED 3
#define BATON_SLOT_TIMED_OUT 4

/*
 *  offset  size  field
 *       0     8  state                 generation << 32 | state (see above)
 *       8     4  next_free             free-list link: slot index + 1, 0 = end of list
 *      12     4  kind                  caller-defined event type
 *      16     8  event_id_hi           UUID, most significant 64 bits
 *      24     8  event_id_lo           UUID, least significant 64 bits
 *      32     8  correlation_id_hi
 *      40     8  correlation_id_lo
 *      48     8  dispatched_at_ns      CLOCK_MONOTONIC
 *      56     8  claimed_at_ns         CLOCK_MONOTONIC, 0 until claimed
 *      64     8  deadline_ns           dispatched_at_ns + completion_timeout_ns
 *      72     4  payload_length
 *      76     4  reserved (zero)
 *      80     -  payload               slot_size - 80 bytes
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
    int64_t claimed_at_ns;
    int64_t deadline_ns;
    uint32_t payload_length;
    uint32_t reserved;
    uint8_t payload[];
} baton_slot;

#define BATON_SLOT_HEADER_LENGTH 80
#define BATON_SLOT_SIZE_MIN 128

/* ---------------------------------------------------------------- dispatch ring */
/*
 * A bounded multi-producer multi-consumer ring of handles with one sequence
 * per cell (Vyukov's algorithm, as in JCTools' MpmcArrayQueue). Cell i starts
 * with sequence i. A producer that owns position p (by CAS of producer_index
 * from p to p+1 while cell.sequence == p) writes the handle, then stores
 * sequence p+1 with release. A consumer that owns position c (by CAS of
 * consumer_index while cell.sequence == c+1) reads the handle, then stores
 * sequence c+capacity with release, handing the cell to the next lap.
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
 * a negative length (with release), writes the body, then stores the positive
 * length with release; the consumer reads the header with acquire and stops
 * at a length <= 0. A record of type BATON_RECORD_PADDING fills the end of the
 * area when the next record does not fit before the wrap.
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

/*
 * Body of a BATON_RECORD_COMPLETED or BATON_RECORD_TIMED_OUT record:
 *  offset  size  field
 *       0     8  handle
 *       8     4  status                handler-defined; BATON_ETIMEDOUT for a timeout
 *      12     4  reserved (zero)
 *      16     -  result bytes: record length - 8 - 16 of them
 */
typedef struct baton_completion_body {
    uint64_t handle;
    int32_t status;
    uint32_t reserved;
    uint8_t result[];
} baton_completion_body;

#define BATON_COMPLETION_BODY_LENGTH 16

#ifdef __cplusplus
}
#endif

#endif /* BATON_H */
