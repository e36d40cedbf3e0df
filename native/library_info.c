/* What this libbaton was built as: its ABI version and the sizes of its API structs, for bindings
 * that load it without a C compiler and check both before their first call. */
#include "baton_internal.h"

uint32_t baton_abi_version(void)
{
    return BATON_ABI_VERSION;
}

uint32_t baton_struct_size(uint32_t id)
{
    switch (id) {
    case BATON_STRUCT_CONFIG: return sizeof(baton_config);
    case BATON_STRUCT_EVENT: return sizeof(baton_event);
    case BATON_STRUCT_OUTCOME: return sizeof(baton_outcome);
    case BATON_STRUCT_METRICS: return sizeof(baton_metrics);
    case BATON_STRUCT_DRAIN_COUNTS: return sizeof(baton_drain_counts);
    case BATON_STRUCT_TRACE_CONTEXT: return sizeof(baton_trace_context);
    case BATON_STRUCT_PAYLOAD_CLAIM: return sizeof(baton_payload_claim);
    case BATON_STRUCT_COMPLETION: return sizeof(baton_completion);
    case BATON_STRUCT_DISPATCH_ENTRY: return sizeof(baton_dispatch_entry);
    case BATON_STRUCT_LISTED_EVENT: return sizeof(baton_listed_event);
    default: return 0;
    }
}
