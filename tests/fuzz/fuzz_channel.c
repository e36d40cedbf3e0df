/*
 * libFuzzer target for the C API, built with AddressSanitizer and UndefinedBehaviorSanitizer.
 *
 * Each input is one session on a fresh, small channel:
 *   byte 0      if odd, the next 64 bytes overwrite the first 64 of the channel header before
 *               baton_attach (a corrupted or foreign header), which must be refused or accepted
 *               without a crash;
 *   then        operations, one byte of opcode and its arguments each, with handles, lengths and
 *               values taken from the input: dispatch, poll, read_payload, complete, cancel, drain,
 *               reclaim, record_latency, metrics, close, reap; and scribbles: a word written
 *               anywhere in the channel, or into the attachment table or the block area, after
 *               attach. Opcode bit 0x20 makes a payload or result 32 times longer, so that it
 *               takes a block (1, 4 or 8 KiB) or is refused as too long; bit 0x40 dispatches with
 *               a trace context, completes with a handler span, reads the trace of a handle, or
 *               drains outcomes with their traces.
 * Every result must be a documented code, and the channel must keep its invariants: never more
 * events pending than slots, never more completions drained than dispatched.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "baton.h"

#define SLAB_CAPACITY 8

typedef struct input {
    const uint8_t *data;
    size_t size;
} input;

static uint8_t take8(input *in)
{
    if (in->size == 0) {
        return 0;
    }
    uint8_t value = in->data[0];
    in->data++;
    in->size--;
    return value;
}

static uint64_t take64(input *in)
{
    uint64_t value = 0;
    for (int i = 0; i < 8; i++) {
        value = value << 8 | take8(in);
    }
    return value;
}

static int documented(int64_t code)
{
    switch (code) {
    case BATON_ENOENT: case BATON_EINTR: case BATON_EIO: case BATON_EAGAIN: case BATON_EACCES: case BATON_EFAULT:
    case BATON_EBUSY: case BATON_EEXIST: case BATON_EUSERS:
    case BATON_EINVAL: case BATON_ENOSPC: case BATON_ELOOP:
    case BATON_EPROTO: case BATON_EBADMSG: case BATON_EMSGSIZE: case BATON_EPROTONOSUPPORT: case BATON_ENOBUFS:
    case BATON_ESHUTDOWN: case BATON_ETIMEDOUT: case BATON_EALREADY: case BATON_ESTALE: case BATON_EUCLEAN:
        return 1;
    default:
        return code >= 0;
    }
}

static void check(int64_t code, const char *operation)
{
    if (!documented(code)) {
        fprintf(stderr, "%s returned an undocumented code %lld\n", operation, (long long)code);
        abort();
    }
}

static long drained;

static void on_completion(void *context, const baton_outcome *completion)
{
    (void)context;
    if (completion->result_length > 0 && completion->result == NULL) {
        abort();
    }
    drained++;
}

/* The operations of opcodes with bit 0x80: zero-copy dispatch claims (up to four held at once,
 * written in place at once, committed or aborted later, or their tokens forged) and yields. */
static void claim_or_yield(baton_channel *channel, uint8_t opcode, uint64_t argument, uint8_t count_arg,
                           uint32_t length_arg, const uint8_t *bytes, long *dispatched, uint64_t *last_handle)
{
    static baton_payload_claim claims[4];
    baton_payload_claim *claim = &claims[count_arg & 3];
    switch (opcode & 0x03) {
    case 0: {
        int claimed = baton_claim(channel, argument, (uint64_t)*dispatched, 0, 0, (int32_t)opcode, NULL,
                                           length_arg, claim);
        check(claimed, "baton_claim");
        if (claimed == BATON_OK) {
            memcpy(claim->payload, bytes, claim->payload_length);
        }
        break;
    }
    case 1: {
        if (opcode & 0x40) {
            claim->token = argument; /* a forged or replayed token */
        }
        int64_t handle = baton_commit(channel, claim);
        check(handle, "baton_commit");
        if (handle > 0) {
            (*dispatched)++;
            *last_handle = (uint64_t)handle;
        }
        break;
    }
    case 2:
        if (opcode & 0x40) {
            claim->token = argument;
        }
        check(baton_abort(channel, claim), "baton_abort");
        break;
    default:
        check(baton_yield(channel, argument, bytes, length_arg), "baton_yield");
        break;
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const baton_config config = {
        .slab_capacity = SLAB_CAPACITY,
        .slot_size = 192,
        .dispatch_ring_capacity = 16,
        .completion_ring_capacity = 1024,
        .latency_ring_capacity = 4,
        .attachment_capacity = 16,
        .completion_timeout_ns = 1000,
        .starvation_threshold_ns = 1000,
        .block_counts = {[0] = 2, [2] = 2, [3] = 1},
    };
    static void *memory;
    static uint64_t length;
    static uint64_t table_offset;
    static uint64_t block_area_offset;
    if (memory == NULL) {
        length = baton_segment_length(&config);
        uint64_t rounded = (length + BATON_SEGMENT_ALIGNMENT - 1) & ~(uint64_t)(BATON_SEGMENT_ALIGNMENT - 1);
        memory = aligned_alloc(BATON_SEGMENT_ALIGNMENT, rounded);
    }
    if (baton_format(memory, length, &config) != BATON_OK) {
        abort();
    }
    /* Read before any scribble: where the attachment table and the block area are. */
    table_offset = ((baton_header *)memory)->attachment_table_offset;
    block_area_offset = ((baton_header *)memory)->block_area_offset;
    input in = {.data = data, .size = size};
    if (take8(&in) & 1) {
        for (int i = 0; i < 64 && in.size > 0; i++) {
            ((uint8_t *)memory)[i] = take8(&in);
        }
    }
    baton_channel *channel = NULL;
    int attached = baton_attach(memory, length, &channel);
    check(attached, "baton_attach");
    if (attached != BATON_OK) {
        return 0;
    }

    long dispatched = 0;
    drained = 0;
    int scribbled = 0; /* another process wrote into the channel: the counting invariants no longer hold */
    uint64_t last_handle = 0;
    baton_event event = {0};
    static uint8_t buffer[256 * 32];
    memset(buffer, 0xA5, sizeof buffer);
    while (in.size > 0) {
        uint8_t opcode = take8(&in);
        uint64_t argument = (opcode & 0x10) ? take64(&in) : last_handle;
        uint8_t count_arg = take8(&in);
        uint32_t length_arg = count_arg * ((opcode & 0x20) ? 32u : 1u);
        switch ((opcode & 0x80) ? 0x80 : opcode & 0x0F) {
        case 0x80:
            claim_or_yield(channel, opcode, argument, count_arg, length_arg, buffer, &dispatched, &last_handle);
            break;
        case 0: {
            baton_trace_context trace = {.trace_id_hi = argument, .trace_id_lo = ~argument, .parent_span_id = argument,
                                         .flags = count_arg};
            int64_t handle = baton_dispatch_traced(channel, argument, dispatched, 0, 0, (int32_t)opcode,
                                                   (opcode & 0x40) ? &trace : NULL, buffer, length_arg);
            check(handle, "baton_dispatch");
            if (handle > 0) {
                dispatched++;
                last_handle = (uint64_t)handle;
            }
            break;
        }
        case 1: {
            int polled = baton_poll(channel, &event, 0);
            check(polled, "baton_poll");
            if (polled == 1) {
                last_handle = event.handle;
            }
            break;
        }
        case 2:
            if (opcode & 0x40) {
                baton_trace_context trace;
                check(baton_read_trace(channel, argument, &trace), "baton_read_trace");
            } else {
                check(baton_read_payload(channel, &event, buffer, length_arg), "baton_read_payload");
            }
            break;
        case 3:
            check(baton_complete_traced(channel, argument, (int32_t)length_arg, (opcode & 0x40) ? argument : 0, buffer,
                                        length_arg),
                  "baton_complete_traced");
            break;
        case 4:
            check(baton_cancel(channel, argument), "baton_cancel");
            break;
        case 5:
            check(baton_drain_each(channel, on_completion, NULL, length_arg), "baton_drain_each");
            break;
        case 6:
            check(baton_reclaim_expired(channel), "baton_reclaim_expired");
            break;
        case 7:
            check(baton_record_latency(channel, (int64_t)argument), "baton_record_latency");
            break;
        case 8: {
            baton_metrics metrics;
            int read = baton_read_metrics(channel, &metrics);
            check(read, "baton_read_metrics");
            if (read == BATON_OK && !scribbled && metrics.pending_count + metrics.awaiting_drain_count > SLAB_CAPACITY) {
                abort(); /* more events in flight than slots */
            }
            break;
        }
        case 9: {
            /* A batch polled; with 0x40 its traces read and the batch completed in one call, its
             * first entry's handle replaced by the argument with 0x20 (a stale or forged one). */
            baton_event batch[4] = {{0}};
            int taken = baton_poll_batch(channel, batch, count_arg & 3);
            check(taken, "baton_poll_batch");
            if ((opcode & 0x40) && taken > 0) {
                baton_trace_context traces[4];
                check(baton_read_traces(channel, batch, (uint32_t)taken, traces), "baton_read_traces");
                baton_completion completions[4];
                int32_t codes[4];
                for (int i = 0; i < taken; i++) {
                    completions[i] = (baton_completion){
                        .handle = i == 0 && (opcode & 0x20) ? argument : batch[i].handle,
                        .status = (int32_t)count_arg,
                        .result = buffer,
                        .result_length = length_arg,
                    };
                }
                int settled = baton_complete_batch(channel, completions, (uint32_t)taken, codes);
                check(settled, "baton_complete_batch");
                if (settled > taken) {
                    abort(); /* more entries settled than given */
                }
                for (int i = 0; i < settled; i++) {
                    check(codes[i], "baton_complete_batch's entry");
                }
            }
            break;
        }
        case 10:
            check(baton_close(channel), "baton_close");
            break;
        case 12: {
            /* Another process scribbles an 8-byte word anywhere in the channel after attach: every
             * later call must still return a documented code, without a crash, a sanitizer report
             * or a loop that does not end (libFuzzer's -timeout). */
            uint64_t offset = (argument % (length / 8)) * 8;
            uint64_t word = take64(&in);
            memcpy((uint8_t *)memory + offset, &word, sizeof word);
            scribbled = 1;
            break;
        }
        case 13:
            check(baton_reap(channel), "baton_reap");
            break;
        case 14: {
            /* Another process scribbles on the attachment table (owners, pids, epochs, waiter counts
             * that no process wrote: the reaper judges what it reads and must stay within bounds), or
             * on the block area (free-list heads and links that name no block, or a block in use). */
            uint64_t start = (opcode & 0x20) ? block_area_offset : table_offset;
            uint64_t words = (opcode & 0x20) ? (length - block_area_offset) / 8
                                             : (uint64_t)config.attachment_capacity * BATON_ATTACHMENT_LENGTH / 8;
            uint64_t word = take64(&in);
            memcpy((uint8_t *)memory + start + (argument % words) * 8, &word, sizeof word);
            scribbled = 1;
            break;
        }
        case 11: {
            baton_outcome outcomes[4];
            baton_trace_context traces[4];
            static uint8_t results[128 * 64];
            uint32_t capacity = (count_arg & 127) * ((opcode & 0x20) ? 64u : 1u);
            int copied = (opcode & 0x40) ?
                baton_drain(channel, outcomes, traces, count_arg & 3, results, capacity) :
                baton_drain(channel, outcomes, NULL, count_arg & 3, results, capacity);
            check(copied, "baton_drain");
            for (int i = 0; i < copied; i++) {
                if (outcomes[i].result < results || outcomes[i].result + outcomes[i].result_length > results + capacity) {
                    abort(); /* a result outside the caller's buffer */
                }
            }
            drained += copied > 0 ? copied : 0;
            break;
        }
        case 15: {
            /* A batch of up to 7 dispatches, each entry's payload length and trace from the input; with
             * 0x40 its last entry names a length with no payload (BATON_EFAULT, the batch stops there). */
            baton_dispatch_entry entries[7];
            int64_t handles[7];
            uint32_t count = count_arg % 8;
            for (uint32_t i = 0; i < count; i++) {
                entries[i] = (baton_dispatch_entry){
                    .event_id_hi = argument,
                    .event_id_lo = (uint64_t)dispatched + i,
                    .trace_id_lo = argument >> (8 * i),
                    .kind = (int32_t)i,
                    .payload = buffer,
                    .payload_length = (uint32_t)((argument >> (8 * i)) % (sizeof buffer + 1)),
                };
            }
            if ((opcode & 0x40) && count > 0) {
                entries[count - 1].payload = NULL;
            }
            int taken = baton_dispatch_batch(channel, entries, count, handles);
            check(taken, "baton_dispatch_batch");
            if (taken > (int)count) {
                abort(); /* more entries taken than given */
            }
            for (int i = 0; i < taken; i++) {
                check(handles[i], "baton_dispatch_batch's entry");
                if (handles[i] > 0) {
                    dispatched++;
                    last_handle = (uint64_t)handles[i];
                }
            }
            if (taken >= 0 && taken < (int)count) {
                check(handles[taken], "baton_dispatch_batch's refusal");
            }
            break;
        }
        default:
            check(baton_poll(channel, &event, 0), "baton_poll");
            break;
        }
        if (!scribbled && drained > dispatched) {
            abort(); /* an outcome the host never dispatched */
        }
    }
    baton_detach(channel);
    return 0;
}
