/*
 * The crash trials' fault hook, linked only into baton_handler_process_faults (built from libbaton's
 * sources with BATON_FAULT_HOOKS). BATON_FAULT=<point>:<n> kills the process with SIGKILL the n-th
 * time it reaches the named instant; the points are named where libbaton calls baton__fault.
 */
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "baton_internal.h"

void baton__fault(const char *point)
{
    static _Atomic long remaining = -1;
    static const char *armed;
    static size_t armed_length;
    if (atomic_load(&remaining) == -1) {
        const char *fault = getenv("BATON_FAULT");
        const char *colon = fault == NULL ? NULL : strchr(fault, ':');
        if (colon == NULL) {
            atomic_store(&remaining, -2); /* no fault asked for */
            return;
        }
        armed = fault;
        armed_length = (size_t)(colon - fault);
        atomic_store(&remaining, atol(colon + 1));
    }
    if (atomic_load(&remaining) > 0 && strlen(point) == armed_length && strncmp(point, armed, armed_length) == 0 &&
        atomic_fetch_sub(&remaining, 1) == 1) {
        raise(SIGKILL);
    }
}
