//! Raw declarations of libbaton's C ABI, as include/baton.h states it: every result code, every
//! function and every struct a caller passes, with the same names and `#[repr(C)]` layouts. The
//! tests hold each size, offset and constant to what the C compiler makes of the header.
//!
//! Results are `0` (or a count or handle) on success and a negative `BATON_E*` code otherwise;
//! each function's comment in baton.h says which codes it returns, whether it blocks, and who may
//! call it. The safe API is the `baton` crate.

#![allow(non_camel_case_types)]

use std::ffi::c_void;
use std::os::raw::c_char;

/// The ABI this crate declares: an attachment refuses a channel of another major version.
pub const BATON_ABI_MAJOR: u32 = 6;
/// Additions within a major version.
pub const BATON_ABI_MINOR: u32 = 0;
/// `major << 16 | minor`, as a channel's header records it.
pub const BATON_ABI_VERSION: u32 = (BATON_ABI_MAJOR << 16) | BATON_ABI_MINOR;

/// Success.
pub const BATON_OK: i32 = 0;
/// Unknown handle: index out of range or generation 0.
pub const BATON_ENOENT: i32 = -2;
/// A wait was interrupted by a signal: the caller's runtime may act.
pub const BATON_EINTR: i32 = -4;
/// The channel's file could not be created, sized or mapped.
pub const BATON_EIO: i32 = -5;
/// Slab full: max in-flight events reached (backpressure).
pub const BATON_EAGAIN: i32 = -11;
/// The channel's file belongs to another user, or may not be opened.
pub const BATON_EACCES: i32 = -13;
/// A NULL pointer where memory was required.
pub const BATON_EFAULT: i32 = -14;
/// A drain of this attachment is already running (re-entrant drain).
pub const BATON_EBUSY: i32 = -16;
/// A file already exists where a channel was to be created.
pub const BATON_EEXIST: i32 = -17;
/// An argument out of its documented range.
pub const BATON_EINVAL: i32 = -22;
/// The event was yielded yield_limit times: it is completed with this status.
pub const BATON_ELOOP: i32 = -40;
/// Dispatch ring full (backpressure).
pub const BATON_ENOSPC: i32 = -28;
/// The event is not in a state that allows this operation.
pub const BATON_EPROTO: i32 = -71;
/// Wrong magic: this memory is not a Baton channel.
pub const BATON_EBADMSG: i32 = -74;
/// The attachment table is full: every entry names a live process.
pub const BATON_EUSERS: i32 = -87;
/// Payload or result longer than the channel allows.
pub const BATON_EMSGSIZE: i32 = -90;
/// ABI major version differs from this header's.
pub const BATON_EPROTONOSUPPORT: i32 = -93;
/// Completion ring full (backpressure).
pub const BATON_ENOBUFS: i32 = -105;
/// The channel is closed.
pub const BATON_ESHUTDOWN: i32 = -108;
/// The event timed out; its completion is no longer accepted.
pub const BATON_ETIMEDOUT: i32 = -110;
/// The event was already completed.
pub const BATON_EALREADY: i32 = -114;
/// Stale handle: the slot has moved on to a later generation.
pub const BATON_ESTALE: i32 = -116;

/// Every result code with its name, for messages.
pub const BATON_CODES: [(i32, &str); 22] = [
    (BATON_OK, "BATON_OK"),
    (BATON_ENOENT, "BATON_ENOENT"),
    (BATON_EINTR, "BATON_EINTR"),
    (BATON_EIO, "BATON_EIO"),
    (BATON_EAGAIN, "BATON_EAGAIN"),
    (BATON_EACCES, "BATON_EACCES"),
    (BATON_EFAULT, "BATON_EFAULT"),
    (BATON_EBUSY, "BATON_EBUSY"),
    (BATON_EEXIST, "BATON_EEXIST"),
    (BATON_EINVAL, "BATON_EINVAL"),
    (BATON_ELOOP, "BATON_ELOOP"),
    (BATON_ENOSPC, "BATON_ENOSPC"),
    (BATON_EPROTO, "BATON_EPROTO"),
    (BATON_EBADMSG, "BATON_EBADMSG"),
    (BATON_EUSERS, "BATON_EUSERS"),
    (BATON_EMSGSIZE, "BATON_EMSGSIZE"),
    (BATON_EPROTONOSUPPORT, "BATON_EPROTONOSUPPORT"),
    (BATON_ENOBUFS, "BATON_ENOBUFS"),
    (BATON_ESHUTDOWN, "BATON_ESHUTDOWN"),
    (BATON_ETIMEDOUT, "BATON_ETIMEDOUT"),
    (BATON_EALREADY, "BATON_EALREADY"),
    (BATON_ESTALE, "BATON_ESTALE"),
];

/// A timeout that waits until the wait's condition holds or the channel closes.
pub const BATON_WAIT_FOREVER: i64 = -1;

/// `baton_create`'s file permissions when it is given 0: owner-only.
pub const BATON_FILE_MODE_DEFAULT: u32 = 0o600;
/// `baton_open`: accept a file another user owns.
pub const BATON_OPEN_ANY_OWNER: u32 = 1;
/// The length of a W3C traceparent of version 00, without its NUL.
pub const BATON_TRACEPARENT_LENGTH: u32 = 55;

/// `baton_struct_size`'s ids of the API structs.
pub const BATON_STRUCT_CONFIG: u32 = 1;
pub const BATON_STRUCT_EVENT: u32 = 2;
pub const BATON_STRUCT_OUTCOME: u32 = 3;
pub const BATON_STRUCT_METRICS: u32 = 4;
pub const BATON_STRUCT_DRAIN_COUNTS: u32 = 5;
pub const BATON_STRUCT_TRACE_CONTEXT: u32 = 6;
pub const BATON_STRUCT_PAYLOAD_CLAIM: u32 = 7;
/// The yield_limit a channel configured with 0 records.
pub const BATON_YIELD_LIMIT_DEFAULT: u32 = 100;

/// The alignment a channel's memory needs.
pub const BATON_SEGMENT_ALIGNMENT: usize = 4096;
/// The bytes a slot's header takes before its payload.
pub const BATON_SLOT_HEADER_LENGTH: u32 = 128;
/// The bytes a completion record's body takes before its result.
pub const BATON_COMPLETION_BODY_LENGTH: u32 = 16;
/// Size classes of the block area: class k holds blocks of `BATON_BLOCK_SIZE_MIN << k` bytes.
pub const BATON_BLOCK_CLASSES: usize = 16;
/// The bytes of a block of class 0.
pub const BATON_BLOCK_SIZE_MIN: u32 = 1024;

/// An attachment to a channel's memory (opaque).
#[repr(C)]
pub struct baton_channel {
    _private: [u8; 0],
}

/// The sizes of a channel, for `baton_segment_length` and `baton_format`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct baton_config {
    pub slab_capacity: u32,
    pub slot_size: u32,
    pub dispatch_ring_capacity: u32,
    pub completion_ring_capacity: u32,
    pub latency_ring_capacity: u32,
    pub attachment_capacity: u32,
    pub completion_timeout_ns: i64,
    pub starvation_threshold_ns: i64,
    pub redelivery_limit: u32,
    /// Times an event may be yielded (baton_yield); 0: BATON_YIELD_LIMIT_DEFAULT.
    pub yield_limit: u32,
    /// Blocks of each size class, for payloads, and as many for results, longer than their inline room.
    pub block_counts: [u32; BATON_BLOCK_CLASSES],
}

/// An event a handler claimed; `payload` is an unchecked view into the slot.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct baton_event {
    pub handle: u64,
    pub kind: i32,
    pub payload_length: u32,
    pub event_id_hi: u64,
    pub event_id_lo: u64,
    pub correlation_id_hi: u64,
    pub correlation_id_lo: u64,
    pub dispatched_at_ns: i64,
    pub deadline_ns: i64,
    pub redeliveries: u32,
    pub yields: u32,
    pub payload: *const u8,
}

impl Default for baton_event {
    fn default() -> Self {
        baton_event {
            handle: 0,
            kind: 0,
            payload_length: 0,
            event_id_hi: 0,
            event_id_lo: 0,
            correlation_id_hi: 0,
            correlation_id_lo: 0,
            dispatched_at_ns: 0,
            deadline_ns: 0,
            redeliveries: 0,
            yields: 0,
            payload: std::ptr::null(),
        }
    }
}

/// An outcome, as a drain shows it to the host: `result` points into the caller's result buffer
/// (`baton_drain`), or into the channel during the handler call (`baton_drain_each`).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct baton_outcome {
    pub handle: u64,
    pub status: i32,
    pub result_length: u32,
    pub timed_out: i32,
    pub kind: i32,
    pub event_id_hi: u64,
    pub event_id_lo: u64,
    pub latency_ns: i64,
    pub result: *const u8,
}

/// The pending-event metrics, from one scan of the slot state words.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct baton_metrics {
    pub pending_count: u64,
    pub waiting_count: u64,
    pub in_progress_count: u64,
    pub awaiting_drain_count: u64,
    pub starving_count: u64,
    pub oldest_pending_age_ns: i64,
    pub newest_pending_age_ns: i64,
    pub oldest_event_id_hi: u64,
    pub oldest_event_id_lo: u64,
}

/// What an attachment's drains saw since it attached.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct baton_drain_counts {
    pub completed_count: u64,
    pub timed_out_count: u64,
    pub rejected_record_count: u64,
    pub unblocked_record_count: u64,
}

/// An event's W3C trace context, and the span of the handler that completed it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct baton_trace_context {
    pub trace_id_hi: u64,
    pub trace_id_lo: u64,
    pub parent_span_id: u64,
    pub handler_span_id: u64,
    pub flags: u32,
    pub reserved: u32,
}

/// Room claimed for a payload written in place (baton_claim), to commit or abort.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct baton_payload_claim {
    pub token: u64,
    pub payload: *mut u8,
    pub payload_length: u32,
    pub reserved: u32,
}

impl Default for baton_payload_claim {
    fn default() -> Self {
        baton_payload_claim { token: 0, payload: std::ptr::null_mut(), payload_length: 0, reserved: 0 }
    }
}

pub type baton_outcome_handler = extern "C" fn(context: *mut c_void, outcome: *const baton_outcome);

extern "C" {
    pub fn baton_segment_length(config: *const baton_config) -> u64;
    pub fn baton_format(memory: *mut c_void, length: u64, config: *const baton_config) -> i32;
    pub fn baton_attach(memory: *mut c_void, length: u64, channel: *mut *mut baton_channel) -> i32;
    pub fn baton_detach(channel: *mut baton_channel) -> i32;
    pub fn baton_create(
        path: *const c_char,
        config: *const baton_config,
        mode: u32,
        channel: *mut *mut baton_channel,
    ) -> i32;
    pub fn baton_open(path: *const c_char, flags: u32, channel: *mut *mut baton_channel) -> i32;
    pub fn baton_close(channel: *mut baton_channel) -> i32;
    pub fn baton_dispatch(
        channel: *mut baton_channel,
        event_id_hi: u64,
        event_id_lo: u64,
        correlation_id_hi: u64,
        correlation_id_lo: u64,
        kind: i32,
        payload: *const c_void,
        payload_length: u32,
    ) -> i64;
    pub fn baton_dispatch_traced(
        channel: *mut baton_channel,
        event_id_hi: u64,
        event_id_lo: u64,
        correlation_id_hi: u64,
        correlation_id_lo: u64,
        kind: i32,
        trace: *const baton_trace_context,
        payload: *const c_void,
        payload_length: u32,
    ) -> i64;
    pub fn baton_claim(
        channel: *mut baton_channel,
        event_id_hi: u64,
        event_id_lo: u64,
        correlation_id_hi: u64,
        correlation_id_lo: u64,
        kind: i32,
        trace: *const baton_trace_context,
        payload_length: u32,
        claim: *mut baton_payload_claim,
    ) -> i32;
    pub fn baton_commit(channel: *mut baton_channel, claim: *mut baton_payload_claim) -> i64;
    pub fn baton_abort(channel: *mut baton_channel, claim: *mut baton_payload_claim) -> i32;
    pub fn baton_yield(channel: *mut baton_channel, handle: u64, continuation: *const c_void, continuation_length: u32)
        -> i32;
    pub fn baton_poll(channel: *mut baton_channel, event: *mut baton_event, timeout_ns: i64) -> i32;
    pub fn baton_await_events(channel: *mut baton_channel, timeout_ns: i64) -> i32;
    pub fn baton_read_payload(
        channel: *mut baton_channel,
        event: *const baton_event,
        destination: *mut c_void,
        capacity: u32,
    ) -> i32;
    pub fn baton_poll_batch(channel: *mut baton_channel, events: *mut baton_event, max: u32) -> i32;
    pub fn baton_complete(
        channel: *mut baton_channel,
        handle: u64,
        status: i32,
        result: *const c_void,
        result_length: u32,
    ) -> i32;
    pub fn baton_complete_traced(
        channel: *mut baton_channel,
        handle: u64,
        status: i32,
        handler_span_id: u64,
        result: *const c_void,
        result_length: u32,
    ) -> i32;
    pub fn baton_read_trace(channel: *mut baton_channel, handle: u64, trace: *mut baton_trace_context) -> i32;
    pub fn baton_drain_each(
        channel: *mut baton_channel,
        handler: baton_outcome_handler,
        context: *mut c_void,
        max: u32,
    ) -> i32;
    pub fn baton_drain(
        channel: *mut baton_channel,
        outcomes: *mut baton_outcome,
        traces: *mut baton_trace_context,
        max: u32,
        results: *mut u8,
        results_capacity: u32,
    ) -> i32;
    pub fn baton_await_outcomes(channel: *mut baton_channel, timeout_ns: i64) -> i32;
    pub fn baton_notify_dispatched(channel: *mut baton_channel) -> i32;
    pub fn baton_notify_completed(channel: *mut baton_channel) -> i32;
    pub fn baton_record_latency(channel: *mut baton_channel, value_ns: i64) -> i32;
    pub fn baton_reclaim_expired(channel: *mut baton_channel) -> i32;
    pub fn baton_reap(channel: *mut baton_channel) -> i32;
    pub fn baton_attachment_tag(channel: *mut baton_channel) -> i32;
    pub fn baton_cancel(channel: *mut baton_channel, handle: u64) -> i32;
    pub fn baton_read_metrics(channel: *mut baton_channel, metrics: *mut baton_metrics) -> i32;
    pub fn baton_read_drain_counts(channel: *mut baton_channel, counts: *mut baton_drain_counts) -> i32;
    pub fn baton_abi_version() -> u32;
    pub fn baton_struct_size(id: u32) -> u32;
    pub fn baton_strerror(code: i32) -> *const c_char;
    pub fn baton_trace_parse(traceparent: *const c_char, trace: *mut baton_trace_context) -> i32;
    pub fn baton_trace_format(trace: *const baton_trace_context, text: *mut c_char, capacity: u32) -> i32;
}
