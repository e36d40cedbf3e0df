/*
 * A lock-free free list of numbered items: a Treiber stack whose links live wherever the caller
 * keeps them (the slab threads it through its slots, each block class through an array). The
 * Java twin is java/.../FreeList.java; the functions are in the same order.
 *
 * The head word is tag << 32 | (top index + 1), 0 = empty; every push and pop increments the tag,
 * so a pop that read a link from an item popped and pushed back meanwhile fails its CAS instead of
 * installing a stale link (ABA). The tag wraps after 2^32 operations: a pop would have to stall
 * across exactly that many for ABA to recur.
 */
#include "baton_internal.h"

static uint64_t next_tag(uint64_t head)
{
    return ((head >> 32) + 1) << 32;
}

static uint32_t *link_of(const baton__free_list *list, uint32_t index)
{
    return (uint32_t *)(void *)(list->links + (uint64_t)index * list->stride);
}

/* Item index's link, for an owner that keeps its own word there while the item is off the list
 * (block_pools.c): a pop that reads it from a stale head fails its CAS on the tag. */
uint32_t *baton__free_list_link(const baton__free_list *list, uint32_t index)
{
    return link_of(list, index);
}

/* Threads every item onto the list, item 0 on top. Before any other thread sees the memory. A list
 * of no items is never popped or pushed, and its head may lie outside the channel: it is left alone. */
void baton__free_list_format(baton__free_list *list)
{
    if (list->capacity == 0) {
        return;
    }
    for (uint32_t i = 0; i < list->capacity; i++) {
        atomic_store_explicit(baton__atomic(*link_of(list, i)), i + 1 < list->capacity ? i + 2 : 0,
                              memory_order_relaxed);
    }
    atomic_store_explicit(baton__atomic(*list->head), 1, memory_order_relaxed);
}

/* Takes up to max items (at least 1) off the top with one CAS: how many, 0 when the list is empty,
 * their indices in items[] from the top down, each owned by the caller. Inline, so that a pop of one
 * compiles to the walk of one link. */
static inline uint32_t take_top(baton__free_list *list, uint32_t max, uint32_t *items)
{
    for (;;) {
        /* acquire: pairs with the CAS of the push that put the top item there. Every change of the
         * head is a CAS, so this also follows every earlier push: the links of all the items below,
         * each written before its push, are visible here. */
        uint64_t head = atomic_load_explicit(baton__atomic(*list->head), memory_order_acquire);
        uint32_t item = (uint32_t)head;
        uint32_t taken = 0;
        /* An item past the capacity is a corrupted head or link: the walk stops before it, and a
         * corrupted link becomes the head, which the next pop refuses rather than index outside the
         * items. */
        while (taken < max && item != 0 && item <= list->capacity) {
            items[taken++] = item - 1;
            /* relaxed: the items may be popped and pushed back meanwhile; the tag then makes the
             * CAS fail whatever was read. An unchanged tag means no push or pop came between:
             * every link walked is the one its push wrote. */
            item = atomic_load_explicit(baton__atomic(*link_of(list, item - 1)), memory_order_relaxed);
        }
        if (taken == 0) {
            return 0;
        }
        if (atomic_compare_exchange_weak_explicit(baton__atomic(*list->head), &head, next_tag(head) | item,
                                                  memory_order_seq_cst, memory_order_relaxed)) {
            return taken;
        }
    }
}

/* Pops up to max items (at least 1) with one CAS: how many, 0 when the list is empty, their indices
 * in items[] from the top down, each owned by the caller. Lock-free. */
uint32_t baton__free_list_pop_run(baton__free_list *list, uint32_t max, uint32_t *items)
{
    return take_top(list, max, items);
}

/* Pops an item: its index, owned by the caller, or -1 when the list is empty. Lock-free. */
int64_t baton__free_list_pop(baton__free_list *list)
{
    uint32_t item;
    return take_top(list, 1, &item) == 1 ? (int64_t)item : -1;
}

/* Puts a chain of the caller's items on top with one CAS: top and the items linked below it, down
 * to the one whose link is last (its link gets the old head). Inline, as take_top. */
static inline void splice(baton__free_list *list, uint32_t top, uint32_t *last)
{
    uint64_t head = atomic_load_explicit(baton__atomic(*list->head), memory_order_acquire);
    for (;;) {
        /* relaxed: a pop holding an older head may read this link concurrently; its CAS then fails. */
        atomic_store_explicit(baton__atomic(*last), (uint32_t)head, memory_order_relaxed);
        /* seq_cst CAS: releases the chain's links to the pop that acquires this head. */
        if (atomic_compare_exchange_weak_explicit(baton__atomic(*list->head), &head, next_tag(head) | (top + 1),
                                                  memory_order_seq_cst, memory_order_acquire)) {
            return;
        }
    }
}

/* Pushes count items (at least 1) the caller owns back on the list with one CAS, items[0] on top.
 * Lock-free. */
void baton__free_list_push_run(baton__free_list *list, const uint32_t *items, uint32_t count)
{
    /* relaxed: the items are the caller's; the CAS in splice releases their links. */
    for (uint32_t i = 0; i + 1 < count; i++) {
        atomic_store_explicit(baton__atomic(*link_of(list, items[i])), items[i + 1] + 1, memory_order_relaxed);
    }
    splice(list, items[0], link_of(list, items[count - 1]));
}

/* Pushes an item the caller owns back on the list. Lock-free. */
void baton__free_list_push(baton__free_list *list, uint32_t index)
{
    splice(list, index, link_of(list, index));
}

/* Marks the items on the list, one bit each in members (zeroed by the caller), following at most
 * capacity links: a link another process scribbled on ends the walk. Only while no item is popped:
 * a pop would move the head under the walk. */
void baton__free_list_mark_members(const baton__free_list *list, uint64_t *members)
{
    /* acquire: pairs with the CAS of the push that put the top item there, as a pop's load. */
    uint32_t item = (uint32_t)atomic_load_explicit(baton__atomic(*list->head), memory_order_acquire);
    for (uint32_t steps = 0; item != 0 && item <= list->capacity && steps < list->capacity; steps++) {
        uint32_t index = item - 1;
        if ((members[index / 64] >> (index % 64)) & 1) {
            return; /* a cycle: only scribbled links make one */
        }
        members[index / 64] |= UINT64_C(1) << (index % 64);
        /* acquire: pairs with the push's seq_cst CAS that released this link. */
        item = atomic_load_explicit(baton__atomic(*link_of(list, index)), memory_order_acquire);
    }
}

/* Whether the head names an item past the capacity, which no push or pop writes: another process
 * wrote over it, or over a link that a pop then made the head. The items below it are lost to the
 * list; a push still puts items on top, and pops take those. For a caller whose pop found nothing,
 * off the pop's path. acquire: as a pop's load of the head. */
int baton__free_list_corrupted(const baton__free_list *list)
{
    if (list->capacity == 0) {
        return 0; /* never popped; its head may lie outside the channel */
    }
    uint64_t head = atomic_load_explicit(baton__atomic(*list->head), memory_order_acquire);
    return (uint32_t)head > list->capacity;
}
