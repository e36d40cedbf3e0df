/*
 * Single round trips through a channel in a file: the host dispatches one event, its handler
 * answers, the host drains the outcome; the next event goes a millisecond later, so that the
 * handler has gone to sleep on the channel by then. Three handlers:
 *   - another process, asleep in baton_poll_wait between events (the futex wakes it);
 *   - a thread of the host's process, asleep the same way;
 *   - another process that polls every 10 ms instead of sleeping on the channel, as the workflow
 *     engine's handlers poll today.
 * Prints a Markdown table of the median, p99 and max round trip. Timing is the host's
 * CLOCK_MONOTONIC around each round trip; this is a measurement, never a test.
 *
 *   round_trip <folder> <round trips>
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
        int polled = poll_ns > 0 ? baton_poll(channel, &event) : baton_poll_wait(channel, &event, BATON_WAIT_FOREVER);
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

static void *serve_thread(void *channel)
{
    serve(channel, 0);
    return NULL;
}

static void count_one(void *context, const baton_completion *completion)
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

/* Runs the round trips against a handler started by start(); fills samples. */
static int measure(const char *path, int trips, int64_t *samples, const char *mode)
{
    const baton_config config = {
        .slab_capacity = 16,
        .slot_size = 128,
        .dispatch_ring_capacity = 32,
        .completion_ring_capacity = 4096,
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
    if (strcmp(mode, "thread") == 0) {
        pthread_create(&thread, NULL, serve_thread, host);
    } else {
        child = fork();
        if (child == 0) {
            baton_channel *handler;
            if (baton_open(path, 0, &handler) != BATON_OK) {
                _exit(1);
            }
            serve(handler, strcmp(mode, "poll") == 0 ? 10 * 1000 * 1000 : 0);
            baton_detach(handler);
            _exit(0);
        }
    }
    for (int i = -trips / 10; i < trips; i++) { /* the first tenth warms up, unrecorded */
        int64_t start = now_ns();
        if (baton_dispatch(host, 0, (uint64_t)(i + trips), 0, 0, 1, NULL, 0) <= 0) {
            return 1;
        }
        int drained = 0;
        while (drained == 0) {
            baton_await_completions(host, BATON_WAIT_FOREVER);
            drained = baton_drain_completions(host, count_one, &drained, 1) > 0;
        }
        if (i >= 0) {
            samples[i] = now_ns() - start;
        }
        struct timespec gap = {.tv_sec = 0, .tv_nsec = 1000 * 1000}; /* the handler goes to sleep */
        nanosleep(&gap, NULL);
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

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s <folder> <round trips>\n", argv[0]);
        return 2;
    }
    int trips = atoi(argv[2]);
    const char *modes[] = {"process", "thread", "poll"};
    const char *names[] = {
        "handler process asleep in `baton_poll_wait`",
        "handler thread of the host's process, asleep the same way",
        "handler process polling every 10 ms",
    };
    int64_t *samples = calloc((size_t)trips, sizeof *samples);
    printf("| handler | round trips | median | p99 | max |\n|---|---|---|---|---|\n");
    for (int m = 0; m < 3; m++) {
        int count = m == 2 ? (trips < 500 ? trips : 500) : trips; /* polling costs 10 ms a trip */
        char path[512];
        snprintf(path, sizeof path, "%s/baton-round-trip-%d-%s", argv[1], (int)getpid(), modes[m]);
        if (measure(path, count, samples, modes[m]) != 0) {
            fprintf(stderr, "round trips with a %s handler failed\n", modes[m]);
            return 1;
        }
        printf("| %s | %d | %.1f us | %.1f us | %.1f us |\n", names[m], count, samples[count / 2] / 1e3,
               samples[count * 99 / 100] / 1e3, samples[count - 1] / 1e3);
    }
    free(samples);
    return 0;
}
