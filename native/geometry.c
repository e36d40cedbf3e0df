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

/* BATON_OK, or BATON_EINVAL with a detail naming the first field out of its range, in the words of
 * Java's ChannelGeometry. */
static int check_power_of_two(const char *name, uint32_t value, uint32_t min, uint32_t max)
{
    if (!is_power_of_two_in(value, min, max)) {
        return baton__refuse(BATON_EINVAL, "%s must be a power of two in [%u, %u]: %u", name, min, max, value);
    }
    return BATON_OK;
}

static int check_positive(const char *name, int64_t value)
{
    if (value <= 0) {
        return baton__refuse(BATON_EINVAL, "%s must be positive: %lld", name, (long long)value);
    }
    return BATON_OK;
}

static int check_block_counts(const baton_config *config)
{
    for (uint32_t k = 0; k < BATON_BLOCK_CLASSES; k++) {
        if (config->block_counts[k] > BATON_BLOCK_COUNT_MAX) {
            return baton__refuse(BATON_EINVAL, "block_counts[%u] must be in [0, %u]: %u", k, BATON_BLOCK_COUNT_MAX,
                                 config->block_counts[k]);
        }
    }
    return BATON_OK;
}

int baton__check_config(const baton_config *config)
{
    int checked = BATON_OK;
    if ((checked = check_power_of_two("slab_capacity", config->slab_capacity, 1, SLAB_CAPACITY_MAX)) != BATON_OK ||
        (checked = check_power_of_two("dispatch_ring_capacity", config->dispatch_ring_capacity, 2,
                                      DISPATCH_RING_CAPACITY_MAX)) != BATON_OK ||
        (checked = check_power_of_two("completion_ring_capacity", config->completion_ring_capacity,
                                      BATON_COMPLETION_RING_CAPACITY_MIN, COMPLETION_RING_CAPACITY_MAX)) != BATON_OK ||
        (checked = check_power_of_two("latency_ring_capacity", config->latency_ring_capacity,
                                      BATON_LATENCY_RING_CAPACITY_MIN, LATENCY_RING_CAPACITY_MAX)) != BATON_OK) {
        return checked;
    }
    if (config->attachment_capacity < 1 || config->attachment_capacity > BATON_ATTACHMENT_CAPACITY_MAX) {
        return baton__refuse(BATON_EINVAL, "attachment_capacity must be in [1, %u]: %u", BATON_ATTACHMENT_CAPACITY_MAX,
                             config->attachment_capacity);
    }
    if (config->slot_size < BATON_SLOT_SIZE_MIN || config->slot_size > SLOT_SIZE_MAX ||
        config->slot_size % BATON_CACHE_LINE_LENGTH != 0) {
        return baton__refuse(BATON_EINVAL, "slot_size must be a multiple of %u in [%u, %u]: %u",
                             BATON_CACHE_LINE_LENGTH, BATON_SLOT_SIZE_MIN, SLOT_SIZE_MAX, config->slot_size);
    }
    if ((checked = check_positive("completion_timeout_ns", config->completion_timeout_ns)) != BATON_OK ||
        (checked = check_positive("starvation_threshold_ns", config->starvation_threshold_ns)) != BATON_OK) {
        return checked;
    }
    return check_block_counts(config);
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

/* The length a configuration needs, or 0 with a detail when it is out of range. */
uint64_t baton__segment_length(const baton_config *config)
{
    if (baton__check_config(config) != BATON_OK) {
        return 0;
    }
    return baton__block_area_offset(config) + 2 * baton__block_half_length(config);
}

uint64_t baton_segment_length(const baton_config *config)
{
    baton__detail_clear();
    return config != NULL ? baton__segment_length(config) : 0;
}
