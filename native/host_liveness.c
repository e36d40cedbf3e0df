/*
 * The host named in the header (host_tag, drawn in baton.h): the channel's first attachment names
 * itself; handlers' waits watch it, so that a dead host ends their waits instead of leaving them
 * asleep for ever; and a later attachment adopts the channel once the host is gone. Judging a
 * process takes /proc (attachment_table.c), so nothing here runs per event: only a wait's quiet
 * sleep looks, at most every BATON_HOST_WATCH_NS per attachment. Java reaches it through libbaton
 * (java/.../NativeAttachment.java).
 */
#include <sched.h>

#include "baton_internal.h"

static uint32_t *host_tag(baton_channel *channel)
{
    return &channel->header->host_tag;
}

/* At attach: names this attachment the host when no host is named yet, so the attachment that
 * formatted the channel (the first) is its host. */
void baton__host_name_first(baton_channel *channel)
{
    uint32_t none = 0;
    /* acq_rel CAS: releases the attacher's entry (LIVE, its identity) to the waits that acquire the
     * tag; fails, with nothing written, once a host is named. */
    atomic_compare_exchange_strong_explicit(baton__atomic(*host_tag(channel)), &none, channel->attachments.tag,
                                            memory_order_acq_rel, memory_order_relaxed);
}

/* The watch of a handler's wait (wait.c): BATON_EHOSTDOWN once the host named is gone or its process
 * dead, else BATON_OK. Looks at most every BATON_HOST_WATCH_NS per attachment. */
int baton__host_watch(baton_channel *channel)
{
    if (!baton__due(&channel->host_watch_due_ns, BATON_HOST_WATCH_NS)) {
        return BATON_OK;
    }
    /* acquire: pairs with the CAS that named the host, so its entry is read as that host left it. */
    uint32_t host = atomic_load_explicit(baton__atomic(*host_tag(channel)), memory_order_acquire);
    if (host == 0 || host == channel->attachments.tag) {
        return BATON_OK; /* no host named (a channel formatted and never attached), or this is it */
    }
    return baton__attachment_lost(channel, host) ? BATON_EHOSTDOWN : BATON_OK;
}

/* Reaps until the old host's entry is no longer being settled by another reaper: the free-list audit
 * below must not race a reaper's frees. A reaper that died meanwhile is reaped in turn. */
static void settle_old_host(baton_channel *channel, uint32_t host)
{
    baton__reap_entered(channel);
    while (host != 0 && baton__attachment_reaping(channel, host)) {
        sched_yield();
        baton__reap_entered(channel);
    }
}

static int adopt_entered(baton_channel *channel)
{
    const uint32_t own = channel->attachments.tag;
    /* acquire: pairs with the CAS that named the host, as in baton__host_watch. */
    uint32_t host = atomic_load_explicit(baton__atomic(*host_tag(channel)), memory_order_acquire);
    for (;;) {
        if (host == own) {
            return BATON_OK;
        }
        if (host != 0 && !baton__attachment_lost(channel, host)) {
            return baton__refuse(BATON_EISCONN, "its host, process %u, is alive, so it cannot be adopted",
                                 baton__attachment_pid(channel, host));
        }
        settle_old_host(channel, host);
        /* seq_cst CAS: of two adopters one wins; the loser finds the winner alive. */
        if (atomic_compare_exchange_strong_explicit(baton__atomic(*host_tag(channel)), &host, own,
                                                    memory_order_seq_cst, memory_order_acquire)) {
            break;
        }
    }
    /* The old host's dispatches died between popping a slot and publishing it, if at all: the slot is
     * FREE and on no list. Only a host pops, so none is popped while this runs. */
    baton__slab_recover_free(&channel->slab);
    /* The old host's cached time stopped with it: dispatches read the clock until this host drains. */
    baton__clear_clock(channel->header, &channel->host_drain.cached_clock_ns);
    channel->removes_file = channel->file_path != NULL;
    return BATON_OK;
}

int baton_adopt(baton_channel *channel)
{
    baton__detail_clear();
    int entered = baton__enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int returned = adopt_entered(channel);
    if (returned != BATON_OK) {
        baton__detail_name(channel->file_path);
    }
    baton__leave(channel);
    return returned;
}
