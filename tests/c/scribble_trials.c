/*
 * Scribble trials: a live channel gets one random 64-bit word written, as a broken process sharing
 * the file could, while events are in flight, over a random word of one region:
 * - its dispatch ring (an index or any cell's sequence or handle);
 * - the body of a completion record waiting for the host's drain (its handle, or its status and
 *   result block): the drain rejects the record, and the reaper settles its event a second or two
 *   later with status BATON_ENODATA (orphaned_outcomes.c).
 * - the header of a completion record waiting for the drain (its length and type), or the
 *   completion ring's positions (its tail, head cache or head): where the ring cannot be repaired,
 *   the drain refuses with BATON_EUCLEAN, and the host lists the events the slab still holds
 *   (baton_list_events), which it must account for;
 * - the slab's free list (its head, or a slot's link): the slots below the word are lost to the list,
 *   the slots freed later still serve, and once none is left a dispatch refuses with BATON_EUCLEAN;
 *   the host then lists the events, as above;
 * - a slot's state word, in half the trials after the host's drain, when freed slots wait for the
 *   next dispatch (kept by the host's thread or on the free list): expiry times out at once an event
 *   under a word no protocol writes, at its deadline one under a word that looks valid, and past the
 *   patience one under a FREE word; a slot that holds no event is left, whatever its word says, so
 *   its last event is not reported again; a dispatch into a slot whose FREE word was written over with
 *   another state returns BATON_EPROTO, and its event still ends once so;
 * - a word of the attachment table (an entry's owner, identity, epoch or sleeper counts, the host's
 *   or the handler's or a free one's): an attachment taken for dead is reaped, its claims settled
 *   once, and the events still end once;
 * - any word of the channel, header and regions alike: as above, and a channel state written over
 *   reads as closed, so that calls refuse with BATON_ESHUTDOWN and the host lists the events; an
 *   event whose id was written over ends under the id written (its data, like a payload written
 *   over, is the writer's; its ending is still once), which the trial maps back.
 * The host and a handler then carry on, reaping now and then as hosts do; the channel must take new
 * dispatches again, and every event dispatched must end once, completed (settled included) or timed
 * out, or, once the drain or a dispatch refused, be listed once and not have ended, with no crash and no hang (a
 * trial that stalls past its bound fails); a last expiry and drain once every event ended find no
 * outcome more. test_channel.c runs a few hundred; tests/c/scribble_campaign.c
 * runs a campaign.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include "check.h"

#define EVENTS 48
#define TIMEOUT_NS INT64_C(20000000)
#define STALL_BOUND_NS INT64_C(5000000000)

static uint64_t next_random(uint64_t *state)
{
    /* splitmix64: a seeded sequence, so a failing trial can be replayed */
    uint64_t z = (*state += UINT64_C(0x9E3779B97F4A7C15));
    z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
    z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
    return z ^ (z >> 31);
}

static int64_t now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

/* An event id the scribble wrote over: the outcome of the event dispatched as `original` comes
 * under `written`. */
typedef struct renamed_event {
    uint64_t written_hi, written_lo;
    uint64_t original_lo;
    int set;
} renamed_event;

typedef struct trial_ledger {
    renamed_event renamed;
    int renamed_ended;
    uint8_t ended[EVENTS];
    int completed;
    int timed_out;
    int settled; /* outcomes of status BATON_ENODATA: their record was lost */
    int foreign; /* outcomes naming no event of the trial: none may come */
} trial_ledger;

/* Which of the trial's events an id names, mapped back if the scribble renamed it (counted), or -1. */
static int trial_event(trial_ledger *ledger, uint64_t id_hi, uint64_t id_lo)
{
    const renamed_event *renamed = &ledger->renamed;
    if (renamed->set && id_hi == renamed->written_hi && id_lo == renamed->written_lo) {
        ledger->renamed_ended++;
        return (int)renamed->original_lo;
    }
    return id_hi == 7 && id_lo < EVENTS ? (int)id_lo : -1;
}

static void record(void *context, const baton_outcome *outcome)
{
    trial_ledger *ledger = context;
    int event = trial_event(ledger, outcome->event_id_hi, outcome->event_id_lo);
    if (event < 0) {
        ledger->foreign++;
        return;
    }
    ledger->ended[event]++;
    ledger->settled += outcome->status == BATON_ENODATA;
    ledger->completed += !outcome->timed_out;
    ledger->timed_out += outcome->timed_out != 0;
}

/* Serves what is ready: each event polled is completed with status 200. */
static void serve(baton_channel *handler)
{
    baton_event event;
    while (baton_poll(handler, &event, 0) == 1) {
        baton_complete(handler, event.handle, 200, NULL, 0);
    }
}

/* Writes a random word over a random word of the dispatch ring: its two indices, then each cell's
 * sequence and handle. */
static void scribble_dispatch_ring(uint8_t *memory, uint32_t capacity, uint64_t *random, scribble_tally *tally)
{
    baton_header *header = (baton_header *)memory;
    uint64_t *ring_words = (uint64_t *)(memory + header->dispatch_ring_offset);
    uint64_t word = next_random(random) % (2 + 2 * (uint64_t)capacity);
    uint64_t *target = word < 2 ? &ring_words[word * 16] : &ring_words[32 + (word - 2)];
    *target = next_random(random);
    tally->words[word < 2 ? 0 : (word - 2) % 2 == 0 ? 1 : 2]++;
}

/* The committed completion record at the completion ring's head, or NULL when none waits there. */
static uint64_t *record_at_head(uint8_t *memory, uint32_t capacity)
{
    baton_header *header = (baton_header *)memory;
    uint8_t *records = memory + header->completion_ring_offset;
    baton_completion_trailer *trailer = (baton_completion_trailer *)(records + capacity);
    int64_t head = __atomic_load_n(&trailer->head_position, __ATOMIC_ACQUIRE);
    uint64_t *record = (uint64_t *)(records + (head & (capacity - 1)));
    int64_t record_header = (int64_t)__atomic_load_n(record, __ATOMIC_ACQUIRE);
    int32_t length = (int32_t)(uint32_t)record_header;
    int32_t type = (int32_t)(record_header >> 32);
    return length < BATON_RECORD_HEADER_LENGTH + BATON_COMPLETION_BODY_LENGTH || type == BATON_RECORD_PADDING ? NULL
                                                                                                           : record;
}

/* Writes a random word over the body of the committed record at the completion ring's head, if one
 * waits there: its handle, or its status and result block. 1 when it wrote, else 0 (try later). */
static int scribble_record_body(uint8_t *memory, uint32_t capacity, uint64_t *random, scribble_tally *tally)
{
    uint64_t *record = record_at_head(memory, capacity);
    if (record == NULL) {
        return 0;
    }
    uint64_t word = next_random(random) % 2;
    record[1 + word] = next_random(random);
    tally->words[3 + word]++;
    return 1;
}

/* Writes a random word over the header (length and type) of the committed record at the completion
 * ring's head, if one waits there. 1 when it wrote, else 0 (try later). */
static int scribble_record_header(uint8_t *memory, uint32_t capacity, uint64_t *random, scribble_tally *tally)
{
    uint64_t *record = record_at_head(memory, capacity);
    if (record == NULL) {
        return 0;
    }
    __atomic_store_n(record, next_random(random), __ATOMIC_RELAXED);
    tally->words[8]++;
    return 1;
}

/* Writes a random word over one of the completion ring's positions: its tail, head cache or head. */
static void scribble_ring_positions(uint8_t *memory, uint32_t capacity, uint64_t *random, scribble_tally *tally)
{
    baton_header *header = (baton_header *)memory;
    baton_completion_trailer *trailer = (baton_completion_trailer *)(memory + header->completion_ring_offset + capacity);
    int64_t *positions[] = {&trailer->tail_position, &trailer->head_cache_position, &trailer->head_position};
    uint64_t word = next_random(random) % 3;
    __atomic_store_n(positions[word], (int64_t)next_random(random), __ATOMIC_RELAXED);
    tally->words[5 + word]++;
}

/* Writes a random word over the slab's free list: its head in half the trials, else a slot's link
 * (which a slot in use writes again when it is freed). */
static void scribble_free_list(uint8_t *memory, uint32_t capacity, uint64_t *random, scribble_tally *tally)
{
    baton_header *header = (baton_header *)memory;
    uint64_t word = next_random(random) % 2 == 0 ? 0 : 1 + next_random(random) % capacity;
    if (word == 0) {
        __atomic_store_n(&header->free_head, next_random(random), __ATOMIC_RELAXED);
    } else {
        baton_slot *slot = (baton_slot *)(memory + header->slab_offset + (word - 1) * header->slot_size);
        __atomic_store_n(&slot->next_free, (uint32_t)next_random(random), __ATOMIC_RELAXED);
    }
    tally->words[word == 0 ? 9 : 10]++;
}

/* Writes a random word over the state word of a random slot, in use or free; in one trial of 16 a
 * word whose state reads FREE (and whatever generation and holder), which over a slot in use hides
 * its event until expiry finds it under the FREE word, past the patience (a second or so). */
static void scribble_state_word(uint8_t *memory, uint32_t capacity, uint64_t *random, scribble_tally *tally)
{
    baton_header *header = (baton_header *)memory;
    baton_slot *slot = (baton_slot *)(memory + header->slab_offset + (next_random(random) % capacity) * header->slot_size);
    uint64_t word = next_random(random);
    if (next_random(random) % 16 == 0) {
        word &= ~(uint64_t)BATON_SLOT_STATE_MASK; /* FREE, with whatever generation and holder */
    }
    __atomic_store_n(&slot->state, word, __ATOMIC_RELAXED);
    tally->words[11]++;
    tally->words[13] += (word & BATON_SLOT_STATE_MASK) == BATON_SLOT_FREE;
}

/* Writes a random word over a random word of the attachment table. */
static void scribble_attachments(uint8_t *memory, uint32_t capacity, uint64_t *random, scribble_tally *tally)
{
    baton_header *header = (baton_header *)memory;
    uint64_t *words = (uint64_t *)(memory + header->attachment_table_offset);
    uint64_t word = next_random(random) % ((uint64_t)capacity * BATON_ATTACHMENT_LENGTH / sizeof(uint64_t));
    __atomic_store_n(&words[word], next_random(random), __ATOMIC_RELAXED);
    tally->words[12]++;
}

/* Writes a random word over any 8-byte word of the channel. Over an event's id in a slot that holds
 * one of the trial's, the event is renamed: its outcome comes under the id written. */
static void scribble_anywhere(uint8_t *memory, const baton_config *config, uint64_t *random, scribble_tally *tally,
                              renamed_event *renamed)
{
    baton_header *header = (baton_header *)memory;
    uint64_t at = next_random(random) % (baton_segment_length(config) / sizeof(uint64_t)) * sizeof(uint64_t);
    uint64_t word = next_random(random);
    uint64_t slab_end = header->slab_offset + (uint64_t)config->slab_capacity * header->slot_size;
    if (at >= header->slab_offset && at < slab_end) {
        uint64_t field = (at - header->slab_offset) % header->slot_size;
        baton_slot *slot = (baton_slot *)(memory + at - field);
        if ((field == offsetof(baton_slot, event_id_hi) || field == offsetof(baton_slot, event_id_lo)) &&
            slot->deadline_ns != 0 && slot->event_id_hi == 7 && slot->event_id_lo < EVENTS) {
            *renamed = (renamed_event){.written_hi = field == offsetof(baton_slot, event_id_hi) ? word : 7,
                                       .written_lo = field == offsetof(baton_slot, event_id_lo) ? word : slot->event_id_lo,
                                       .original_lo = slot->event_id_lo,
                                       .set = 1};
        }
    }
    __atomic_store_n((uint64_t *)(memory + at), word, __ATOMIC_RELAXED);
    tally->words[14]++;
}

/* Writes a random word over the region, between the host's and the handler's calls (the dispatch
 * ring's scribble comes inside the dispatch loop instead): 1 when it wrote, 0 when the region had
 * nothing to write over yet (a record waiting for the drain). */
static int scribble_between_calls(scribble_region region, uint8_t *memory, const baton_config *config,
                                  uint64_t *random, scribble_tally *tally, renamed_event *renamed)
{
    switch (region) {
    case SCRIBBLE_RECORD_BODIES:
        return scribble_record_body(memory, config->completion_ring_capacity, random, tally);
    case SCRIBBLE_RECORD_HEADERS:
        return scribble_record_header(memory, config->completion_ring_capacity, random, tally);
    case SCRIBBLE_RING_POSITIONS:
        scribble_ring_positions(memory, config->completion_ring_capacity, random, tally);
        return 1;
    case SCRIBBLE_FREE_LIST:
        scribble_free_list(memory, config->slab_capacity, random, tally);
        return 1;
    case SCRIBBLE_STATE_WORDS:
        scribble_state_word(memory, config->slab_capacity, random, tally);
        return 1;
    case SCRIBBLE_ATTACHMENTS:
        scribble_attachments(memory, config->attachment_capacity, random, tally);
        return 1;
    case SCRIBBLE_ANYWHERE:
        scribble_anywhere(memory, config, random, tally, renamed);
        return 1;
    default:
        return 0;
    }
}

/* Whether the trial writes over its region after the host's drain rather than before it: half the
 * trials of the regions a free slot has words in. Before the drain every slot holds an event (each
 * dispatch loop runs until the slab is full); after it, some are free. */
static int scribbles_after_drain(scribble_region region, uint64_t *random)
{
    return (region == SCRIBBLE_STATE_WORDS || region == SCRIBBLE_ANYWHERE) && next_random(random) % 2;
}

/* The host's account once its drain or a dispatch refused for good: each event the slab still holds,
 * listed; an event must not be both listed and ended. */
static void list_unaccounted(baton_channel *host, trial_ledger *ledger, uint8_t *listed)
{
    baton_listed_event events[16];
    uint32_t cursor = 0;
    int written;
    while ((written = baton_list_events(host, &cursor, events, 16)) > 0) {
        for (int i = 0; i < written; i++) {
            int event = trial_event(ledger, events[i].event_id_hi, events[i].event_id_lo);
            if (event < 0) {
                ledger->foreign++;
            } else {
                listed[event]++;
            }
        }
    }
}

/* Whether a drain or a dispatch refused for good: BATON_EUCLEAN, or BATON_ESHUTDOWN (the channel's
 * state written over reads as closed). The host then lists the events to account for. */
static int refuses(int64_t returned)
{
    return returned == BATON_EUCLEAN || returned == BATON_ESHUTDOWN;
}

/* One trial; 1 when its ledger balanced (each event dispatched ended once, or was listed once after
 * the drain or a dispatch refused for good) and the channel took every dispatch until then, else 0. */
static int trial(scribble_region region, uint64_t *random, scribble_tally *tally)
{
    baton_config config = {
        .slab_capacity = 16,
        .slot_size = 128,
        .dispatch_ring_capacity = 32,
        .completion_ring_capacity = 8192,
        .latency_ring_capacity = 16,
        .attachment_capacity = 4,
        .completion_timeout_ns = TIMEOUT_NS,
        .starvation_threshold_ns = TIMEOUT_NS,
    };
    uint64_t length = baton_segment_length(&config);
    uint8_t *memory = mmap(NULL, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    baton_channel *host = NULL;
    baton_channel *handler = NULL;
    if (memory == MAP_FAILED || baton_format(memory, length, &config) != BATON_OK ||
        baton_attach(memory, length, &host) != BATON_OK || baton_attach(memory, length, &handler) != BATON_OK) {
        return 0;
    }
    uint64_t scribble_after = next_random(random) % EVENTS;
    int after_drain = scribbles_after_drain(region, random);
    trial_ledger ledger = {0};
    uint64_t dispatched = 0;
    int64_t start = now_ns();
    int scribbled = 0;
    int refused = 0;
    uint8_t listed[EVENTS] = {0};
    while (!refused && ledger.completed + ledger.timed_out < EVENTS && now_ns() - start < STALL_BOUND_NS) {
        int64_t handle = 0;
        /* BATON_EPROTO: dispatched into a slot whose word was written over; it still ends once. */
        while (dispatched < EVENTS &&
               ((handle = baton_dispatch(host, 7, dispatched, 0, 0, 1, NULL, 0)) > 0 || handle == BATON_EPROTO)) {
            dispatched++;
            if (region == SCRIBBLE_DISPATCH_RING && dispatched == scribble_after + 1 && !scribbled) {
                scribble_dispatch_ring(memory, config.dispatch_ring_capacity, random, tally);
                scribbled = 1;
            }
        }
        if (refuses(handle)) {
            refused = 1;
            break;
        }
        if (next_random(random) % 2) {
            serve(handler);
        }
        int due = region != SCRIBBLE_DISPATCH_RING && dispatched > scribble_after && !scribbled;
        if (due && !after_drain) {
            scribbled = scribble_between_calls(region, memory, &config, random, tally, &ledger.renamed);
        }
        refused = refuses(baton_drain_each(host, record, &ledger, 64));
        if (due && after_drain && !refused) {
            scribbled = scribble_between_calls(region, memory, &config, random, tally, &ledger.renamed);
        }
        baton_reclaim_expired(host);
        int reaped = baton_reap(host);
        tally->reaped += reaped > 0 ? reaped : 0;
    }
    /* Every event ended: nothing may end again (a word written over a free slot late in the trial). */
    for (int round = 0; round < 2 && !refused; round++) {
        baton_reclaim_expired(host);
        refused = refuses(baton_drain_each(host, record, &ledger, 64));
    }
    if (refused) {
        list_unaccounted(host, &ledger, listed);
    }
    int balanced = ledger.foreign == 0 && (refused || dispatched == EVENTS);
    for (uint64_t i = 0; i < EVENTS; i++) {
        balanced &= ledger.ended[i] + listed[i] == (i < dispatched ? 1 : 0);
        tally->listed += listed[i];
    }
    tally->refused += refused;
    tally->renamed += ledger.renamed_ended;
    tally->completed += ledger.completed;
    tally->timed_out += ledger.timed_out;
    tally->settled += ledger.settled;
    baton_detach(handler);
    baton_close(host);
    baton_detach(host);
    munmap(memory, length);
    return balanced;
}

int scribble_trials(scribble_region region, uint64_t seed, int trials, scribble_tally *tally)
{
    uint64_t random = seed;
    int failed = 0;
    for (int i = 0; i < trials; i++) {
        if (!trial(region, &random, tally)) {
            fprintf(stderr, "scribble trial %d of seed %llu did not balance\n", i, (unsigned long long)seed);
            failed++;
        }
        tally->trials++;
    }
    return failed;
}
