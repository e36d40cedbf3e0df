'use strict';
// A Baton channel in a file, from Node: attach by path to a host's channel (Channel.open), poll
// events and complete them; or create one and be its host (Channel.create, dispatch, drain).
//
// poll() waits synchronously in libbaton, in slices of at most WAIT_SLICE_NS: meant for worker
// threads (see serving.js). pollAsync() waits on libuv's thread pool instead (koffi's .async), which
// keeps the calling thread free but parks one of the pool's threads (four by default, shared with
// fs, dns and zlib) for each wait in progress.
const crypto = require('node:crypto');
const koffi = require('koffi');
const { lib, LAYOUTS, OPEN_ANY_OWNER, FILE_MODE_DEFAULT, BLOCK_CLASSES, BLOCK_SIZE_MIN, TRACEPARENT_LENGTH } = require('./native');
const errors = require('./errors');
const { Calls } = require('./calls');

const WAIT_SLICE_NS = 100_000_000;
const ENOENT = -2, EINTR = -4, EAGAIN = -11, ENOSPC = -28, ELOOP = -40, ENOBUFS = -105, ETIMEDOUT = -110, ESTALE = -116,
  EMSGSIZE = -90;
const UINT64_MAX = (1n << 64n) - 1n;
const OUTCOMES = 256;

/** What became of a completion: the ordinary outcomes of a race with the event's end. */
const Completed = Object.freeze({ ACCEPTED: 'accepted', TIMED_OUT: 'timed_out', STALE: 'stale' });
const RACES = new Map([[ETIMEDOUT, Completed.TIMED_OUT], [ESTALE, Completed.STALE]]);

/** What became of a yield (yieldEvent). */
const Yielded = Object.freeze({ REQUEUED: 'requeued', ENDED: 'ended', TIMED_OUT: 'timed_out', STALE: 'stale' });
const YIELD_ENDS = new Map([[ELOOP, Yielded.ENDED], [ETIMEDOUT, Yielded.TIMED_OUT], [ESTALE, Yielded.STALE]]);

const EVENT = LAYOUTS.baton_event.fields;
const OUTCOME = LAYOUTS.baton_outcome.fields;
const CONFIG = LAYOUTS.baton_config.fields;
const CLAIM = LAYOUTS.baton_payload_claim.fields;
const COMPLETION = LAYOUTS.baton_completion.fields;
const LISTED = LAYOUTS.baton_listed_event.fields;
const DISPATCH_ENTRY = LAYOUTS.baton_dispatch_entry.fields;
/** The most events one pollBatch takes. */
const BATCH_MAX = 1024;

/** As Java's builder: payloads and results up to 1 MiB, in 2.8 MiB of blocks. */
const DEFAULT_BLOCKS = Object.freeze({ [4 * 1024]: 64, [64 * 1024]: 8, [1024 * 1024]: 2 });

/** The size class of a block size; EINVAL for a size that is none. */
function blockClass(size) {
  const k = Math.log2(size) - Math.log2(BLOCK_SIZE_MIN);
  if (!Number.isInteger(k) || k < 0 || k >= BLOCK_CLASSES) {
    throw new errors.EINVAL(`a block size is a power of two from ${BLOCK_SIZE_MIN} to ${BLOCK_SIZE_MIN * 2 ** (BLOCK_CLASSES - 1)}, not ${size}`);
  }
  return k;
}

const TRACE = LAYOUTS.baton_trace_context.fields;
/** A W3C traceparent of version 00 as a baton_trace_context, parsed by libbaton; EINVAL for anything else. */
function traceContextOf(traceparent) {
  const trace = Buffer.alloc(LAYOUTS.baton_trace_context.size);
  const text = String(traceparent);
  if (text.includes('\0') || lib.baton_trace_parse(text, trace) !== 0) {
    throw new errors.EINVAL(`not a W3C traceparent of version 00 with non-zero ids: ${traceparent}`);
  }
  return trace;
}

/** A baton_trace_context's traceparent, formatted by libbaton, or null when it names no trace. */
function traceparentOf(trace) {
  if (trace.readBigUInt64LE(TRACE.trace_id_hi) === 0n && trace.readBigUInt64LE(TRACE.trace_id_lo) === 0n) {
    return null; // it names no trace: no call into libbaton
  }
  const text = Buffer.alloc(TRACEPARENT_LENGTH + 1);
  return lib.baton_trace_format(trace, text, text.length) > 0 ? text.toString('latin1', 0, TRACEPARENT_LENGTH) : null;
}

const pause = new Int32Array(new SharedArrayBuffer(4));
function sleepSync(ms) {
  Atomics.wait(pause, 0, 0, ms); // a synchronous sleep, allowed on every Node thread
}

/** When a wait of timeoutMs ends, on the monotonic clock; undefined for no timeout. */
function deadlineOf(timeoutMs) {
  return timeoutMs === undefined ? undefined : process.hrtime.bigint() + BigInt(Math.round(timeoutMs * 1e6));
}

function passed(deadline) {
  return deadline !== undefined && process.hrtime.bigint() >= deadline;
}

/** One slice of a wait, or what is left before the deadline, in nanoseconds. */
function sliceOf(deadline) {
  if (deadline === undefined) {
    return WAIT_SLICE_NS;
  }
  return Math.max(0, Math.min(WAIT_SLICE_NS, Number(deadline - process.hrtime.bigint())));
}

/** A wait's result: true when ready, false after its slice or a signal; throws for an error. */
function isReady(result) {
  if (result !== 0 && result !== 1 && result !== EINTR) {
    errors.check(result);
  }
  return result === 1;
}

/** A completion's or cancellation's code as a Completed value: the ordinary races are results. */
function completed(code) {
  const result = completionResult(code);
  if (result instanceof Error) {
    throw result;
  }
  return result;
}

/** As completed, with a refusal's error made but not thrown. */
function completionResult(code) {
  return code >= 0 ? Completed.ACCEPTED : RACES.get(code) ?? errors.errorOf(code);
}

/**
 * A polled event, its payload copied out. Its ids are made into UUID strings when read (getters): the
 * text costs more than the rest of an event, and most handlers never read it.
 */
class Event {
  constructor(polled, at, payload, traceparent) {
    this.handle = polled.readBigUInt64LE(at + EVENT.handle);
    this.kind = polled.readInt32LE(at + EVENT.kind);
    this.payload = payload;
    this.dispatchedAtNs = polled.readBigInt64LE(at + EVENT.dispatched_at_ns);
    this.deadlineNs = polled.readBigInt64LE(at + EVENT.deadline_ns);
    this.redeliveries = polled.readUInt32LE(at + EVENT.redeliveries);
    this.yields = polled.readUInt32LE(at + EVENT.yields);
    this.traceparent = traceparent;
    this.ids = polled.subarray(at + EVENT.event_id_hi, at + EVENT.event_id_hi + 16); // hi, lo
    this.correlationIds = polled.subarray(at + EVENT.correlation_id_hi, at + EVENT.correlation_id_hi + 16);
  }

  get eventId() {
    return uuidOf(this.ids, 0);
  }

  get correlationId() {
    return uuidOf(this.correlationIds, 0);
  }
}

/** An event's end as the host drains it; its id is made into a UUID string when read (a getter). */
class Outcome {
  constructor(outcomes, at, result, trace) {
    this.handle = outcomes.readBigUInt64LE(at + OUTCOME.handle);
    this.status = outcomes.readInt32LE(at + OUTCOME.status);
    this.result = result;
    this.timedOut = outcomes.readInt32LE(at + OUTCOME.timed_out) === 1;
    this.kind = outcomes.readInt32LE(at + OUTCOME.kind);
    this.latencyNs = outcomes.readBigInt64LE(at + OUTCOME.latency_ns);
    this.traceparent = traceparentOf(trace);
    this.handlerSpanId = trace.readBigUInt64LE(TRACE.handler_span_id);
    this.ids = Buffer.from(outcomes.subarray(at + OUTCOME.event_id_hi, at + OUTCOME.event_id_hi + 16)); // a copy: drained into again
  }

  get eventId() {
    return uuidOf(this.ids, 0);
  }
}

/** baton.h's slot states that hold an event, as a listed event's state. */
const LISTED_STATES = new Map([[1, 'dispatched'], [2, 'polled'], [3, 'completed'], [4, 'timed_out'], [5, 'yielding']]);

/** An event the slab holds, as listEvents reports it: read under its slot's state word. */
class ListedEvent {
  constructor(listed, at) {
    this.handle = listed.readBigUInt64LE(at + LISTED.handle);
    this.eventId = uuidOf(listed, at + LISTED.event_id_hi);
    this.correlationId = uuidOf(listed, at + LISTED.correlation_id_hi);
    this.dispatchedAtNs = listed.readBigInt64LE(at + LISTED.dispatched_at_ns);
    this.kind = listed.readInt32LE(at + LISTED.kind);
    this.state = LISTED_STATES.get(listed.readUInt32LE(at + LISTED.state));
    this.redeliveries = listed.readUInt32LE(at + LISTED.redeliveries);
    this.yields = listed.readUInt32LE(at + LISTED.yields);
  }
}

function uuidOf(buffer, offset) {
  const hex = buffer.readBigUInt64LE(offset).toString(16).padStart(16, '0') +
    buffer.readBigUInt64LE(offset + 8).toString(16).padStart(16, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A UUID string or a 128-bit BigInt (or integer Number) as baton.h's hi and lo words. */
function halves(id) {
  const number = typeof id === 'string' ? BigInt(`0x${id.replaceAll('-', '')}`) : BigInt(id);
  if (number < 0n || number >> 128n !== 0n) {
    throw new errors.EINVAL(`an id is a UUID or a 128-bit integer, not ${id}`);
  }
  return [number >> 64n, number & UINT64_MAX];
}

function handleOf(event) {
  const handle = typeof event === 'object' && event !== null ? event.handle : event;
  if (typeof handle !== 'bigint' || handle < 0n || handle > UINT64_MAX) {
    throw new errors.EINVAL(`a handle is a BigInt in [0, 2n ** 64n), not ${String(handle)}`);
  }
  return handle;
}

function bytesOf(data) {
  if (Buffer.isBuffer(data)) {
    return data;
  }
  if (data instanceof Uint8Array) {
    return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  }
  throw new TypeError('payloads and results are Buffers or Uint8Arrays: encode strings first');
}

class Channel {
  /**
   * Attaches to the channel file at path, made by a host in any language. With adopt, this attachment
   * then becomes the channel's host in place of one whose process died (adopt()): it drains, and its
   * close() removes the file, as the creator's would. Throws EISCONN (adopt, and the host lives).
   */
  static open(path, { anyOwner = false, adopt = false } = {}) {
    const out = Buffer.alloc(8);
    errors.checkOpening(lib.baton_open(String(path), anyOwner ? OPEN_ANY_OWNER : 0, out));
    const channel = new Channel(out.readBigUInt64LE(0));
    if (adopt) {
      try {
        channel.adopt();
      } catch (error) {
        channel.detach();
        throw error;
      }
    }
    return channel;
  }

  /**
   * Creates a channel in a new file at path and attaches as its host; close() removes the file. blocks
   * maps a block size (a power of two from 1 KiB to 32 MiB) to how many blocks of it hold payloads and
   * results longer than their inline room ({} for none): the largest size is the longest payload or
   * result the channel takes. yieldLimit bounds how often an event may be yielded (yieldEvent).
   */
  static create(path, {
    slabCapacity = 1024, slotSize = 256, dispatchRingCapacity, completionRingCapacity, latencyRingCapacity = 1024,
    attachmentCapacity = 64, completionTimeoutMs = 30_000, starvationThresholdMs = 1000, redeliveryLimit = 0,
    yieldLimit = 100, blocks = DEFAULT_BLOCKS, mode = FILE_MODE_DEFAULT,
  } = {}) {
    const config = Buffer.alloc(LAYOUTS.baton_config.size);
    config.writeUInt32LE(slabCapacity, CONFIG.slab_capacity);
    config.writeUInt32LE(slotSize, CONFIG.slot_size);
    config.writeUInt32LE(dispatchRingCapacity ?? 2 * slabCapacity, CONFIG.dispatch_ring_capacity);
    config.writeUInt32LE(completionRingCapacity ?? Math.max(1024, 64 * slabCapacity), CONFIG.completion_ring_capacity);
    config.writeUInt32LE(latencyRingCapacity, CONFIG.latency_ring_capacity);
    config.writeUInt32LE(attachmentCapacity, CONFIG.attachment_capacity);
    config.writeBigInt64LE(BigInt(Math.round(completionTimeoutMs * 1e6)), CONFIG.completion_timeout_ns);
    config.writeBigInt64LE(BigInt(Math.round(starvationThresholdMs * 1e6)), CONFIG.starvation_threshold_ns);
    config.writeUInt32LE(redeliveryLimit, CONFIG.redelivery_limit);
    config.writeUInt32LE(yieldLimit, CONFIG.yield_limit);
    for (const [size, count] of Object.entries(blocks)) {
      config.writeUInt32LE(count, CONFIG.block_counts + 4 * blockClass(Number(size)));
    }
    const out = Buffer.alloc(8);
    errors.checkOpening(lib.baton_create(String(path), config, mode, out));
    return new Channel(out.readBigUInt64LE(0));
  }

  constructor(pointer) {
    this.pointer = pointer;
    this.calls = new Calls(() => lib.baton_detach(pointer));
    this.event = Buffer.alloc(LAYOUTS.baton_event.size);
    this.outcomes = Buffer.alloc(OUTCOMES * LAYOUTS.baton_outcome.size);
    this.traces = Buffer.alloc(OUTCOMES * LAYOUTS.baton_trace_context.size);
    this.results = Buffer.alloc(64 * 1024);
    // One view of the channel's memory, where polled payloads lie: each is copied out of it by offset,
    // at a fraction of a view per payload. Read only synchronously, on the thread that would detach.
    const memory = Buffer.alloc(8);
    const length = Buffer.alloc(8);
    errors.check(lib.baton_memory(pointer, memory, length));
    this.memoryBase = memory.readBigUInt64LE(0);
    this.memory = Buffer.from(koffi.view(this.memoryBase, Number(length.readBigUInt64LE(0))));
  }

  call(name, ...args) {
    this.calls.check();
    return lib[name](this.pointer, ...args);
  }

  // ---------------------------------------------------------------- handlers

  /** The oldest dispatched event, polled; null after timeoutMs (undefined: wait until one comes). */
  poll({ timeoutMs } = {}) {
    const deadline = deadlineOf(timeoutMs);
    for (;;) {
      const event = this.settle(this.call('baton_poll', this.event, sliceOf(deadline)), this.event);
      if (event) {
        return event;
      }
      if (passed(deadline)) {
        return null;
      }
    }
  }

  /** As poll, waiting on libuv's pool: a Promise of the event, or of null after timeoutMs. */
  async pollAsync({ timeoutMs } = {}) {
    const deadline = deadlineOf(timeoutMs);
    const event = Buffer.alloc(LAYOUTS.baton_event.size); // its own: several may wait at once
    for (;;) {
      this.calls.enterAsync();
      const polled = await new Promise((resolve, reject) => {
        lib.baton_poll.async(this.pointer, event, sliceOf(deadline), (error, result) => {
          this.calls.leaveAsync();
          error ? reject(error) : resolve(result);
        });
      });
      const claimed = this.settle(polled, event);
      if (claimed) {
        return claimed;
      }
      if (passed(deadline)) {
        return null;
      }
    }
  }

  /** The event a poll took, with its payload copied out; null when none, or when it ended first. */
  settle(polled, event) {
    if (!isReady(polled)) {
      return null;
    }
    const payload = Buffer.alloc(event.readUInt32LE(EVENT.payload_length));
    const length = this.call('baton_read_payload', event, payload, payload.length);
    if (RACES.has(length)) {
      return null; // timed out or cancelled before it was copied
    }
    errors.check(length);
    const handle = event.readBigUInt64LE(EVENT.handle);
    const trace = Buffer.alloc(LAYOUTS.baton_trace_context.size);
    if (this.call('baton_read_trace', handle, trace) !== 0) {
      return null; // ended since its payload was copied
    }
    return new Event(Buffer.from(event), 0, payload, traceparentOf(trace)); // a copy: this.event is polled into again
  }

  /**
   * Up to maxEvents dispatched events, polled in one call into libbaton (and their trace contexts in
   * one more), or [] after timeoutMs (undefined: wait until one comes). Each payload is copied from
   * the channel's memory unchecked, without baton_read_payload's seqlock: if an event times out or is
   * cancelled while it is copied, its bytes may be another event's, but its completion is then refused
   * (Completed.TIMED_OUT or STALE), so the host never sees an answer computed from them. Throws
   * EINVAL for maxEvents outside [1, BATCH_MAX], ESHUTDOWN once closed or detached.
   */
  pollBatch(maxEvents = 64, { timeoutMs } = {}) {
    if (!Number.isInteger(maxEvents) || maxEvents < 1 || maxEvents > BATCH_MAX) {
      throw new errors.EINVAL(`maxEvents is an integer in [1, ${BATCH_MAX}], not ${maxEvents}`);
    }
    const deadline = deadlineOf(timeoutMs);
    const polled = Buffer.alloc(maxEvents * LAYOUTS.baton_event.size);
    for (;;) {
      const taken = errors.check(this.call('baton_poll_batch', polled, maxEvents));
      if (taken > 0) {
        return this.eventsOf(polled, taken);
      }
      if (!isReady(this.call('baton_await_events', sliceOf(deadline))) && passed(deadline)) {
        return [];
      }
    }
  }

  /** The first taken entries of a polled array as events, with their payloads and traces. */
  eventsOf(polled, taken) {
    const traceSize = LAYOUTS.baton_trace_context.size;
    const eventSize = LAYOUTS.baton_event.size;
    const traces = Buffer.alloc(taken * traceSize);
    errors.check(this.call('baton_read_traces', polled, taken, traces));
    const events = new Array(taken);
    for (let i = 0; i < taken; i++) {
      const at = i * eventSize;
      const length = polled.readUInt32LE(at + EVENT.payload_length);
      const payload = Buffer.allocUnsafe(length);
      if (length > 0) {
        const start = Number(polled.readBigUInt64LE(at + EVENT.payload) - this.memoryBase);
        this.memory.copy(payload, 0, start, start + length);
      }
      events[i] = new Event(polled, at, payload, traceparentOf(traces.subarray(i * traceSize, (i + 1) * traceSize)));
    }
    return events;
  }

  /**
   * Completes polled events in one call into libbaton: completions are [event or BigInt handle,
   * status, result Buffer] or [event or handle, status, result, spanId BigInt]. Waits while the
   * completion ring is full, as complete does. Returns, for each entry in order, a Completed value, or
   * the error its refusal names (ENOENT, EPROTO, EALREADY, EMSGSIZE), made but not thrown: one refused
   * entry never stops the rest. Throws ESHUTDOWN.
   */
  completeBatch(completions) {
    const count = completions.length;
    if (count === 0) {
      return [];
    }
    const size = LAYOUTS.baton_completion.size;
    const results = completions.map((completion) => bytesOf(completion[2] ?? Buffer.alloc(0)));
    const packed = Buffer.concat(results); // one buffer this call keeps alive until libbaton returns
    const base = packed.length > 0 ? koffi.address(packed) : 0n;
    const entries = Buffer.alloc(count * size);
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const at = i * size;
      const length = results[i].length;
      entries.writeBigUInt64LE(handleOf(completions[i][0]), at + COMPLETION.handle);
      entries.writeInt32LE(completions[i][1] | 0, at + COMPLETION.status);
      entries.writeUInt32LE(length, at + COMPLETION.result_length);
      entries.writeBigUInt64LE(length > 0 ? base + BigInt(offset) : 0n, at + COMPLETION.result);
      entries.writeBigUInt64LE(BigInt(completions[i][3] ?? 0n), at + COMPLETION.handler_span_id);
      offset += length;
    }
    const codes = new Int32Array(count);
    let settled = 0;
    let backoff = 0;
    while (settled < count) {
      settled += errors.check(this.call('baton_complete_batch', entries.subarray(settled * size), count - settled,
        codes.subarray(settled)));
      if (settled < count) {
        sleepSync(backoff); // the ring is full: the host has not drained yet; back off, up to a millisecond
        backoff = Math.min(1, backoff * 2 || 0.01);
      }
    }
    return Array.from(codes, completionResult);
  }

  /**
   * Completes a polled event (or its BigInt handle), waiting while the completion ring is full; spanId
   * (a BigInt) names the handler's span for the host's trace.
   */
  complete(event, status = 0, result = Buffer.alloc(0), { spanId = 0n } = {}) {
    const handle = handleOf(event);
    const bytes = bytesOf(result);
    let backoff = 0;
    let code;
    while ((code = this.call('baton_complete_traced', handle, status, BigInt(spanId), bytes, bytes.length)) === ENOBUFS) {
      sleepSync(backoff); // the host has not drained yet: back off, up to a millisecond
      backoff = Math.min(1, backoff * 2 || 0.01);
    }
    return completed(code);
  }

  /**
   * Yields a polled event: hands it back to be dispatched again with continuation as its payload (a checkpoint
   * yield): its handle, ids and trace stay, its yields count rises. Waits while no block or ring room
   * is free. Returns a Yielded value: REQUEUED, ENDED (it had yielded the channel's yieldLimit times:
   * the host sees status BATON_ELOOP), or the races TIMED_OUT and STALE. Throws ENOENT, EPROTO (not
   * claimed), EMSGSIZE, ESHUTDOWN.
   */
  yieldEvent(event, continuation = Buffer.alloc(0)) {
    const handle = handleOf(event);
    const bytes = bytesOf(continuation);
    let backoff = 0;
    let code;
    while ([EAGAIN, ENOSPC, ENOBUFS].includes(code = this.call('baton_yield', handle, bytes, bytes.length))) {
      sleepSync(backoff); // no room yet: back off, up to a millisecond
      backoff = Math.min(1, backoff * 2 || 0.01);
    }
    if (YIELD_ENDS.has(code)) {
      return YIELD_ENDS.get(code);
    }
    errors.check(code);
    return Yielded.REQUEUED;
  }

  /** Settles what attachments of dead processes left (baton_reap); the number reaped. */
  reap() {
    return errors.check(this.call('baton_reap'));
  }

  /**
   * Makes this attachment the channel's host once the host's process died or it detached without
   * closing (baton_adopt): the dead are reaped, and the events still pending stay pending, so this
   * attachment's drains deliver their outcomes (an outcome the dead host was handed as it died may
   * come again: each names its event id). Throws EISCONN while the host lives, ESHUTDOWN once closed.
   */
  adopt() {
    errors.checkOpening(this.call('baton_adopt'));
  }

  // ---------------------------------------------------------------- hosts

  /**
   * Dispatches an event, with a W3C traceparent its handler reads: its BigInt handle, or null when the
   * slab, a block for the payload or the dispatch ring is full. Throws EMSGSIZE, EINVAL, ESHUTDOWN.
   */
  dispatch(payload = Buffer.alloc(0), {
    kind = 0, eventId = crypto.randomUUID(), correlationId = 0n, traceparent = null,
  } = {}) {
    const bytes = bytesOf(payload);
    const trace = traceparent === null ? null : traceContextOf(traceparent);
    const handle = this.call('baton_dispatch_traced', ...halves(eventId), ...halves(correlationId), kind, trace, bytes,
      bytes.length);
    if (handle === EAGAIN || handle === ENOSPC) {
      return null;
    }
    return BigInt(errors.check(handle));
  }

  /**
   * Dispatches events in one call into libbaton: payloads is an array of Uint8Arrays; eventIds, when
   * given, an array of ids as long (else each event gets a random UUID); redeliveries, when given, an
   * array of counts as long, for a bridge that carries events from another channel or queue: how often
   * each was already dispatched again after its handler died (its handler here reads it as
   * event.redeliveries, and the channel's redelivery limit counts it). Returns the BigInt handles of
   * the events dispatched, in order: fewer than the payloads when the slab, a block for a payload or
   * the dispatch ring filled (backpressure: drain, then dispatch the rest), or before an entry that is
   * refused. Throws EMSGSIZE when the first entry is too long, ESHUTDOWN; RangeError for an array of
   * another length, or a count outside [0, 2**32).
   */
  dispatchBatch(payloads, { kind = 0, eventIds = null, correlationId = 0n, redeliveries = null } = {}) {
    const count = payloads.length;
    if (eventIds !== null && eventIds.length !== count) {
      throw new RangeError(`${eventIds.length} event ids for ${count} payloads`);
    }
    if (redeliveries !== null && redeliveries.length !== count) {
      throw new RangeError(`${redeliveries.length} redelivery counts for ${count} payloads`);
    }
    if (redeliveries !== null && !redeliveries.every((carried) => Number.isInteger(carried) && carried >= 0 && carried < 2 ** 32)) {
      throw new RangeError(`a redelivery count is an integer in [0, 2**32): ${redeliveries}`);
    }
    if (count === 0) {
      return [];
    }
    const size = LAYOUTS.baton_dispatch_entry.size;
    const bytes = payloads.map(bytesOf);
    const packed = Buffer.concat(bytes); // one buffer this call keeps alive until libbaton returns
    const base = packed.length > 0 ? koffi.address(packed) : 0n;
    const [correlationHi, correlationLo] = halves(correlationId);
    // Random ids from one read of the system's randomness for the batch, as crypto.randomUUID makes them.
    const random = eventIds === null ? crypto.randomBytes(16 * count) : null;
    const entries = Buffer.alloc(count * size);
    let offset = 0;
    for (let i = 0; i < count; i++) {
      const at = i * size;
      let eventHi;
      let eventLo;
      if (random === null) {
        [eventHi, eventLo] = halves(eventIds[i]);
      } else {
        eventHi = (random.readBigUInt64BE(16 * i) & ~0xF000n) | 0x4000n;
        eventLo = (random.readBigUInt64BE(16 * i + 8) & ~(0xCn << 60n)) | (0x8n << 60n);
      }
      entries.writeBigUInt64LE(eventHi, at + DISPATCH_ENTRY.event_id_hi);
      entries.writeBigUInt64LE(eventLo, at + DISPATCH_ENTRY.event_id_lo);
      entries.writeBigUInt64LE(correlationHi, at + DISPATCH_ENTRY.correlation_id_hi);
      entries.writeBigUInt64LE(correlationLo, at + DISPATCH_ENTRY.correlation_id_lo);
      entries.writeInt32LE(kind | 0, at + DISPATCH_ENTRY.kind);
      entries.writeBigUInt64LE(bytes[i].length > 0 ? base + BigInt(offset) : 0n, at + DISPATCH_ENTRY.payload);
      entries.writeUInt32LE(bytes[i].length, at + DISPATCH_ENTRY.payload_length);
      entries.writeUInt32LE(redeliveries === null ? 0 : redeliveries[i], at + DISPATCH_ENTRY.redeliveries);
      offset += bytes[i].length;
    }
    const handles = new BigInt64Array(count);
    const dispatched = errors.check(this.call('baton_dispatch_batch', entries, count, handles));
    // A refusal is thrown only when it stops the batch at its first entry, so the handles of what was
    // dispatched always reach the caller; dispatching the rest then throws it.
    const first = Number(handles[0]);
    if (dispatched === 0 && first !== EAGAIN && first !== ENOSPC) {
      errors.check(first);
    }
    return Array.from(handles.subarray(0, dispatched));
  }

  /**
   * Claims room for a payload of length bytes to write in place (zero-copy dispatch): a DispatchClaim
   * whose payload is a Uint8Array over the channel's memory, to commit() or abort(); null when the slab
   * or a block for the payload is full (backpressure). Throws EMSGSIZE, EINVAL, ESHUTDOWN.
   */
  claim(length, {
    kind = 0, eventId = crypto.randomUUID(), correlationId = 0n, traceparent = null,
  } = {}) {
    const trace = traceparent === null ? null : traceContextOf(traceparent);
    const claim = Buffer.alloc(LAYOUTS.baton_payload_claim.size);
    const code = this.call('baton_claim', ...halves(eventId), ...halves(correlationId), kind, trace, length, claim);
    if (code === EAGAIN) {
      return null;
    }
    errors.check(code);
    return new DispatchClaim(this, claim);
  }

  /** Cancels a pending event: a Completed value, or throws as complete. */
  cancel(handle) {
    return completed(this.call('baton_cancel', handleOf(handle)));
  }

  /** Up to max outcomes, completed or timed out, their slots freed (host only, one at a time). */
  drain(max = OUTCOMES) {
    let drained;
    while ((drained = this.call('baton_drain', this.outcomes, this.traces, Math.min(max, OUTCOMES),
      this.results, this.results.length)) === EMSGSIZE) {
      this.results = Buffer.alloc(2 * this.results.length); // the first result alone was longer
    }
    errors.check(drained);
    const outcomes = [];
    const base = koffi.address(this.results);
    for (let i = 0; i < drained; i++) {
      const at = i * LAYOUTS.baton_outcome.size;
      const resultAt = Number(this.outcomes.readBigUInt64LE(at + OUTCOME.result) - base);
      const trace = this.traces.subarray(i * LAYOUTS.baton_trace_context.size, (i + 1) * LAYOUTS.baton_trace_context.size);
      const resultLength = this.outcomes.readUInt32LE(at + OUTCOME.result_length);
      outcomes.push(new Outcome(this.outcomes, at, Buffer.from(this.results.subarray(resultAt, resultAt + resultLength)),
        trace));
    }
    return outcomes;
  }

  /** true once an outcome is ready to drain, false after timeoutMs (undefined: until one is). */
  awaitOutcomes({ timeoutMs } = {}) {
    const deadline = deadlineOf(timeoutMs);
    for (;;) {
      if (isReady(this.call('baton_await_outcomes', sliceOf(deadline)))) {
        return true;
      }
      if (passed(deadline)) {
        return false;
      }
    }
  }

  /** Times out the pending events past their deadline; how many. */
  reclaimExpired() {
    return errors.check(this.call('baton_reclaim_expired'));
  }

  /** The pending-event metrics from one scan of the slab. */
  metrics() {
    return this.readCounts('baton_read_metrics', LAYOUTS.baton_metrics);
  }

  /** What this attachment's drains saw. */
  drainCounts() {
    return this.readCounts('baton_read_drain_counts', LAYOUTS.baton_drain_counts);
  }

  /**
   * The events the slab holds: waiting, in progress, yielding, or ended and not yet drained. A host
   * accounts with it for the events it dispatched when their outcomes cannot reach it (EUCLEAN from
   * drain), or before it abandons a channel. Each event is read under its slot's state word, so each
   * is consistent; the list is not a snapshot across slots. Works on a closed channel, until
   * detach; throws ESHUTDOWN after it. chunk: the events read per call into libbaton.
   */
  listEvents(chunk = 256) {
    const size = LAYOUTS.baton_listed_event.size;
    const cursor = Buffer.alloc(4);
    const events = Buffer.alloc(chunk * size);
    const listed = [];
    for (;;) {
      const written = errors.check(this.call('baton_list_events', cursor, events, chunk));
      for (let i = 0; i < written; i++) {
        listed.push(new ListedEvent(events, i * size));
      }
      if (written < chunk) {
        return listed;
      }
    }
  }

  readCounts(name, layout) {
    const buffer = Buffer.alloc(layout.size);
    errors.check(this.call(name, buffer));
    return Object.fromEntries(Object.entries(layout.fields).map(([field, at]) => [field, buffer.readBigInt64LE(at)]));
  }

  // ---------------------------------------------------------------- lifetime

  /** Closes the channel for every attachment and wakes every waiter; the creator's close removes the file. */
  close() {
    errors.check(this.call('baton_close'));
  }

  /** Detaches: later calls throw ESHUTDOWN; the attachment is freed now, or once its asynchronous
   * waits have returned (within one wait slice). A second detach does nothing. */
  detach() {
    this.calls.detach();
  }
}

/** Room claimed in a channel for one payload (Channel.claim): write payload, then commit or abort. */
class DispatchClaim {
  constructor(channel, claim) {
    this.channel = channel;
    this.claim = claim;
    const length = claim.readUInt32LE(CLAIM.payload_length);
    const address = koffi.decode(claim, CLAIM.payload, 'void *');
    this.payload = length === 0 ? new Uint8Array(0) : new Uint8Array(koffi.view(address, length));
  }

  /** Whether the claim still holds its room: neither committed nor aborted. */
  get held() {
    return this.claim.readBigUInt64LE(CLAIM.token) !== 0n;
  }

  /** Dispatches the event: its BigInt handle, or null while the dispatch ring is full (the claim is kept). */
  commit() {
    const handle = this.channel.call('baton_commit', this.claim);
    if (handle === ENOSPC) {
      return null;
    }
    this.payload = new Uint8Array(0);
    return BigInt(errors.check(handle));
  }

  /** Gives the room back unseen. Throws EALREADY once committed or aborted. */
  abort() {
    this.payload = new Uint8Array(0);
    errors.check(this.channel.call('baton_abort', this.claim));
  }
}

module.exports = { BATCH_MAX, Channel, Completed, DispatchClaim, Yielded, WAIT_SLICE_NS, bytesOf };
