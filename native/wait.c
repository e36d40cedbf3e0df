/*
 * Sleeping without a syscall per event: futex words in the channel header.
 * The Java twin is java/.../NativeAttachment.java, which reaches these through
 * baton_notify_dispatched and baton_notify_completed.
 *
 * A waiter first spins and yields for a moment (no system call on either side
 * if an item comes meanwhile). Then it increments *waiters (seq_cst), reads
 * *signal, checks its ring once more and only then sleeps while *signal is
 * unchanged. A producer publishes,
 * fences (seq_cst) and reads *waiters; only when it is non-zero does it move
 * *signal on and make the wake-up system call. Either the producer sees the
 * waiter, or the waiter's re-check sees the published item.
 */
#include <errno.h>
#include <limits.h>
#include <sched.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "baton_internal.h"

/* Sleeps while *word == expected, for at most timeout_ns (for ever when negative). 0, or -1 with
 * errno (EINTR: a signal; EAGAIN: the word had moved; ETIMEDOUT). */
static int futex_wait(uint32_t *word, uint32_t expected, int64_t timeout_ns)
{
    struct timespec timeout = {
        .tv_sec = (time_t)(timeout_ns / 1000000000),
        .tv_nsec = (long)(timeout_ns % 1000000000),
    };
    /* The word is shared with other processes that map the same memory: no FUTEX_PRIVATE_FLAG. */
    return (int)syscall(SYS_futex, word, FUTEX_WAIT, expected, timeout_ns < 0 ? NULL : &timeout, NULL, 0);
}

static void futex_wake(uint32_t *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE, INT_MAX, NULL, NULL, 0);
}

/* Before sleeping, a waiter spins, then yields: an item that comes within a few microseconds is
 * taken without either side making a system call (the producer sees no waiter). */
#define SPINS 256
#define YIELDS 16

static void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

/* Whether another thread is detaching the attachment this wait runs on (baton_detach wakes it). */
static int detaching(baton_channel *channel)
{
    return atomic_load_explicit(baton__atomic(channel->detaching), memory_order_seq_cst) != 0;
}

/* How long the next sleep may last: what remains of the wait (-1: for ever), at most
 * BATON_HOST_WATCH_NS when a watch must look now and then. */
static int64_t sleep_length(int64_t remaining, baton__watch_fn watch)
{
    if (watch == NULL || (remaining >= 0 && remaining <= BATON_HOST_WATCH_NS)) {
        return remaining;
    }
    return BATON_HOST_WATCH_NS;
}

/* Waits until ready() or the timeout (for ever when negative): spins, yields, then sleeps on the
 * futex word. 1 when ready, 0 on timeout, BATON_EINTR when a signal interrupted the sleep,
 * BATON_ESHUTDOWN once closed or while the attachment is being detached, or the code watch (NULL:
 * none) returns after a sleep that ended at its timeout with nothing ready: only a quiet sleep
 * looks, never a wake-up, so a wait costs the watch nothing per event. */
int baton__wait(baton_channel *channel, uint32_t *waiters, uint32_t *own_waiting, uint32_t *signal,
                 baton__ready_fn ready, baton__watch_fn watch, int64_t timeout_ns)
{
    if (timeout_ns == 0) {
        return baton__is_closed(channel) || detaching(channel) ? BATON_ESHUTDOWN : ready(channel) ? 1 : 0;
    }
    const int forever = timeout_ns < 0;
    const int64_t deadline = baton__now_ns() + (forever ? 0 : timeout_ns);
    for (int i = 0; i < SPINS + YIELDS; i++) {
        if (ready(channel)) {
            return 1;
        }
        if (i < SPINS) {
            cpu_relax();
        } else {
            sched_yield();
        }
    }
    for (;;) {
        if (baton__is_closed(channel) || detaching(channel)) {
            return BATON_ESHUTDOWN;
        }
        if (ready(channel)) {
            return 1;
        }
        int64_t remaining = forever ? -1 : deadline - baton__now_ns();
        if (!forever && remaining <= 0) {
            return 0;
        }
        /* seq_cst: ordered before the re-check of the ring below, pairing with the producer's
         * fence between its publish and its read of *waiters. */
        atomic_fetch_add_explicit(baton__atomic(*waiters), 1, memory_order_seq_cst);
        /* relaxed: only a reaper reads it, after this process died. Raised after the header's count
         * and lowered before it, so a death between the two leaves the header's count too high (a
         * wake-up too many), never too low (a missed wake-up). */
        atomic_fetch_add_explicit(baton__atomic(*own_waiting), 1, memory_order_relaxed);
        uint32_t observed = atomic_load_explicit(baton__atomic(*signal), memory_order_seq_cst);
        int sleep_error = 0; /* why the sleep ended early, as errno, or 0 (woken) */
        if (!ready(channel) && !baton__is_closed(channel) && !detaching(channel)) {
            baton__fault("asleep"); /* dies counted as a waiter */
            sleep_error = futex_wait(signal, observed, sleep_length(remaining, watch)) != 0 ? errno : 0;
        }
        atomic_fetch_sub_explicit(baton__atomic(*own_waiting), 1, memory_order_relaxed);
        atomic_fetch_sub_explicit(baton__atomic(*waiters), 1, memory_order_seq_cst);
        if (sleep_error == EINTR) {
            return BATON_EINTR; /* the caller's runtime may have something to do: Ctrl-C, Thread#kill */
        }
        if (sleep_error == ETIMEDOUT && watch != NULL && !ready(channel)) {
            int watched = watch(channel);
            if (watched != BATON_OK) {
                return watched;
            }
        }
    }
}

/* After a publish: wakes the waiters, if any. One load and a fence when there are none. */
void baton__signal(uint32_t *waiters, uint32_t *signal)
{
    /* seq_cst fence: the publish before it is ordered before the read of *waiters after it. */
    atomic_thread_fence(memory_order_seq_cst);
    baton__signal_after_rmw(waiters, signal);
}

/* As baton__signal, after a publish made by a seq_cst read-modify-write (a completion record's
 * commit, or an unblocking reader's, which is awake): that orders the publish before the seq_cst
 * read of *waiters, so no fence. One load when there are no waiters. */
void baton__signal_after_rmw(uint32_t *waiters, uint32_t *signal)
{
    if (atomic_load_explicit(baton__atomic(*waiters), memory_order_seq_cst) != 0) {
        baton__signal_all(signal);
    }
}

/* Moves the signal word on and wakes every sleeper on it. */
void baton__signal_all(uint32_t *signal)
{
    atomic_fetch_add_explicit(baton__atomic(*signal), 1, memory_order_seq_cst);
    futex_wake(signal);
}
