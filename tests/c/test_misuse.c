/*
 * A caller's misuse keeps exactly-once: a drain from inside its own callback is refused and
 * delivers nothing twice; the callback-free drain copies outcomes and leaves what does not fit;
 * waits take BATON_WAIT_FOREVER, return at once for 0, and report a signal as BATON_EINTR; a
 * handle of generation 0 is unknown, as baton.h says; calls nested too deep are refused, and a
 * detach waits for no thread that ended nor, after a fork, for its parent's threads.
 */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "baton_internal.h"
#include "check.h"

typedef struct reentry {
    baton_channel *channel;
    int delivered;
    int inner;
} reentry;

static void drain_again(void *context, const baton_outcome *completion)
{
    (void)completion;
    reentry *self = context;
    self->delivered++;
    self->inner = baton_drain_each(self->channel, drain_again, self, 16);
}

static void complete_one(baton_channel *channel, uint64_t event_lo, const char *result)
{
    uint64_t handle;
    CHECK(baton_dispatch(channel, 0, event_lo, 0, 0, 7, NULL, 0) > 0);
    CHECK_CODE(1, claim_one(channel, &handle));
    CHECK_CODE(BATON_OK, baton_complete(channel, handle, 200, result, (uint32_t)strlen(result)));
}

static void a_drain_inside_its_own_callback_is_refused(void)
{
    test_channel made = make_channel(8, 1000 * 1000 * 1000);
    complete_one(made.channel, 1, "a");
    complete_one(made.channel, 2, "b");
    reentry self = {.channel = made.channel};
    CHECK_CODE(2, baton_drain_each(made.channel, drain_again, &self, 16));
    CHECK_CODE(2, self.delivered);
    CHECK_CODE(BATON_EBUSY, self.inner);
    baton_drain_counts counts;
    CHECK_CODE(BATON_OK, baton_read_drain_counts(made.channel, &counts));
    CHECK_CODE(2, counts.completed_count);
    check_still_works(made.channel);
    free_channel(&made);
}

static void the_callback_free_drain_copies_and_leaves_what_does_not_fit(void)
{
    test_channel made = make_channel(8, 1000 * 1000 * 1000);
    complete_one(made.channel, 1, "first");
    complete_one(made.channel, 2, "second");
    complete_one(made.channel, 3, "third");
    baton_outcome outcomes[4];
    uint8_t results[64];
    CHECK_CODE(BATON_EFAULT, baton_drain(made.channel, NULL, NULL, 4, results, sizeof results));
    CHECK_CODE(BATON_EFAULT, baton_drain(made.channel, outcomes, NULL, 4, NULL, sizeof results));
    CHECK_CODE(BATON_EMSGSIZE, baton_drain(made.channel, outcomes, NULL, 4, results, 3)); /* "first" is 5 */
    /* Room for "first" and "second" only: "third" stays for the next call. */
    CHECK_CODE(2, baton_drain(made.channel, outcomes, NULL, 4, results, 11));
    CHECK(outcomes[0].event_id_lo == 1 && outcomes[0].status == 200 && outcomes[0].timed_out == 0 &&
          outcomes[0].kind == 7 && outcomes[0].result == results && outcomes[0].result_length == 5);
    CHECK(memcmp(outcomes[0].result, "first", 5) == 0);
    CHECK(outcomes[1].event_id_lo == 2 && outcomes[1].result == results + 5 && outcomes[1].result_length == 6);
    CHECK(memcmp(outcomes[1].result, "second", 6) == 0);
    CHECK_CODE(1, baton_drain(made.channel, outcomes, NULL, 1, results, sizeof results));
    CHECK(outcomes[0].event_id_lo == 3 && memcmp(results, "third", 5) == 0);
    CHECK_CODE(0, baton_drain(made.channel, outcomes, NULL, 4, results, sizeof results));
    baton_metrics metrics;
    CHECK_CODE(BATON_OK, baton_read_metrics(made.channel, &metrics));
    CHECK(metrics.pending_count == 0 && metrics.awaiting_drain_count == 0);
    check_still_works(made.channel);
    free_channel(&made);
}

static void a_generation_zero_handle_is_unknown(void)
{
    test_channel made = make_channel(8, 1000 * 1000 * 1000);
    uint64_t generation_zero = 3; /* slot 3, generation 0 */
    CHECK_CODE(BATON_ENOENT, baton_complete(made.channel, generation_zero, 0, NULL, 0));
    CHECK_CODE(BATON_ENOENT, baton_cancel(made.channel, generation_zero));
    free_channel(&made);
}

typedef struct waiter {
    baton_channel *channel;
    _Atomic int result;
    _Atomic int done;
} waiter;

static void *wait_for_ever(void *argument)
{
    waiter *self = argument;
    atomic_store(&self->result, baton_await_events(self->channel, BATON_WAIT_FOREVER));
    atomic_store(&self->done, 1);
    return NULL;
}

static void until_asleep(test_channel *made)
{
    baton_header *header = made->memory;
    while (atomic_load_explicit((_Atomic uint32_t *)&header->dispatch_waiters, memory_order_seq_cst) == 0) {
        sched_yield();
    }
}

static void on_signal(int signal)
{
    (void)signal;
}

static void waits_for_ever_return_at_once_for_zero_and_report_signals(void)
{
    test_channel made = make_channel(8, 1000 * 1000 * 1000);
    CHECK_CODE(0, baton_await_events(made.channel, 0));
    CHECK_CODE(0, baton_await_outcomes(made.channel, 0));

    /* For ever, until a dispatch. */
    waiter woken = {.channel = made.channel};
    pthread_t thread;
    pthread_create(&thread, NULL, wait_for_ever, &woken);
    until_asleep(&made);
    CHECK(baton_dispatch(made.channel, 0, 1, 0, 0, 0, NULL, 0) > 0);
    pthread_join(thread, NULL);
    CHECK_CODE(1, woken.result);
    CHECK_CODE(1, baton_await_events(made.channel, 0));
    uint64_t handle;
    CHECK_CODE(1, claim_one(made.channel, &handle));

    /* A signal with a handler (installed without SA_RESTART) ends the sleep as BATON_EINTR. */
    struct sigaction action = {.sa_handler = on_signal};
    struct sigaction previous;
    sigemptyset(&action.sa_mask);
    sigaction(SIGUSR1, &action, &previous);
    waiter interrupted = {.channel = made.channel};
    pthread_create(&thread, NULL, wait_for_ever, &interrupted);
    until_asleep(&made);
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 1000 * 1000};
    for (int i = 0; i < 10000 && !atomic_load(&interrupted.done); i++) {
        pthread_kill(thread, SIGUSR1); /* a signal during the spin before the sleep changes nothing */
        nanosleep(&pause, NULL);
    }
    pthread_join(thread, NULL);
    sigaction(SIGUSR1, &previous, NULL);
    CHECK_CODE(BATON_EINTR, interrupted.result);

    /* For ever, until the close. */
    waiter closed = {.channel = made.channel};
    pthread_create(&thread, NULL, wait_for_ever, &closed);
    until_asleep(&made);
    CHECK_CODE(BATON_OK, baton_close(made.channel));
    pthread_join(thread, NULL);
    CHECK_CODE(BATON_ESHUTDOWN, closed.result);
    free_channel(&made);
}

/* Events that end while their handles wait in the dispatch ring (cancelled here, with no handler
 * polling) leave garbage cells; a dispatch that finds the ring full drops them instead of
 * refusing with ENOSPC while the slab is empty. */
static void ended_events_never_fill_the_dispatch_ring(void)
{
    test_channel made = make_channel(4, 1000 * 1000 * 1000); /* ring of 8 cells */
    int refused = 0;
    for (uint64_t i = 0; i < 100; i++) {
        int64_t handle = baton_dispatch(made.channel, 0, i, 0, 0, 0, NULL, 0);
        refused += handle < 0;
        if (handle > 0) {
            CHECK_CODE(BATON_OK, baton_cancel(made.channel, (uint64_t)handle));
        }
    }
    CHECK_CODE(0, refused);
    check_still_works(made.channel);
    free_channel(&made);
}

typedef struct outcome_count {
    int completed;
    int timed_out;
} outcome_count;

static void count_outcome(void *context, const baton_outcome *completion)
{
    outcome_count *count = context;
    count->timed_out += completion->timed_out;
    count->completed += !completion->timed_out;
}

/* A producer that dies between taking a ring position and marking its cell stops the handlers, and
 * names no one a reaper could find: a host that never reaps commits the cell from its drain, once
 * its drains have found it so for the patience (a second), and the event behind it is polled. */
static void a_cell_a_dead_producer_never_marked_is_committed_by_the_hosts_drain(void)
{
    test_channel made = make_channel(4, 20 * 1000 * 1000);
    baton_header *header = made.memory;
    baton_dispatch_ring *ring = (baton_dispatch_ring *)((uint8_t *)header + header->dispatch_ring_offset);
    uint64_t taken = 0;
    CHECK(atomic_compare_exchange_strong((_Atomic uint64_t *)&ring->producer_index, &taken, 1));
    int64_t behind = baton_dispatch(made.channel, 0, 1, 0, 0, 0, NULL, 0);
    CHECK(behind > 0);
    uint64_t claimed = 0;
    CHECK_CODE(0, claim_one(made.channel, &claimed)); /* the handlers stop at the unmarked cell */
    outcome_count count = {0};
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
    int turns = 0;
    for (; turns < 500 && claimed == 0; turns++) {
        CHECK(baton_drain_each(made.channel, count_outcome, &count, 16) >= 0); /* never a reap */
        if (claim_one(made.channel, &claimed) == 0) {
            nanosleep(&pause, NULL);
        }
    }
    CHECK(claimed == (uint64_t)behind);
    CHECK_CODE(BATON_OK, baton_complete(made.channel, claimed, 0, NULL, 0));
    CHECK_CODE(1, baton_drain_each(made.channel, count_outcome, &count, 16));
    CHECK_CODE(1, count.completed);
    check_still_works(made.channel);
    free_channel(&made);
}

/* A consumer that dies between taking a ring position and releasing its cell: dispatches are
 * refused once the producers come round to that cell, until the patience (a second here) runs
 * out and a dispatcher releases it; the event the dead consumer took times out, once. */
static void a_cell_a_dead_consumer_held_is_released_after_the_patience(void)
{
    test_channel made = make_channel(4, 20 * 1000 * 1000); /* ring of 8 cells, patience 1 s */
    baton_header *header = made.memory;
    baton_dispatch_ring *ring = (baton_dispatch_ring *)((uint8_t *)header + header->dispatch_ring_offset);
    CHECK(baton_dispatch(made.channel, 0, 0, 0, 0, 0, NULL, 0) > 0);
    uint64_t taken = 0;
    /* The consumer takes position 0 and dies before releasing the cell. */
    CHECK(atomic_compare_exchange_strong((_Atomic uint64_t *)&ring->consumer_index, &taken, 1));
    outcome_count count = {0};
    int refused = 0;
    int dispatched = 1;
    struct timespec pause = {.tv_sec = 0, .tv_nsec = 5 * 1000 * 1000};
    for (int turn = 0; turn < 2000 && dispatched < 12; turn++) {
        int64_t handle = baton_dispatch(made.channel, 0, (uint64_t)dispatched, 0, 0, 0, NULL, 0);
        if (handle == BATON_ENOSPC) {
            refused++;
            nanosleep(&pause, NULL);
        } else {
            CHECK(handle > 0);
            dispatched++;
            uint64_t claimed;
            CHECK_CODE(1, claim_one(made.channel, &claimed));
            CHECK_CODE(BATON_OK, baton_complete(made.channel, claimed, 0, NULL, 0));
        }
        baton_reclaim_expired(made.channel);
        CHECK(baton_drain_each(made.channel, count_outcome, &count, 16) >= 0);
    }
    CHECK_CODE(12, dispatched);
    CHECK(refused > 0);
    CHECK_CODE(1, count.timed_out);
    CHECK_CODE(11, count.completed);
    check_still_works(made.channel);
    free_channel(&made);
}

/* Attaches again to the channel's memory and parks a thread in a wait for ever on that attachment:
 * the attachment, which the caller detaches (waking the thread) before it joins the thread. */
static baton_channel *attach_and_park(test_channel *made, waiter *parked, pthread_t *thread)
{
    baton_channel *attached = NULL;
    CHECK_CODE(BATON_OK, baton_attach(made->memory, made->length, &attached));
    parked->channel = attached;
    pthread_create(thread, NULL, wait_for_ever, parked);
    until_asleep(made);
    return attached;
}

typedef struct detacher {
    baton_channel *channel;
    int result;
} detacher;

static void detach_from_inside(void *context, const baton_outcome *completion)
{
    (void)completion;
    detacher *self = context;
    self->result = baton_detach(self->channel);
}

/* A detach wakes a call parked on the same attachment and waits for it to leave before it frees the
 * attachment (under ASan, a use after free would fail the run); a detach from inside the
 * attachment's own drain callback is refused. */
static void a_detach_wakes_and_waits_for_the_calls_on_its_attachment(void)
{
    test_channel made = make_channel(8, 1000 * 1000 * 1000);
    waiter parked = {.channel = NULL};
    pthread_t thread;
    baton_channel *second = attach_and_park(&made, &parked, &thread);
    CHECK_CODE(BATON_OK, baton_detach(second));
    pthread_join(thread, NULL);
    CHECK_CODE(BATON_ESHUTDOWN, parked.result);

    complete_one(made.channel, 1, "r");
    detacher inside = {.channel = made.channel};
    CHECK_CODE(1, baton_drain_each(made.channel, detach_from_inside, &inside, 16));
    CHECK_CODE(BATON_EBUSY, inside.result);
    check_still_works(made.channel);
    free_channel(&made);
}

/* baton.h: BATON_EBUSY for calls nested 8 deep through callbacks. */
enum { CALL_NESTING = 8 };

/* Drains attachment `level`, whose callback drains the next: calls nested one deeper per level. */
typedef struct nested_drains {
    test_channel made[CALL_NESTING + 1];
    int results[CALL_NESTING + 1];
    int level;
} nested_drains;

static void drain_the_next(void *context, const baton_outcome *completion)
{
    (void)completion;
    nested_drains *self = context;
    int next = ++self->level;
    if (next <= CALL_NESTING) {
        self->results[next] = baton_drain_each(self->made[next].channel, drain_the_next, self, 1);
    }
}

/* A thread may be inside 8 calls at once through callbacks; the ninth is refused with EBUSY and
 * delivers nothing, and every attachment works after. */
static void calls_nested_past_the_limit_are_refused(void)
{
    nested_drains nested = {.level = 0};
    for (int level = 0; level <= CALL_NESTING; level++) {
        nested.made[level] = make_channel(8, 1000 * 1000 * 1000);
        complete_one(nested.made[level].channel, (uint64_t)level + 1, "n");
    }
    nested.results[0] = baton_drain_each(nested.made[0].channel, drain_the_next, &nested, 1);
    for (int level = 0; level < CALL_NESTING; level++) {
        CHECK_CODE(1, nested.results[level]);
    }
    CHECK_CODE(BATON_EBUSY, nested.results[CALL_NESTING]);
    baton_outcome left;
    uint8_t result[8];
    CHECK_CODE(1, baton_drain(nested.made[CALL_NESTING].channel, &left, NULL, 1, result, sizeof result));
    for (int level = 0; level <= CALL_NESTING; level++) {
        check_still_works(nested.made[level].channel);
        free_channel(&nested.made[level]);
    }
}

static void *read_metrics_once(void *argument)
{
    baton_metrics metrics;
    return (void *)(intptr_t)baton_read_metrics(argument, &metrics);
}

/* Threads that called and ended leave nothing a detach waits for, and their records serve the next
 * threads; the child of a fork detaches an attachment that a thread of its parent was inside a call
 * on when it forked (that thread does not exist in the child). Each would hang if it failed, so
 * the child has an alarm. */
static void a_detach_waits_for_no_ended_thread_nor_for_a_parents_thread_after_fork(void)
{
    test_channel made = make_channel(8, 1000 * 1000 * 1000);
    baton_channel *second = NULL;
    CHECK_CODE(BATON_OK, baton_attach(made.memory, made.length, &second));
    for (int round = 0; round < 64; round++) {
        pthread_t thread;
        void *returned = NULL;
        pthread_create(&thread, NULL, read_metrics_once, second);
        pthread_join(thread, &returned);
        CHECK_CODE(BATON_OK, (int)(intptr_t)returned);
    }
    waiter parked = {.channel = NULL};
    pthread_t thread;
    baton_channel *third = attach_and_park(&made, &parked, &thread);
    pid_t child = fork();
    if (child == 0) {
        alarm(10);
        _exit(baton_detach(third) == BATON_OK && baton_detach(second) == BATON_OK ? 0 : 1);
    }
    int status = 0;
    CHECK(child > 0 && waitpid(child, &status, 0) == child);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_CODE(BATON_OK, baton_detach(third));
    pthread_join(thread, NULL);
    CHECK_CODE(BATON_ESHUTDOWN, parked.result);
    CHECK_CODE(BATON_OK, baton_detach(second));
    check_still_works(made.channel);
    free_channel(&made);
}

/* W3C traceparents: parsed to a trace context and formatted back, and every malformed one refused. */
static void traceparents_parse_and_format(void)
{
    const char *sampled = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    baton_trace_context trace;
    CHECK_CODE(BATON_OK, baton_trace_parse(sampled, &trace));
    CHECK(trace.trace_id_hi == UINT64_C(0x0af7651916cd43dd) && trace.trace_id_lo == UINT64_C(0x8448eb211c80319c) &&
          trace.parent_span_id == UINT64_C(0xb7ad6b7169203331) && trace.flags == 1 && trace.handler_span_id == 0);
    char text[BATON_TRACEPARENT_LENGTH + 1];
    CHECK_CODE(BATON_TRACEPARENT_LENGTH, baton_trace_format(&trace, text, sizeof text));
    CHECK(strcmp(text, sampled) == 0);
    CHECK_CODE(BATON_OK, baton_trace_parse("00-0AF7651916CD43DD8448EB211C80319C-B7AD6B7169203331-00", &trace));
    CHECK(trace.trace_id_hi == UINT64_C(0x0af7651916cd43dd) && trace.flags == 0);
    const char *refused[] = {
        "", "00", "01-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1",
        "00-0af7651916cd43dd8448eb211c80319c_b7ad6b7169203331-01", "00-0af7651916cd43dd8448eb211c80319g-b7ad6b7169203331-01",
        "00-00000000000000000000000000000000-b7ad6b7169203331-01", "00-0af7651916cd43dd8448eb211c80319c-0000000000000000-01",
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        CHECK_CODE(BATON_EINVAL, baton_trace_parse(refused[i], &trace));
    }
    CHECK_CODE(BATON_EFAULT, baton_trace_parse(NULL, &trace));
    CHECK_CODE(BATON_EFAULT, baton_trace_parse(sampled, NULL));
    CHECK_CODE(BATON_OK, baton_trace_parse(sampled, &trace));
    CHECK_CODE(BATON_EMSGSIZE, baton_trace_format(&trace, text, BATON_TRACEPARENT_LENGTH));
    CHECK_CODE(BATON_EFAULT, baton_trace_format(NULL, text, sizeof text));
    baton_trace_context none = {0};
    CHECK_CODE(0, baton_trace_format(&none, text, sizeof text));
    CHECK(text[0] == '\0');
}

/* A cancel meets a DISPATCHED slot whose state word another process scribbled tag bits into: it
 * ends (the fuzzer found it looping for ever when it expected a clean DISPATCHED word). */
static void a_cancel_ends_on_a_scribbled_state_word(void)
{
    test_channel made = make_channel(8, 1000 * 1000 * 1000);
    baton_header *header = made.memory;
    int64_t handle = baton_dispatch(made.channel, 0, 1, 0, 0, 0, NULL, 0);
    CHECK(handle > 0);
    baton_slot *slot = slot_of_handle(header, handle);
    slot->state |= (uint64_t)0xABCDEF << BATON_SLOT_HOLDER_SHIFT; /* still DISPATCHED, with a tag no one wrote */
    CHECK_CODE(BATON_OK, baton_cancel(made.channel, (uint64_t)handle));
    CHECK_CODE(BATON_ESTALE, baton_cancel(made.channel, (uint64_t)handle));
    CHECK(baton_dispatch(made.channel, 0, 2, 0, 0, 0, NULL, 0) > 0); /* the slot went back to the slab */
    free_channel(&made);
}

/* baton_memory names the memory the attachment reaches the channel through, and refuses NULL. */
static void an_attachment_names_its_memory(void)
{
    test_channel made = make_channel(8, 1000 * 1000 * 1000);
    void *memory = NULL;
    uint64_t length = 0;
    CHECK_CODE(BATON_OK, baton_memory(made.channel, &memory, &length));
    CHECK(memory == made.memory && length == made.length);
    CHECK_CODE(BATON_EFAULT, baton_memory(made.channel, NULL, &length));
    CHECK_CODE(BATON_EFAULT, baton_memory(made.channel, &memory, NULL));
    CHECK_CODE(BATON_EFAULT, baton_memory(NULL, &memory, &length));
    free_channel(&made);
}

/* Runs a test as on a kernel that refuses membarrier: each call's record store is then locked. */
static void without_membarrier(void (*test)(void))
{
    int asymmetric = atomic_exchange(&baton__asymmetric_fence, 0);
    test();
    atomic_store(&baton__asymmetric_fence, asymmetric);
}

void test_misuse(void)
{
    traceparents_parse_and_format();
    a_cancel_ends_on_a_scribbled_state_word();
    a_detach_wakes_and_waits_for_the_calls_on_its_attachment();
    calls_nested_past_the_limit_are_refused();
    an_attachment_names_its_memory();
    a_detach_waits_for_no_ended_thread_nor_for_a_parents_thread_after_fork();
    without_membarrier(a_detach_wakes_and_waits_for_the_calls_on_its_attachment);
    without_membarrier(a_detach_waits_for_no_ended_thread_nor_for_a_parents_thread_after_fork);
    ended_events_never_fill_the_dispatch_ring();
    a_cell_a_dead_consumer_held_is_released_after_the_patience();
    a_cell_a_dead_producer_never_marked_is_committed_by_the_hosts_drain();
    a_drain_inside_its_own_callback_is_refused();
    the_callback_free_drain_copies_and_leaves_what_does_not_fit();
    a_generation_zero_handle_is_unknown();
    waits_for_ever_return_at_once_for_zero_and_report_signals();
}
