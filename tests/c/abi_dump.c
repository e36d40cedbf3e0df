/*
 * Prints what the C compiler makes of baton.h: the size of every struct, the
 * offset of every field and the value of every constant. AbiConformanceTest
 * and every binding's ABI test hold their side to each line.
 *
 * With --api it prints instead the API structs alone, each field with its
 * type: the description build/gen-declarations writes every binding's
 * declarations from.
 */
#include <stdio.h>
#include <string.h>
#include <stddef.h>

#include "baton.h"

static int api_only;

#define SIZE(type) if (!api_only) printf("size %s %zu\n", #type, sizeof(type))
#define FIELD(type, field) if (!api_only) printf("offset %s.%s %zu\n", #type, #field, offsetof(type, field))
#define DEFINE(name) if (!api_only) printf("define %s %lld\n", #name, (long long)(name))

/* A field's type as the bindings spell it: an integer's width and sign, a pointer to bytes (const
 * or not), or an array of uint32_t (which decays to a pointer in _Generic's controlling expression). */
#define KIND(member) _Generic((member), \
    uint8_t: "u8", int32_t: "i32", uint32_t: "u32", int64_t: "i64", uint64_t: "u64", \
    const uint8_t *: "const-u8*", uint8_t *: "u8*", uint32_t *: "u32[]")
#define API_STRUCT(type, id) \
    if (api_only) printf("struct %s %zu %d\n", #type, sizeof(type), id); else SIZE(type)
#define API_FIELD(type, field) \
    if (api_only) printf("field %s %s %zu %zu %s\n", #type, #field, offsetof(type, field), \
                         sizeof(((type *)0)->field), KIND(((type *)0)->field)); \
    else FIELD(type, field)

int main(int argc, char **argv)
{
    api_only = argc > 1 && strcmp(argv[1], "--api") == 0;
    SIZE(baton_header);
    FIELD(baton_header, magic);
    FIELD(baton_header, abi_version);
    FIELD(baton_header, header_length);
    FIELD(baton_header, slab_capacity);
    FIELD(baton_header, slot_size);
    FIELD(baton_header, dispatch_ring_capacity);
    FIELD(baton_header, completion_ring_capacity);
    FIELD(baton_header, slab_offset);
    FIELD(baton_header, dispatch_ring_offset);
    FIELD(baton_header, completion_ring_offset);
    FIELD(baton_header, segment_length);
    FIELD(baton_header, created_at_ns);
    FIELD(baton_header, completion_timeout_ns);
    FIELD(baton_header, starvation_threshold_ns);
    FIELD(baton_header, channel_state);
    FIELD(baton_header, attached_count);
    FIELD(baton_header, latency_ring_offset);
    FIELD(baton_header, latency_ring_capacity);
    FIELD(baton_header, attachment_capacity);
    FIELD(baton_header, attachment_table_offset);
    FIELD(baton_header, redelivery_limit);
    FIELD(baton_header, yield_limit);
    FIELD(baton_header, free_head);
    FIELD(baton_header, block_counts);
    FIELD(baton_header, block_area_offset);
    FIELD(baton_header, host_tag);
    FIELD(baton_header, dispatch_waiters);
    FIELD(baton_header, dispatch_signal);
    FIELD(baton_header, clock_ns);
    FIELD(baton_header, completion_waiters);
    FIELD(baton_header, completion_signal);

    SIZE(baton_slot);
    FIELD(baton_slot, state);
    FIELD(baton_slot, next_free);
    FIELD(baton_slot, kind);
    FIELD(baton_slot, event_id_hi);
    FIELD(baton_slot, event_id_lo);
    FIELD(baton_slot, correlation_id_hi);
    FIELD(baton_slot, correlation_id_lo);
    FIELD(baton_slot, dispatched_at_ns);
    FIELD(baton_slot, polled_at_ns);
    FIELD(baton_slot, deadline_ns);
    FIELD(baton_slot, payload_length);
    FIELD(baton_slot, redeliveries);
    FIELD(baton_slot, payload_block);
    FIELD(baton_slot, trace_flags);
    FIELD(baton_slot, trace_id_hi);
    FIELD(baton_slot, trace_id_lo);
    FIELD(baton_slot, parent_span_id);
    FIELD(baton_slot, handler_span_id);
    FIELD(baton_slot, yields);

    SIZE(baton_attachment);
    FIELD(baton_attachment, owner);
    FIELD(baton_attachment, start_time);
    FIELD(baton_attachment, pid_namespace);
    FIELD(baton_attachment, epoch);
    FIELD(baton_attachment, dispatch_waiting);
    FIELD(baton_attachment, completion_waiting);
    FIELD(baton_attachment, attached_at_ns);

    SIZE(baton_dispatch_cell);
    FIELD(baton_dispatch_cell, sequence);
    FIELD(baton_dispatch_cell, handle);

    SIZE(baton_dispatch_ring);
    FIELD(baton_dispatch_ring, producer_index);
    FIELD(baton_dispatch_ring, consumer_index);

    SIZE(baton_latency_entry);
    FIELD(baton_latency_entry, sequence);
    FIELD(baton_latency_entry, value_ns);
    FIELD(baton_latency_entry, recorded_at_ns);
    FIELD(baton_latency_entry, source);
    FIELD(baton_latency_entry, reserved);

    SIZE(baton_latency_ring);
    FIELD(baton_latency_ring, index);
    FIELD(baton_latency_ring, native_count);

    SIZE(baton_completion_trailer);
    FIELD(baton_completion_trailer, tail_position);
    FIELD(baton_completion_trailer, head_cache_position);
    FIELD(baton_completion_trailer, head_position);
    FIELD(baton_completion_trailer, correlation_counter);
    FIELD(baton_completion_trailer, consumer_heartbeat);

    SIZE(baton_completion_body);
    FIELD(baton_completion_body, handle);
    FIELD(baton_completion_body, status);
    FIELD(baton_completion_body, result_block);

    API_STRUCT(baton_config, BATON_STRUCT_CONFIG);
    API_FIELD(baton_config, slab_capacity);
    API_FIELD(baton_config, slot_size);
    API_FIELD(baton_config, dispatch_ring_capacity);
    API_FIELD(baton_config, completion_ring_capacity);
    API_FIELD(baton_config, latency_ring_capacity);
    API_FIELD(baton_config, attachment_capacity);
    API_FIELD(baton_config, completion_timeout_ns);
    API_FIELD(baton_config, starvation_threshold_ns);
    API_FIELD(baton_config, redelivery_limit);
    API_FIELD(baton_config, yield_limit);
    API_FIELD(baton_config, block_counts);

    API_STRUCT(baton_event, BATON_STRUCT_EVENT);
    API_FIELD(baton_event, handle);
    API_FIELD(baton_event, kind);
    API_FIELD(baton_event, payload_length);
    API_FIELD(baton_event, event_id_hi);
    API_FIELD(baton_event, event_id_lo);
    API_FIELD(baton_event, correlation_id_hi);
    API_FIELD(baton_event, correlation_id_lo);
    API_FIELD(baton_event, dispatched_at_ns);
    API_FIELD(baton_event, deadline_ns);
    API_FIELD(baton_event, redeliveries);
    API_FIELD(baton_event, yields);
    API_FIELD(baton_event, payload);

    API_STRUCT(baton_outcome, BATON_STRUCT_OUTCOME);
    API_FIELD(baton_outcome, handle);
    API_FIELD(baton_outcome, status);
    API_FIELD(baton_outcome, result_length);
    API_FIELD(baton_outcome, timed_out);
    API_FIELD(baton_outcome, kind);
    API_FIELD(baton_outcome, event_id_hi);
    API_FIELD(baton_outcome, event_id_lo);
    API_FIELD(baton_outcome, latency_ns);
    API_FIELD(baton_outcome, result);

    API_STRUCT(baton_metrics, BATON_STRUCT_METRICS);
    API_FIELD(baton_metrics, pending_count);
    API_FIELD(baton_metrics, waiting_count);
    API_FIELD(baton_metrics, in_progress_count);
    API_FIELD(baton_metrics, awaiting_drain_count);
    API_FIELD(baton_metrics, starving_count);
    API_FIELD(baton_metrics, oldest_pending_age_ns);
    API_FIELD(baton_metrics, newest_pending_age_ns);
    API_FIELD(baton_metrics, oldest_event_id_hi);
    API_FIELD(baton_metrics, oldest_event_id_lo);

    API_STRUCT(baton_drain_counts, BATON_STRUCT_DRAIN_COUNTS);
    API_FIELD(baton_drain_counts, completed_count);
    API_FIELD(baton_drain_counts, timed_out_count);
    API_FIELD(baton_drain_counts, rejected_record_count);
    API_FIELD(baton_drain_counts, unblocked_record_count);

    API_STRUCT(baton_trace_context, BATON_STRUCT_TRACE_CONTEXT);
    API_FIELD(baton_trace_context, trace_id_hi);
    API_FIELD(baton_trace_context, trace_id_lo);
    API_FIELD(baton_trace_context, parent_span_id);
    API_FIELD(baton_trace_context, handler_span_id);
    API_FIELD(baton_trace_context, flags);
    API_FIELD(baton_trace_context, reserved);

    API_STRUCT(baton_payload_claim, BATON_STRUCT_PAYLOAD_CLAIM);
    API_FIELD(baton_payload_claim, token);
    API_FIELD(baton_payload_claim, payload);
    API_FIELD(baton_payload_claim, payload_length);
    API_FIELD(baton_payload_claim, reserved);

    API_STRUCT(baton_completion, BATON_STRUCT_COMPLETION);
    API_FIELD(baton_completion, handle);
    API_FIELD(baton_completion, status);
    API_FIELD(baton_completion, result_length);
    API_FIELD(baton_completion, result);
    API_FIELD(baton_completion, handler_span_id);
    API_STRUCT(baton_dispatch_entry, BATON_STRUCT_DISPATCH_ENTRY);
    API_FIELD(baton_dispatch_entry, event_id_hi);
    API_FIELD(baton_dispatch_entry, event_id_lo);
    API_FIELD(baton_dispatch_entry, correlation_id_hi);
    API_FIELD(baton_dispatch_entry, correlation_id_lo);
    API_FIELD(baton_dispatch_entry, trace_id_hi);
    API_FIELD(baton_dispatch_entry, trace_id_lo);
    API_FIELD(baton_dispatch_entry, parent_span_id);
    API_FIELD(baton_dispatch_entry, trace_flags);
    API_FIELD(baton_dispatch_entry, kind);
    API_FIELD(baton_dispatch_entry, payload);
    API_FIELD(baton_dispatch_entry, payload_length);
    API_FIELD(baton_dispatch_entry, redeliveries);
    API_STRUCT(baton_listed_event, BATON_STRUCT_LISTED_EVENT);
    API_FIELD(baton_listed_event, handle);
    API_FIELD(baton_listed_event, event_id_hi);
    API_FIELD(baton_listed_event, event_id_lo);
    API_FIELD(baton_listed_event, correlation_id_hi);
    API_FIELD(baton_listed_event, correlation_id_lo);
    API_FIELD(baton_listed_event, dispatched_at_ns);
    API_FIELD(baton_listed_event, kind);
    API_FIELD(baton_listed_event, state);
    API_FIELD(baton_listed_event, redeliveries);
    API_FIELD(baton_listed_event, yields);

    DEFINE(BATON_MAGIC);
    DEFINE(BATON_ABI_MAJOR);
    DEFINE(BATON_ABI_MINOR);
    DEFINE(BATON_ABI_VERSION);
    DEFINE(BATON_CACHE_LINE_LENGTH);
    DEFINE(BATON_HOT_FIELD_PADDING);
    DEFINE(BATON_SEGMENT_ALIGNMENT);
    DEFINE(BATON_OK);
    DEFINE(BATON_ENOENT);
    DEFINE(BATON_EINTR);
    DEFINE(BATON_EIO);
    DEFINE(BATON_EAGAIN);
    DEFINE(BATON_ENOMEM);
    DEFINE(BATON_EACCES);
    DEFINE(BATON_EFAULT);
    DEFINE(BATON_EBUSY);
    DEFINE(BATON_EEXIST);
    DEFINE(BATON_EINVAL);
    DEFINE(BATON_ELOOP);
    DEFINE(BATON_ENOSPC);
    DEFINE(BATON_EPROTO);
    DEFINE(BATON_ENODATA);
    DEFINE(BATON_EBADMSG);
    DEFINE(BATON_EUSERS);
    DEFINE(BATON_EMSGSIZE);
    DEFINE(BATON_EPROTONOSUPPORT);
    DEFINE(BATON_EISCONN);
    DEFINE(BATON_ENOBUFS);
    DEFINE(BATON_ESHUTDOWN);
    DEFINE(BATON_ETIMEDOUT);
    DEFINE(BATON_EHOSTDOWN);
    DEFINE(BATON_EALREADY);
    DEFINE(BATON_ESTALE);
    DEFINE(BATON_EUCLEAN);
    DEFINE(BATON_WAIT_FOREVER);
    DEFINE(BATON_HOST_WATCH_NS);
    DEFINE(BATON_STRUCT_CONFIG);
    DEFINE(BATON_STRUCT_EVENT);
    DEFINE(BATON_STRUCT_OUTCOME);
    DEFINE(BATON_STRUCT_METRICS);
    DEFINE(BATON_STRUCT_DRAIN_COUNTS);
    DEFINE(BATON_STRUCT_TRACE_CONTEXT);
    DEFINE(BATON_STRUCT_PAYLOAD_CLAIM);
    DEFINE(BATON_STRUCT_COMPLETION);
    DEFINE(BATON_STRUCT_DISPATCH_ENTRY);
    DEFINE(BATON_STRUCT_LISTED_EVENT);
    DEFINE(BATON_YIELD_LIMIT_DEFAULT);
    DEFINE(BATON_FILE_MODE_DEFAULT);
    DEFINE(BATON_OPEN_ANY_OWNER);
    DEFINE(BATON_TRACEPARENT_LENGTH);
    DEFINE(BATON_HANDLE_NONE);
    DEFINE(BATON_GENERATION_MAX);
    DEFINE(BATON_CHANNEL_OPEN);
    DEFINE(BATON_CHANNEL_CLOSED);
    DEFINE(BATON_HEADER_LENGTH);
    DEFINE(BATON_SLOT_FREE);
    DEFINE(BATON_SLOT_DISPATCHED);
    DEFINE(BATON_SLOT_POLLED);
    DEFINE(BATON_SLOT_COMPLETED);
    DEFINE(BATON_SLOT_TIMED_OUT);
    DEFINE(BATON_SLOT_YIELDING);
    DEFINE(BATON_SLOT_STATE_MASK);
    DEFINE(BATON_SLOT_HOLDER_SHIFT);
    DEFINE(BATON_SLOT_CLAIM_MARK);
    DEFINE(BATON_SLOT_HEADER_LENGTH);
    DEFINE(BATON_SLOT_SIZE_MIN);
    DEFINE(BATON_DISPATCH_RING_PRODUCER_INDEX_OFFSET);
    DEFINE(BATON_DISPATCH_RING_CONSUMER_INDEX_OFFSET);
    DEFINE(BATON_DISPATCH_RING_CELLS_OFFSET);
    DEFINE(BATON_DISPATCH_CELL_LENGTH);
    DEFINE(BATON_ATTACHMENT_FREE);
    DEFINE(BATON_ATTACHMENT_ACQUIRING);
    DEFINE(BATON_ATTACHMENT_LIVE);
    DEFINE(BATON_ATTACHMENT_REAPING);
    DEFINE(BATON_ATTACHMENT_CAPACITY_MAX);
    DEFINE(BATON_ATTACHMENT_LENGTH);
    DEFINE(BATON_LATENCY_SOURCE_JAVA);
    DEFINE(BATON_LATENCY_SOURCE_NATIVE);
    DEFINE(BATON_LATENCY_RING_INDEX_OFFSET);
    DEFINE(BATON_LATENCY_RING_NATIVE_COUNT_OFFSET);
    DEFINE(BATON_LATENCY_RING_ENTRIES_OFFSET);
    DEFINE(BATON_LATENCY_ENTRY_LENGTH);
    DEFINE(BATON_LATENCY_RING_CAPACITY_MIN);
    DEFINE(BATON_COMPLETION_TRAILER_LENGTH);
    DEFINE(BATON_COMPLETION_TAIL_POSITION_OFFSET);
    DEFINE(BATON_COMPLETION_HEAD_CACHE_POSITION_OFFSET);
    DEFINE(BATON_COMPLETION_HEAD_POSITION_OFFSET);
    DEFINE(BATON_COMPLETION_CORRELATION_COUNTER_OFFSET);
    DEFINE(BATON_COMPLETION_CONSUMER_HEARTBEAT_OFFSET);
    DEFINE(BATON_COMPLETION_RING_CAPACITY_MIN);
    DEFINE(BATON_RECORD_HEADER_LENGTH);
    DEFINE(BATON_RECORD_ALIGNMENT);
    DEFINE(BATON_RECORD_PADDING);
    DEFINE(BATON_RECORD_COMPLETED);
    DEFINE(BATON_RECORD_TIMED_OUT);
    DEFINE(BATON_UNBLOCK_PATIENCE_MIN_NS);
    DEFINE(BATON_COMPLETION_BODY_LENGTH);
    DEFINE(BATON_COMPLETION_BLOCK_BODY_LENGTH);
    DEFINE(BATON_BLOCK_CLASSES);
    DEFINE(BATON_BLOCK_SIZE_MIN);
    DEFINE(BATON_BLOCK_COUNT_MAX);
    DEFINE(BATON_BLOCK_AREA_LINKS_OFFSET);
    DEFINE(BATON_BLOCK_CLASS_SHIFT);
    DEFINE(BATON_BLOCK_INDEX_MASK);
    DEFINE(BATON_BLOCK_OWNED);
    DEFINE(BATON_BLOCK_STAMP_GENERATION_SHIFT);
    DEFINE(BATON_BLOCK_STAMP_GENERATION_MASK);
    return 0;
}
