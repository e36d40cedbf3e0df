/*
 * Single round trips through a channel in a file: the host dispatches one event (an 8-byte number),
 * its handler answers, the host drains the outcome; the next event goes a millisecond later, so that
 * the handler has gone to sleep on the channel by then. Three C handlers:
 *   - another process, asleep in baton_poll between events (the futex wakes it);
 *   - a thread of the host's process, asleep the same way;
 *   - another process that polls every 10 ms instead of sleeping on the channel, as the workflow
 *     engine's handlers poll today.
 * Then, for each language named after the launcher (tests/bindings/handler-process, or "C" for this
 * program's own batch-serving child), a handler process of that language: its throughput (events per second, one handler thread, the host
 * keeping the slab's 256 events in flight), the language's own floor (the launcher's --floor: the same
 * handler called in a plain loop, no channel) and the one over the other, and its round trips asleep
 * in its binding's wait and polling every 10 ms.
 * Prints Markdown tables. Timing is the host's CLOCK_MONOTONIC; this is a measurement, never a test.
 *
 *   round_trip <folder> <round trips> [<launcher> <events> <language>...]
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "baton.h"

static int64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* Serves until the channel closes: asleep on the futex, or polling every poll_ns when it is > 0. */
static void serve(baton_channel *channel, int64_t poll_ns)
{
    for (;;) {
        baton_event event;
        int polled = poll_ns > 0 ? baton_poll(channel, &event, 0) : baton_poll(channel, &event, BATON_WAIT_FOREVER);
        if (polled == BATON_ESHUTDOWN) {
            return;
        }
        if (polled != 1) {
            if (poll_ns > 0) {
                struct timespec pause = {.tv_sec = 0, .tv_nsec = poll_ns};
                nanosleep(&pause, NULL);
            }
            continue;
        }
        while (baton_complete(channel, event.handle, 200, NULL, 0) == BATON_ENOBUFS) {
        }
    }
}

/* The handler of every language's handler process: an 8-byte number in, twice it out. */
static int64_t doubled(const uint8_t *payload)
{
    int64_t number;
    memcpy(&number, payload, sizeof number);
    return 2 * number;
}

/* Serves in batches until the channel closes, as the bindings' handler processes do: up to 64 events
 * polled in one call (their payloads read in place), answered, completed in one call. */
static void serve_batches(baton_channel *channel)
{
    baton_event events[64];
    baton_completion completions[64];
    int64_t results[64];
    int32_t codes[64];
    for (;;) {
        int taken = baton_poll_batch(channel, events, 64);
        if (taken == BATON_ESHUTDOWN) {
            return;
        }
        if (taken <= 0) {
            if (baton_await_events(channel, BATON_WAIT_FOREVER) == BATON_ESHUTDOWN) {
                return;
            }
            continue;
        }
        for (int i = 0; i < taken; i++) {
            results[i] = doubled(events[i].payload);
            completions[i] = (baton_completion){.handle = events[i].handle, .status = 200,
                                                .result_length = sizeof results[i],
                                                .result = (const uint8_t *)&results[i]};
        }
        for (int settled = 0; settled < taken;) {
            int done = baton_complete_batch(channel, completions + settled, (uint32_t)(taken - settled), codes + settled);
            if (done < 0) {
                return;
            }
            settled += done; /* fewer than asked: the completion ring is full until the host drains */
        }
    }
}

/* C's own floor: the handler called through a pointer the compiler cannot see through, in a plain
 * loop over 1024 payloads, its answers kept. */
static double c_floor(long events)
{
    static int64_t payloads[1024];
    for (int i = 0; i < 1024; i++) {
        payloads[i] = i;
    }
    int64_t (*volatile handler)(const uint8_t *) = doubled;
    volatile int64_t answer;
    int64_t start = now_ns();
    for (long n = 0; n < events; n++) {
        answer = handler((const uint8_t *)&payloads[n & 1023]);
    }
    (void)answer;
    return events / ((now_ns() - start) / 1e9);
}

static void *serve_thread(void *channel)
{
    serve(channel, 0);
    return NULL;
}

static void count_one(void *context, const baton_outcome *completion)
{
    (void)completion;
    (*(int *)context)++;
}

static int compare(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a;
    int64_t y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

/* Dispatches one 8-byte number and waits until its outcome is drained. */
static int round_trip(baton_channel *host, int64_t number)
{
    if (baton_dispatch(host, 0, (uint64_t)number, 0, 0, 1, &number, sizeof number) <= 0) {
        return 1;
    }
    int drained = 0;
    while (drained == 0) {
        baton_await_outcomes(host, BATON_WAIT_FOREVER);
        drained = baton_drain_each(host, count_one, &drained, 1) > 0;
    }
    return 0;
}

/* Events per second through the handler, the host dispatching whenever the slab has room. */
static double throughput(baton_channel *host, long events)
{
    int64_t start = now_ns();
    long dispatched = 0;
    int reported = 0;
    while (reported < events) {
        while (dispatched < events &&
               baton_dispatch(host, 0, (uint64_t)dispatched, 0, 0, 1, &dispatched, sizeof dispatched) > 0) {
            dispatched++;
        }
        if (baton_drain_each(host, count_one, &reported, 256) == 0) {
            baton_await_outcomes(host, BATON_WAIT_FOREVER);
        }
    }
    return events / ((now_ns() - start) / 1e9);
}

/* How a measurement's handler runs: a C one (mode process, thread or poll), or a process of a
 * language started through the launcher (polling every 10 ms when poll is set). */
typedef struct handler {
    const char *mode;
    const char *launcher;
    const char *language;
    int poll;
} handler;

/* Runs the round trips (then, with events > 0, the throughput) against the handler; fills samples. */
static int measure(const char *path, int trips, int64_t *samples, handler how, long events, double *per_second)
{
    const baton_config config = {
        .slab_capacity = 256,
        .slot_size = 192,
        .dispatch_ring_capacity = 512,
        .completion_ring_capacity = 64 * 1024,
        .latency_ring_capacity = 16,
        .attachment_capacity = 16,
        .completion_timeout_ns = 60 * (int64_t)1000000000,
        .starvation_threshold_ns = 60 * (int64_t)1000000000,
    };
    baton_channel *host;
    if (baton_create(path, &config, 0, &host) != BATON_OK) {
        return 1;
    }
    pid_t child = -1;
    pthread_t thread;
    if (strcmp(how.mode, "thread") == 0) {
        pthread_create(&thread, NULL, serve_thread, host);
    } else {
        fflush(stdout); /* so that the child does not print the host's buffered lines again */
        child = fork();
        if (child == 0 && how.language != NULL && strcmp(how.language, "C") != 0) {
            if (freopen("/dev/null", "w", stdout) == NULL) {
                _exit(1);
            }
            execl(how.launcher, how.launcher, how.language, path, "1", how.poll ? "10" : NULL, (char *)NULL);
            _exit(127);
        }
        if (child == 0) {
            baton_channel *handler;
            if (baton_open(path, 0, &handler) != BATON_OK) {
                _exit(1);
            }
            if (how.language != NULL && !how.poll) {
                serve_batches(handler); /* "C" in the languages' table */
            } else {
                serve(handler, how.poll || strcmp(how.mode, "poll") == 0 ? 10 * 1000 * 1000 : 0);
            }
            baton_detach(handler);
            _exit(0);
        }
    }
    for (int i = -trips / 10; i < trips; i++) { /* the first tenth warms up (and waits for the start) */
        int64_t start = now_ns();
        if (round_trip(host, i + trips) != 0) {
            return 1;
        }
        if (i >= 0) {
            samples[i] = now_ns() - start;
        }
        struct timespec gap = {.tv_sec = 0, .tv_nsec = 1000 * 1000}; /* the handler goes to sleep */
        nanosleep(&gap, NULL);
    }
    if (events > 0) {
        *per_second = throughput(host, events);
    }
    baton_close(host);
    if (child > 0) {
        waitpid(child, NULL, 0);
    } else {
        pthread_join(thread, NULL);
    }
    baton_detach(host);
    qsort(samples, (size_t)trips, sizeof *samples, compare);
    return 0;
}

/* Measures in a fresh channel file; prints nothing, says on stderr what failed. */
static int run(const char *folder, const char *name, int trips, int64_t *samples, handler how, long events,
               double *per_second)
{
    char path[512];
    snprintf(path, sizeof path, "%s/baton-round-trip-%d-%s-%s%s", folder, (int)getpid(), how.mode,
             how.language ? how.language : "c", how.poll ? "-poll" : "");
    if (measure(path, trips, samples, how, events, per_second) != 0) {
        fprintf(stderr, "round trips with the %s handler failed\n", name);
        return 1;
    }
    return 0;
}

#define MICROS(sample) ((sample) / 1e3)

/* The language's own floor: its handler called in a plain loop over `events` payloads, no channel,
 * as the launcher's --floor prints it; -1, said on stderr, when it printed none (a figure divided
 * by a missing floor would be no figure). */
static double floor_of(const char *launcher, const char *language, long events)
{
    if (strcmp(language, "C") == 0) {
        return c_floor(events);
    }
    char command[1024];
    snprintf(command, sizeof command, "'%s' '%s' --floor %ld", launcher, language, events);
    FILE *output = popen(command, "r");
    double per_second = 0;
    if (output == NULL || fscanf(output, "floor %lf", &per_second) != 1 || per_second <= 0) {
        fprintf(stderr, "%s printed no floor\n", command);
        per_second = -1;
    }
    if (output != NULL) {
        pclose(output);
    }
    return per_second;
}

int main(int argc, char **argv)
{
    if (argc < 3 || argc == 4 || argc == 5) {
        fprintf(stderr, "usage: %s <folder> <round trips> [<launcher> <events> <language>...]\n", argv[0]);
        return 2;
    }
    int trips = atoi(argv[2]);
    int polled_trips = trips < 500 ? trips : 500; /* polling costs 10 ms a trip */
    const char *modes[] = {"process", "thread", "poll"};
    const char *names[] = {
        "handler process asleep in `baton_poll`",
        "handler thread of the host's process, asleep the same way",
        "handler process polling every 10 ms",
    };
    int64_t *samples = calloc((size_t)trips, sizeof *samples);
    double unused;
    printf("| C handler | round trips | median | p99 | max |\n|---|---|---|---|---|\n");
    for (int m = 0; m < 3; m++) {
        int count = m == 2 ? polled_trips : trips;
        if (run(argv[1], names[m], count, samples, (handler){.mode = modes[m]}, 0, &unused) != 0) {
            return 1;
        }
        printf("| %s | %d | %.1f us | %.1f us | %.1f us |\n", names[m], count, MICROS(samples[count / 2]),
               MICROS(samples[count * 99 / 100]), MICROS(samples[count - 1]));
    }
    if (argc > 5) {
        long events = atol(argv[4]);
        printf("\n| handler process | events/s, one thread | its own floor, events/s | ÷ floor | asleep in its wait: median | p99 | "
               "polling every 10 ms: median | p99 |\n|---|---|---|---|---|---|---|---|\n");
        for (int l = 5; l < argc; l++) {
            handler asleep = {.mode = "process", .launcher = argv[3], .language = argv[l]};
            handler polling = asleep;
            polling.poll = 1;
            double per_second;
            if (run(argv[1], argv[l], trips, samples, asleep, events, &per_second) != 0) {
                return 1;
            }
            double own_floor = floor_of(argv[3], argv[l], 10 * events);
            if (own_floor < 0) {
                return 1;
            }
            printf("| %s | %.0f | %.0f | %.3f | %.1f us | %.1f us |", argv[l], per_second, own_floor,
                   per_second / own_floor, MICROS(samples[trips / 2]),
                   MICROS(samples[trips * 99 / 100]));
            if (run(argv[1], argv[l], polled_trips, samples, polling, 0, &unused) != 0) {
                return 1;
            }
            printf(" %.1f us | %.1f us |\n", MICROS(samples[polled_trips / 2]), MICROS(samples[polled_trips * 99 / 100]));
            fflush(stdout);
        }
    }
    free(samples);
    return 0;
}
