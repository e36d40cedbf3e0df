/*
 * Calls in and out of an attachment: which attachments each thread of this process is inside a call
 * on, so that a detach can wait for the calls in progress without a locked instruction on every
 * call. The entry and exit are inline, in baton_internal.h; the Java twin is
 * java/.../ChannelLifecycle.java (ensureOpen, isClosed), which needs no records: Java's shared
 * arenas close by a handshake with every thread, the same trade as below.
 *
 * Each thread that calls libbaton owns a record: the attachments it is inside, innermost last (a
 * drain's callback may call in again). Only its owner writes a record; a detach reads them all.
 * A call stores its attachment into its record and then loads the attachment's detaching flag; a
 * detach stores the flag and then loads every record. Each side's store must be ordered before its
 * load (a Dekker pattern), so that at least one side sees the other: the call sees the detach and
 * leaves, or the detach sees the call and waits for it.
 *
 * The order is kept asymmetrically when the kernel offers membarrier's private expedited command:
 * the call's store is plain, followed by a compiler barrier, and the detach runs membarrier, which
 * makes every running thread of the process execute a full barrier before it returns (a thread that
 * is not running has no store pending). A call then costs no locked instruction, and a detach a
 * system call. Where the command is refused (an old kernel, a seccomp filter), the call's store is
 * sequentially consistent, one locked instruction.
 *
 * Records live as long as the process: a thread's exit frees its record for the next new thread (a
 * thread-specific key's destructor, so libbaton is linked not to be unloaded), and the child of a
 * fork keeps only the forking thread's.
 */
#include <linux/membarrier.h>
#include <pthread.h>
#include <sched.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "baton_internal.h"

static _Atomic(baton__call_record *) records; /* every record ever made, newest first */
static _Atomic uint64_t last_serial;              /* the serial most recently given to a thread */
_Thread_local baton__call_record *baton__own_call_record;
atomic_int baton__asymmetric_fence;
static pthread_key_t exit_key;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static int register_membarrier(void)
{
    long offered = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
    return offered > 0 && (offered & MEMBARRIER_CMD_PRIVATE_EXPEDITED) != 0 &&
           syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0;
}

/* At a thread's exit: its record goes to the next new thread, unless the thread left from inside a
 * call (a callback that ended its thread), whose attachment must then never be freed under it. */
static void release_record(void *value)
{
    baton__call_record *record = value;
    baton__own_call_record = NULL;
    if (record->depth == 0) {
        /* release: the owner's last stores to the record happen before a new owner's. */
        atomic_store_explicit(&record->held, 0, memory_order_release);
    }
}

/* Gives the record's new thread a serial of its own. release: pairs with baton__thread_lives's
 * acquire, so a drain that finds the serial changed sees what the record's last thread wrote. */
static void give_serial(baton__call_record *record)
{
    if (record != NULL) {
        atomic_store_explicit(&record->serial, atomic_fetch_add_explicit(&last_serial, 1, memory_order_relaxed) + 1,
                              memory_order_release);
    }
}

/* In the child of a fork, only the forking thread lives: the other records are free, and the child
 * is a new process for membarrier, which needs its own registration. */
static void keep_forking_thread(void)
{
    for (baton__call_record *record = atomic_load_explicit(&records, memory_order_acquire); record != NULL;
         record = record->next) {
        if (record == baton__own_call_record) {
            continue;
        }
        for (uint32_t level = 0; level < BATON_CALL_NESTING; level++) {
            atomic_store_explicit(&record->inside[level], NULL, memory_order_relaxed);
        }
        record->depth = 0;
        atomic_store_explicit(&record->held, 0, memory_order_release);
    }
    /* The forking thread is a new thread of a new process: a serial it held in the parent may name
     * the owner of slots kept in an attachment the child copied, which are the parent's. */
    give_serial(baton__own_call_record);
    int asymmetric = atomic_load_explicit(&baton__asymmetric_fence, memory_order_relaxed);
    atomic_store_explicit(&baton__asymmetric_fence, asymmetric && register_membarrier(), memory_order_relaxed);
}

static void initialize(void)
{
    pthread_key_create(&exit_key, release_record);
    pthread_atfork(NULL, NULL, keep_forking_thread);
    atomic_store_explicit(&baton__asymmetric_fence, register_membarrier(), memory_order_relaxed);
}

baton__call_record *baton__call_record_adopt(void)
{
    pthread_once(&once, initialize);
    baton__call_record *record = atomic_load_explicit(&records, memory_order_acquire);
    for (; record != NULL; record = record->next) {
        unsigned free_record = 0;
        /* acquire: pairs with release_record's release, so the last owner is done with it. */
        if (atomic_compare_exchange_strong_explicit(&record->held, &free_record, 1, memory_order_acquire,
                                                    memory_order_relaxed)) {
            break;
        }
    }
    if (record == NULL) {
        record = calloc(1, sizeof *record);
        if (record == NULL) {
            return NULL;
        }
        atomic_store_explicit(&record->held, 1, memory_order_relaxed);
        record->next = atomic_load_explicit(&records, memory_order_relaxed);
        /* release: the record's fields are set before a detach can walk to it. */
        while (!atomic_compare_exchange_weak_explicit(&records, &record->next, record, memory_order_release,
                                                      memory_order_relaxed)) {
        }
    }
    give_serial(record);
    pthread_setspecific(exit_key, record);
    baton__own_call_record = record;
    return record;
}

int baton__thread_lives(const baton__call_record *record, uint64_t serial)
{
    /* acquire both: held pairs with release_record's release at the thread's exit, serial with the
     * next thread's give_serial. Either change means the thread of `serial` ended. */
    return atomic_load_explicit(&record->held, memory_order_acquire) != 0 &&
           atomic_load_explicit(&record->serial, memory_order_acquire) == serial;
}

int baton__call_record_holds(const baton_channel *channel)
{
    baton__call_record *record = baton__own_call_record;
    if (record == NULL) {
        return 0;
    }
    for (uint32_t level = 0; level < record->depth; level++) {
        if (atomic_load_explicit(&record->inside[level], memory_order_relaxed) == channel) {
            return 1;
        }
    }
    return 0;
}

/* Whether any thread's record names the attachment, read after the detach's side of the fence. */
static int inside_anywhere(const baton_channel *channel)
{
    for (baton__call_record *record = atomic_load_explicit(&records, memory_order_acquire); record != NULL;
         record = record->next) {
        for (uint32_t level = 0; level < BATON_CALL_NESTING; level++) {
            /* seq_cst: after the detach's store of its flag, in the Dekker pattern without
             * membarrier; and it acquires, pairing with the leave's release, so a finished call's
             * accesses happen before whatever the detach frees next. */
            if (atomic_load_explicit(&record->inside[level], memory_order_seq_cst) == channel) {
                return 1;
            }
        }
    }
    return 0;
}

void baton__call_records_wait_out(const baton_channel *channel)
{
    if (atomic_load_explicit(&baton__asymmetric_fence, memory_order_relaxed)) {
        /* Every running thread executes a full barrier: a call whose store was still in its core's
         * store buffer is now visible below, and a call that enters from now on sees the flag. The
         * command cannot fail once the process has registered for it. */
        syscall(__NR_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0);
    }
    while (inside_anywhere(channel)) {
        sched_yield();
    }
}
