/*
 * The host named in the header: a handler's wait ends with BATON_EHOSTDOWN once the host's process
 * died or it detached without closing, and a later attachment adopts the channel: it drains what the
 * old host left, settles its half-made dispatches, and recovers the slots it died holding. The host
 * is a forked child that dies at a chosen point, so that its death is real (a process /proc names no
 * more), not forged.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "baton_internal.h"
#include "check.h"

#define HOUR_NS INT64_C(3600000000000)
#define SLAB 32 /* the host keeps 2 of the slots its drains free (a sixteenth) */
#define DISPATCHED 12
#define BLOCKS 2         /* blocks of 1 KiB for payloads, and as many for results */
#define LONG_PAYLOAD 1000 /* past a slot's inline room: a block */

static baton_config host_config(void)
{
    return (baton_config){
        .slab_capacity = SLAB,
        .slot_size = 192,
        .dispatch_ring_capacity = 64,
        .completion_ring_capacity = 8192,
        .latency_ring_capacity = 16,
        .attachment_capacity = 8,
        .completion_timeout_ns = HOUR_NS,
        .starvation_threshold_ns = HOUR_NS,
        .block_counts = {[0] = BLOCKS},
    };
}

/* What a forked host does once it has formatted the memory and attached first (so it is the
 * host), before it tells the parent it is ready: 0, or an exit code for the child. */
typedef int (*host_setup)(baton_channel *host, uint8_t *memory);

/* Maps shared memory, forks a host that formats it, attaches, runs setup, says it is ready and
 * then pauses until killed; returns once it is ready, with its pid in *host_pid. */
static uint8_t *fork_ready_host(uint64_t length, host_setup setup, pid_t *host_pid)
{
    uint8_t *memory = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(memory != MAP_FAILED);
    int ready[2];
    CHECK(pipe(ready) == 0);
    pid_t child = fork();
    if (child == 0) {
        close(ready[0]);
        baton_config config = host_config();
        baton_channel *host = NULL;
        if (baton_format(memory, length, &config) != BATON_OK || baton_attach(memory, length, &host) != BATON_OK) {
            _exit(2);
        }
        int failed = setup(host, memory);
        if (failed != 0 || write(ready[1], "r", 1) != 1) {
            _exit(failed != 0 ? failed : 4);
        }
        for (;;) {
            pause();
        }
    }
    close(ready[1]);
    char byte;
    CHECK(read(ready[0], &byte, 1) == 1);
    close(ready[0]);
    *host_pid = child;
    return memory;
}

static void ignore(void *context, const baton_outcome *outcome)
{
    (void)context;
    (void)outcome;
}

/* Serves three events of its own and drains them, so that its thread keeps two slots off the free
 * list; dispatches DISPATCHED events, ids 1..DISPATCHED; then pops one more slot off the free list
 * by hand, and takes a block for a long payload into it, as a dispatch that died between taking the
 * block and naming it in the slot would leave them. */
static int dispatch_and_leak_a_slot(baton_channel *host, uint8_t *memory)
{
    for (uint64_t own = 0; own < 3; own++) {
        if (baton_dispatch(host, 7, own, 0, 0, 1, NULL, 0) <= 0) {
            return 3;
        }
    }
    for (uint64_t id = 1; id <= DISPATCHED; id++) {
        if (baton_dispatch(host, 0, id, 0, 0, 1, NULL, 0) <= 0) {
            return 3;
        }
    }
    for (int own = 0; own < 3; own++) {
        baton_event event;
        if (baton_poll(host, &event, 0) != 1 || event.event_id_hi != 7 ||
            baton_complete(host, event.handle, 0, NULL, 0) != BATON_OK) {
            return 4;
        }
    }
    /* The first drain makes this thread the owner of the slots kept; it keeps them once it has
     * dispatched too (an event it cancels at once). */
    int64_t cancelled;
    if (baton_drain_each(host, ignore, NULL, 1) != 1 ||
        (cancelled = baton_dispatch(host, 7, 3, 0, 0, 1, NULL, 0)) <= 0 ||
        baton_cancel(host, (uint64_t)cancelled) != BATON_OK ||
        baton_drain_each(host, ignore, NULL, 2) != 2) {
        return 5;
    }
    baton_header *header = (baton_header *)memory;
    uint64_t head = header->free_head;
    uint32_t top = (uint32_t)head;
    baton_slot *slot = (baton_slot *)(memory + header->slab_offset + (uint64_t)(top - 1) * header->slot_size);
    header->free_head = (((head >> 32) + 1) << 32) | slot->next_free; /* the leaked pop */
    uint8_t *payload_at;
    return baton__take_payload_block(host, top - 1, LONG_PAYLOAD, &payload_at) > 0 ? 0 : 6;
}

static int nothing_more(baton_channel *host, uint8_t *memory)
{
    (void)host;
    (void)memory;
    return 0;
}

/* Memory a forked host dispatched into (dispatch_and_leak_a_slot) before it was killed: still
 * mapped here, and attachable. */
static uint8_t *run_host_that_dies(uint64_t length)
{
    pid_t host;
    uint8_t *memory = fork_ready_host(length, dispatch_and_leak_a_slot, &host);
    kill(host, SIGKILL);
    waitpid(host, NULL, 0);
    return memory;
}

typedef struct ledger {
    int seen[DISPATCHED + 1];
    int other;
} ledger;

static void record(void *context, const baton_outcome *outcome)
{
    ledger *book = context;
    if (outcome->event_id_hi == 0 && outcome->event_id_lo >= 1 && outcome->event_id_lo <= DISPATCHED &&
        !outcome->timed_out && outcome->status == (int32_t)outcome->event_id_lo) {
        book->seen[outcome->event_id_lo]++;
    } else {
        book->other++;
    }
}

static int serve_one(baton_channel *handler)
{
    baton_event event;
    int polled = baton_poll(handler, &event, 0);
    if (polled == 1) {
        CHECK_CODE(BATON_OK, baton_complete(handler, event.handle, (int32_t)event.event_id_lo, NULL, 0));
    }
    return polled;
}

/* A handler attached before the host died serves half the events, then its wait ends with
 * BATON_EHOSTDOWN; an adopter drains them, the handler serves the rest, and every event ends once. */
static void test_dead_host_is_noticed_and_adopted(void)
{
    baton_config config = host_config();
    uint64_t length = baton_segment_length(&config);
    uint8_t *memory = run_host_that_dies(length);
    baton_channel *handler = NULL;
    CHECK_CODE(BATON_OK, baton_attach(memory, length, &handler));
    for (int served = 0; served < DISPATCHED / 2; served++) {
        CHECK_CODE(1, serve_one(handler));
    }
    baton_event event;
    /* Events are ready: the wait serves them, whatever became of the host. */
    CHECK_CODE(1, baton_await_events(handler, BATON_WAIT_FOREVER));

    baton_channel *adopter = NULL;
    CHECK_CODE(BATON_OK, baton_attach(memory, length, &adopter));
    CHECK_CODE(BATON_OK, baton_adopt(adopter));
    CHECK_CODE(BATON_OK, baton_adopt(adopter)); /* already the host */
    CHECK_CODE(BATON_EISCONN, baton_adopt(handler)); /* the adopter lives */
    char expected[128];
    snprintf(expected, sizeof expected, "its host, process %d, is alive, so it cannot be adopted", (int)getpid());
    CHECK_DETAIL(BATON_EISCONN, expected);
    while (serve_one(handler) == 1) {
    }
    ledger book = {0};
    while (baton_drain_each(adopter, record, &book, 64) > 0) {
    }
    int once = 0;
    for (int id = 1; id <= DISPATCHED; id++) {
        once += book.seen[id] == 1;
    }
    CHECK(once == DISPATCHED && book.other == 0);

    /* The slot the old host died holding, the block it took for it, and the two slots its drain
     * kept, are back: the whole slab can be in flight again, as many long payloads as blocks. */
    static const uint8_t long_payload[LONG_PAYLOAD];
    int dispatched = 0;
    while (dispatched < BLOCKS &&
           baton_dispatch(adopter, 1, (uint64_t)dispatched, 0, 0, 1, long_payload, LONG_PAYLOAD) > 0) {
        dispatched++;
    }
    CHECK_CODE(BLOCKS, dispatched);
    while (baton_dispatch(adopter, 1, (uint64_t)dispatched, 0, 0, 1, NULL, 0) > 0) {
        dispatched++;
    }
    CHECK_CODE(SLAB, dispatched);
    baton_metrics metrics;
    CHECK_CODE(BATON_OK, baton_read_metrics(adopter, &metrics));
    CHECK(metrics.pending_count == SLAB);

    /* The adopter detaches without closing: the handler's forever wait, with nothing ready once it
     * served everything, ends with BATON_EHOSTDOWN. */
    while (serve_one(handler) == 1) {
    }
    CHECK_CODE(BATON_OK, baton_detach(adopter));
    CHECK_CODE(BATON_EHOSTDOWN, baton_poll(handler, &event, BATON_WAIT_FOREVER));
    CHECK_CODE(BATON_EHOSTDOWN, baton_await_events(handler, BATON_WAIT_FOREVER));
    CHECK_CODE(0, baton_poll(handler, &event, 0)); /* a look never watches */
    CHECK_CODE(BATON_OK, baton_detach(handler));
    munmap(memory, length);
}

/* A handler asleep when the host's process dies wakes with BATON_EHOSTDOWN, in about two watches. */
static void test_sleeping_handler_wakes_when_the_host_dies(void)
{
    baton_config config = host_config();
    uint64_t length = baton_segment_length(&config);
    pid_t host;
    uint8_t *memory = fork_ready_host(length, nothing_more, &host);
    baton_channel *handler = NULL;
    CHECK_CODE(BATON_OK, baton_attach(memory, length, &handler));
    pid_t killer = fork();
    if (killer == 0) {
        usleep(100000); /* the handler is asleep by now, or soon: either way it must wake */
        kill(host, SIGKILL);
        _exit(0);
    }
    baton_event event;
    CHECK_CODE(BATON_EHOSTDOWN, baton_poll(handler, &event, BATON_WAIT_FOREVER));
    waitpid(killer, NULL, 0);
    waitpid(host, NULL, 0);
    CHECK_CODE(BATON_OK, baton_detach(handler));
    munmap(memory, length);
}

/* A channel file whose creator died is adopted by path; the adopter's close removes the file. */
static void test_file_is_adopted_and_removed_by_its_adopter(void)
{
    char path[64];
    snprintf(path, sizeof path, "/dev/shm/baton-test-adopt-%ld", (long)getpid());
    unlink(path);
    pid_t host = fork();
    if (host == 0) {
        baton_config config = host_config();
        baton_channel *channel = NULL;
        if (baton_create(path, &config, 0, &channel) != BATON_OK || baton_dispatch(channel, 0, 7, 0, 0, 1, NULL, 0) <= 0) {
            _exit(2);
        }
        _exit(0); /* dies attached, without closing: the file stays */
    }
    int status = 0;
    waitpid(host, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    baton_channel *adopter = NULL;
    CHECK_CODE(BATON_OK, baton_open(path, 0, &adopter));
    CHECK_CODE(BATON_OK, baton_adopt(adopter));
    baton_channel *handler = NULL;
    CHECK_CODE(BATON_OK, baton_open(path, 0, &handler));
    CHECK_CODE(1, serve_one(handler));
    ledger book = {0};
    CHECK_CODE(1, baton_drain_each(adopter, record, &book, 64));
    CHECK(book.seen[7] == 1);
    CHECK_CODE(BATON_OK, baton_detach(handler));
    CHECK_CODE(BATON_OK, baton_close(adopter));
    struct stat file;
    CHECK(stat(path, &file) != 0);
    CHECK_CODE(BATON_OK, baton_detach(adopter));
}

void test_host(void)
{
    test_dead_host_is_noticed_and_adopted();
    test_sleeping_handler_wakes_when_the_host_dies();
    test_file_is_adopted_and_removed_by_its_adopter();
}
