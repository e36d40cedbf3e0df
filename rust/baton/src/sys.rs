//! `extern "C"` declarations of include/baton.h: the structs and functions a Rust handler or host
//! uses, with the same layout (`#[repr(C)]`) and names.

#![allow(non_camel_case_types)]

use std::ffi::c_void;
use std::os::raw::c_char;

pub const BATON_OK: i32 = 0;
pub const BATON_EFAULT: i32 = -14;
pub const BATON_EINVAL: i32 = -22;
pub const BATON_ESHUTDOWN: i32 = -108;
pub const BATON_ENOBUFS: i32 = -105;
pub const BATON_ETIMEDOUT: i32 = -110;
pub const BATON_EALREADY: i32 = -114;
pub const BATON_ESTALE: i32 = -116;
pub const BATON_SEGMENT_ALIGNMENT: usize = 4096;

/// An attachment to a channel's memory (opaque).
#[repr(C)]
pub struct baton_channel {
    _private: [u8; 0],
}

#[repr(C)]
#[derive(Clone, Copy, Debug, Default)]
pub struct baton_config {
    pub slab_capacity: u32,
    pub slot_size: u32,
    pub dispatch_ring_capacity: u32,
    pub completion_ring_capacity: u32,
    pub latency_ring_capacity: u32,
    pub reserved: u32,
    pub completion_timeout_ns: i64,
    pub starvation_threshold_ns: i64,
}

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
            payload: std::ptr::null(),
        }
    }
}

#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct baton_completion {
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

pub type baton_completion_handler = extern "C" fn(context: *mut c_void, completion: *const baton_completion);

extern "C" {
    pub fn baton_segment_length(config: *const baton_config) -> u64;
    pub fn baton_format(memory: *mut c_void, length: u64, config: *const baton_config) -> i32;
    pub fn baton_attach(memory: *mut c_void, length: u64, channel: *mut *mut baton_channel) -> i32;
    pub fn baton_detach(channel: *mut baton_channel) -> i32;
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
    pub fn baton_poll(channel: *mut baton_channel, event: *mut baton_event) -> i32;
    pub fn baton_poll_wait(channel: *mut baton_channel, event: *mut baton_event, timeout_ns: i64) -> i32;
    pub fn baton_read_payload(
        channel: *mut baton_channel,
        event: *const baton_event,
        destination: *mut c_void,
        capacity: u32,
    ) -> i32;
    pub fn baton_complete(
        channel: *mut baton_channel,
        handle: u64,
        status: i32,
        result: *const c_void,
        result_length: u32,
    ) -> i32;
    pub fn baton_drain_completions(
        channel: *mut baton_channel,
        handler: baton_completion_handler,
        context: *mut c_void,
        max: u32,
    ) -> i32;
    pub fn baton_record_latency(channel: *mut baton_channel, value_ns: i64) -> i32;
    pub fn baton_strerror(code: i32) -> *const c_char;
}
