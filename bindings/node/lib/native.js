'use strict';
// libbaton through koffi: the API structs of baton.h as byte layouts (field offsets, written by hand
// in jextract's style and read with Buffer's little-endian accessors), and each function. Loading
// checks the library's ABI version and holds every struct to the library's size of it
// (baton_abi_version, baton_struct_size), refusing a mismatch before any call; test/abi.test.js
// holds the offsets and constants to what the C compiler makes of baton.h.
//
// Structs travel as Buffers, so 64-bit fields are read with readBigUInt64LE: a handle is always a
// BigInt, whatever its magnitude.
const koffi = require('koffi');

const ABI_MAJOR = 6;
const ABI_MINOR = 0; // the oldest minor with every function bound here
const WAIT_FOREVER = -1;
const OPEN_ANY_OWNER = 1;
const FILE_MODE_DEFAULT = 0o600;
const SLOT_HEADER_LENGTH = 128;
const COMPLETION_BODY_LENGTH = 16;
const BLOCK_CLASSES = 16;
const BLOCK_SIZE_MIN = 1024;

// Each API struct: its baton_struct_size id, its size, and each field's offset.
const LAYOUTS = {
  baton_config: {
    id: 1, size: 112, fields: {
      slab_capacity: 0, slot_size: 4, dispatch_ring_capacity: 8, completion_ring_capacity: 12,
      latency_ring_capacity: 16, attachment_capacity: 20, completion_timeout_ns: 24, starvation_threshold_ns: 32,
      redelivery_limit: 40, yield_limit: 44, block_counts: 48,
    },
  },
  baton_event: {
    id: 2, size: 80, fields: {
      handle: 0, kind: 8, payload_length: 12, event_id_hi: 16, event_id_lo: 24, correlation_id_hi: 32,
      correlation_id_lo: 40, dispatched_at_ns: 48, deadline_ns: 56, redeliveries: 64, yields: 68, payload: 72,
    },
  },
  baton_outcome: {
    id: 3, size: 56, fields: {
      handle: 0, status: 8, result_length: 12, timed_out: 16, kind: 20, event_id_hi: 24, event_id_lo: 32,
      latency_ns: 40, result: 48,
    },
  },
  baton_metrics: {
    id: 4, size: 72, fields: {
      pending_count: 0, waiting_count: 8, in_progress_count: 16, awaiting_drain_count: 24, starving_count: 32,
      oldest_pending_age_ns: 40, newest_pending_age_ns: 48, oldest_event_id_hi: 56, oldest_event_id_lo: 64,
    },
  },
  baton_drain_counts: {
    id: 5, size: 32, fields: {
      completed_count: 0, timed_out_count: 8, rejected_record_count: 16, unblocked_record_count: 24,
    },
  },
  baton_trace_context: {
    id: 6, size: 40, fields: {
      trace_id_hi: 0, trace_id_lo: 8, parent_span_id: 16, handler_span_id: 24, flags: 32, reserved: 36,
    },
  },
  baton_payload_claim: {
    id: 7, size: 24, fields: { token: 0, payload: 8, payload_length: 16, reserved: 20 },
  },
};

/** libbaton was not found, or is not the ABI this binding was written for. */
class LibraryMismatch extends Error {
  constructor(message) {
    super(message);
    this.name = 'LibraryMismatch';
  }
}

/** Throws LibraryMismatch unless version and sizes (id -> bytes) are the ones bound here. */
function check(version, sizeOf, path) {
  const major = version >>> 16;
  const minor = version & 0xffff;
  if (major !== ABI_MAJOR || minor < ABI_MINOR) {
    throw new LibraryMismatch(`${path} has ABI ${major}.${minor}; this binding needs ${ABI_MAJOR}.x with x >= ${ABI_MINOR}`);
  }
  for (const [name, layout] of Object.entries(LAYOUTS)) {
    const size = sizeOf(layout.id);
    if (size !== layout.size) {
      throw new LibraryMismatch(`${path} has a ${size}-byte ${name}; this binding wrote one of ${layout.size}`);
    }
  }
}

const PROTOTYPES = [
  'const char *baton_strerror(int code)',
  'int baton_create(const char *path, void *config, uint32_t mode, void *channel_out)',
  'int baton_open(const char *path, uint32_t flags, void *channel_out)',
  'int baton_detach(void *channel)',
  'int baton_close(void *channel)',
  'int baton_reap(void *channel)',
  'int64_t baton_dispatch_traced(void *channel, uint64_t event_id_hi, uint64_t event_id_lo, ' +
    'uint64_t correlation_id_hi, uint64_t correlation_id_lo, int32_t kind, void *trace, void *payload, ' +
    'uint32_t payload_length)',
  'int baton_claim(void *channel, uint64_t event_id_hi, uint64_t event_id_lo, uint64_t correlation_id_hi, ' +
    'uint64_t correlation_id_lo, int32_t kind, void *trace, uint32_t payload_length, void *claim)',
  'int64_t baton_commit(void *channel, void *claim)',
  'int baton_abort(void *channel, void *claim)',
  'int baton_yield(void *channel, uint64_t handle, void *continuation, uint32_t continuation_length)',
  'int baton_read_trace(void *channel, uint64_t handle, void *trace)',
  'int baton_poll(void *channel, void *event, int64_t timeout_ns)',
  'int baton_read_payload(void *channel, void *event, void *destination, uint32_t capacity)',
  'int baton_complete_traced(void *channel, uint64_t handle, int32_t status, uint64_t handler_span_id, void *result, ' +
    'uint32_t result_length)',
  'int baton_cancel(void *channel, uint64_t handle)',
  'int baton_drain(void *channel, void *outcomes, void *traces, uint32_t max, void *results, ' +
    'uint32_t results_capacity)',
  'int baton_await_outcomes(void *channel, int64_t timeout_ns)',
  'int baton_reclaim_expired(void *channel)',
  'int baton_read_metrics(void *channel, void *metrics)',
  'int baton_read_drain_counts(void *channel, void *counts)',
];

/** Loads libbaton (path, else $BATON_LIBRARY, else the installed libbaton.so.6), checks it, binds it. */
function load(path = process.env.BATON_LIBRARY || `libbaton.so.${ABI_MAJOR}`) {
  let library;
  try {
    library = koffi.load(path);
  } catch (error) {
    throw new LibraryMismatch(`libbaton not loaded from ${path} (${error.message}): install it (make install) or set BATON_LIBRARY`);
  }
  let abiVersion;
  try {
    abiVersion = library.func('uint32_t baton_abi_version(void)');
  } catch {
    throw new LibraryMismatch(`${path} is older than ABI ${ABI_MAJOR}.${ABI_MINOR}: it has no baton_abi_version`);
  }
  const structSize = library.func('uint32_t baton_struct_size(uint32_t id)');
  check(abiVersion(), structSize, path);
  const functions = { baton_abi_version: abiVersion, baton_struct_size: structSize };
  for (const prototype of PROTOTYPES) {
    const name = prototype.match(/(baton_\w+)\(/)[1];
    functions[name] = library.func(prototype);
  }
  return functions;
}

module.exports = {
  ABI_MAJOR, ABI_MINOR, WAIT_FOREVER, OPEN_ANY_OWNER, FILE_MODE_DEFAULT, SLOT_HEADER_LENGTH, COMPLETION_BODY_LENGTH,
  BLOCK_CLASSES, BLOCK_SIZE_MIN,
  LAYOUTS, LibraryMismatch, check, load, lib: load(),
};
