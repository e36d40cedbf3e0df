// Type declarations of the baton package (lib/index.js).

/** libbaton was not found, or is not the ABI this binding was written for. */
export class LibraryMismatch extends Error {}

/** A call libbaton refused; the subclasses are named after the BATON_E* codes a caller can cause. */
export class BatonError extends Error {
  /** The BATON_E* value, negative. */
  readonly code: number;
  /** The macro's name, such as "BATON_ESTALE". */
  readonly codeName: string;
}
export class ENOENT extends BatonError {}
export class EIO extends BatonError {}
export class ENOMEM extends BatonError {}
export class EACCES extends BatonError {}
export class EBUSY extends BatonError {}
export class EEXIST extends BatonError {}
export class EINVAL extends BatonError {}
export class EPROTO extends BatonError {}
export class EBADMSG extends BatonError {}
export class EUSERS extends BatonError {}
export class EMSGSIZE extends BatonError {}
export class EPROTONOSUPPORT extends BatonError {}
export class EISCONN extends BatonError {}
export class ESHUTDOWN extends BatonError {}
export class EHOSTDOWN extends BatonError {}
export class EALREADY extends BatonError {}
export class EUCLEAN extends BatonError {}
export const CODES: Readonly<Record<string, number>>;

export const ABI_MAJOR: number;
export const ABI_MINOR: number;
/** The longest a wait sleeps in libbaton before it looks again. */
export const WAIT_SLICE_NS: number;
/** The most events one pollBatch takes. */
export const BATCH_MAX: number;
/** The status of an event whose handler threw. */
export const HANDLER_FAILED: number;

/** What became of a completion: the ordinary outcomes of a race with the event's end. */
export const Completed: Readonly<{ ACCEPTED: 'accepted'; TIMED_OUT: 'timed_out'; STALE: 'stale' }>;
export type Completed = 'accepted' | 'timed_out' | 'stale';

/** What became of a yield (yieldEvent). */
export const Yielded: Readonly<{ REQUEUED: 'requeued'; ENDED: 'ended'; TIMED_OUT: 'timed_out'; STALE: 'stale' }>;
export type Yielded = 'requeued' | 'ended' | 'timed_out' | 'stale';

/** A polled event, its payload copied out (never torn, never another event's). */
export interface Event {
  readonly handle: bigint;
  readonly kind: number;
  readonly eventId: string;
  readonly correlationId: string;
  readonly payload: Buffer;
  readonly dispatchedAtNs: bigint;
  readonly deadlineNs: bigint;
  /** 0 on the first delivery; then how often it was dispatched again after its handler died. */
  readonly redeliveries: number;
  /** The W3C trace context it was dispatched with, or null. */
  readonly traceparent: string | null;
  /** 0 on the first delivery; then how often a handler handed it back (yieldEvent). */
  readonly yields: number;
}

/** An event the slab holds, as listEvents reports it: read under its slot's state word. */
export interface ListedEvent {
  readonly handle: bigint;
  readonly eventId: string;
  readonly correlationId: string;
  readonly dispatchedAtNs: bigint;
  readonly kind: number;
  /** Waiting for a handler, in progress, handed back, or ended with its outcome not yet drained. */
  readonly state: 'dispatched' | 'polled' | 'yielding' | 'completed' | 'timed_out';
  readonly redeliveries: number;
  readonly yields: number;
}

/** An event's end as the host drains it: completed by a handler, or timed out. */
export interface Outcome {
  readonly handle: bigint;
  readonly status: number;
  readonly result: Buffer;
  readonly timedOut: boolean;
  readonly kind: number;
  readonly eventId: string;
  readonly latencyNs: bigint;
  /** The W3C trace context the event was dispatched with, or null. */
  readonly traceparent: string | null;
  /** The span its handler named in complete (options.spanId), or 0n. */
  readonly handlerSpanId: bigint;
}

/** A handler's answer that hands its event back with a continuation payload. */
export class Yield {
  constructor(continuation?: Uint8Array);
  readonly continuation: Uint8Array;
}

/** A handler's answer: bytes with status 0, a [status, bytes] pair, nothing, or a Yield. */
export type Answer = Uint8Array | [number, Uint8Array] | Yield | undefined | void;
export type Handler = (event: Event) => Answer | Promise<Answer>;

export interface CreateOptions {
  slabCapacity?: number;
  slotSize?: number;
  dispatchRingCapacity?: number;
  completionRingCapacity?: number;
  latencyRingCapacity?: number;
  attachmentCapacity?: number;
  completionTimeoutMs?: number;
  starvationThresholdMs?: number;
  redeliveryLimit?: number;
  /** How often an event may be yielded before the next yield ends it with BATON_ELOOP. */
  yieldLimit?: number;
  /** Block size (a power of two from 1 KiB to 32 MiB) to count; the largest is the longest payload or result. */
  blocks?: Record<number, number>;
  mode?: number;
}

/** A UUID string, or a 128-bit integer. */
export type Id = string | bigint | number;

export class Channel {
  /** adopt: become the host of a channel whose host died (adopt()); throws EISCONN while it lives. */
  static open(path: string, options?: { anyOwner?: boolean; adopt?: boolean }): Channel;
  static create(path: string, options?: CreateOptions): Channel;
  /** Blocks the calling thread up to timeoutMs (undefined: until an event or the close). */
  poll(options?: { timeoutMs?: number }): Event | null;
  /** Waits on libuv's thread pool, parking one of its threads while it waits. */
  pollAsync(options?: { timeoutMs?: number }): Promise<Event | null>;
  complete(event: Event | bigint, status?: number, result?: Uint8Array, options?: { spanId?: bigint }): Completed;
  /** Up to maxEvents events in one call, payloads copied unchecked; [] after timeoutMs. */
  pollBatch(maxEvents?: number, options?: { timeoutMs?: number }): Event[];
  /** One call for them all: each entry's Completed, or the error that refused it (not thrown). */
  completeBatch(
    completions: Array<[Event | bigint, number, Uint8Array] | [Event | bigint, number, Uint8Array, bigint]>,
  ): Array<Completed | BatonError>;
  yieldEvent(event: Event | bigint, continuation?: Uint8Array): Yielded;
  reap(): number;
  /** Becomes the channel's host once its host died or detached without closing; EISCONN while it lives. */
  adopt(): void;
  claim(
    length: number,
    options?: { kind?: number; eventId?: Id; correlationId?: Id; traceparent?: string | null },
  ): DispatchClaim | null;
  dispatch(
    payload?: Uint8Array,
    options?: { kind?: number; eventId?: Id; correlationId?: Id; traceparent?: string | null },
  ): bigint | null;
  /** One call for them all: the handles of those dispatched, fewer than the payloads under backpressure. */
  dispatchBatch(
    payloads: Uint8Array[],
    options?: { kind?: number; eventIds?: Id[] | null; correlationId?: Id; redeliveries?: number[] | null },
  ): bigint[];
  cancel(handle: Event | bigint): Completed;
  drain(max?: number): Outcome[];
  awaitOutcomes(options?: { timeoutMs?: number }): boolean;
  reclaimExpired(): number;
  metrics(): Record<string, bigint>;
  drainCounts(): Record<string, bigint>;
  /** The events the slab holds, for a host that must account for them; works once closed, until detach. */
  listEvents(chunk?: number): ListedEvent[];
  close(): void;
  detach(): void;
}

/** Room claimed for one payload: write payload, then commit (the handle, or null while the ring is full) or abort. */
export class DispatchClaim {
  readonly payload: Uint8Array;
  readonly held: boolean;
  commit(): bigint | null;
  abort(): void;
}

/** Serves the channel file from worker threads until the host closes it; the events completed. */
export function serve(
  channelPath: string,
  handlerModule: string,
  options?: { workers?: number; anyOwner?: boolean; onAttached?: () => void },
): Promise<number>;

/** Serves channel with handler on this thread until the channel closes; the events completed. */
export function serveChannel(channel: Channel, handler: Handler): Promise<number>;
