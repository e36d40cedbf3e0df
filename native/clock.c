/* The monotonic clock every part of libbaton reads, the one System.nanoTime reads on Linux, and the
 * channel's cached copy of it (baton.h: clock_ns). The Java twin of the cache is
 * java/.../ChannelClock.java. */
#include <time.h>

#include "baton_internal.h"

int64_t baton__now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* The cached time, or the clock's while none is cached: never later than the clock. */
int64_t baton__channel_now(baton_header *header)
{
    /* relaxed: a timestamp orders nothing. */
    int64_t cached = atomic_load_explicit(baton__atomic(header->clock_ns), memory_order_relaxed);
    return cached != 0 ? cached : baton__now_ns();
}

/* The host: caches a time (0 clears the cache), storing only when it differs from what this host
 * last stored, so a host that keeps draining nothing writes the line dispatchers read no more. */
void baton__cache_clock(baton_header *header, int64_t *last_cached, int64_t time)
{
    if (time != *last_cached) {
        *last_cached = time;
        /* relaxed: as above. */
        atomic_store_explicit(baton__atomic(header->clock_ns), time, memory_order_relaxed);
    }
}

/* A look that runs at most every interval_ns for this attachment: 1 when it is due now, and then the
 * next is scheduled. relaxed: a hint the attachment's threads share; two looks at once are harmless. */
int baton__due(int64_t *next_due_ns, int64_t interval_ns)
{
    int64_t now = baton__now_ns();
    if (baton__elapsed_ns(now, atomic_load_explicit(baton__atomic(*next_due_ns), memory_order_relaxed)) < 0) {
        return 0;
    }
    atomic_store_explicit(baton__atomic(*next_due_ns), now + interval_ns, memory_order_relaxed);
    return 1;
}

/* A new host: clears the cache whoever stored it (a host that died), and starts its own record. */
void baton__clear_clock(baton_header *header, int64_t *last_cached)
{
    *last_cached = 0;
    /* relaxed: as above. */
    atomic_store_explicit(baton__atomic(header->clock_ns), 0, memory_order_relaxed);
}
