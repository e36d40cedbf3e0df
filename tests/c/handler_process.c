/*
 * A handler process: opens a channel file by path, prints "attached", serves it with a few threads
 * until the channel closes or its host is gone (then it prints "host gone"), then prints what it
 * served and exits 0. Each event's payload is an 8-byte
 * number; the handler completes it with status 200 and twice the number. With silent_per_mille,
 * a thread leaves that share of events (chosen from the event id) uncompleted, so they time out.
 * Every fourth event (by id) is first yielded once (baton_yield) with its number as the
 * continuation, so that a crash trial can kill a handler mid-yield.
 * Every other serving thread polls in batches and completes each batch in one call (runs of records
 * claimed together), so a kill can land inside either. Another thread reaps, as any survivor may: what a handler process that died left is settled by
 * whichever process looks first.
 *
 *   handler_process <path> <threads> [silent_per_mille]
 *
 * The cross-process tests start it beside a Java host, and kill some instances at random.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "baton.h"

typedef struct server {
    baton_channel *channel;
    uint32_t silent_per_mille;
    _Atomic long served;
    atomic_int host_gone; /* a wait returned BATON_EHOSTDOWN */
    atomic_int stopping;  /* every serving thread has ended: the reaper stops too */
} server;

/* Whether a serving thread ends on this result: the channel closed, or its host is gone. */
static int ends_serving(server *self, int result)
{
    if (result == BATON_EHOSTDOWN) {
        atomic_store(&self->host_gone, 1);
    }
    return result == BATON_ESHUTDOWN || result == BATON_EHOSTDOWN;
}

/* The completions a batch-serving thread gathers for one baton_complete_batch call. */
typedef struct gathered {
    uint32_t count;
    baton_completion completions[16];
    int64_t results[16];
} gathered;

/* Completes what a batch-serving thread gathered, retrying the rest while the ring is full. */
static void complete_gathered(server *self, gathered *batch)
{
    int32_t codes[16];
    uint32_t settled = 0;
    while (settled < batch->count) {
        int done = baton_complete_batch(self->channel, &batch->completions[settled], batch->count - settled, codes);
        if (done < 0) {
            break; /* closed meanwhile: the events are settled by the close */
        }
        for (int i = 0; i < done; i++) {
            if (codes[i] == BATON_OK) {
                atomic_fetch_add(&self->served, 1);
            }
        }
        settled += (uint32_t)done;
        if (settled < batch->count) {
            sched_yield(); /* BATON_ENOBUFS */
        }
    }
    batch->count = 0;
}

/* One polled event: left to time out, yielded once, or completed with twice its number: at once,
 * or, with batch, gathered for one call. */
static void serve_event(server *self, baton_event *event, gathered *batch)
{
    int64_t number;
    if (baton_read_payload(self->channel, event, &number, sizeof number) != (int)sizeof number ||
        event->event_id_lo % 1000 < self->silent_per_mille) {
        return; /* ended meanwhile, or left to time out */
    }
    if (event->event_id_lo % 4 == 1 && event->yields == 0) {
        int yielded;
        while ((yielded = baton_yield(self->channel, event->handle, &number, sizeof number)) == BATON_EAGAIN ||
               yielded == BATON_ENOSPC) {
            sched_yield();
        }
        return; /* back in the ring, for whichever handler claims it next */
    }
    int64_t doubled = 2 * number;
    if (batch != NULL) {
        uint32_t at = batch->count++;
        batch->results[at] = doubled;
        batch->completions[at] = (baton_completion){.handle = event->handle, .status = 200,
                                                    .result = (const uint8_t *)&batch->results[at],
                                                    .result_length = sizeof doubled};
        return;
    }
    int completed;
    while ((completed = baton_complete(self->channel, event->handle, 200, &doubled, sizeof doubled)) ==
           BATON_ENOBUFS) {
        sched_yield();
    }
    if (completed == BATON_OK) {
        atomic_fetch_add(&self->served, 1);
    }
}

/* A serving thread that takes one event a call. */
static void *serve(void *argument)
{
    server *self = argument;
    for (;;) {
        baton_event event;
        int polled = baton_poll(self->channel, &event, BATON_WAIT_FOREVER);
        if (ends_serving(self, polled)) {
            return NULL;
        }
        if (polled == 1) {
            serve_event(self, &event, NULL); /* else BATON_EINTR */
        }
    }
}

/* A serving thread that takes batches of up to 16 (runs of ring cells with one index claim) and
 * completes each in one call, sleeping between them, so that a kill can land inside a batch's poll
 * or its completion. */
static void *serve_batches(void *argument)
{
    server *self = argument;
    gathered batch = {.count = 0};
    for (;;) {
        baton_event events[16];
        int polled = baton_poll_batch(self->channel, events, 16);
        if (ends_serving(self, polled)) {
            return NULL;
        }
        if (polled == 0 && ends_serving(self, baton_await_events(self->channel, BATON_WAIT_FOREVER))) {
            return NULL;
        }
        for (int i = 0; i < polled; i++) {
            serve_event(self, &events[i], &batch);
        }
        complete_gathered(self, &batch);
    }
}

static void *reap(void *argument)
{
    server *self = argument;
    while (!atomic_load(&self->stopping) && baton_reap(self->channel) != BATON_ESHUTDOWN) {
        usleep(20 * 1000);
    }
    return NULL;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s <path> <threads> [silent_per_mille]\n", argv[0]);
        return 2;
    }
    server self = {.silent_per_mille = argc > 3 ? (uint32_t)atoi(argv[3]) : 0};
    int opened = baton_open(argv[1], 0, &self.channel);
    if (opened != BATON_OK) {
        fprintf(stderr, "baton_open %s: %s\n", argv[1], baton_strerror(opened));
        return 1;
    }
    printf("attached\n");
    fflush(stdout);
    int threads = atoi(argv[2]);
    pthread_t serving[64];
    for (int i = 0; i < threads && i < 64; i++) {
        pthread_create(&serving[i], NULL, i % 2 == 0 ? serve : serve_batches, &self);
    }
    pthread_t reaper;
    pthread_create(&reaper, NULL, reap, &self);
    for (int i = 0; i < threads && i < 64; i++) {
        pthread_join(serving[i], NULL);
    }
    atomic_store(&self.stopping, 1);
    pthread_join(reaper, NULL);
    if (atomic_load(&self.host_gone)) {
        printf("host gone\n");
    }
    printf("served %ld\n", atomic_load(&self.served));
    baton_detach(self.channel);
    return 0;
}
