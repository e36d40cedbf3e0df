/*
 * Sizes of a channel's parts and the offsets derived from them. The Java twin
 * is java/.../ChannelGeometry.java.
 */
#include "baton_internal.h"

#define SLAB_CAPACITY_MAX (UINT32_C(1) << 24)
#define SLOT_SIZE_MAX (UINT32_C(1) << 20)
#define DISPATCH_RING_CAPACITY_MAX (UINT32_C(1) << 26)
#define COMPLETION_RING_CAPACITY_MAX (UINT32_C(1) << 30)
#define LATENCY_RING_CAPACITY_MAX (UINT32_C(1) << 24)

static int is_power_of_two_in(uint32_t value, uint32_t min, uint32_t max)
{
    return value >= min && value <= max && (value & (value - 1)) == 0;
}

static uint64_t align_to_hot_padding(uint64_t offset)
{
    return (offset + BATON_HOT_FIELD_PADDING - 1) & ~(uint64_t)(BATON_HOT_FIELD_PADDING - 1);
}

int baton__check_config(const baton_config *config)
{
    if (!is_power_of_two_in(config->slab_capacity, 1, SLAB_CAPACITY_MAX) ||
        !is_power_of_two_in(config->dispatch_ring_capacity, 2, DISPATCH_RING_CAPACITY_MAX) ||
        !is_power_of_two_in(config->completion_ring_capacity, BATON_COMPLETION_RING_CAPACITY_MIN,
                            COMPLETION_RING_CAPACITY_MAX) ||
        !is_power_of_two_in(config->latency_ring_capacity, BATON_LATENCY_RING_CAPACITY_MIN,
                            LATENCY_RING_CAPACITY_MAX) ||
        config->attachment_capacity < 1 || config->attachment_capacity > BATON_ATTACHMENT_CAPACITY_MAX ||
        config->slot_size < BATON_SLOT_SIZE_MIN || config->slot_size > SLOT_SIZE_MAX ||
        config->slot_size % BATON_CACHE_LINE_LENGTH != 0 || config->completion_timeout_ns <= 0 ||
        config->starvation_threshold_ns <= 0) {
        return BATON_EINVAL;
    }
    for (uint32_t k = 0; k < BATON_BLOCK_CLASSES; k++) {
        if (config->block_counts[k] > BATON_BLOCK_COUNT_MAX) {
            return BATON_EINVAL;
        }
    }
    return BATON_OK;
}

uint64_t baton__slab_offset(const baton_config *config)
{
    return align_to_hot_padding(BATON_HEADER_LENGTH + BATON_DISPATCH_RING_CELLS_OFFSET +
                                (uint64_t)config->dispatch_ring_capacity * BATON_DISPATCH_CELL_LENGTH);
}

uint64_t baton__completion_ring_offset(const baton_config *config)
{
    return align_to_hot_padding(baton__slab_offset(config) + (uint64_t)config->slab_capacity * config->slot_size);
}

uint64_t baton__latency_ring_offset(const baton_config *config)
{
    return align_to_hot_padding(baton__completion_ring_offset(config) + config->completion_ring_capacity +
                                BATON_COMPLETION_TRAILER_LENGTH);
}

uint64_t baton__attachment_table_offset(const baton_config *config)
{
    return align_to_hot_padding(baton__latency_ring_offset(config) + BATON_LATENCY_RING_ENTRIES_OFFSET +
                                (uint64_t)config->latency_ring_capacity * BATON_LATENCY_ENTRY_LENGTH);
}

uint64_t baton__block_area_offset(const baton_config *config)
{
    return align_to_hot_padding(baton__attachment_table_offset(config) +
                                (uint64_t)config->attachment_capacity * BATON_ATTACHMENT_LENGTH);
}

/* The length of a half of the block area up to class k: its free heads, then each class below k
 * with blocks. */
static uint64_t block_area_length_before(const baton_config *config, uint32_t k)
{
    uint64_t length = BATON_BLOCK_AREA_LINKS_OFFSET;
    for (uint32_t c = 0; c < k; c++) {
        if (config->block_counts[c] != 0) {
            length = align_to_hot_padding(length + (uint64_t)config->block_counts[c] * 4);
            length += (uint64_t)config->block_counts[c] * ((uint64_t)BATON_BLOCK_SIZE_MIN << c);
        }
    }
    return length;
}

/* 0 for a channel without blocks: it has no block area. */
uint64_t baton__block_half_length(const baton_config *config)
{
    for (uint32_t k = 0; k < BATON_BLOCK_CLASSES; k++) {
        if (config->block_counts[k] != 0) {
            return block_area_length_before(config, BATON_BLOCK_CLASSES);
        }
    }
    return 0;
}

uint64_t baton__block_links_offset(const baton_config *config, uint32_t k)
{
    return block_area_length_before(config, k);
}

uint64_t baton__block_blocks_offset(const baton_config *config, uint32_t k)
{
    return align_to_hot_padding(block_area_length_before(config, k) + (uint64_t)config->block_counts[k] * 4);
}

uint64_t baton_segment_length(const baton_config *config)
{
    if (config == NULL || baton__check_config(config) != BATON_OK) {
        return 0;
    }
    return baton__block_area_offset(config) + 2 * baton__block_half_length(config);
}
