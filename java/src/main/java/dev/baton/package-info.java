/**
 * Baton: lock-free dispatch channels in one off-heap {@link java.lang.foreign.MemorySegment}
 * shared by a host and its handlers.
 *
 * <h2>Access modes</h2>
 * Every access to shared memory names its mode, as C11 does:
 * <ul>
 *   <li><b>plain</b> ({@code get}/{@code set}): only for memory that the calling thread owns
 *       at that moment (a slot it popped from the free list, a record it claimed).</li>
 *   <li><b>opaque</b> ({@code getOpaque}/{@code setOpaque}): C's {@code memory_order_relaxed};
 *       for values that are validated afterwards (a free-list link checked by a CAS).</li>
 *   <li><b>acquire / release</b> ({@code getAcquire}/{@code setRelease}): each acquire names the
 *       release it pairs with, next to the code.</li>
 *   <li><b>CAS</b> ({@code compareAndSet}): sequentially consistent, C's
 *       {@code memory_order_seq_cst}; every slot transition is one.</li>
 * </ul>
 * The layout of the memory is drawn once, in {@code include/baton.h}; the {@code *Descriptor}
 * classes restate it as {@link java.lang.foreign.MemoryLayout}s and are checked against it.
 */
package dev.baton;
