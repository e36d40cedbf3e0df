/* The monotonic clock every part of libbaton reads, the one System.nanoTime reads on Linux. */
#include <time.h>

#include "baton_internal.h"

int64_t baton__now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}
