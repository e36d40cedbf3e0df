/*
 * The block area: a free list of fixed-size blocks per size class, for payloads and results longer
 * than their inline room. The Java twin is java/.../BlockPools.java; the functions are in the same
 * order.
 *
 * A block is owned by whoever popped it until it is attached to an event (a slot's payload_block) or
 * to an outcome (a completion record's result_block), and then by that event or outcome: the thread
 * that frees the slot, or the host that delivers the outcome, pushes it back. Its link holds the
 * stamp of that event meanwhile, so that a block whose taker died before naming it is found. A
 * reference read from shared memory is checked against this attachment's own copy of the class
 * counts before use, and a result block's against the stamp of its owner (baton.h, block area).
 */
#include "baton_internal.h"

static uint32_t reference(uint32_t class, uint32_t index)
{
    return (class << BATON_BLOCK_CLASS_SHIFT) | (index + 1);
}

void baton__block_pools_format(baton__block_pools *pools)
{
    for (uint32_t k = 0; k < BATON_BLOCK_CLASSES; k++) {
        baton__free_list_format(&pools->classes[k].free_list);
    }
}

/* Takes a free block of the smallest class that holds length bytes and has one free: its
 * reference, owned by the caller, or 0 when every class that could hold it is empty. The caller
 * has checked length against baton__block_largest. Lock-free. */
uint32_t baton__block_take(baton__block_pools *pools, uint32_t length)
{
    for (uint32_t k = 0; k < BATON_BLOCK_CLASSES; k++) {
        baton__block_class *class = &pools->classes[k];
        if (class->block_size < length || class->free_list.capacity == 0) {
            continue;
        }
        int64_t index = baton__free_list_pop(&class->free_list);
        if (index >= 0) {
            return reference(k, (uint32_t)index);
        }
    }
    return 0;
}

/* Pushes back a block the caller owns; a reference that names no block is ignored. Lock-free. */
void baton__block_release(baton__block_pools *pools, uint32_t block)
{
    if (baton__block_size(pools, block) != 0) {
        baton__free_list_push(&pools->classes[block >> BATON_BLOCK_CLASS_SHIFT].free_list,
                              (block & BATON_BLOCK_INDEX_MASK) - 1);
    }
}

/* The stamp naming an event's outcome as a result block's owner (baton.h, block area). */
uint32_t baton__block_stamp(uint64_t handle)
{
    uint32_t generation = (uint32_t)(handle >> 32) & BATON_BLOCK_STAMP_GENERATION_MASK;
    return BATON_BLOCK_OWNED | generation << BATON_BLOCK_STAMP_GENERATION_SHIFT | (uint32_t)handle;
}

/* Where the link of the block a reference names is; the caller has checked it with baton__block_size. */
static uint32_t *link_of(const baton__block_pools *pools, uint32_t block)
{
    return baton__free_list_link(&pools->classes[block >> BATON_BLOCK_CLASS_SHIFT].free_list,
                                 (block & BATON_BLOCK_INDEX_MASK) - 1);
}

/* Names the event `handle` the owner of a block the caller took, for its payload before the slot
 * names the block, or for its outcome before the record that carries it is claimed. relaxed: the
 * event's publish, or the record's commit, publishes it with the block's bytes; the block is off the
 * list, so only a pop holding a stale head reads it, and fails its CAS on the tag. */
void baton__block_stamp_owner(baton__block_pools *pools, uint32_t block, uint64_t handle)
{
    atomic_store_explicit(baton__atomic(*link_of(pools, block)), baton__block_stamp(handle), memory_order_relaxed);
}

/* Whether a reference names a block whose stamp names the outcome of the event `handle`: what a
 * drain checks before it reads or releases a record's block. relaxed: read after the acquire of the
 * record's commit. */
int baton__block_owned_by(const baton__block_pools *pools, uint32_t block, uint64_t handle)
{
    return baton__block_size(pools, block) != 0 &&
           atomic_load_explicit(baton__atomic(*link_of(pools, block)), memory_order_relaxed) == baton__block_stamp(handle);
}

/* The bytes of the block a reference names, or 0 when it names none (0, or memory another process
 * corrupted). */
uint32_t baton__block_size(const baton__block_pools *pools, uint32_t block)
{
    uint32_t class = block >> BATON_BLOCK_CLASS_SHIFT;
    uint32_t index = block & BATON_BLOCK_INDEX_MASK;
    if (class >= BATON_BLOCK_CLASSES || index == 0 || index > pools->classes[class].free_list.capacity) {
        return 0;
    }
    return pools->classes[class].block_size;
}

/* Where the block a reference names starts; the caller has checked it with baton__block_size. */
uint8_t *baton__block_address(const baton__block_pools *pools, uint32_t block)
{
    const baton__block_class *class = &pools->classes[block >> BATON_BLOCK_CLASS_SHIFT];
    return class->blocks + (uint64_t)((block & BATON_BLOCK_INDEX_MASK) - 1) * class->block_size;
}

/* The longest payload or result a block holds: the size of the largest class with blocks, or 0. */
uint32_t baton__block_largest(const baton__block_pools *pools)
{
    for (uint32_t k = BATON_BLOCK_CLASSES; k-- > 0;) {
        if (pools->classes[k].free_list.capacity != 0) {
            return pools->classes[k].block_size;
        }
    }
    return 0;
}

/* Whether a class that could hold length bytes has a corrupted free list (baton__free_list_corrupted):
 * why a take of that length found nothing, when it is not that every such block is taken. Off the
 * take's path. */
int baton__block_lists_corrupted(const baton__block_pools *pools, uint32_t length)
{
    for (uint32_t k = 0; k < BATON_BLOCK_CLASSES; k++) {
        const baton__block_class *class = &pools->classes[k];
        if (class->block_size >= length && baton__free_list_corrupted(&class->free_list)) {
            return 1;
        }
    }
    return 0;
}

/* Gives back every taken block that `orphaned` finds, from its stamp and its reference, that no
 * slot or record will name: one a process took for an event's payload or outcome and died before it
 * named it (reaper.c, for the events a dead attachment held; slab.c, for the slots a dead host
 * dispatcher held). */
void baton__block_release_orphans(baton__block_pools *pools,
                                  int (*orphaned)(const void *context, uint32_t stamp, uint32_t block),
                                  const void *context)
{
    for (uint32_t k = 0; k < BATON_BLOCK_CLASSES; k++) {
        baton__free_list *list = &pools->classes[k].free_list;
        for (uint32_t index = 0; index < list->capacity; index++) {
            /* relaxed: a stamp is written by the block's taker alone; a dead taker wrote its last
             * before it died, which the reaper learned through the kernel and its CAS of the
             * attachment's entry. A block on the list holds a link, never a stamp (bit 31). */
            uint32_t link = atomic_load_explicit(baton__atomic(*baton__free_list_link(list, index)), memory_order_relaxed);
            if ((link & BATON_BLOCK_OWNED) != 0 && orphaned(context, link, reference(k, index))) {
                baton__free_list_push(list, index);
            }
        }
    }
}
