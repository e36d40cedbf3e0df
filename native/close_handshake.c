/*
 * Attaching, detaching and closing: the handshake that keeps a channel's memory alive under every
 * user. The Java twin is java/.../CloseHandshake.java (the closer's half).
 *
 * An attacher raises attached_count, then reads channel_state; the closer stores CLOSED, then reads
 * attached_count. Both sides store then load with sequential consistency (a Dekker pattern), so at
 * least one sees the other: an attacher either finds the channel closed or is counted. An attacher
 * then takes an entry of the attachment table (attachment_table.c), and a detacher settles its own
 * claims and frees its entry there.
 */
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "baton_internal.h"

/* After baton_close: the attachment that created the channel's file, or adopted it, removes it;
 * attached processes keep their mappings. */
static void remove_own_file(baton_channel *channel)
{
    if (channel->removes_file) {
        unlink(channel->file_path);
    }
}

/* At baton_detach, after the attachment's last access: unmaps what this attachment mapped
 * (baton_create, baton_open) and frees what it held. */
static void release_mapping(baton_channel *channel)
{
    if (channel->mapped) {
        munmap(channel->memory, (size_t)channel->length);
    }
    free(channel->file_path);
}

int baton_attach(void *memory, uint64_t length, baton_channel **out)
{
    baton__detail_clear();
    if (memory == NULL || out == NULL) {
        return BATON_EFAULT;
    }
    *out = NULL;
    int checked = baton__check_header_room(length);
    if (checked != BATON_OK) {
        return checked;
    }
    if ((uintptr_t)memory % BATON_SEGMENT_ALIGNMENT != 0) {
        return baton__refuse(BATON_EINVAL, "the memory at 0x%llx is not aligned to %u bytes",
                             (unsigned long long)(uintptr_t)memory, BATON_SEGMENT_ALIGNMENT);
    }
    baton_config config;
    checked = baton__channel_read_config(memory, length, &config);
    if (checked != BATON_OK) {
        return checked;
    }
    baton_channel *channel = malloc(sizeof *channel);
    if (channel == NULL) {
        return BATON_ENOMEM;
    }
    baton__channel_bind(channel, memory, length, &config);
    /* seq_cst: the count is raised before the closed check, so a closer that waits for the count
     * to reach 0 cannot miss this attachment. */
    atomic_fetch_add_explicit(baton__atomic(channel->header->attached_count), 1, memory_order_seq_cst);
    int joined = baton__is_closed(channel) ? BATON_ESHUTDOWN : baton__attachments_join(channel);
    if (joined != BATON_OK) {
        atomic_fetch_sub_explicit(baton__atomic(channel->header->attached_count), 1, memory_order_seq_cst);
        free(channel);
        return joined;
    }
    baton__host_name_first(channel);
    *out = channel;
    return BATON_OK;
}

int baton_detach(baton_channel *channel)
{
    if (channel == NULL) {
        return BATON_EFAULT;
    }
    if (baton__call_record_holds(channel)) {
        return BATON_EBUSY; /* from inside a call on this attachment (a drain's callback): it would wait for itself */
    }
    /* seq_cst, paired with baton__enter_any (a Dekker pattern, calls.c): a call either sees
     * the detach and leaves at once, or is recorded and waited for below. */
    if (atomic_exchange_explicit(baton__atomic(channel->detaching), 1, memory_order_seq_cst) != 0) {
        return BATON_EBUSY; /* another thread is detaching it */
    }
    /* Wake the calls parked on the futex words; they see detaching and return BATON_ESHUTDOWN. Other
     * attachments' sleepers wake too, find nothing changed and sleep again. */
    baton__signal_all(&channel->header->dispatch_signal);
    baton__signal_all(&channel->header->completion_signal);
    /* The calls' accesses happen before the free: calls.c pairs each leave with this wait. */
    baton__call_records_wait_out(channel);
    baton__host_drain_return_kept(channel); /* no call is inside: the slots kept are no one's but ours */
    baton__attachments_leave(channel);
    /* release: every access of this attachment happens before the closer sees the count drop. */
    atomic_fetch_sub_explicit(baton__atomic(channel->header->attached_count), 1, memory_order_release);
    release_mapping(channel);
    baton__outcome_audit_free(&channel->outcome_audit);
    free(channel);
    return BATON_OK;
}

int baton_memory(baton_channel *channel, void **memory, uint64_t *length)
{
    if (memory == NULL || length == NULL) {
        return BATON_EFAULT;
    }
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    *memory = channel->memory;
    *length = channel->length;
    baton__leave(channel);
    return BATON_OK;
}

int baton_close(baton_channel *channel)
{
    int entered = baton__enter_any(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    uint32_t open = BATON_CHANNEL_OPEN;
    /* seq_cst: ordered before any later read of attached_count, as in the Dekker pattern above. */
    if (!atomic_compare_exchange_strong_explicit(baton__atomic(channel->header->channel_state), &open,
                                                 BATON_CHANNEL_CLOSED, memory_order_seq_cst,
                                                 memory_order_relaxed)) {
        baton__leave(channel);
        return BATON_ESHUTDOWN;
    }
    baton__signal_all(&channel->header->dispatch_signal);
    baton__signal_all(&channel->header->completion_signal);
    remove_own_file(channel);
    baton__leave(channel);
    return BATON_OK;
}
