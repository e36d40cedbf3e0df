/*
 * The attachment table (drawn in baton.h): one entry per attachment, naming its process, so that
 * the survivors of a process that died can tell, and take its entry to settle what it left
 * (reaper.c). Judging whether a process lives takes /proc, which is libbaton's alone: Java reaches
 * this file through libbaton, as it does the futex waits (java/.../NativeAttachment.java), and
 * refuses a channel shared with other processes without it.
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


/* Records this process's identity in the table, for the entries it takes and the deaths it judges. */
void baton__attachments_identify(baton__attachment_table *table)
{
    table->own_pid = (uint32_t)getpid();
    table->own_pid_namespace = own_pid_namespace();
    char state = 0;
    table->own_start_time = 0;
    if (read_process(table->own_pid, &state, &table->own_start_time) != 1) {
        table->own_start_time = 0; /* without /proc no reaper can judge this process, and none reaps it */
    }
}

static int is_attachment_state(uint32_t state)
{
    return state == BATON_ATTACHMENT_FREE || state == BATON_ATTACHMENT_ACQUIRING || state == BATON_ATTACHMENT_LIVE ||
           state == BATON_ATTACHMENT_REAPING;
}

/* BATON_EUSERS, saying what the entries of a table without a FREE one hold: words another process
 * scribbled (no attachment state) are told apart from processes that live. Relaxed loads: a count
 * for a message. */
static int refuse_full(const baton__attachment_table *table)
{
    uint32_t scribbled = 0;
    for (uint32_t index = 0; index < table->capacity; index++) {
        uint64_t owner = atomic_load_explicit(baton__atomic(table->entries[index].owner), memory_order_relaxed);
        scribbled += !is_attachment_state(owner_state(owner));
    }
    return baton__refuse(BATON_EUSERS,
                         "its attachment table has no free entry: %u of its %u entries name processes that live or "
                         "cannot be judged, %u hold no attachment state",
                         table->capacity - scribbled, table->capacity, scribbled);
}

/* Takes a FREE entry for this process: BATON_OK with table->own and table->tag set, or BATON_EUSERS. */
int baton__attachments_take(baton__attachment_table *table)
{
    for (uint32_t index = 0; index < table->capacity; index++) {
        baton_attachment *entry = &table->entries[index];
        uint64_t free = owner_word(0, BATON_ATTACHMENT_FREE);
        /* acquire: pairs with the release that freed the entry. */
        if (!atomic_compare_exchange_strong_explicit(baton__atomic(entry->owner), &free,
                                                     owner_word(table->own_pid, BATON_ATTACHMENT_ACQUIRING),
                                                     memory_order_acquire, memory_order_relaxed)) {
            continue;
        }
        atomic_store_explicit(baton__atomic(entry->start_time), table->own_start_time, memory_order_relaxed);
        atomic_store_explicit(baton__atomic(entry->pid_namespace), table->own_pid_namespace, memory_order_relaxed);
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
        return BATON_OK;
    }
    return refuse_full(table);
}

/* Takes entry `index` to settle what it left when its process is dead: 1 when this caller now holds
 * it (REAPING under its own pid), 0 when the entry is free, alive, unreadable, or another took it. */
int baton__attachments_take_dead(baton__attachment_table *table, uint32_t index)
{
    baton_attachment *entry = &table->entries[index];
    /* acquire: pairs with the attacher's release of LIVE, so its identity fields are visible. */
    uint64_t owner = atomic_load_explicit(baton__atomic(entry->owner), memory_order_acquire);
    uint32_t state = owner_state(owner);
    if ((state != BATON_ATTACHMENT_ACQUIRING && state != BATON_ATTACHMENT_LIVE &&
         state != BATON_ATTACHMENT_REAPING) ||
        !is_dead(table, entry, owner_pid(owner), state == BATON_ATTACHMENT_LIVE)) {
        return 0; /* free, alive, being reaped by a live process, or unreadable */
    }
    /* seq_cst CAS: one reaper takes the entry; one that dies holding it is taken over in turn. */
    return atomic_compare_exchange_strong_explicit(baton__atomic(entry->owner), &owner,
                                                   owner_word(table->own_pid, BATON_ATTACHMENT_REAPING),
                                                   memory_order_seq_cst, memory_order_relaxed);
}

/* The tag of entry `index` under its current epoch: what its claims carry. */
uint32_t baton__attachments_tag_of(const baton__attachment_table *table, uint32_t index)
{
    return tag_of(index, atomic_load_explicit(baton__atomic(table->entries[index].epoch), memory_order_relaxed));
}

/* Frees entry `index`, which the caller holds. release: what the caller settled happens before an
 * attacher that acquires the FREE entry. */
void baton__attachments_free(baton__attachment_table *table, uint32_t index)
{
    atomic_store_explicit(baton__atomic(table->entries[index].owner), owner_word(0, BATON_ATTACHMENT_FREE),
                          memory_order_release);
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

/* The entry a tag names, or NULL for a tag that names none. */
static baton_attachment *entry_of(const baton_channel *channel, uint32_t tag)
{
    uint32_t number = tag & ((UINT32_C(1) << TAG_INDEX_BITS) - 1);
    return number == 0 || number > channel->attachments.capacity ? NULL : &channel->attachments.entries[number - 1];
}

/* Whether the entry is under the tag's epoch in a state it holds something in: LIVE or ACQUIRING,
 * or also REAPING (a reaper settling what it left) when counting reaping. */
static int entry_holds(const baton_attachment *entry, uint32_t tag, int counting_reaping)
{
    /* acquire: pairs with the release of LIVE, so the epoch read after it is the attacher's. */
    uint32_t state = owner_state(atomic_load_explicit(baton__atomic(entry->owner), memory_order_acquire));
    uint32_t epoch = atomic_load_explicit(baton__atomic(entry->epoch), memory_order_relaxed);
    return (state == BATON_ATTACHMENT_LIVE || state == BATON_ATTACHMENT_ACQUIRING ||
            (counting_reaping && state == BATON_ATTACHMENT_REAPING)) &&
           (epoch & TAG_EPOCH_MASK) == tag >> TAG_INDEX_BITS;
}

/* Whether the attachment a tag names is gone, detached or reaped, so that no call of it runs any
 * more: its entry is neither LIVE nor ACQUIRING under the tag's epoch. 0 for a tag that names no
 * entry (0: a publisher without an attachment), which only the patience may presume dead. */
int baton__attachment_gone(const baton_channel *channel, uint32_t tag)
{
    const baton_attachment *entry = entry_of(channel, tag);
    return entry != NULL && !entry_holds(entry, tag, 0);
}

/* Whether no attachment holds anything under a tag, or is having it settled: the tag names no entry,
 * or its entry is neither LIVE, ACQUIRING nor REAPING under the tag's epoch (the attachment detached,
 * or was reaped, and what it held was settled then). */
int baton__attachment_released(const baton_channel *channel, uint32_t tag)
{
    const baton_attachment *entry = entry_of(channel, tag);
    return entry == NULL || !entry_holds(entry, tag, 1);
}

/* Whether the attachment a tag names is gone, or still LIVE (or ACQUIRING) under the tag's epoch with
 * its process dead: no call of it runs any more. Reads /proc: not for a per-event path. */
int baton__attachment_lost(const baton_channel *channel, uint32_t tag)
{
    baton_attachment *entry = entry_of(channel, tag);
    if (entry == NULL) {
        return 0;
    }
    if (baton__attachment_gone(channel, tag)) {
        return 1;
    }
    /* acquire: pairs with the release of LIVE, so the identity read by is_dead is the attacher's. */
    uint64_t owner = atomic_load_explicit(baton__atomic(entry->owner), memory_order_acquire);
    return is_dead(&channel->attachments, entry, owner_pid(owner), owner_state(owner) == BATON_ATTACHMENT_LIVE);
}

/* The process the entry a tag names belongs to, or 0 for a tag that names none: for messages. */
uint32_t baton__attachment_pid(const baton_channel *channel, uint32_t tag)
{
    baton_attachment *entry = entry_of(channel, tag);
    return entry == NULL ? 0 : owner_pid(atomic_load_explicit(baton__atomic(entry->owner), memory_order_relaxed));
}

/* Whether a reaper holds the entry a tag names, settling what its attachment left. */
int baton__attachment_reaping(const baton_channel *channel, uint32_t tag)
{
    baton_attachment *entry = entry_of(channel, tag);
    if (entry == NULL) {
        return 0;
    }
    /* acquire: pairs with the reaper's CAS to REAPING and its release of FREE. */
    uint64_t owner = atomic_load_explicit(baton__atomic(entry->owner), memory_order_acquire);
    uint32_t epoch = atomic_load_explicit(baton__atomic(entry->epoch), memory_order_relaxed);
    return owner_state(owner) == BATON_ATTACHMENT_REAPING && (epoch & TAG_EPOCH_MASK) == tag >> TAG_INDEX_BITS;
}

uint32_t *baton__own_dispatch_waiting(baton_channel *channel)
{
    return &channel->attachments.own->dispatch_waiting;
}

uint32_t *baton__own_completion_waiting(baton_channel *channel)
{
    return &channel->attachments.own->completion_waiting;
}
