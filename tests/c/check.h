/* The C tests' checks (each counts a pass, or prints the failure and counts it) and shared helpers. */
#ifndef BATON_TEST_CHECK_H
#define BATON_TEST_CHECK_H

#include <stdio.h>
#include <string.h>

#include "baton.h"

extern int passed;
extern int failed;

#define CHECK(condition)                                                                                     \
    do {                                                                                                     \
        if (condition) {                                                                                     \
            passed++;                                                                                        \
        } else {                                                                                             \
            failed++;                                                                                        \
            fprintf(stderr, "FAILED %s:%d: %s\n", __FILE__, __LINE__, #condition);                          \
        }                                                                                                    \
    } while (0)

#define CHECK_CODE(expected, actual)                                                                         \
    do {                                                                                                     \
        long long got_ = (long long)(actual);                                                                \
        if (got_ == (long long)(expected)) {                                                                 \
            passed++;                                                                                        \
        } else {                                                                                             \
            failed++;                                                                                        \
            fprintf(stderr, "FAILED %s:%d: %s: expected %s, got %lld (%s)\n", __FILE__, __LINE__, #actual,   \
                    #expected, got_, baton_error_detail((int)got_));                                         \
        }                                                                                                    \
    } while (0)

/* The detail the calling thread's last opening call left for code (baton_error_detail) is expected. */
#define CHECK_DETAIL(code, expected)                                                                         \
    do {                                                                                                     \
        const char *detail_ = baton_error_detail(code);                                                      \
        if (strcmp(detail_, (expected)) == 0) {                                                              \
            passed++;                                                                                        \
        } else {                                                                                             \
            failed++;                                                                                        \
            fprintf(stderr, "FAILED %s:%d: detail of %s: expected \"%s\", got \"%s\"\n", __FILE__, __LINE__, \
                    #code, (expected), detail_);                                                             \
        }                                                                                                    \
    } while (0)

/* test_channel.c: a channel in memory this test owns, attached: slots with 64 bytes of inline room,
 * and blocks of 1 KiB and of 64 KiB. */
enum {
    TEST_SLOT_SIZE = 192,
    TEST_INLINE_PAYLOAD = TEST_SLOT_SIZE - BATON_SLOT_HEADER_LENGTH,
    TEST_SMALL_BLOCKS = 4,
    TEST_LARGE_BLOCKS = 2,
    TEST_LARGEST_BLOCK = BATON_BLOCK_SIZE_MIN << 6,
};

typedef struct test_channel {
    void *memory;
    uint64_t length;
    baton_channel *channel;
} test_channel;
test_channel make_channel(uint32_t capacity, int64_t timeout_ns);
/* As make_channel, with the channel's yield_limit (0: the default). */
test_channel make_channel_yielding(uint32_t capacity, int64_t timeout_ns, uint32_t yield_limit);
void free_channel(test_channel *made);
/* The slot a handle names, in a channel's memory. */
baton_slot *slot_of_handle(void *memory, uint64_t handle);
/* Claims one event: 1 and its handle, or 0 and 0. */
int claim_one(baton_channel *channel, uint64_t *handle);
/* After an error, the next valid operation still works: a full round trip. */
void check_still_works(baton_channel *channel);

/* test_parts.c: the slab and the rings driven alone, over plain buffers. */
void test_parts_alone(void);

/* test_blocks.c: payloads and results in blocks: every size class, backpressure, reuse, corruption. */
void test_blocks(void);

/* test_yield.c: zero-copy dispatch claims, and events yielded with a continuation. */
void test_yield(void);

/* test_foreign_writer.c: completions written by a writer outside libbaton, under baton.h's rule. */
void test_foreign_writer(void);

/* test_misuse.c: re-entrant drains, the callback-free drain, waits, generation-0 handles. */
void test_misuse(void);

/* test_files.c: channels in files, created and opened by path. */
void test_files(void);

/* test_liveness.c: processes that die attached, and the reaper that settles what they left. */
void test_liveness(void);

/* test_host.c: the host's death noticed by handlers' waits, and a channel adopted by a new host. */
void test_host(void);

/* scribble_trials.c: a random word written over a live channel's dispatch ring, over a completion
 * record's body or header waiting for the host's drain, over the completion ring's positions, over
 * the slab's free list, over a slot's state word, over the attachment table, or over any word of the
 * channel, and the channel carrying on, or refusing with BATON_EUCLEAN (or BATON_ESHUTDOWN, its state
 * written over) while the host lists the events it must account for. The trials run, and the events they saw end or are listed;
 * failed trials are printed. */
typedef enum scribble_region {
    SCRIBBLE_DISPATCH_RING,
    SCRIBBLE_RECORD_BODIES,
    SCRIBBLE_RECORD_HEADERS,
    SCRIBBLE_RING_POSITIONS,
    SCRIBBLE_FREE_LIST,
    SCRIBBLE_STATE_WORDS,
    SCRIBBLE_ATTACHMENTS,
    SCRIBBLE_ANYWHERE
} scribble_region;
typedef struct scribble_tally {
    long trials;
    long completed;
    long timed_out;
    long settled; /* outcomes whose record was lost, settled by the reaper (status BATON_ENODATA) */
    long listed;  /* events the host listed (baton_list_events) once its drain or dispatch was refused */
    long refused; /* trials whose drain or dispatch was refused with BATON_EUCLEAN */
    long reaped;  /* attachments the host's reaps took for dead (a scribbled entry) */
    long renamed; /* outcomes of events whose id the scribble wrote over, ended under the id written */
    /* scribbled: an index, a cell's sequence, a cell's handle; a record's handle, its status and block; the
     * completion ring's tail, head cache and head positions; a record's header; the slab's free-list head,
     * a slot's free-list link; a slot's state word; a word of the attachment table; of the state words, those
     * that read FREE; any word of the channel */
    long words[15];
} scribble_tally;
int scribble_trials(scribble_region region, uint64_t seed, int trials, scribble_tally *tally);

#endif
