/*
 * The one place that assembles a channel's parts over its memory: formats a new channel, or checks
 * the header of an existing one and binds the parts to it. The Java twin is
 * java/.../ChannelMemory.java.
 */
#include <stddef.h>
#include <string.h>

#include "baton_internal.h"

/* Binds one half of the block area, which starts at half. */
static void bind_blocks(baton__block_pools *pools, uint8_t *half, const baton_config *config)
{
    for (uint32_t k = 0; k < BATON_BLOCK_CLASSES; k++) {
        pools->classes[k] = (baton__block_class){
            .blocks = half + baton__block_blocks_offset(config, k),
            .block_size = (uint32_t)BATON_BLOCK_SIZE_MIN << k,
            .free_list = {.head = (uint64_t *)(void *)(half + (uint64_t)k * BATON_HOT_FIELD_PADDING),
                          .links = half + baton__block_links_offset(config, k),
                          .stride = 4,
                          .capacity = config->block_counts[k]},
        };
    }
}

/* Binds the parts of an attachment over memory laid out for config. */
void baton__channel_bind(baton_channel *channel, uint8_t *memory, uint64_t length, const baton_config *config)
{
    memset(channel, 0, sizeof *channel);
    channel->memory = memory;
    channel->length = length;
    channel->header = (baton_header *)memory;
    channel->inline_payload_capacity = config->slot_size - BATON_SLOT_HEADER_LENGTH;
    channel->completion_timeout_ns = config->completion_timeout_ns;
    channel->starvation_threshold_ns = config->starvation_threshold_ns;
    channel->unblock_patience_ns = config->completion_timeout_ns > BATON_UNBLOCK_PATIENCE_MIN_NS
                                       ? config->completion_timeout_ns
                                       : BATON_UNBLOCK_PATIENCE_MIN_NS;
    uint8_t *slots = memory + baton__slab_offset(config);
    channel->slab = (baton__slab){
        .slots = slots,
        .free_list = {.head = &channel->header->free_head,
                      .links = slots + offsetof(baton_slot, next_free),
                      .stride = config->slot_size,
                      .capacity = config->slab_capacity},
        .blocks = &channel->payload_blocks,
        .capacity = config->slab_capacity,
        .slot_size = config->slot_size,
    };
    channel->host_drain.freed.keep =
        config->slab_capacity / 16 < BATON_FREED_RUN ? config->slab_capacity / 16 : BATON_FREED_RUN;
    uint8_t *block_area = memory + baton__block_area_offset(config);
    bind_blocks(&channel->payload_blocks, block_area, config);
    bind_blocks(&channel->result_blocks, block_area + baton__block_half_length(config), config);
    uint32_t largest_block = baton__block_largest(&channel->payload_blocks);
    uint32_t inline_result = config->completion_ring_capacity / 8 - BATON_COMPLETION_BODY_LENGTH;
    channel->max_payload_length =
        largest_block > channel->inline_payload_capacity ? largest_block : channel->inline_payload_capacity;
    channel->max_result_length = largest_block > inline_result ? largest_block : inline_result;
    channel->dispatch_ring = (baton__dispatch_ring){
        .shared = (baton_dispatch_ring *)(memory + BATON_HEADER_LENGTH),
        .capacity = config->dispatch_ring_capacity,
        .stalled_position = UINT64_MAX,
        .claim_mark = BATON_CELL_CLAIMED_BY(0),
        .unmarked_position = UINT64_MAX,
    };
    uint8_t *records = memory + baton__completion_ring_offset(config);
    channel->completion_ring = (baton__completion_ring){
        .records = records,
        .trailer = (baton_completion_trailer *)(records + config->completion_ring_capacity),
        .capacity = config->completion_ring_capacity,
        .max_body_length = config->completion_ring_capacity / 8,
        .blocked_head = -1,
    };
    channel->latency_ring = (baton__latency_ring){
        .shared = (baton_latency_ring *)(memory + baton__latency_ring_offset(config)),
        .capacity = config->latency_ring_capacity,
    };
    channel->attachments = (baton__attachment_table){
        .entries = (baton_attachment *)(memory + baton__attachment_table_offset(config)),
        .capacity = config->attachment_capacity,
        .redelivery_limit = config->redelivery_limit,
    };
    channel->yield_limit = config->yield_limit != 0 ? config->yield_limit : BATON_YIELD_LIMIT_DEFAULT;
}

/* Writes the header and formats every part of a bound channel; the magic goes last, with release. */
void baton__channel_format(baton_channel *channel, uint64_t segment_length)
{
    baton_header *header = channel->header;
    memset(header, 0, BATON_HEADER_LENGTH);
    header->abi_version = BATON_ABI_VERSION;
    header->header_length = BATON_HEADER_LENGTH;
    header->slab_capacity = channel->slab.capacity;
    header->slot_size = channel->slab.slot_size;
    header->dispatch_ring_capacity = channel->dispatch_ring.capacity;
    header->completion_ring_capacity = channel->completion_ring.capacity;
    header->slab_offset = (uint64_t)(channel->slab.slots - channel->memory);
    header->dispatch_ring_offset = BATON_HEADER_LENGTH;
    header->completion_ring_offset = (uint64_t)(channel->completion_ring.records - channel->memory);
    header->latency_ring_offset = (uint64_t)((uint8_t *)channel->latency_ring.shared - channel->memory);
    header->latency_ring_capacity = channel->latency_ring.capacity;
    header->attachment_capacity = channel->attachments.capacity;
    header->attachment_table_offset = (uint64_t)((uint8_t *)channel->attachments.entries - channel->memory);
    header->redelivery_limit = channel->attachments.redelivery_limit;
    header->yield_limit = channel->yield_limit;
    for (uint32_t k = 0; k < BATON_BLOCK_CLASSES; k++) {
        header->block_counts[k] = channel->payload_blocks.classes[k].free_list.capacity;
    }
    header->block_area_offset =
        (uint64_t)((uint8_t *)channel->payload_blocks.classes[0].free_list.head - channel->memory);
    header->segment_length = segment_length;
    header->created_at_ns = baton__now_ns();
    header->completion_timeout_ns = channel->completion_timeout_ns;
    header->starvation_threshold_ns = channel->starvation_threshold_ns;
    header->channel_state = BATON_CHANNEL_OPEN;
    baton__slab_format(&channel->slab);
    baton__dispatch_ring_format(&channel->dispatch_ring);
    baton__completion_ring_format(&channel->completion_ring);
    baton__latency_ring_format(&channel->latency_ring);
    baton__attachments_format(&channel->attachments);
    baton__block_pools_format(&channel->payload_blocks);
    baton__block_pools_format(&channel->result_blocks);
    /* release: an attacher acquires the magic, so everything above is visible once it is. */
    atomic_store_explicit(baton__atomic(header->magic), BATON_MAGIC, memory_order_release);
}

/* BATON_OK when length bytes hold a channel header; else BATON_EINVAL, saying so. */
int baton__check_header_room(uint64_t length)
{
    if (length < BATON_HEADER_LENGTH) {
        return baton__refuse(BATON_EINVAL, "%llu bytes, shorter than a channel header (%u bytes)",
                             (unsigned long long)length, BATON_HEADER_LENGTH);
    }
    return BATON_OK;
}

/* Every size and offset the header claims must follow from the configuration it records: BATON_OK,
 * or BATON_EINVAL naming the first field that does not. */
static int check_header_offsets(const baton_header *header, const baton_config *config, uint64_t needed)
{
    const struct {
        const char *name;
        uint64_t found;
        uint64_t made;
    } fields[] = {
        {"segment_length", header->segment_length, needed},
        {"header_length", header->header_length, BATON_HEADER_LENGTH},
        {"dispatch_ring_offset", header->dispatch_ring_offset, BATON_HEADER_LENGTH},
        {"slab_offset", header->slab_offset, baton__slab_offset(config)},
        {"completion_ring_offset", header->completion_ring_offset, baton__completion_ring_offset(config)},
        {"latency_ring_offset", header->latency_ring_offset, baton__latency_ring_offset(config)},
        {"attachment_table_offset", header->attachment_table_offset, baton__attachment_table_offset(config)},
        {"block_area_offset", header->block_area_offset, baton__block_area_offset(config)},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (fields[i].found != fields[i].made) {
            return baton__refuse(BATON_EINVAL, "its header's %s is %llu, and its sizes make it %llu", fields[i].name,
                                 (unsigned long long)fields[i].found, (unsigned long long)fields[i].made);
        }
    }
    return BATON_OK;
}

/* Reads the configuration a formatted channel's header records, and checks that every size and
 * offset it claims follows from the sizes and fits in length. BATON_OK, or BATON_EBADMSG (wrong
 * magic), BATON_EPROTONOSUPPORT (ABI major) or BATON_EINVAL, each with a detail (baton__refuse)
 * in the words of Java's ChannelMemory.bind. */
int baton__channel_read_config(const uint8_t *memory, uint64_t length, baton_config *config)
{
    baton_header *header = (baton_header *)memory;
    /* acquire: pairs with the release of the magic in format. */
    uint64_t magic = atomic_load_explicit(baton__atomic(header->magic), memory_order_acquire);
    if (magic != BATON_MAGIC) {
        return baton__refuse(BATON_EBADMSG, "not a Baton channel: its magic is 0x%016llx, a channel's is 0x%016llx",
                             (unsigned long long)magic, (unsigned long long)BATON_MAGIC);
    }
    if ((header->abi_version >> 16) != BATON_ABI_MAJOR) {
        return baton__refuse(BATON_EPROTONOSUPPORT, "its ABI version is %u.%u, and this library reads major version %u",
                             header->abi_version >> 16, header->abi_version & 0xFFFF, BATON_ABI_MAJOR);
    }
    *config = (baton_config){
        .slab_capacity = header->slab_capacity,
        .slot_size = header->slot_size,
        .dispatch_ring_capacity = header->dispatch_ring_capacity,
        .completion_ring_capacity = header->completion_ring_capacity,
        .latency_ring_capacity = header->latency_ring_capacity,
        .attachment_capacity = header->attachment_capacity,
        .completion_timeout_ns = header->completion_timeout_ns,
        .starvation_threshold_ns = header->starvation_threshold_ns,
        .redelivery_limit = header->redelivery_limit,
        .yield_limit = header->yield_limit,
    };
    for (uint32_t k = 0; k < BATON_BLOCK_CLASSES; k++) {
        config->block_counts[k] = header->block_counts[k];
    }
    uint64_t needed = baton__segment_length(config);
    if (needed == 0) {
        baton__detail_name("its header holds an invalid configuration");
        return BATON_EINVAL;
    }
    if (needed > length) {
        return baton__refuse(BATON_EINVAL, "its header claims %llu bytes, and it holds %llu",
                             (unsigned long long)needed, (unsigned long long)length);
    }
    return check_header_offsets(header, config, needed);
}

int baton_format(void *memory, uint64_t length, const baton_config *config)
{
    baton__detail_clear();
    if (memory == NULL || config == NULL) {
        return BATON_EFAULT;
    }
    uint64_t needed = baton__segment_length(config);
    if (needed == 0) {
        return BATON_EINVAL;
    }
    if (length < needed || (uintptr_t)memory % BATON_SEGMENT_ALIGNMENT != 0) {
        return baton__refuse(BATON_EINVAL, "the memory: %llu bytes at 0x%llx, and the channel needs %llu, aligned to %u",
                             (unsigned long long)length, (unsigned long long)(uintptr_t)memory,
                             (unsigned long long)needed, BATON_SEGMENT_ALIGNMENT);
    }
    baton_channel channel;
    baton__channel_bind(&channel, memory, length, config);
    baton__channel_format(&channel, needed);
    return BATON_OK;
}
