/*
 * Calls in and out of an attachment, so that baton_detach waits for the calls in progress and
 * refuses new ones, and whether the channel is closed. Every API entry point starts here. The Java
 * twin is java/.../ChannelLifecycle.java (ensureOpen, isClosed).
 */
#include "baton_internal.h"

int baton__is_closed(const baton_channel *channel)
{
    /* acquire: pairs with the close's store, so a closed channel is never acted on after it. */
    return atomic_load_explicit(baton__atomic(channel->header->channel_state), memory_order_acquire) !=
           BATON_CHANNEL_OPEN;
}

/* Counts a call in on the attachment, so that baton_detach waits for it: BATON_OK (then the caller
 * must baton__leave), BATON_EFAULT, or BATON_ESHUTDOWN once the attachment is being detached. */
int baton__enter_any(baton_channel *channel)
{
    if (channel == NULL) {
        return BATON_EFAULT;
    }
    /* seq_cst, paired with detach's store of detaching then load of calls (a Dekker pattern): either
     * detach sees this call counted, or this call sees the detach. */
    atomic_fetch_add_explicit(baton__atomic(channel->calls), 1, memory_order_seq_cst);
    if (atomic_load_explicit(baton__atomic(channel->detaching), memory_order_seq_cst) != 0) {
        baton__leave(channel);
        return BATON_ESHUTDOWN;
    }
    return BATON_OK;
}

/* As baton__enter_any, for the operations a closed channel refuses (Java: ensureOpen). */
int baton__enter(baton_channel *channel)
{
    int entered = baton__enter_any(channel);
    if (entered == BATON_OK && baton__is_closed(channel)) {
        baton__leave(channel);
        return BATON_ESHUTDOWN;
    }
    return entered;
}

/* Counts a call out. release: the call's accesses happen before a detach sees the count drop. */
void baton__leave(baton_channel *channel)
{
    atomic_fetch_sub_explicit(baton__atomic(channel->calls), 1, memory_order_release);
}
