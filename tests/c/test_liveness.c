/*
 * The attachment table: processes (children forked here, sharing the channel's memory) die at
 * chosen points, and baton_reap settles what they left: their sleepers in the waiter counts, their
 * claimed events (timed out at once, or dispatched again up to the redelivery limit), their entry
 * and their share of attached_count. Forged entries stand for the instants a fork cannot reach: a
 * reused pid, an attacher or a reaper that died half-way.
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "baton_internal.h"
#include "check.h"

#define HOUR_NS INT64_C(3600000000000)

typedef struct shared_channel {
    uint8_t *memory;
    uint64_t length;
    baton_header *header;
    baton_attachment *table;
    baton_channel *host;
} shared_channel;

/* A channel in memory that forked children share, with a completion timeout no test waits for:
 * every event that ends here ends because a reaper settled it; with `blocks` blocks of 1 KiB for
 * payloads and as many for results. */
static shared_channel make_shared_with_blocks(uint32_t attachment_capacity, uint32_t redelivery_limit, uint32_t blocks)
{
    baton_config config = {
        .slab_capacity = 8,
        .slot_size = 192,
        .dispatch_ring_capacity = 16,
        .completion_ring_capacity = 4096,
        .latency_ring_capacity = 16,
        .attachment_capacity = attachment_capacity,
        .completion_timeout_ns = HOUR_NS,
        .starvation_threshold_ns = HOUR_NS,
        .redelivery_limit = redelivery_limit,
        .block_counts = {[0] = blocks},
    };
    shared_channel made = {.length = baton_segment_length(&config)};
    made.memory = mmap(NULL, made.length, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    CHECK(made.memory != MAP_FAILED);
    CHECK_CODE(BATON_OK, baton_format(made.memory, made.length, &config));
    CHECK_CODE(BATON_OK, baton_attach(made.memory, made.length, &made.host));
    made.header = (baton_header *)made.memory;
    made.table = (baton_attachment *)(made.memory + made.header->attachment_table_offset);
    return made;
}

static shared_channel make_shared(uint32_t attachment_capacity, uint32_t redelivery_limit)
{
    return make_shared_with_blocks(attachment_capacity, redelivery_limit, 0);
}

static void free_shared(shared_channel *made)
{
    CHECK_CODE(BATON_OK, baton_close(made->host));
    CHECK_CODE(BATON_OK, baton_detach(made->host));
    munmap(made->memory, made->length);
}

static uint32_t load32(uint32_t *word) { return __atomic_load_n(word, __ATOMIC_SEQ_CST); }

/* What a child that claimed events does before it tells the parent it is ready: 0, or an exit code. */
typedef int (*holding)(baton_channel *handler, const baton_event *last);

/* What a child does once attached: claim `claims` events, run then (unless NULL) with the last, tell
 * the parent, then sleep in a wait (claims = 0) or pause, until killed. */
static pid_t spawn_holding(shared_channel *made, int claims, holding then)
{
    int ready[2];
    CHECK(pipe(ready) == 0);
    pid_t child = fork();
    if (child == 0) {
        close(ready[0]);
        baton_channel *handler = NULL;
        if (baton_attach(made->memory, made->length, &handler) != BATON_OK) {
            _exit(2);
        }
        baton_event event;
        for (int claimed = 0; claimed < claims;) {
            claimed += baton_poll(handler, &event, 0) == 1;
        }
        int failed = then == NULL ? 0 : then(handler, &event);
        if (failed != 0 || write(ready[1], "r", 1) != 1) {
            _exit(failed != 0 ? failed : 3);
        }
        if (claims == 0) {
            baton_poll(handler, &event, BATON_WAIT_FOREVER);
        }
        for (;;) {
            pause();
        }
    }
    close(ready[1]);
    char byte;
    CHECK(read(ready[0], &byte, 1) == 1);
    close(ready[0]);
    return child;
}

static pid_t spawn_handler(shared_channel *made, int claims)
{
    return spawn_holding(made, claims, NULL);
}

static void kill_and_wait(pid_t child)
{
    kill(child, SIGKILL);
    waitpid(child, NULL, 0);
}

static void count_timeouts(void *context, const baton_outcome *completion)
{
    *(int *)context += completion->timed_out;
}

static int drain_timeouts(baton_channel *host)
{
    int timed_out = 0;
    CHECK(baton_drain_each(host, count_timeouts, &timed_out, 64) >= 0);
    return timed_out;
}

static void count_all(void *context, const baton_outcome *completion)
{
    (void)completion;
    (*(int *)context)++;
}

static int drain_count(baton_channel *host)
{
    int drained = 0;
    CHECK(baton_drain_each(host, count_all, &drained, 64) >= 0);
    return drained;
}

static void a_dead_sleeper_leaves_the_waiter_count(void)
{
    shared_channel made = make_shared(4, 0);
    pid_t child = spawn_handler(&made, 0);
    while (load32(&made.header->dispatch_waiters) == 0) {
        usleep(1000); /* the child is on its way to sleep */
    }
    CHECK_CODE(2, load32(&made.header->attached_count));
    kill(child, SIGKILL);
    /* Exited, but not waited for (WNOWAIT): a zombie is dead too. */
    siginfo_t exited;
    CHECK(waitid(P_PID, (id_t)child, &exited, WEXITED | WNOWAIT) == 0);
    CHECK_CODE(1, baton_reap(made.host));
    CHECK_CODE(0, load32(&made.header->dispatch_waiters));
    CHECK_CODE(1, load32(&made.header->attached_count));
    CHECK_CODE(0, baton_reap(made.host)); /* each death is reaped once */
    waitpid(child, NULL, 0);
    CHECK_CODE(0, baton_reap(made.host));
    free_shared(&made);
}

static void a_dead_claimants_events_time_out_at_once(void)
{
    shared_channel made = make_shared(4, 0);
    for (uint64_t id = 1; id <= 3; id++) {
        CHECK(baton_dispatch(made.host, 0, id, 0, 0, 0, NULL, 0) > 0);
    }
    pid_t child = spawn_handler(&made, 2);
    CHECK_CODE(0, baton_reap(made.host)); /* alive: nothing to settle */
    CHECK_CODE(0, drain_timeouts(made.host));
    kill_and_wait(child);
    CHECK_CODE(1, baton_reap(made.host));
    CHECK_CODE(2, drain_timeouts(made.host)); /* an hour before their deadline */
    baton_metrics metrics;
    CHECK_CODE(BATON_OK, baton_read_metrics(made.host, &metrics));
    CHECK_CODE(1, metrics.waiting_count);
    CHECK_CODE(0, metrics.in_progress_count);
    CHECK_CODE(0, baton_reap(made.host));
    CHECK_CODE(0, drain_timeouts(made.host)); /* and only once */
    free_shared(&made);
}

static void a_dead_claimants_event_is_redelivered_up_to_the_limit(void)
{
    shared_channel made = make_shared(4, 1);
    int64_t handle = baton_dispatch(made.host, 7, 8, 0, 0, 0, "step", 4);
    CHECK(handle > 0);
    kill_and_wait(spawn_handler(&made, 1));
    CHECK_CODE(1, baton_reap(made.host));
    CHECK_CODE(0, drain_timeouts(made.host));
    baton_metrics metrics;
    CHECK_CODE(BATON_OK, baton_read_metrics(made.host, &metrics));
    CHECK_CODE(1, metrics.waiting_count); /* dispatched again, its handle unchanged */

    kill_and_wait(spawn_handler(&made, 1)); /* the second delivery dies too */
    CHECK_CODE(1, baton_reap(made.host));
    CHECK_CODE(1, drain_timeouts(made.host)); /* the limit reached: reported timed out */
    CHECK_CODE(BATON_ESTALE, baton_cancel(made.host, (uint64_t)handle));

    /* A living handler sees the redelivery count. */
    CHECK(baton_dispatch(made.host, 7, 9, 0, 0, 0, NULL, 0) > 0);
    kill_and_wait(spawn_handler(&made, 1));
    CHECK_CODE(1, baton_reap(made.host));
    baton_event event;
    CHECK_CODE(1, baton_poll(made.host, &event, 0));
    CHECK_CODE(1, event.redeliveries);
    CHECK_CODE(9, event.event_id_lo);
    CHECK_CODE(BATON_OK, baton_complete(made.host, event.handle, 0, NULL, 0));
    free_shared(&made);
}

/* An event a bridge carries from another channel comes with the redeliveries it had there: its
 * handler reads them, and this channel's limit counts them. */
static void a_carried_redelivery_count_is_read_and_counted_by_the_limit(void)
{
    shared_channel made = make_shared(4, 2);
    baton_dispatch_entry carried[2] = {
        {.event_id_lo = 1, .redeliveries = 1},
        {.event_id_lo = 2, .redeliveries = 2},
    };
    int64_t handles[2];
    CHECK_CODE(2, baton_dispatch_batch(made.host, carried, 2, handles));
    kill_and_wait(spawn_handler(&made, 2));
    CHECK_CODE(1, baton_reap(made.host));
    CHECK_CODE(1, drain_timeouts(made.host)); /* the second had used the limit elsewhere: timed out */
    baton_event event;
    CHECK_CODE(1, baton_poll(made.host, &event, 0));
    CHECK_CODE(1, event.event_id_lo);
    CHECK_CODE(2, event.redeliveries); /* one there, one here */
    CHECK_CODE(BATON_OK, baton_complete(made.host, event.handle, 0, NULL, 0));
    CHECK_CODE(BATON_ESTALE, baton_cancel(made.host, (uint64_t)handles[1]));
    free_shared(&made);
}

static void a_claim_carries_its_attachments_tag(void)
{
    shared_channel made = make_shared(4, 0);
    int tag = baton_attachment_tag(made.host);
    CHECK(tag > 0);
    CHECK(baton_dispatch(made.host, 0, 1, 0, 0, 0, NULL, 0) > 0);
    baton_event event;
    CHECK_CODE(1, baton_poll(made.host, &event, 0));
    baton_slot *slot = slot_of_handle(made.memory, event.handle);
    uint64_t word = __atomic_load_n(&slot->state, __ATOMIC_SEQ_CST);
    CHECK_CODE(BATON_SLOT_POLLED, word & BATON_SLOT_STATE_MASK);
    CHECK_CODE(tag, (uint32_t)word >> BATON_SLOT_HOLDER_SHIFT);
    CHECK_CODE(0, event.redeliveries);
    CHECK_CODE(BATON_OK, baton_complete(made.host, event.handle, 0, NULL, 0));
    free_shared(&made);
}

static void detaching_settles_the_attachments_own_claims(void)
{
    shared_channel made = make_shared(4, 0);
    baton_channel *handler = NULL;
    CHECK_CODE(BATON_OK, baton_attach(made.memory, made.length, &handler));
    CHECK(baton_attachment_tag(handler) != baton_attachment_tag(made.host));
    CHECK(baton_dispatch(made.host, 0, 1, 0, 0, 0, NULL, 0) > 0);
    baton_event event;
    CHECK_CODE(1, baton_poll(handler, &event, 0));
    CHECK_CODE(BATON_OK, baton_detach(handler));
    CHECK_CODE(1, drain_timeouts(made.host));
    free_shared(&made);
}

static void a_full_table_refuses_an_attachment_until_one_leaves(void)
{
    shared_channel made = make_shared(2, 0);
    baton_channel *second = NULL;
    baton_channel *third = NULL;
    CHECK_CODE(BATON_OK, baton_attach(made.memory, made.length, &second));
    CHECK_CODE(BATON_EUSERS, baton_attach(made.memory, made.length, &third));
    CHECK_DETAIL(BATON_EUSERS, "its attachment table has no free entry: 2 of its 2 entries name processes that live "
                               "or cannot be judged, 0 hold no attachment state");
    CHECK(third == NULL);
    CHECK_CODE(2, load32(&made.header->attached_count));
    CHECK_CODE(BATON_OK, baton_detach(second));
    CHECK_CODE(BATON_OK, baton_attach(made.memory, made.length, &third));
    int tag_then = baton_attachment_tag(third);
    CHECK_CODE(BATON_OK, baton_detach(third));
    CHECK_CODE(BATON_OK, baton_attach(made.memory, made.length, &third));
    CHECK(baton_attachment_tag(third) != tag_then); /* the entry's next attachment claims under another tag */
    CHECK_CODE(BATON_OK, baton_detach(third));
    /* A dead process's entry is reaped to make room. */
    kill_and_wait(spawn_handler(&made, 0));
    CHECK_CODE(BATON_OK, baton_attach(made.memory, made.length, &third));
    CHECK_CODE(2, load32(&made.header->attached_count));
    CHECK_CODE(BATON_OK, baton_detach(third));
    /* A word another process scribbled over a free entry holds no attachment state: the detail says so. */
    uint64_t free_entry = made.table[1].owner;
    made.table[1].owner = UINT64_C(0xA5A5A5A5A5A5A5A5);
    CHECK_CODE(BATON_EUSERS, baton_attach(made.memory, made.length, &third));
    CHECK_DETAIL(BATON_EUSERS, "its attachment table has no free entry: 1 of its 2 entries name processes that live "
                               "or cannot be judged, 1 hold no attachment state");
    made.table[1].owner = free_entry;
    free_shared(&made);
}

/* A pid that no process holds now: a child that has exited and been waited for. */
static uint32_t a_dead_pid(void)
{
    pid_t child = fork();
    if (child == 0) {
        _exit(0);
    }
    waitpid(child, NULL, 0);
    return (uint32_t)child;
}

/* An entry as a process of this PID namespace left it, its start time unknown (0). */
static void forge(shared_channel *made, uint32_t index, uint32_t pid, uint32_t state)
{
    made->table[index].pid_namespace = made->table[0].pid_namespace; /* the host's own entry */
    made->table[index].start_time = 0;
    __atomic_add_fetch(&made->header->attached_count, 1, __ATOMIC_SEQ_CST); /* as its attach did */
    __atomic_store_n(&made->table[index].owner, ((uint64_t)pid << 32) | state, __ATOMIC_SEQ_CST);
}

static void half_done_attaches_reapers_and_reused_pids_are_reaped(void)
{
    shared_channel made = make_shared(4, 0);
    forge(&made, 1, a_dead_pid(), BATON_ATTACHMENT_ACQUIRING); /* died while attaching */
    forge(&made, 2, a_dead_pid(), BATON_ATTACHMENT_REAPING);   /* a reaper that died reaping */
    CHECK_CODE(2, baton_reap(made.host));
    CHECK_CODE(1, load32(&made.header->attached_count));
    CHECK_CODE(BATON_ATTACHMENT_FREE, made.table[1].owner);
    CHECK_CODE(BATON_ATTACHMENT_FREE, made.table[2].owner);

    /* A living process's entry whose start time is not its own: the pid was reused. The child is
     * counted asleep before its entry is forged, so that the reap takes its count out. */
    pid_t child = spawn_handler(&made, 0);
    while (load32(&made.header->dispatch_waiters) == 0) {
        usleep(1000);
    }
    CHECK_CODE(0, baton_reap(made.host));
    for (uint32_t index = 0; index < 4; index++) {
        if ((made.table[index].owner >> 32) == (uint64_t)child) {
            made.table[index].start_time++;
        }
    }
    CHECK_CODE(1, baton_reap(made.host));
    CHECK_CODE(0, load32(&made.header->dispatch_waiters));
    kill_and_wait(child);
    CHECK_CODE(0, baton_reap(made.host));

    /* An entry from another PID namespace is never judged. */
    forge(&made, 3, a_dead_pid(), BATON_ATTACHMENT_LIVE);
    made.table[3].pid_namespace++;
    CHECK_CODE(0, baton_reap(made.host));
    made.table[3].pid_namespace--;
    CHECK_CODE(1, baton_reap(made.host));
    free_shared(&made);
}

/* A consumer that died between taking a ring position and releasing its cell, and an event left
 * DISPATCHED in no cell (its taker died before claiming it, or a reaper died before re-committing
 * it): once a death is reaped, the cell is released and the event is dispatched again. */
static void taken_cells_and_orphaned_events_are_recovered_after_a_death(void)
{
    shared_channel made = make_shared(4, 0);
    baton_dispatch_ring *ring = (baton_dispatch_ring *)(made.memory + made.header->dispatch_ring_offset);
    int64_t taken = baton_dispatch(made.host, 0, 1, 0, 0, 0, NULL, 0);
    CHECK(taken > 0);
    uint64_t position = __atomic_load_n(&ring->consumer_index, __ATOMIC_SEQ_CST);
    CHECK(__atomic_compare_exchange_n(&ring->consumer_index, &position, position + 1, 0, __ATOMIC_SEQ_CST,
                                      __ATOMIC_SEQ_CST)); /* took the cell, then died */
    int64_t orphan = baton_dispatch(made.host, 0, 2, 0, 0, 0, NULL, 0);
    baton_event event;
    CHECK_CODE(1, baton_poll(made.host, &event, 0));
    CHECK_CODE(orphan, event.handle);
    baton_slot *slot = slot_of_handle(made.memory, orphan);
    uint64_t claimed = __atomic_load_n(&slot->state, __ATOMIC_SEQ_CST);
    CHECK(__atomic_compare_exchange_n(&slot->state, &claimed, (claimed & ~UINT64_C(0xFFFFFFFF)) | BATON_SLOT_DISPATCHED,
                                      0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)); /* a reaper undid it, then died */
    CHECK_CODE(0, baton_poll(made.host, &event, 0));

    forge(&made, 1, a_dead_pid(), BATON_ATTACHMENT_LIVE);
    CHECK_CODE(1, baton_reap(made.host));
    uint64_t seen = 0;
    while (baton_poll(made.host, &event, 0) == 1) {
        seen |= UINT64_C(1) << event.event_id_lo;
        CHECK_CODE(BATON_OK, baton_complete(made.host, event.handle, 0, NULL, 0));
    }
    CHECK_CODE(6, seen); /* events 1 and 2, each once */
    CHECK_CODE(2, drain_count(made.host));
    /* The released cell no longer stops dispatchers a lap later. */
    for (uint64_t id = 0; id < 40; id++) {
        CHECK(baton_dispatch(made.host, 0, id, 0, 0, 0, NULL, 0) > 0);
        CHECK_CODE(1, baton_poll(made.host, &event, 0));
        CHECK_CODE(BATON_OK, baton_complete(made.host, event.handle, 0, NULL, 0));
        CHECK_CODE(1, drain_count(made.host));
    }
    free_shared(&made);
}

/* Claims the next dispatch-ring cell as a dispatcher with this tag does (takes its position, marks
 * it), and leaves it uncommitted: its position. */
static uint64_t claim_cell_as(baton_dispatch_ring *ring, uint32_t capacity, uint32_t tag)
{
    uint64_t position = __atomic_load_n(&ring->producer_index, __ATOMIC_SEQ_CST);
    CHECK(__atomic_compare_exchange_n(&ring->producer_index, &position, position + 1, 0, __ATOMIC_SEQ_CST,
                                      __ATOMIC_SEQ_CST));
    uint64_t free_sequence = position;
    CHECK(__atomic_compare_exchange_n(&ring->cells[position & (capacity - 1)].sequence, &free_sequence,
                                      BATON_CELL_CLAIMED_BY(tag), 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST));
    return position;
}

/* Dispatching threads of a process that died between claiming dispatch-ring cells and committing
 * them: consumers stop at the first, with events waiting behind it, until the death is reaped and
 * "no handle" is committed in each cell marked with the dead attachment's tag, however many of
 * its threads were claiming. A cell a living attachment claimed is left to its claimant. */
static void cells_claimed_by_a_dead_processs_threads_are_committed_empty(void)
{
    shared_channel made = make_shared(4, 0);
    baton_dispatch_ring *ring = (baton_dispatch_ring *)(made.memory + made.header->dispatch_ring_offset);
    const uint32_t capacity = made.header->dispatch_ring_capacity;
    forge(&made, 1, a_dead_pid(), BATON_ATTACHMENT_LIVE);
    const uint32_t dead_tag = ((made.table[1].epoch & 0xFFF) << 12) | 2;
    claim_cell_as(ring, capacity, dead_tag); /* one thread claimed, then the process died */
    CHECK(baton_dispatch(made.host, 0, 1, 0, 0, 0, NULL, 0) > 0);
    claim_cell_as(ring, capacity, dead_tag); /* another of its threads, after a commit between */
    CHECK(baton_dispatch(made.host, 0, 2, 0, 0, 0, NULL, 0) > 0);
    uint64_t living = claim_cell_as(ring, capacity, (uint32_t)baton_attachment_tag(made.host));
    baton_event event;
    CHECK_CODE(0, baton_poll(made.host, &event, 0)); /* stopped at the first dead thread's cell */
    /* A handler asleep meanwhile: the dispatches behind the cell woke it to nothing ready. The
     * reap must wake it again, for nothing else will. It takes event 1, then waits for the parent's
     * word before it exits (0 if it took event 1), so the reap, which may still be looking at later
     * entries when it has taken the event, never finds it dead; its minute only keeps a lost
     * wake-up from hanging the tests (it would wake at its deadline). */
    int go[2];
    CHECK(pipe(go) == 0);
    pid_t sleeper = fork();
    if (sleeper == 0) {
        baton_channel *handler = NULL;
        if (baton_attach(made.memory, made.length, &handler) != BATON_OK) {
            _exit(2);
        }
        baton_event woken;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        const int64_t deadline = now.tv_sec * INT64_C(1000000000) + now.tv_nsec + INT64_C(60000000000);
        int polled = 0;
        while (polled == 0) { /* 0 also when it took an empty cell */
            clock_gettime(CLOCK_MONOTONIC, &now);
            int64_t remaining = deadline - (now.tv_sec * INT64_C(1000000000) + now.tv_nsec);
            if (remaining <= 0) {
                break;
            }
            polled = baton_poll(handler, &woken, remaining);
        }
        int took = polled == 1 && woken.event_id_lo == 1 && baton_complete(handler, woken.handle, 0, NULL, 0) == BATON_OK;
        char word;
        _exit(took && read(go[0], &word, 1) == 1 ? 0 : 1);
    }
    while (load32(&made.header->dispatch_waiters) == 0) {
        usleep(1000); /* the sleeper is on its way to sleep */
    }
    const uint32_t signal = load32(&made.header->dispatch_signal);
    CHECK_CODE(1, baton_reap(made.host));
    CHECK(load32(&made.header->dispatch_signal) != signal); /* the reap woke the sleeper */
    CHECK(write(go[1], "x", 1) == 1);
    close(go[0]);
    close(go[1]);
    int status = 0;
    CHECK(waitpid(sleeper, &status, 0) == sleeper);
    CHECK(WIFEXITED(status));
    CHECK_CODE(0, WEXITSTATUS(status)); /* woken, it took event 1 */
    CHECK_CODE(1, drain_count(made.host));
    CHECK_CODE(0, baton_poll(made.host, &event, 0)); /* takes the second empty cell */
    CHECK_CODE(1, baton_poll(made.host, &event, 0));
    CHECK_CODE(2, event.event_id_lo);
    CHECK_CODE(BATON_OK, baton_complete(made.host, event.handle, 0, NULL, 0));
    CHECK_CODE(1, drain_count(made.host));
    CHECK_CODE(0, baton_poll(made.host, &event, 0)); /* stopped at the living claimant's cell */
    baton_dispatch_cell *kept = &ring->cells[living & (capacity - 1)];
    CHECK_CODE(BATON_CELL_CLAIMED_BY(baton_attachment_tag(made.host)), kept->sequence);
    __atomic_store_n(&kept->handle, BATON_HANDLE_NONE, __ATOMIC_RELAXED); /* its claimant commits */
    __atomic_store_n(&kept->sequence, living + 1, __ATOMIC_RELEASE);
    CHECK_CODE(0, baton_poll(made.host, &event, 0));
    CHECK(baton_dispatch(made.host, 0, 3, 0, 0, 0, NULL, 0) > 0);
    CHECK_CODE(1, baton_poll(made.host, &event, 0));
    CHECK_CODE(3, event.event_id_lo);
    free_shared(&made);
}

/* The outcomes one drain delivered, by event id (1 to 3), with their statuses. */
typedef struct settled_outcomes {
    int delivered[4];
    int32_t status[4];
    int timed_out[4];
} settled_outcomes;

static void record_settled(void *context, const baton_outcome *outcome)
{
    settled_outcomes *seen = context;
    if (outcome->event_id_lo < 4) {
        seen->delivered[outcome->event_id_lo]++;
        seen->status[outcome->event_id_lo] = outcome->status;
        seen->timed_out[outcome->event_id_lo] = outcome->timed_out;
    }
}

/* Three polled events end without a record to report them: a writer outside the protocol moves one
 * to COMPLETED and another to TIMED_OUT, and another process writes padding over the third's
 * committed record. Two attachments reap, twice, a second apart: the first reaps note the slots, the
 * second settle them (ENODATA, ETIMEDOUT, ENODATA), and the drain reports each event exactly once,
 * skipping the second auditor's records as stale. */
static void slots_ended_without_a_record_are_settled_once(void)
{
    shared_channel made = make_shared(4, 0);
    baton_channel *handler = NULL;
    CHECK_CODE(BATON_OK, baton_attach(made.memory, made.length, &handler));
    uint64_t handles[4] = {0};
    for (uint64_t id = 1; id <= 3; id++) {
        CHECK(baton_dispatch(made.host, 0, id, 0, 0, 0, NULL, 0) > 0);
        baton_event event;
        CHECK_CODE(1, baton_poll(handler, &event, 0));
        handles[event.event_id_lo] = event.handle;
    }
    uint64_t generation = handles[1] & ~UINT64_C(0xFFFFFFFF);
    __atomic_store_n(&slot_of_handle(made.memory, handles[1])->state, generation | BATON_SLOT_COMPLETED, __ATOMIC_SEQ_CST);
    generation = handles[2] & ~UINT64_C(0xFFFFFFFF);
    __atomic_store_n(&slot_of_handle(made.memory, handles[2])->state, generation | BATON_SLOT_TIMED_OUT, __ATOMIC_SEQ_CST);
    baton_completion_trailer *trailer =
        (baton_completion_trailer *)(made.memory + made.header->completion_ring_offset + 4096);
    int64_t record = trailer->tail_position;
    CHECK_CODE(BATON_OK, baton_complete(handler, handles[3], 200, "lost", 4));
    int64_t *header = (int64_t *)(made.memory + made.header->completion_ring_offset + (record & 4095));
    *header = (int64_t)(((uint64_t)(uint32_t)BATON_RECORD_PADDING << 32) | (uint32_t)(*header & 0xFFFFFFFF));

    settled_outcomes seen = {0};
    CHECK_CODE(0, baton_drain_each(made.host, record_settled, &seen, 64)); /* the padding is skipped */
    CHECK_CODE(0, baton_reap(made.host)); /* notes the three slots */
    CHECK_CODE(0, baton_reap(handler));
    CHECK_CODE(0, baton_drain_each(made.host, record_settled, &seen, 64)); /* none settled yet */
    usleep(1100000);
    CHECK_CODE(0, baton_reap(made.host)); /* settles them */
    CHECK_CODE(0, baton_reap(handler));   /* settles them too: records the drain skips */
    baton_drain_counts before;
    CHECK_CODE(BATON_OK, baton_read_drain_counts(made.host, &before));
    CHECK_CODE(3, baton_drain_each(made.host, record_settled, &seen, 64));
    baton_drain_counts after;
    CHECK_CODE(BATON_OK, baton_read_drain_counts(made.host, &after));
    CHECK_CODE(3, after.rejected_record_count - before.rejected_record_count);
    CHECK(seen.delivered[1] == 1 && seen.delivered[2] == 1 && seen.delivered[3] == 1);
    CHECK_CODE(BATON_ENODATA, seen.status[1]);
    CHECK(!seen.timed_out[1]);
    CHECK_CODE(BATON_ETIMEDOUT, seen.status[2]);
    CHECK(seen.timed_out[2]);
    CHECK_CODE(BATON_ENODATA, seen.status[3]);
    baton_metrics metrics;
    CHECK_CODE(BATON_OK, baton_read_metrics(made.host, &metrics));
    CHECK(metrics.pending_count == 0 && metrics.awaiting_drain_count == 0);
    usleep(1100000);
    CHECK_CODE(0, baton_reap(made.host)); /* nothing is left to settle */
    CHECK_CODE(0, baton_drain_each(made.host, record_settled, &seen, 64));
    CHECK_CODE(BATON_OK, baton_detach(handler));
    free_shared(&made);
}

enum { BLOCKS = 2, LONG_RESULT = 1000 };

/* What baton_complete and baton_yield do first for a long result and a long continuation: take a
 * block each, stamped for the event. */
static int take_blocks_for(baton_channel *handler, const baton_event *event)
{
    uint32_t block = baton__block_take(&handler->result_blocks, LONG_RESULT);
    if (block == 0) {
        return 4;
    }
    baton__block_stamp_owner(&handler->result_blocks, block, event->handle);
    uint8_t *continuation_at;
    return baton__take_payload_block(handler, baton__handle_index(event->handle), LONG_RESULT, &continuation_at) > 0
               ? 0
               : 5;
}

/* A handler that dies after taking a block for a long result and before its record names it (the
 * instant inside baton_complete between the take and the record's claim), and after taking a block
 * for a yield's long continuation and before the slot names it (as baton_yield takes it): the
 * reaper gives both back as it settles the event, so every block serves again. */
static void the_blocks_a_dead_handler_took_are_given_back(void)
{
    shared_channel made = make_shared_with_blocks(4, 0, BLOCKS);
    for (uint64_t id = 0; id <= BLOCKS; id++) {
        CHECK(baton_dispatch(made.host, 0, id, 0, 0, 0, NULL, 0) > 0);
    }
    kill_and_wait(spawn_holding(&made, 1, take_blocks_for));
    CHECK_CODE(1, baton_reap(made.host));
    CHECK_CODE(1, drain_timeouts(made.host));
    uint8_t result[LONG_RESULT] = {0};
    for (int i = 0; i < BLOCKS; i++) {
        baton_event event;
        CHECK_CODE(1, baton_poll(made.host, &event, 0));
        CHECK_CODE(BATON_OK, baton_complete(made.host, event.handle, 0, result, sizeof result)); /* a block each */
    }
    CHECK_CODE(BLOCKS, drain_count(made.host));
    for (uint64_t id = 0; id < BLOCKS; id++) {
        CHECK(baton_dispatch(made.host, 1, id, 0, 0, 0, result, sizeof result) > 0); /* a block each */
    }
    free_shared(&made);
}

void test_liveness(void)
{
    a_dead_sleeper_leaves_the_waiter_count();
    a_dead_claimants_events_time_out_at_once();
    a_dead_claimants_event_is_redelivered_up_to_the_limit();
    a_carried_redelivery_count_is_read_and_counted_by_the_limit();
    a_claim_carries_its_attachments_tag();
    detaching_settles_the_attachments_own_claims();
    a_full_table_refuses_an_attachment_until_one_leaves();
    half_done_attaches_reapers_and_reused_pids_are_reaped();
    taken_cells_and_orphaned_events_are_recovered_after_a_death();
    cells_claimed_by_a_dead_processs_threads_are_committed_empty();
    slots_ended_without_a_record_are_settled_once();
    the_blocks_a_dead_handler_took_are_given_back();
}
