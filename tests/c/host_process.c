/*
 * A host process: creates a channel file, dispatches the numbers 0..events-1 (8-byte payloads,
 * event ids (0, number)), drains until each is reported, checks every answer is twice its number,
 * closes the channel and prints its ledger. Handlers in other processes (a Java one in
 * CrossProcessTest) attach to the file by path and serve it.
 *
 *   host_process <path> <events> [dies | dies-after <microseconds> <log>]
 *
 * It prints "ready" once the file exists, and at the end
 *   "ledger dispatched N completed C timed_out T lost L duplicated D wrong W".
 * With "dies", it dispatches the events (at most the slab's 64), prints "dispatched N", and kills
 * itself before it drains any: its handlers see the host gone, and an adopter drains them all.
 * With "dies-after", it runs as usual but kills itself (SIGKILL, from a thread) that many
 * microseconds after it is ready, wherever it then is; it writes ahead to <log>, unbuffered, so
 * that the log survives it: "i N" before dispatching event N, "d N" once dispatched, "b" before each
 * drain, "o N" for each outcome it was handed, and "c" before it closes the channel
 * (HostDeathCampaignTest reads it).
 */
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "baton.h"

typedef struct ledger {
    uint8_t *reported; /* per event: 1 completed, 2 timed out, more when reported twice */
    long completed;
    long timed_out;
    long wrong;
    int log; /* the write-ahead log's descriptor, or -1 */
} ledger;

/* One line of the write-ahead log, in one write(2): a letter and, unless negative, a number. */
static void log_line(const ledger *self, char letter, long number)
{
    if (self->log < 0) {
        return;
    }
    char line[32];
    int length = number < 0 ? snprintf(line, sizeof line, "%c\n", letter)
                            : snprintf(line, sizeof line, "%c %ld\n", letter, number);
    if (write(self->log, line, (size_t)length) != length) {
        abort();
    }
}

static void *die_after(void *microseconds)
{
    usleep((useconds_t)(uintptr_t)microseconds);
    raise(SIGKILL);
    return NULL;
}

static void on_outcome(void *context, const baton_outcome *completion)
{
    ledger *self = context;
    uint64_t number = completion->event_id_lo;
    log_line(self, 'o', (long)number);
    self->reported[number] += completion->timed_out ? 2 : 1;
    if (completion->timed_out) {
        self->timed_out++;
        return;
    }
    self->completed++;
    int64_t answer;
    if (completion->status != 200 || completion->result_length != sizeof answer) {
        self->wrong++;
        return;
    }
    memcpy(&answer, completion->result, sizeof answer);
    self->wrong += answer != 2 * (int64_t)number;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s <path> <events> [dies]\n", argv[0]);
        return 2;
    }
    const long events = atol(argv[2]);
    const baton_config config = {
        .slab_capacity = 64,
        .slot_size = 192,
        .dispatch_ring_capacity = 128,
        .completion_ring_capacity = 64 * 1024,
        .latency_ring_capacity = 64,
        .attachment_capacity = 16,
        .completion_timeout_ns = 200 * 1000 * 1000,
        .starvation_threshold_ns = 1000 * 1000 * 1000,
    };
    baton_channel *channel;
    int created = baton_create(argv[1], &config, 0, &channel);
    if (created != BATON_OK) {
        fprintf(stderr, "baton_create %s: %s\n", argv[1], baton_strerror(created));
        return 1;
    }
    printf("ready\n");
    fflush(stdout);
    if (argc > 3 && strcmp(argv[3], "dies") == 0) {
        long dispatched = 0;
        for (int64_t number = 0; number < events; number++) {
            dispatched += baton_dispatch(channel, 0, (uint64_t)number, 0, 0, 1, &number, sizeof number) > 0;
        }
        printf("dispatched %ld\n", dispatched);
        fflush(stdout);
        raise(SIGKILL);
    }
    ledger self = {.reported = calloc((size_t)events, 1), .log = -1};
    if (argc > 5 && strcmp(argv[3], "dies-after") == 0) {
        self.log = open(argv[5], O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0600);
        pthread_t killer;
        if (self.log < 0 || pthread_create(&killer, NULL, die_after, (void *)(uintptr_t)atol(argv[4])) != 0) {
            fprintf(stderr, "cannot open %s or start the killer thread\n", argv[5]);
            return 1;
        }
    }
    long dispatched = 0;
    long rounds = 0;
    while (self.completed + self.timed_out < events) {
        while (dispatched < events) {
            int64_t number = dispatched;
            log_line(&self, 'i', dispatched);
            if (baton_dispatch(channel, 0, (uint64_t)dispatched, 0, 0, 1, &number, sizeof number) < 0) {
                break;
            }
            log_line(&self, 'd', dispatched);
            dispatched++;
        }
        log_line(&self, 'b', -1);
        int drained = baton_drain_each(channel, on_outcome, &self, 256);
        baton_reclaim_expired(channel);
        if (++rounds % 64 == 0) {
            baton_reap(channel); /* now and then: it reads /proc for each attached process */
        }
        if (drained == 0) {
            baton_await_outcomes(channel, 1000 * 1000);
        }
    }
    log_line(&self, 'c', -1);
    baton_close(channel);
    baton_detach(channel);
    long lost = 0;
    long duplicated = 0;
    for (long i = 0; i < events; i++) {
        lost += self.reported[i] == 0;
        duplicated += self.reported[i] > 2;
    }
    printf("ledger dispatched %ld completed %ld timed_out %ld lost %ld duplicated %ld wrong %ld\n", events,
           self.completed, self.timed_out, lost, duplicated, self.wrong);
    free(self.reported);
    return lost == 0 && duplicated == 0 && self.wrong == 0 ? 0 : 1;
}
