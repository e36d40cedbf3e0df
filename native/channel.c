/*
 * A channel: format, attach, and the dispatch, poll, complete, drain, expire,
 * cancel and metrics operations over the slab and the two rings. The Java twin
 * is java/.../DispatchChannel.java; the operations are in the same order and
 * make the same transitions with the same orderings.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "baton_internal.h"

int64_t baton__now_ns(void)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now); /* the clock System.nanoTime reads on Linux */
    return (int64_t)now.tv_sec * 1000000000 + now.tv_nsec;
}

int baton__is_closed(const baton_channel *channel)
{
    /* acquire: pairs with the close's store, so a closed channel is never acted on after it. */
    return atomic_load_explicit(baton__atomic(channel->header->channel_state), memory_order_acquire) !=
           BATON_CHANNEL_OPEN;
}

/* Payload bytes are copied as relaxed atomic words: a handler of the slot's previous event may
 * still read them (see baton_read_payload), and atomic accesses do not race. The payload starts
 * 8-byte aligned (BATON_SLOT_HEADER_LENGTH is a multiple of 8). */
static void copy_into_slot(uint8_t *destination, const uint8_t *source, uint32_t length)
{
    uint32_t i = 0;
    for (; i + 8 <= length; i += 8) {
        uint64_t word;
        memcpy(&word, source + i, 8);
        atomic_store_explicit((_Atomic uint64_t *)(void *)(destination + i), word, memory_order_relaxed);
    }
    for (; i < length; i++) {
        atomic_store_explicit((_Atomic uint8_t *)(destination + i), source[i], memory_order_relaxed);
    }
}

static void copy_out_of_slot(uint8_t *destination, const uint8_t *source, uint32_t length)
{
    uint32_t i = 0;
    for (; i + 8 <= length; i += 8) {
        uint64_t word = atomic_load_explicit((_Atomic uint64_t *)(void *)(source + i), memory_order_relaxed);
        memcpy(destination + i, &word, 8);
    }
    for (; i < length; i++) {
        destination[i] = atomic_load_explicit((_Atomic uint8_t *)(source + i), memory_order_relaxed);
    }
}

/* The checks every operation on an attachment starts with (Java: ensureOpen). */
static int enter(const baton_channel *channel)
{
    if (channel == NULL) {
        return BATON_EFAULT;
    }
    return baton__is_closed(channel) ? BATON_ESHUTDOWN : BATON_OK;
}

static void bind(baton_channel *channel, uint8_t *memory, uint64_t length, const baton_config *config)
{
    channel->memory = memory;
    channel->length = length;
    channel->header = (baton_header *)memory;
    channel->dispatch_ring = (baton_dispatch_ring *)(memory + BATON_HEADER_LENGTH);
    channel->dispatch_ring_capacity = config->dispatch_ring_capacity;
    channel->slab = memory + baton__slab_offset(config);
    channel->slab_capacity = config->slab_capacity;
    channel->slot_size = config->slot_size;
    channel->payload_capacity = config->slot_size - BATON_SLOT_HEADER_LENGTH;
    channel->completion_records = memory + baton__completion_ring_offset(config);
    channel->completion_ring_capacity = config->completion_ring_capacity;
    channel->completion_trailer =
        (baton_completion_trailer *)(channel->completion_records + config->completion_ring_capacity);
    channel->max_body_length = config->completion_ring_capacity / 8;
    channel->latency_ring = (baton_latency_ring *)(memory + baton__latency_ring_offset(config));
    channel->latency_ring_capacity = config->latency_ring_capacity;
    channel->completion_timeout_ns = config->completion_timeout_ns;
    channel->starvation_threshold_ns = config->starvation_threshold_ns;
    channel->blocked_head = -1;
    channel->blocked_since_ns = 0;
}

int baton_format(void *memory, uint64_t length, const baton_config *config)
{
    if (memory == NULL || config == NULL) {
        return BATON_EFAULT;
    }
    uint64_t needed = baton_segment_length(config);
    if (needed == 0 || length < needed || (uintptr_t)memory % BATON_SEGMENT_ALIGNMENT != 0) {
        return BATON_EINVAL;
    }
    baton_channel channel;
    bind(&channel, memory, length, config);
    baton_header *header = channel.header;
    memset(header, 0, BATON_HEADER_LENGTH);
    header->abi_version = BATON_ABI_VERSION;
    header->header_length = BATON_HEADER_LENGTH;
    header->slab_capacity = config->slab_capacity;
    header->slot_size = config->slot_size;
    header->dispatch_ring_capacity = config->dispatch_ring_capacity;
    header->completion_ring_capacity = config->completion_ring_capacity;
    header->slab_offset = baton__slab_offset(config);
    header->dispatch_ring_offset = BATON_HEADER_LENGTH;
    header->completion_ring_offset = baton__completion_ring_offset(config);
    header->latency_ring_offset = baton__latency_ring_offset(config);
    header->latency_ring_capacity = config->latency_ring_capacity;
    header->segment_length = needed;
    header->created_at_ns = baton__now_ns();
    header->completion_timeout_ns = config->completion_timeout_ns;
    header->starvation_threshold_ns = config->starvation_threshold_ns;
    header->channel_state = BATON_CHANNEL_OPEN;
    baton__slab_format(&channel);
    baton__dispatch_ring_format(&channel);
    baton__completion_ring_format(&channel);
    baton__latency_ring_format(&channel);
    /* release: an attacher acquires the magic, so everything above is visible once it is. */
    atomic_store_explicit(baton__atomic(header->magic), BATON_MAGIC, memory_order_release);
    return BATON_OK;
}

int baton_attach(void *memory, uint64_t length, baton_channel **out)
{
    if (memory == NULL || out == NULL) {
        return BATON_EFAULT;
    }
    *out = NULL;
    if (length < BATON_HEADER_LENGTH || (uintptr_t)memory % BATON_SEGMENT_ALIGNMENT != 0) {
        return BATON_EINVAL;
    }
    baton_header *header = memory;
    /* acquire: pairs with the release of the magic in format. */
    if (atomic_load_explicit(baton__atomic(header->magic), memory_order_acquire) != BATON_MAGIC) {
        return BATON_EBADMSG;
    }
    if ((header->abi_version >> 16) != BATON_ABI_MAJOR) {
        return BATON_EPROTONOSUPPORT;
    }
    const baton_config config = {
        .slab_capacity = header->slab_capacity,
        .slot_size = header->slot_size,
        .dispatch_ring_capacity = header->dispatch_ring_capacity,
        .completion_ring_capacity = header->completion_ring_capacity,
        .latency_ring_capacity = header->latency_ring_capacity,
        .completion_timeout_ns = header->completion_timeout_ns,
        .starvation_threshold_ns = header->starvation_threshold_ns,
    };
    /* Every size and offset the header claims must follow from the sizes and fit in length. */
    uint64_t needed = baton_segment_length(&config);
    if (needed == 0 || needed > length || header->segment_length != needed ||
        header->header_length != BATON_HEADER_LENGTH || header->dispatch_ring_offset != BATON_HEADER_LENGTH ||
        header->slab_offset != baton__slab_offset(&config) ||
        header->completion_ring_offset != baton__completion_ring_offset(&config) ||
        header->latency_ring_offset != baton__latency_ring_offset(&config)) {
        return BATON_EINVAL;
    }
    baton_channel *channel = malloc(sizeof *channel);
    if (channel == NULL) {
        return BATON_EINVAL;
    }
    bind(channel, memory, length, &config);
    /* seq_cst: the count is raised before the closed check, so a closer that waits for the count
     * to reach 0 cannot miss this attachment. */
    atomic_fetch_add_explicit(baton__atomic(header->attached_count), 1, memory_order_seq_cst);
    if (baton__is_closed(channel)) {
        atomic_fetch_sub_explicit(baton__atomic(header->attached_count), 1, memory_order_seq_cst);
        free(channel);
        return BATON_ESHUTDOWN;
    }
    *out = channel;
    return BATON_OK;
}

int baton_detach(baton_channel *channel)
{
    if (channel == NULL) {
        return BATON_EFAULT;
    }
    /* release: every access of this attachment happens before the closer sees the count drop. */
    atomic_fetch_sub_explicit(baton__atomic(channel->header->attached_count), 1, memory_order_release);
    free(channel);
    return BATON_OK;
}

int baton_close(baton_channel *channel)
{
    if (channel == NULL) {
        return BATON_EFAULT;
    }
    uint32_t open = BATON_CHANNEL_OPEN;
    if (!atomic_compare_exchange_strong_explicit(baton__atomic(channel->header->channel_state), &open,
                                                 BATON_CHANNEL_CLOSED, memory_order_seq_cst,
                                                 memory_order_relaxed)) {
        return BATON_ESHUTDOWN;
    }
    baton__signal_all(&channel->header->dispatch_signal);
    baton__signal_all(&channel->header->completion_signal);
    return BATON_OK;
}

int64_t baton_dispatch(baton_channel *channel, uint64_t event_id_hi, uint64_t event_id_lo,
                       uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind, const void *payload,
                       uint32_t payload_length)
{
    int entered = enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    if (payload == NULL && payload_length != 0) {
        return BATON_EFAULT;
    }
    if (payload_length > channel->payload_capacity) {
        return BATON_EMSGSIZE;
    }
    int64_t index = baton__slab_acquire(channel);
    if (index < 0) {
        return BATON_EAGAIN;
    }
    /* relaxed stores: the slot is ours from the pop until publish releases it; relaxed rather
     * than plain because a handler of the slot's previous event may still read it. */
    baton_slot *slot = baton__slot(channel, (uint32_t)index);
    int64_t now = baton__now_ns();
    atomic_store_explicit(baton__atomic(slot->kind), kind, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->event_id_hi), event_id_hi, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->event_id_lo), event_id_lo, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->correlation_id_hi), correlation_id_hi, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->correlation_id_lo), correlation_id_lo, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->dispatched_at_ns), now, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->claimed_at_ns), 0, memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->deadline_ns), now + channel->completion_timeout_ns,
                          memory_order_relaxed);
    atomic_store_explicit(baton__atomic(slot->payload_length), payload_length, memory_order_relaxed);
    copy_into_slot(slot->payload, payload, payload_length);

    /* Claim the ring cell before publishing the slot: if the ring is full the slot is still FREE
     * and goes straight back, unseen by expiry, cancel or the metrics scan. */
    int64_t position = baton__dispatch_ring_claim(channel);
    if (position < 0) {
        baton__slab_release(channel, (uint32_t)index);
        return BATON_ENOSPC;
    }
    uint64_t handle = baton__slab_publish(channel, (uint32_t)index);
    /* A claimed cell is always committed, or it blocks the ring; NONE is skipped by pollers. */
    baton__dispatch_ring_commit(channel, position, handle);
    baton__signal(&channel->header->dispatch_waiters, &channel->header->dispatch_signal);
    return handle == BATON_HANDLE_NONE ? BATON_EPROTO : (int64_t)handle;
}

static void fill_event(baton_channel *channel, uint64_t handle, baton_event *event)
{
    baton_slot *slot = baton__slot(channel, baton__handle_index(handle));
    event->handle = handle;
    event->kind = atomic_load_explicit(baton__atomic(slot->kind), memory_order_relaxed);
    uint32_t length = atomic_load_explicit(baton__atomic(slot->payload_length), memory_order_relaxed);
    event->payload_length = length <= channel->payload_capacity ? length : channel->payload_capacity;
    event->event_id_hi = atomic_load_explicit(baton__atomic(slot->event_id_hi), memory_order_relaxed);
    event->event_id_lo = atomic_load_explicit(baton__atomic(slot->event_id_lo), memory_order_relaxed);
    event->correlation_id_hi = atomic_load_explicit(baton__atomic(slot->correlation_id_hi), memory_order_relaxed);
    event->correlation_id_lo = atomic_load_explicit(baton__atomic(slot->correlation_id_lo), memory_order_relaxed);
    event->dispatched_at_ns = atomic_load_explicit(baton__atomic(slot->dispatched_at_ns), memory_order_relaxed);
    event->deadline_ns = atomic_load_explicit(baton__atomic(slot->deadline_ns), memory_order_relaxed);
    event->payload = slot->payload;
}

int baton_poll(baton_channel *channel, baton_event *event)
{
    int entered = enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    if (event == NULL) {
        return BATON_EFAULT;
    }
    for (;;) {
        uint64_t handle = baton__dispatch_ring_poll(channel);
        if (handle == BATON_HANDLE_NONE) {
            return 0;
        }
        /* A stale entry (its event timed out or was cancelled while waiting) fails the CAS: skip it. */
        if (baton__slab_in_range(channel, handle) &&
            baton__slab_transition(channel, handle, BATON_SLOT_DISPATCHED, BATON_SLOT_CLAIMED)) {
            baton_slot *slot = baton__slot(channel, baton__handle_index(handle));
            /* relaxed: read racily by the metrics scan; ours while CLAIMED. */
            atomic_store_explicit(baton__atomic(slot->claimed_at_ns), baton__now_ns(), memory_order_relaxed);
            fill_event(channel, handle, event);
            return 1;
        }
    }
}

int baton_read_payload(baton_channel *channel, const baton_event *event, void *destination, uint32_t capacity)
{
    int entered = enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    if (event == NULL || (destination == NULL && capacity != 0)) {
        return BATON_EFAULT;
    }
    if (!baton__slab_in_range(channel, event->handle)) {
        return BATON_ENOENT;
    }
    baton_slot *slot = baton__slot(channel, baton__handle_index(event->handle));
    uint32_t length = event->payload_length <= channel->payload_capacity ? event->payload_length : 0;
    if (length > capacity) {
        return BATON_EMSGSIZE;
    }
    copy_out_of_slot(destination, slot->payload, length);
    /* A seqlock read: the copy counts only if the slot is still this handler's event. */
    atomic_thread_fence(memory_order_acquire);
    uint64_t word = atomic_load_explicit(baton__atomic(slot->state), memory_order_relaxed);
    uint32_t state = baton__state(word);
    if (baton__generation(word) != baton__generation(event->handle) ||
        (state != BATON_SLOT_CLAIMED && state != BATON_SLOT_COMPLETED)) {
        return baton__slab_rejection_of(event->handle, word, BATON_SLOT_CLAIMED);
    }
    return (int)length;
}

static int dispatch_ready(baton_channel *channel)
{
    return baton__dispatch_ring_has_ready(channel);
}

int baton_poll_wait(baton_channel *channel, baton_event *event, int64_t timeout_ns)
{
    for (;;) {
        int polled = baton_poll(channel, event);
        if (polled != 0) {
            return polled;
        }
        int waited = baton__wait(channel, &channel->header->dispatch_waiters, &channel->header->dispatch_signal,
                                  dispatch_ready, timeout_ns);
        if (waited <= 0) {
            return waited;
        }
        /* ready, but another handler may take it first: poll again (the timeout restarts, which
         * only lengthens the wait of a handler that keeps losing races) */
    }
}

int baton_drain(baton_channel *channel, baton_event *events, uint32_t max)
{
    if (channel == NULL || (events == NULL && max != 0)) {
        return BATON_EFAULT;
    }
    uint32_t claimed = 0;
    while (claimed < max) {
        int polled = baton_poll(channel, &events[claimed]);
        if (polled < 0) {
            return claimed == 0 ? polled : (int)claimed;
        }
        if (polled == 0) {
            break;
        }
        claimed++;
    }
    return (int)claimed;
}

/* Publishes an event's outcome exactly once: claims a completion record, moves the slot from `from`
 * to `to` by CAS, and commits the record only if this call made the move (aborts it to padding
 * otherwise). So a COMPLETED or TIMED_OUT slot always has exactly one committed record, and of a
 * completion and a timeout racing for one event exactly one wins. The Java twin is
 * OutcomePublisher.java. BATON_OK, BATON_ENOBUFS (nothing changed), or why the slot could not move. */
/* The slot state a record of this type reports. */
static uint32_t end_state_of(int32_t type)
{
    return type == BATON_RECORD_TIMED_OUT ? BATON_SLOT_TIMED_OUT : BATON_SLOT_COMPLETED;
}

/* Whether the handle's slot is in the end state this type of record reports, so the record is the
 * one that reports its event: the drain delivers only such records, and unblock commits only such.
 * The twin of Java's OutcomePublisher.reportsOutcome. */
static int reports_outcome(baton_channel *channel, uint64_t handle, int32_t type)
{
    return baton__slab_in_range(channel, handle) &&
           baton__slab_load_state(channel, baton__handle_index(handle)) ==
               baton__state_word(baton__generation(handle), end_state_of(type));
}

static int publish_outcome(baton_channel *channel, uint64_t handle, uint32_t from, uint32_t to, int32_t status,
                           const void *result, uint32_t result_length)
{
    int32_t type = to == BATON_SLOT_TIMED_OUT ? BATON_RECORD_TIMED_OUT : BATON_RECORD_COMPLETED;
    /* Claim the record, write it, then move the state, then commit: a lost race leaves only
     * padding, and a publisher that dies after the move leaves a record unblock can commit. */
    uint8_t *body = baton__completion_ring_claim(channel, type, BATON_COMPLETION_BODY_LENGTH + result_length);
    if (body == NULL) {
        return BATON_ENOBUFS;
    }
    /* plain: the claimed record is ours; the seq_cst CAS below publishes the body to an unblocking
     * host that acquires the state, and the commit publishes it to the reader. The handle is one
     * relaxed atomic store so that such a host never reads it torn. */
    baton_completion_body *record = (baton_completion_body *)body;
    atomic_store_explicit(baton__atomic(record->handle), handle, memory_order_relaxed);
    record->status = status;
    if (result_length != 0) {
        memcpy(record->result, result, result_length);
    }
    if (!baton__slab_transition(channel, handle, from, to)) {
        baton__completion_ring_abort(body);
        return baton__slab_rejection(channel, handle, from);
    }
    baton__completion_ring_commit(body);
    return BATON_OK;
}

/* The record of a publisher presumed dead must be committed exactly when the publisher moved the
 * state: then no other record reports the event. Otherwise the event is still pending (the timeout
 * reports it) or another publisher moved it and wrote its own record. The twin of Java's
 * OutcomePublisher.mustCommit, with its one corner: a second completion that lost the CAS and died
 * before aborting is committed too, and if it lies ahead of the winner's record the host sees its
 * status and result; the event is still reported once. */
static int must_commit(baton_channel *channel, int32_t type, const uint8_t *body, uint32_t length)
{
    if (length < BATON_COMPLETION_BODY_LENGTH) {
        return 0;
    }
    /* relaxed: one untorn read; a publisher dead this long wrote it long ago. Generation 0 never
     * names a slot, so a body never written (zero) is not committed. */
    uint64_t handle =
        atomic_load_explicit(baton__atomic(((baton_completion_body *)body)->handle), memory_order_relaxed);
    return reports_outcome(channel, handle, type);
}

int baton_complete(baton_channel *channel, uint64_t handle, int32_t status, const void *result,
                   uint32_t result_length)
{
    int entered = enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    if (result == NULL && result_length != 0) {
        return BATON_EFAULT;
    }
    if (result_length > __BATON_MAX_RESULT_LENGTH(channel)) {
        return BATON_EMSGSIZE;
    }
    if (!baton__slab_in_range(channel, handle)) {
        return BATON_ENOENT;
    }
    /* acquire: a cheap early answer for stale handles, before any ring space is claimed. */
    uint64_t word = baton__slab_load_state(channel, baton__handle_index(handle));
    if (word != baton__state_word(baton__generation(handle), BATON_SLOT_CLAIMED)) {
        return baton__slab_rejection_of(handle, word, BATON_SLOT_CLAIMED);
    }
    int published = publish_outcome(channel, handle, BATON_SLOT_CLAIMED, BATON_SLOT_COMPLETED, status, result,
                                    result_length);
    if (published == BATON_OK) {
        baton__signal(&channel->header->completion_waiters, &channel->header->completion_signal);
    }
    return published;
}

typedef struct drain_context {
    baton_completion_handler handler;
    void *context;
} drain_context;

static void on_record(baton_channel *channel, int32_t type, const uint8_t *body, uint32_t length, void *context)
{
    const drain_context *drain = context;
    if (length < BATON_COMPLETION_BODY_LENGTH) {
        return; /* not a Baton completion: skipped */
    }
    const baton_completion_body *record = (const baton_completion_body *)body;
    uint64_t handle = record->handle;
    if (!reports_outcome(channel, handle, type)) {
        return; /* only a writer outside this protocol produces such a record */
    }
    uint32_t end_state = end_state_of(type);
    baton_slot *slot = baton__slot(channel, baton__handle_index(handle));
    baton_completion completion = {
        .handle = handle,
        .status = record->status,
        .result_length = length - BATON_COMPLETION_BODY_LENGTH,
        .timed_out = end_state == BATON_SLOT_TIMED_OUT,
        .kind = slot->kind,
        .event_id_hi = slot->event_id_hi,
        .event_id_lo = slot->event_id_lo,
        .latency_ns = baton__now_ns() - slot->dispatched_at_ns,
        .result = record->result,
    };
    drain->handler(drain->context, &completion);
    baton__slab_free(channel, handle, end_state);
}

int baton_drain_completions(baton_channel *channel, baton_completion_handler handler, void *context, uint32_t max)
{
    int entered = enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    if (handler == NULL) {
        return BATON_EFAULT;
    }
    drain_context drain = {.handler = handler, .context = context};
    int drained = baton__completion_ring_read(channel, on_record, &drain, max);
    /* A publisher that died between claim and commit blocks the ring; after a completion timeout
     * (at least BATON_UNBLOCK_PATIENCE_MIN_NS) it is presumed dead, and its record is committed or
     * skipped. */
    if (drained == 0) {
        int64_t patience_ns = channel->completion_timeout_ns > BATON_UNBLOCK_PATIENCE_MIN_NS
                                  ? channel->completion_timeout_ns
                                  : BATON_UNBLOCK_PATIENCE_MIN_NS;
        baton__completion_ring_unblock_if_stalled(channel, must_commit, patience_ns);
    }
    return drained;
}

static int completion_ready(baton_channel *channel)
{
    return baton__completion_ring_has_ready(channel);
}

int baton_await_completions(baton_channel *channel, int64_t timeout_ns)
{
    if (channel == NULL) {
        return BATON_EFAULT;
    }
    return baton__wait(channel, &channel->header->completion_waiters, &channel->header->completion_signal,
                        completion_ready, timeout_ns);
}

int baton_notify_dispatched(baton_channel *channel)
{
    if (channel == NULL) {
        return BATON_EFAULT;
    }
    baton__signal_all(&channel->header->dispatch_signal);
    return BATON_OK;
}

int baton_notify_completed(baton_channel *channel)
{
    if (channel == NULL) {
        return BATON_EFAULT;
    }
    baton__signal_all(&channel->header->completion_signal);
    return BATON_OK;
}

int baton_record_latency(baton_channel *channel, int64_t value_ns)
{
    int entered = enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    if (value_ns < 0) {
        return BATON_EINVAL;
    }
    baton__latency_ring_record(channel, value_ns, baton__now_ns(), BATON_LATENCY_SOURCE_NATIVE);
    return BATON_OK;
}

int baton_reclaim_expired(baton_channel *channel)
{
    int entered = enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    int64_t now = baton__now_ns();
    int expired = 0;
    for (uint32_t index = 0; index < channel->slab_capacity; index++) {
        uint64_t word = baton__slab_load_state(channel, index);
        uint32_t state = baton__state(word);
        if ((state != BATON_SLOT_DISPATCHED && state != BATON_SLOT_CLAIMED) ||
            atomic_load_explicit(baton__atomic(baton__slot(channel, index)->deadline_ns), memory_order_relaxed) -
                    now >
                0) {
            continue;
        }
        /* The deadline read above belongs to this generation or a later one; a later one makes
         * the CAS below fail, because the state word would differ. */
        int published = publish_outcome(channel, baton__handle(baton__generation(word), index), state,
                                        BATON_SLOT_TIMED_OUT, BATON_ETIMEDOUT, NULL, 0);
        if (published == BATON_ENOBUFS) {
            break;
        }
        if (published == BATON_OK) {
            expired++;
        }
    }
    if (expired > 0) {
        baton__signal(&channel->header->completion_waiters, &channel->header->completion_signal);
    }
    return expired;
}

int baton_cancel(baton_channel *channel, uint64_t handle)
{
    int entered = enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    if (!baton__slab_in_range(channel, handle)) {
        return BATON_ENOENT;
    }
    /* Lock-free: a failed CAS means the event moved on (claimed, completed, timed out); look again. */
    for (;;) {
        uint64_t word = baton__slab_load_state(channel, baton__handle_index(handle));
        uint32_t state = baton__state(word);
        if (baton__generation(word) != baton__generation(handle) ||
            (state != BATON_SLOT_DISPATCHED && state != BATON_SLOT_CLAIMED)) {
            return baton__slab_rejection_of(handle, word, BATON_SLOT_DISPATCHED);
        }
        if (baton__slab_free(channel, handle, state)) {
            return BATON_OK;
        }
    }
}

int baton_read_metrics(baton_channel *channel, baton_metrics *metrics)
{
    int entered = enter(channel);
    if (entered != BATON_OK) {
        return entered;
    }
    if (metrics == NULL) {
        return BATON_EFAULT;
    }
    memset(metrics, 0, sizeof *metrics);
    int64_t now = baton__now_ns();
    int64_t oldest_at = INT64_MAX;
    int64_t newest_at = INT64_MIN;
    for (uint32_t index = 0; index < channel->slab_capacity; index++) {
        baton_slot *slot = baton__slot(channel, index);
        uint64_t word = baton__slab_load_state(channel, index); /* acquire: the fields belong to it */
        uint32_t state = baton__state(word);
        if (state == BATON_SLOT_COMPLETED || state == BATON_SLOT_TIMED_OUT) {
            metrics->awaiting_drain_count++;
            continue;
        }
        if (state != BATON_SLOT_DISPATCHED && state != BATON_SLOT_CLAIMED) {
            continue;
        }
        int64_t dispatched_at = atomic_load_explicit(baton__atomic(slot->dispatched_at_ns), memory_order_relaxed);
        uint64_t id_hi = atomic_load_explicit(baton__atomic(slot->event_id_hi), memory_order_relaxed);
        uint64_t id_lo = atomic_load_explicit(baton__atomic(slot->event_id_lo), memory_order_relaxed);
        /* A seqlock read: the fields count only if the state word did not move while we read them. */
        atomic_thread_fence(memory_order_acquire);
        if (atomic_load_explicit(baton__atomic(slot->state), memory_order_relaxed) != word) {
            continue;
        }
        if (state == BATON_SLOT_DISPATCHED) {
            metrics->waiting_count++;
        } else {
            metrics->in_progress_count++;
        }
        if (now - dispatched_at > channel->starvation_threshold_ns) {
            metrics->starving_count++;
        }
        if (dispatched_at < oldest_at) {
            oldest_at = dispatched_at;
            metrics->oldest_event_id_hi = id_hi;
            metrics->oldest_event_id_lo = id_lo;
        }
        if (dispatched_at > newest_at) {
            newest_at = dispatched_at;
        }
    }
    metrics->pending_count = metrics->waiting_count + metrics->in_progress_count;
    if (metrics->pending_count != 0) {
        metrics->oldest_pending_age_ns = now - oldest_at;
        metrics->newest_pending_age_ns = now - newest_at;
    }
    return BATON_OK;
}
