/*
 * The attachment table (drawn in baton.h): one entry per attachment, so that the survivors of a
 * process that died settle what it left, promptly and exactly once. Judging whether a process
 * lives takes /proc, which is libbaton's alone: Java reaches this file through libbaton, as it does
 * the futex waits (java/.../NativeAttachment.java), and refuses a channel shared with other
 * processes without it.
 *
 * An attachment belongs to the process that made it: a child made by fork() attaches anew.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "baton_internal.h"

#define TAG_INDEX_BITS 12
#define TAG_EPOCH_MASK UINT32_C(0xFFF)
/* The start time is field 22 of /proc/<pid>/stat; the fields after the command's closing
 * parenthesis start at field 3 (the state), so it is the 20th of them. */
#define START_TIME_FIELD_AFTER_COMMAND 19

static uint64_t owner_word(uint32_t pid, uint32_t state) { return ((uint64_t)pid << 32) | state; }
static uint32_t owner_pid(uint64_t owner) { return (uint32_t)(owner >> 32); }
static uint32_t owner_state(uint64_t owner) { return (uint32_t)owner; }

static uint32_t tag_of(uint32_t index, uint32_t epoch)
{
    return ((epoch & TAG_EPOCH_MASK) << TAG_INDEX_BITS) | (index + 1);
}

/* What /proc says of a process: 1 and its state and start time, 0 when it does not exist, or -1
 * when /proc cannot tell (then the process is presumed alive). */
static int read_process(uint32_t pid, char *state, uint64_t *start_time)
{
    char path[32];
    snprintf(path, sizeof path, "/proc/%u/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        return errno == ENOENT || errno == ESRCH ? 0 : -1;
    }
    char text[1024];
    ssize_t length = read(fd, text, sizeof text - 1);
    close(fd);
    if (length <= 0) {
        return length == 0 || errno == ESRCH ? 0 : -1; /* an exiting process reads empty */
    }
    text[length] = '\0';
    /* The command may hold spaces and parentheses: the fields start after the last ')'. */
    char *field = strrchr(text, ')');
    if (field == NULL || field[1] != ' ') {
        return -1;
    }
    field += 2;
    *state = *field;
    for (int skipped = 0; skipped < START_TIME_FIELD_AFTER_COMMAND; skipped++) {
        field = strchr(field, ' ');
        if (field == NULL) {
            return -1;
        }
        field++;
    }
    *start_time = strtoull(field, NULL, 10);
    return 1;
}

static uint64_t own_pid_namespace(void)
{
    struct stat namespace;
    return stat("/proc/self/ns/pid", &namespace) == 0 ? (uint64_t)namespace.st_ino : 0;
}

/* Whether the process that holds an entry is dead. With its start time known (a LIVE entry), a
 * reused pid counts as dead too, and an entry from another PID namespace is never judged. */
static int is_dead(const baton__attachment_table *table, baton_attachment *entry, uint32_t pid, int start_known)
{
    if (pid == table->own_pid) {
        return 0;
    }
    if (start_known && atomic_load_explicit(baton__atomic(entry->pid_namespace), memory_order_relaxed) !=
                           table->own_pid_namespace) {
        return 0;
    }
    char state = 0;
    uint64_t start_time = 0;
    int found = read_process(pid, &state, &start_time);
    if (found <= 0) {
        return found == 0;
    }
    if (state == 'Z' || state == 'X') {
        return 1; /* killed, not yet waited for by its parent */
    }
    /* 0: the attacher could not read its own start time, so only its pid can be judged. */
    uint64_t recorded = atomic_load_explicit(baton__atomic(entry->start_time), memory_order_relaxed);
    return start_known && recorded != 0 && start_time != recorded;
}

void baton__attachments_format(baton__attachment_table *table)
{
    memset(table->entries, 0, (size_t)table->capacity * BATON_ATTACHMENT_LENGTH);
}

/* Dispatches a dead claimant's event again, if it may be: 1 when it was. The ring cell is claimed
 * before the state moves, as dispatch does, so an event made DISPATCHED always has a cell. */
static int redeliver(baton_channel *channel, uint64_t handle, uint32_t claimed)
{
    baton_slot *slot = baton__slot(&channel->slab, baton__handle_index(handle));
    /* relaxed: the slot is CLAIMED by a dead attachment, so its count holds still; a slot that
     * moved on since fails the CAS below. */
    if (atomic_load_explicit(baton__atomic(slot->redeliveries), memory_order_relaxed) >=
        channel->attachments.redelivery_limit) {
        return 0;
    }
    int64_t position = baton__claim_dispatch_cell(channel);
    if (position < 0) {
        return 0; /* no room: report it timed out instead */
    }
    if (!baton__slab_transition(&channel->slab, handle, claimed, BATON_SLOT_DISPATCHED)) {
        baton__commit_dispatch_cell(channel, position, BATON_HANDLE_NONE);
        return 0;
    }
    baton__slot_count_redelivery(slot);
    /* release (the commit): the count and the state are visible to the handler that takes the cell. */
    baton__commit_dispatch_cell(channel, position, handle);
    return 1;
}

/* Settles every event claimed under tag: dispatched again while it may be, else reported timed
 * out; an event it died handing back (YIELDING) is reported timed out, since its continuation may
 * be torn; and the slots of its dispatch claims go back unseen. Stops at a full completion ring:
 * what is left ends at its deadline, by expiry. */
static void settle_claims(baton_channel *channel, uint32_t tag)
{
    const uint32_t claimed = baton__claimed_by(tag);
    const uint32_t yielding = BATON_SLOT_YIELDING | (tag << BATON_SLOT_CLAIMANT_SHIFT);
    int timed_out = 0;
    for (uint32_t index = 0; index < channel->slab.capacity; index++) {
        uint64_t word = baton__slab_load_state(&channel->slab, index);
        uint64_t handle = baton__handle(baton__generation(word), index);
        if (baton__state(word) == BATON_SLOT_FREE && baton__slab_claimed_for_dispatch_by(&channel->slab, index, tag)) {
            if (baton__slab_end_claim(&channel->slab, handle)) {
                baton__slab_retire(&channel->slab, handle);
            }
            continue;
        }
        if ((uint32_t)word != claimed && (uint32_t)word != yielding) {
            continue;
        }
        if ((uint32_t)word == claimed && redeliver(channel, handle, claimed)) {
            continue;
        }
        int published = baton__publish_outcome(channel, handle, (uint32_t)word, BATON_SLOT_TIMED_OUT, BATON_ETIMEDOUT,
                                               0, NULL, 0);
        if (published == BATON_ENOBUFS) {
            break;
        }
        timed_out += published == BATON_OK;
    }
    if (timed_out > 0) {
        baton__signal(&channel->header->completion_waiters, &channel->header->completion_signal);
    }
}

/* Takes an entry's sleepers out of the header's waiter counts. An exchange with 0 first, so two
 * reapers (one taking over from the other) never subtract the same sleeper twice. */
static void drop_waiting(uint32_t *own_waiting, uint32_t *waiters)
{
    uint32_t sleepers = atomic_exchange_explicit(baton__atomic(*own_waiting), 0, memory_order_relaxed);
    if (sleepers != 0) {
        /* seq_cst, as every change of a waiters count: a producer's fence orders its read after it. */
        atomic_fetch_sub_explicit(baton__atomic(*waiters), sleepers, memory_order_seq_cst);
    }
}

/* Settles what the attachment in entry `index` left (its claimed events only while the channel is
 * open: a closed channel's outcomes are no longer drained), then frees the entry. The caller holds
 * it: REAPING under the caller's pid, or LIVE as its own. */
static void release_entry(baton_channel *channel, uint32_t index)
{
    baton_attachment *entry = &channel->attachments.entries[index];
    const uint32_t tag = tag_of(index, atomic_load_explicit(baton__atomic(entry->epoch), memory_order_relaxed));
    /* A reaper that takes over commits nothing twice: a committed cell no longer reads as claimed.
     * Handlers asleep while consumers were stopped at such a cell found nothing ready and were woken
     * by no dispatch since (the dispatches behind it signalled while it blocked them): wake them, or
     * the events behind it wait for ever. */
    if (baton__dispatch_ring_commit_abandoned(&channel->dispatch_ring, tag) > 0) {
        baton__signal(&channel->header->dispatch_waiters, &channel->header->dispatch_signal);
    }
    drop_waiting(&entry->dispatch_waiting, &channel->header->dispatch_waiters);
    drop_waiting(&entry->completion_waiting, &channel->header->completion_waiters);
    if (!baton__is_closed(channel)) {
        settle_claims(channel, tag);
    }
    /* release: the settling above happens before an attacher that acquires the FREE entry. */
    atomic_store_explicit(baton__atomic(entry->owner), owner_word(0, BATON_ATTACHMENT_FREE), memory_order_release);
}

/* The slots whose handles the dispatch ring holds, one bit each. */
typedef struct queued_slots {
    uint64_t *bits;
    const baton__slab *slab;
} queued_slots;

static void mark_queued(void *context, uint64_t handle)
{
    queued_slots *queued = context;
    if (baton__slab_in_range(queued->slab, handle)) { /* a cell another process scribbled on names none */
        uint32_t index = baton__handle_index(handle);
        queued->bits[index / 64] |= UINT64_C(1) << (index % 64);
    }
}

/* After a death: releases the dispatch ring's cells that consumers took and never released, then
 * dispatches again each event that is DISPATCHED in no cell: its taker died between taking its
 * cell and claiming the event, or a reaper died between undoing a claim and committing the handle.
 * A dispatch between publishing its slot and committing its cell looks the same and gets a second
 * cell; handlers claim by CAS, so the later copy is dropped as stale. */
static void redispatch_orphans(baton_channel *channel)
{
    baton__dispatch_ring_release_taken(&channel->dispatch_ring);
    uint32_t capacity = channel->slab.capacity;
    queued_slots queued = {.bits = calloc((capacity + 63) / 64, sizeof(uint64_t)), .slab = &channel->slab};
    if (queued.bits == NULL) {
        return; /* the orphans end at their deadline, by expiry */
    }
    baton__dispatch_ring_for_each_queued(&channel->dispatch_ring, mark_queued, &queued);
    for (uint32_t index = 0; index < capacity; index++) {
        uint64_t word = baton__slab_load_state(&channel->slab, index);
        if (baton__state(word) != BATON_SLOT_DISPATCHED || (queued.bits[index / 64] >> (index % 64)) & 1) {
            continue;
        }
        int64_t position = baton__claim_dispatch_cell(channel);
        if (position < 0) {
            break; /* the ring is full of live work: the rest end at their deadline */
        }
        baton__commit_dispatch_cell(channel, position, baton__handle(baton__generation(word), index));
    }
    free(queued.bits);
}

static int reap_entered(baton_channel *channel)
{
    baton__attachment_table *table = &channel->attachments;
    int reaped = 0;
    for (uint32_t index = 0; index < table->capacity; index++) {
        baton_attachment *entry = &table->entries[index];
        /* acquire: pairs with the attacher's release of LIVE, so its identity fields are visible. */
        uint64_t owner = atomic_load_explicit(baton__atomic(entry->owner), memory_order_acquire);
        uint32_t state = owner_state(owner);
        if ((state != BATON_ATTACHMENT_ACQUIRING && state != BATON_ATTACHMENT_LIVE &&
             state != BATON_ATTACHMENT_REAPING) ||
            !is_dead(table, entry, owner_pid(owner), state == BATON_ATTACHMENT_LIVE)) {
            continue; /* free, alive, being reaped by a live process, or unreadable */
        }
        /* seq_cst CAS: one reaper takes the entry; one that dies holding it is taken over in turn. */
        if (!atomic_compare_exchange_strong_explicit(baton__atomic(entry->owner), &owner,
                                                     owner_word(table->own_pid, BATON_ATTACHMENT_REAPING),
                                                     memory_order_seq_cst, memory_order_relaxed)) {
            continue;
        }
        release_entry(channel, index);
        /* After the entry is free, so a reaper that dies between the two leaves the count too high
         * (a detached-looking channel waits), never too low. */
        atomic_fetch_sub_explicit(baton__atomic(channel->header->attached_count), 1, memory_order_release);
        reaped++;
    }
    if (reaped > 0 && !baton__is_closed(channel)) {
        redispatch_orphans(channel);
    }
    /* A producer that died between taking a position and marking its cell is named by nothing, so
     * its cell is judged by its age alone, at every call (its death may have been reaped before).
     * The shortest patience: the two steps are adjacent, and presuming a slow producer dead is
     * safe (its mark's CAS fails, and it claims again). */
    if (baton__dispatch_ring_unblock_unmarked(&channel->dispatch_ring, BATON_UNBLOCK_PATIENCE_MIN_NS)) {
        baton__signal(&channel->header->dispatch_waiters, &channel->header->dispatch_signal);
    }
    return reaped;
}

int baton_reap(baton_channel *channel)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = reap_entered(channel);
    baton__leave(channel);
    return returned;
}

int baton_attachment_tag(baton_channel *channel)
{
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int tag = (int)channel->attachments.tag;
    baton__leave(channel);
    return tag;
}

/* Takes a FREE entry for this attachment; when none is, reaps the dead and looks once more.
 * BATON_OK or BATON_EUSERS. */
int baton__attachments_join(baton_channel *channel)
{
    baton__attachment_table *table = &channel->attachments;
    table->own_pid = (uint32_t)getpid();
    table->own_pid_namespace = own_pid_namespace();
    char state = 0;
    uint64_t start_time = 0;
    if (read_process(table->own_pid, &state, &start_time) != 1) {
        start_time = 0; /* without /proc no reaper can judge this process, and none reaps it */
    }
    for (int look = 0; look < 2; look++) {
        for (uint32_t index = 0; index < table->capacity; index++) {
            baton_attachment *entry = &table->entries[index];
            uint64_t free = owner_word(0, BATON_ATTACHMENT_FREE);
            /* acquire: pairs with the release that freed the entry. */
            if (!atomic_compare_exchange_strong_explicit(baton__atomic(entry->owner), &free,
                                                         owner_word(table->own_pid, BATON_ATTACHMENT_ACQUIRING),
                                                         memory_order_acquire, memory_order_relaxed)) {
                continue;
            }
            atomic_store_explicit(baton__atomic(entry->start_time), start_time, memory_order_relaxed);
            atomic_store_explicit(baton__atomic(entry->pid_namespace), table->own_pid_namespace,
                                  memory_order_relaxed);
            atomic_store_explicit(baton__atomic(entry->attached_at_ns), baton__now_ns(), memory_order_relaxed);
            atomic_store_explicit(baton__atomic(entry->dispatch_waiting), 0, memory_order_relaxed);
            atomic_store_explicit(baton__atomic(entry->completion_waiting), 0, memory_order_relaxed);
            uint32_t epoch = atomic_load_explicit(baton__atomic(entry->epoch), memory_order_relaxed) + 1;
            atomic_store_explicit(baton__atomic(entry->epoch), epoch, memory_order_relaxed);
            /* release: a reaper that acquires LIVE sees the identity written above. */
            atomic_store_explicit(baton__atomic(entry->owner), owner_word(table->own_pid, BATON_ATTACHMENT_LIVE),
                                  memory_order_release);
            table->own = entry;
            table->tag = tag_of(index, epoch);
            channel->dispatch_ring.claim_mark = BATON_CELL_CLAIMED_BY(table->tag);
            return BATON_OK;
        }
        if (look == 0) {
            reap_entered(channel);
        }
    }
    return BATON_EUSERS;
}

/* At detach, after the attachment's last call: settles its own claims, as a reaper would after its
 * death, unless the channel is closed, and frees its entry. */
void baton__attachments_leave(baton_channel *channel)
{
    baton__attachment_table *table = &channel->attachments;
    if (table->own == NULL) {
        return;
    }
    release_entry(channel, (uint32_t)(table->own - table->entries));
    table->own = NULL;
    channel->dispatch_ring.claim_mark = BATON_CELL_CLAIMED_BY(0);
}

/* Whether the attachment a tag names is gone, detached or reaped, so that no call of it runs any
 * more: its entry is neither LIVE nor ACQUIRING under the tag's epoch. 0 for a tag that names no
 * entry (0: a publisher without an attachment), which only the patience may presume dead. */
int baton__attachment_gone(const baton_channel *channel, uint32_t tag)
{
    uint32_t number = tag & ((UINT32_C(1) << TAG_INDEX_BITS) - 1);
    if (number == 0 || number > channel->attachments.capacity) {
        return 0;
    }
    baton_attachment *entry = &channel->attachments.entries[number - 1];
    /* acquire: pairs with the release of LIVE, so the epoch read after it is the attacher's. */
    uint64_t owner = atomic_load_explicit(baton__atomic(entry->owner), memory_order_acquire);
    uint32_t state = owner_state(owner);
    uint32_t epoch = atomic_load_explicit(baton__atomic(entry->epoch), memory_order_relaxed);
    return !((state == BATON_ATTACHMENT_LIVE || state == BATON_ATTACHMENT_ACQUIRING) &&
             (epoch & TAG_EPOCH_MASK) == tag >> TAG_INDEX_BITS);
}

uint32_t *baton__own_dispatch_waiting(baton_channel *channel)
{
    return &channel->attachments.own->dispatch_waiting;
}

uint32_t *baton__own_completion_waiting(baton_channel *channel)
{
    return &channel->attachments.own->completion_waiting;
}
