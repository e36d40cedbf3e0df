/*
 * The slab: fixed-size slots with a generation-checked state word each, and a
 * lock-free free list (free_list.c) threaded through their next_free links.
 * The Java twin is java/.../Slab.java; the functions are in the same order.
 *
 * Every state transition is a CAS of the whole state word, so it succeeds only
 * for the generation the caller's handle names. The slab also owns the block a
 * slot's payload_block names: whoever frees the slot releases it.
 */
#include <stdlib.h>
#include <string.h>

#include "baton_internal.h"

static uint32_t next_generation(uint32_t generation)
{
    return generation == BATON_GENERATION_MAX ? 1 : generation + 1;
}

void baton__slab_format(baton__slab *slab)
{
    for (uint32_t i = 0; i < slab->capacity; i++) {
        baton_slot *slot = baton__slot(slab, i);
        atomic_store_explicit(baton__atomic(slot->state), baton__state_word(1, BATON_SLOT_FREE),
                              memory_order_relaxed);
        baton__slot_forget_event(slot);
    }
    baton__free_list_format(&slab->free_list);
}

baton_slot *baton__slot(const baton__slab *slab, uint32_t index)
{
    return (baton_slot *)(slab->slots + (uint64_t)index * slab->slot_size);
}

/* Whether a handle could name a slot of this slab: a generation (never 0) and an index in range. */
int baton__slab_in_range(const baton__slab *slab, uint64_t handle)
{
    return (int64_t)handle > 0 && baton__generation(handle) != 0 && baton__handle_index(handle) < slab->capacity;
}

/* Pops a free slot: its index, owned by the caller, or -1 when the slab is full. Lock-free. */
int64_t baton__slab_acquire(baton__slab *slab)
{
    return baton__free_list_pop(&slab->free_list);
}

/* Whether the free list is corrupted (baton__free_list_corrupted): why a take found no slot, when it
 * is not that every slot is in use. Off the take's path. */
int baton__slab_free_list_corrupted(const baton__slab *slab)
{
    return baton__free_list_corrupted(&slab->free_list);
}

/* Whether the thread of serial `thread` owns the slots kept. relaxed: a thread finds its own serial
 * there only if it stored it, and serials are never reused. */
static int owns_kept(const baton__freed_slots *kept, uint64_t thread)
{
    return atomic_load_explicit(&kept->owner, memory_order_relaxed) == thread;
}

/* A dispatching thread that found the free list empty asks the owner of the slots kept to push them
 * back. relaxed: a request; the owner's push is what publishes the slots. */
static void ask_for_kept(baton__freed_slots *kept)
{
    if (atomic_load_explicit(&kept->asked, memory_order_relaxed) == 0) {
        atomic_store_explicit(&kept->asked, 1, memory_order_relaxed);
    }
}

/* Takes a free slot for the thread of serial `thread`: one the host's drain kept for it, with plain
 * operations, when it owns the slots kept; else one popped from the free list, and another thread
 * that finds that empty asks the owner for what it keeps. Its index, owned by the caller, or -1. Java's
 * Slab.tryAcquire takes from the calling thread's magazine (SlotMagazines). */
int64_t baton__slab_acquire_kept(baton__slab *slab, baton__freed_slots *kept, uint64_t thread)
{
    int owner = owns_kept(kept, thread);
    if (owner) {
        kept->owner_dispatched = 1;
        if (kept->count > 0) {
            return kept->indices[--kept->count];
        }
    }
    int64_t index = baton__slab_acquire(slab);
    if (index < 0 && !owner) {
        ask_for_kept(kept);
    }
    return index;
}

/* As baton__slab_acquire_kept, up to max slots (at least 1): those kept for the thread, or else a
 * run popped from the free list with one CAS. How many, their indices in indices[]. */
uint32_t baton__slab_acquire_run_kept(baton__slab *slab, baton__freed_slots *kept, uint64_t thread, uint32_t max,
                                      uint32_t *indices)
{
    int owner = owns_kept(kept, thread);
    if (owner) {
        kept->owner_dispatched = 1;
        if (kept->count > 0) {
            uint32_t taken = kept->count < max ? kept->count : max;
            kept->count -= taken;
            memcpy(indices, &kept->indices[kept->count], taken * sizeof *indices);
            return taken;
        }
    }
    uint32_t taken = baton__free_list_pop_run(&slab->free_list, max, indices);
    if (taken == 0 && !owner) {
        ask_for_kept(kept);
    }
    return taken;
}

/* Releases the block a slot the caller owns (state FREE, off the list) took for its payload, if any. */
static void release_block(baton__slab *slab, uint32_t index)
{
    baton_slot *slot = baton__slot(slab, index);
    /* relaxed: the slot is ours (FREE, off the list); a handler of its last event may read the
     * reference racily, and validates what it read against the state word, which moved first (the
     * fence orders that move before the reference's reset). */
    uint32_t block = atomic_load_explicit(baton__atomic(slot->payload_block), memory_order_relaxed);
    if (block != 0) {
        baton__slot_fence_before_rewrite();
        atomic_store_explicit(baton__atomic(slot->payload_block), 0, memory_order_relaxed);
        baton__block_release(slab->blocks, block);
    }
}

/* Pushes count slots (at least 1) the caller owns (state FREE) back on the free list with one CAS,
 * each with the block its payload took, if any. Lock-free. */
void baton__slab_release_run(baton__slab *slab, const uint32_t *indices, uint32_t count)
{
    for (uint32_t i = 0; i < count; i++) {
        release_block(slab, indices[i]);
    }
    baton__free_list_push_run(&slab->free_list, indices, count);
}

/* Pushes a slot the caller owns (state FREE) back on the free list, with the block its payload
 * took, if any. Lock-free. */
void baton__slab_release(baton__slab *slab, uint32_t index)
{
    release_block(slab, index);
    baton__free_list_push(&slab->free_list, index);
}

/* The link word of a slot popped for a dispatch claim: BATON_SLOT_CLAIM_MARK | the claimer's tag. */
static uint32_t *claim_link(const baton__slab *slab, uint32_t index)
{
    return &baton__slot(slab, index)->next_free;
}

/* Marks a slot the caller popped as held by its dispatch claim. relaxed: the slot is ours; a pop
 * that read its link before our pop fails its CAS on the tagged head whatever it read. */
void baton__slab_mark_claim(baton__slab *slab, uint32_t index, uint32_t tag)
{
    atomic_store_explicit(baton__atomic(*claim_link(slab, index)), BATON_SLOT_CLAIM_MARK | tag, memory_order_relaxed);
}

/* Whether the slot a claim token names is held by a dispatch claim (the caller checked its state
 * word: FREE, of the token's generation). */
int baton__slab_is_claim(const baton__slab *slab, uint64_t token)
{
    uint32_t link = atomic_load_explicit(baton__atomic(*claim_link(slab, baton__handle_index(token))),
                                         memory_order_relaxed);
    return (link & BATON_SLOT_CLAIM_MARK) != 0;
}

/* Ends the dispatch claim on the token's slot: 1 if this call ended it, by CAS of the mark to 0,
 * so of two ends with one token exactly one wins; the winner then holds the slot alone. */
int baton__slab_end_claim(baton__slab *slab, uint64_t token)
{
    uint32_t *link = claim_link(slab, baton__handle_index(token));
    uint32_t mark = atomic_load_explicit(baton__atomic(*link), memory_order_relaxed);
    /* acq_rel: the winner sees what the claimer wrote (the payload in place) before handing over. */
    return (mark & BATON_SLOT_CLAIM_MARK) != 0 &&
           atomic_compare_exchange_strong_explicit(baton__atomic(*link), &mark, 0, memory_order_acq_rel,
                                                   memory_order_relaxed);
}

/* Whether the FREE slot at index is held by a dispatch claim of the attachment tagged tag. */
int baton__slab_claimed_for_dispatch_by(const baton__slab *slab, uint32_t index, uint32_t tag)
{
    return atomic_load_explicit(baton__atomic(*claim_link(slab, index)), memory_order_relaxed) ==
           (BATON_SLOT_CLAIM_MARK | tag);
}

/* Whether a handle can name the generation: 1 to BATON_GENERATION_MAX (one compare, unsigned). */
static int names_a_handle(uint32_t generation)
{
    return generation - 1 < BATON_GENERATION_MAX;
}

/* The generation a handle can name for a word whose own another process wrote over: its bits
 * below BATON_GENERATION_MAX's, or 1 for none. */
static uint32_t named_generation(uint32_t generation)
{
    uint32_t named = generation & BATON_GENERATION_MAX;
    return named == 0 ? 1 : named;
}

/* FREE(g) to DISPATCHED(g) for a slot the caller popped and filled: the handle, or
 * BATON_HANDLE_NONE when the slot was not FREE (another process wrote over its word: the event
 * stays in the slot, whose word expiry settles, baton_reclaim_expired). A FREE word with a holder or
 * a generation no handle names, written over alike, is published under a generation a handle names. */
uint64_t baton__slab_publish(baton__slab *slab, uint32_t index)
{
    baton_slot *slot = baton__slot(slab, index);
    /* relaxed: the slot is ours since we popped it, and no other party moves a FREE word. */
    uint64_t free_word = atomic_load_explicit(baton__atomic(slot->state), memory_order_relaxed);
    if (baton__state(free_word) != BATON_SLOT_FREE) {
        return BATON_HANDLE_NONE;
    }
    uint32_t generation = baton__generation(free_word);
    if (!names_a_handle(generation)) {
        generation = named_generation(generation);
    }
    /* release, not a CAS (Java: the same): the slot is ours alone. It releases the event's fields,
     * written before it, to every thread that acquires the state word and reads DISPATCHED(g):
     * pollers, cancel, expiry, the metrics scan. */
    atomic_store_explicit(baton__atomic(slot->state), baton__state_word(generation, BATON_SLOT_DISPATCHED),
                          memory_order_release);
    return baton__handle(generation, index);
}

/* The state word a CAS from `from` must expect for the handle's generation, or 0 when the slot is not
 * in `from` (never a state word in `from`: generation 0 names no event). `from` is a state, which for
 * POLLED matches whatever claimant the word names (so the word is read first), or the low half of
 * a state word with a claimant tag, which matches only that claimant (a reaper settles only its
 * dead attachment's claims). Other states carry no claimant: their word follows without a read. */
static uint64_t load_if_in(const baton__slab *slab, uint64_t handle, uint32_t from)
{
    if (from != BATON_SLOT_POLLED && from <= BATON_SLOT_STATE_MASK) {
        return baton__state_word(baton__generation(handle), from);
    }
    uint64_t word = baton__slab_load_state(slab, baton__handle_index(handle));
    int matches = from > BATON_SLOT_STATE_MASK ? (uint32_t)word == from : baton__state(word) == from;
    return matches && baton__generation(word) == baton__generation(handle) ? word : 0;
}

/* from(g) to to(g) for the handle's generation g: 1 if this call made the transition. The CAS
 * expects the word as read, claimant and all, so a word that moved since fails it. Lock-free. */
int baton__slab_transition(baton__slab *slab, uint64_t handle, uint32_t from, uint32_t to)
{
    uint64_t expected = load_if_in(slab, handle, from);
    return expected != 0 &&
           atomic_compare_exchange_strong_explicit(baton__atomic(baton__slot(slab, baton__handle_index(handle))->state),
                                                   &expected, baton__state_word(baton__generation(handle), to),
                                                   memory_order_seq_cst, memory_order_relaxed);
}

/* from(g) to FREE(g+1), then pushes the slot on the free list: 1 if this call freed it. The CAS
 * leaves the freer's tag on the FREE word until the slot has forgotten its event (before the CAS, a
 * lost one would leave a live event forgotten): expiry times out an event under a FREE word past the
 * patience, but not under a live attachment's tag (baton.h, the slot's states). Then a release
 * store of the clean word, the slot's own: it orders the forgetting before it. */
int baton__slab_free(baton__slab *slab, uint64_t handle, uint32_t from, uint32_t tag)
{
    uint32_t index = baton__handle_index(handle);
    baton_slot *slot = baton__slot(slab, index);
    uint64_t freed = baton__state_word(next_generation(baton__generation(handle)), BATON_SLOT_FREE);
    uint64_t expected = load_if_in(slab, handle, from);
    if (expected != 0 &&
        atomic_compare_exchange_strong_explicit(baton__atomic(slot->state), &expected,
                                                freed | (uint64_t)tag << BATON_SLOT_HOLDER_SHIFT,
                                                memory_order_seq_cst, memory_order_relaxed)) {
        baton__slot_forget_event(slot);
        atomic_store_explicit(baton__atomic(slot->state), freed, memory_order_release);
        baton__slab_release(slab, index);
        return 1;
    }
    return 0;
}

/* FREE(g+1) for a slot that only its caller can move, so every handle or token of generation g is
 * stale. The caller is the drain, with a slot in the end state its outcome's record reports (nothing
 * else moves a slot out of an end state), or the end of a dispatch claim, whose FREE(g) slot no
 * other party moves. A release store, not a CAS (Java: the same): it orders the caller's reads of the
 * slot before the FREE word, after which a dispatcher may pop and rewrite it. The slot stays the
 * caller's, off the list, until it releases it. */
static void mark_free(baton__slab *slab, uint64_t handle)
{
    baton_slot *slot = baton__slot(slab, baton__handle_index(handle));
    baton__slot_forget_event(slot); /* ordered before the FREE word by its release */
    atomic_store_explicit(baton__atomic(slot->state),
                          baton__state_word(next_generation(baton__generation(handle)), BATON_SLOT_FREE),
                          memory_order_release);
}

/* Frees a slot that only its caller can move (mark_free), then pushes it on the free list with its
 * block. */
void baton__slab_free_owned(baton__slab *slab, uint64_t handle)
{
    mark_free(slab, handle);
    baton__slab_release(slab, baton__handle_index(handle));
}

/* Pushes the newest n slots kept (at least 1) back on the free list with one CAS, their blocks
 * already released. */
static void push_newest_kept(baton__slab *slab, baton__freed_slots *kept, uint32_t n)
{
    if (n == 1) {
        baton__free_list_push(&slab->free_list, kept->indices[kept->count - 1]);
    } else {
        baton__free_list_push_run(&slab->free_list, &kept->indices[kept->count - n], n);
    }
    kept->count -= n;
}

/* As baton__slab_free_owned, but the slot joins the slots its owner keeps (baton__freed_slots), all
 * of which go back on the free list with one CAS when they fill the run. The slot's block is
 * released now: a dispatch that takes the slot back writes its own reference. Until it is taken or
 * pushed back the slot is FREE and on no list: a host that dies meanwhile leaves it to its adopter's
 * audit (baton__slab_recover_free). */
void baton__slab_free_owned_into(baton__slab *slab, uint64_t handle, baton__freed_slots *kept)
{
    mark_free(slab, handle);
    uint32_t index = baton__handle_index(handle);
    release_block(slab, index);
    kept->indices[kept->count++] = index;
    if (kept->count == BATON_FREED_RUN) {
        push_newest_kept(slab, kept, kept->count);
    }
}

/* A drain's end: pushes back with one CAS the newest slots kept past kept->keep, or all of them
 * once another thread asked or when the owner did not dispatch since its last drain, their blocks
 * already released. How many went back. */
uint32_t baton__slab_trim_freed(baton__slab *slab, baton__freed_slots *kept)
{
    uint32_t excess = kept->count > kept->keep ? kept->count - kept->keep : 0;
    if (!kept->owner_dispatched) {
        excess = kept->count;
    }
    kept->owner_dispatched = 0;
    if (atomic_load_explicit(&kept->asked, memory_order_relaxed) != 0) {
        atomic_store_explicit(&kept->asked, 0, memory_order_relaxed);
        excess = kept->count;
    }
    if (excess > 0) {
        push_newest_kept(slab, kept, excess);
    }
    return excess;
}

/* The state word, with acquire: pairs with the CAS that last moved it, so the fields written
 * before that CAS are visible. */
uint64_t baton__slab_load_state(const baton__slab *slab, uint32_t index)
{
    return atomic_load_explicit(baton__atomic(baton__slot(slab, index)->state), memory_order_acquire);
}

/* The state word of a slot that holds an event (baton__slot_holds_event), read with acquire as
 * baton__slab_load_state reads it; 0 for a slot that holds none, whatever its word says. For the
 * scans that act on events from their words alone (expiry, the reaper's, the audit of outcomes, the
 * metrics, the list of events): the word of a free slot that another process wrote over names no
 * event, and acting on it would report, redeliver or list the slot's last event a second time. 0 is
 * no word of an event (generation 0 names none), and reads as FREE. */
uint64_t baton__slab_load_held(const baton__slab *slab, uint32_t index)
{
    uint64_t word = baton__slab_load_state(slab, index);
    return baton__state(word) != BATON_SLOT_FREE && !baton__slot_holds_event(baton__slot(slab, index)) ? 0 : word;
}

/* Why an operation that needed the handle's slot in `expected` cannot act on it, given a state
 * word the caller read. */
int baton__slab_rejection_of(uint64_t handle, uint64_t word, uint32_t expected)
{
    if (baton__generation(word) != baton__generation(handle)) {
        return BATON_ESTALE;
    }
    switch (baton__state(word)) {
    case BATON_SLOT_FREE:
        return BATON_ENOENT;
    case BATON_SLOT_COMPLETED:
        return BATON_EALREADY;
    case BATON_SLOT_TIMED_OUT:
        return BATON_ETIMEDOUT;
    case BATON_SLOT_DISPATCHED:
    case BATON_SLOT_POLLED:
        return expected == baton__state(word) ? BATON_ESTALE : BATON_EPROTO;
    case BATON_SLOT_YIELDING:
        return BATON_EAGAIN; /* its handler is yielding it: dispatched again in a moment */
    default:
        return BATON_EPROTO; /* a corrupted state word: refuse to act on it */
    }
}

/* Whether a state word is one no protocol writes (another process wrote over it): a state past
 * YIELDING, a holder tag on a state that carries none, or a generation no handle names (0, or past
 * BATON_GENERATION_MAX). */
int baton__slab_word_corrupted(uint64_t word)
{
    uint32_t state = baton__state(word);
    return state > BATON_SLOT_YIELDING ||
           (baton__holder(word) != 0 && state != BATON_SLOT_POLLED && state != BATON_SLOT_YIELDING) ||
           !names_a_handle(baton__generation(word));
}

/* A corrupted state word (baton__slab_word_corrupted) read at index, with a generation a handle can
 * name: the word itself, or, for a generation no handle names, the word it was moved to by CAS (the
 * same low half under generation 1 to BATON_GENERATION_MAX), or 0 when the slot moved meanwhile. */
uint64_t baton__slab_normalize_corrupted(baton__slab *slab, uint32_t index, uint64_t word)
{
    uint32_t generation = baton__generation(word);
    if (names_a_handle(generation)) {
        return word;
    }
    uint64_t normalized = baton__state_word(named_generation(generation), (uint32_t)word);
    return atomic_compare_exchange_strong_explicit(baton__atomic(baton__slot(slab, index)->state), &word, normalized,
                                                   memory_order_seq_cst, memory_order_relaxed)
               ? normalized
               : 0;
}

/* The state word of the slot a block's stamp names, when the stamp names it in the generation it
 * has now (baton.h, block area); 0 otherwise. For the audits of blocks a dead process took. */
uint64_t baton__slab_stamped_word(const baton__slab *slab, uint32_t stamp)
{
    uint32_t index = stamp & BATON_BLOCK_INDEX_MASK;
    if (index >= slab->capacity) {
        return 0;
    }
    uint64_t word = baton__slab_load_state(slab, index);
    return baton__block_stamp(baton__handle(baton__generation(word), index)) == stamp ? word : 0;
}

/* Why an operation that needed the handle's slot in `expected` could not act on it, from the
 * slot's state word as it is now. */
int baton__slab_rejection(const baton__slab *slab, uint64_t handle, uint32_t expected)
{
    return baton__slab_rejection_of(handle, baton__slab_load_state(slab, baton__handle_index(handle)), expected);
}

/* A payload block a dispatcher took for the slot its stamp names, FREE in that generation (popped,
 * not yet published), which the slot does not name: the dispatcher died before it named the block.
 * A yield's block names an event in a handler's hands, never a FREE slot. */
static int taken_by_a_dead_dispatcher(const void *context, uint32_t stamp, uint32_t block)
{
    const baton__slab *slab = context;
    uint64_t word = baton__slab_stamped_word(slab, stamp);
    return word != 0 && baton__state(word) == BATON_SLOT_FREE &&
           baton__slot_payload_block(baton__slot(slab, stamp & BATON_BLOCK_INDEX_MASK)) != block;
}

/* After the dispatcher died: gives back the payload blocks it took for slots it never named them in,
 * then pushes back every slot that is FREE, held by no dispatch claim and on no list, which a
 * dispatcher popped and died before it published (with the block the slot names). Only while no
 * slot is popped (the host adopting) and no other party frees one. The slots put back. */
uint32_t baton__slab_recover_free(baton__slab *slab)
{
    baton__block_release_orphans(slab->blocks, taken_by_a_dead_dispatcher, slab);
    uint64_t *members = calloc((slab->capacity + 63) / 64, sizeof(uint64_t));
    if (members == NULL) {
        return 0; /* the slots stay lost; the channel works with fewer */
    }
    baton__free_list_mark_members(&slab->free_list, members);
    uint32_t recovered = 0;
    for (uint32_t index = 0; index < slab->capacity; index++) {
        if (baton__state(baton__slab_load_state(slab, index)) == BATON_SLOT_FREE &&
            !((members[index / 64] >> (index % 64)) & 1) &&
            !(atomic_load_explicit(baton__atomic(*claim_link(slab, index)), memory_order_relaxed) &
              BATON_SLOT_CLAIM_MARK)) {
            baton__slot_forget_event(baton__slot(slab, index)); /* the dead dispatcher may have written one */
            baton__slab_release(slab, index);
            recovered++;
        }
    }
    free(members);
    return recovered;
}
