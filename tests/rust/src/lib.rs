//! Rust handlers for Baton channels, with `std` only.
//!
//! [`sys`] declares include/baton.h. [`Channel`] and [`Claimed`] wrap it safely: a claimed event is
//! completed by [`Claimed::complete`], which consumes it, so a handler cannot complete one event
//! twice. The `baton_rust_handlers_start`/`_stop` exports are the handler pool a Java host starts
//! with one downcall (the same convention as tests/c/handler_pool.c).

pub mod sys;

use std::ffi::{c_void, CStr};
use std::fmt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// A negative `BATON_E*` code from libbaton.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error(pub i32);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SAFETY: baton_strerror returns a static, NUL-terminated string for every code.
        let text = unsafe { CStr::from_ptr(sys::baton_strerror(self.0)) };
        write!(f, "{} ({})", text.to_string_lossy(), self.0)
    }
}

impl std::error::Error for Error {}

fn check(code: i32) -> Result<i32, Error> {
    if code < 0 {
        Err(Error(code))
    } else {
        Ok(code)
    }
}

/// An attachment to a channel's memory; detaches when dropped.
pub struct Channel {
    raw: *mut sys::baton_channel,
}

// SAFETY: every baton_* function may be called from any thread on one attachment.
unsafe impl Send for Channel {}
// SAFETY: as above; the attachment is only read after baton_attach.
unsafe impl Sync for Channel {}

impl Channel {
    /// Attaches to a channel that a host laid out in `memory`.
    ///
    /// # Safety
    /// `memory` must point to `length` bytes that stay mapped until this `Channel` is dropped.
    pub unsafe fn attach(memory: *mut c_void, length: u64) -> Result<Channel, Error> {
        let mut raw = std::ptr::null_mut();
        check(sys::baton_attach(memory, length, &mut raw))?;
        Ok(Channel { raw })
    }

    /// The raw attachment, for the host-side calls of [`sys`].
    pub fn raw(&self) -> *mut sys::baton_channel {
        self.raw
    }

    /// Claims the oldest dispatched event, sleeping up to `timeout` while none is ready.
    pub fn poll_wait(&self, timeout: Duration) -> Result<Option<Claimed<'_>>, Error> {
        let mut event = sys::baton_event::default();
        let timeout_ns = i64::try_from(timeout.as_nanos()).unwrap_or(i64::MAX);
        // SAFETY: raw is attached and event is a valid out-parameter.
        let polled = check(unsafe { sys::baton_poll_wait(self.raw, &mut event, timeout_ns) })?;
        Ok((polled == 1).then_some(Claimed { channel: self, event }))
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        // SAFETY: raw came from baton_attach and is detached exactly once, here.
        unsafe { sys::baton_detach(self.raw) };
    }
}

/// An event this handler claimed. Completing it consumes it.
pub struct Claimed<'a> {
    channel: &'a Channel,
    event: sys::baton_event,
}

impl Claimed<'_> {
    /// The handle of this dispatch.
    pub fn handle(&self) -> u64 {
        self.event.handle
    }

    /// The event id as (most, least) significant 64 bits.
    pub fn event_id(&self) -> (u64, u64) {
        (self.event.event_id_hi, self.event.event_id_lo)
    }

    /// The caller-defined event type.
    pub fn kind(&self) -> i32 {
        self.event.kind
    }

    /// Copies the payload into `destination` after checking that the event is still this one.
    pub fn read_payload(&self, destination: &mut [u8]) -> Result<usize, Error> {
        let capacity = u32::try_from(destination.len()).unwrap_or(u32::MAX);
        // SAFETY: destination is valid for capacity bytes; the event came from this channel.
        let read = unsafe {
            sys::baton_read_payload(self.channel.raw, &self.event, destination.as_mut_ptr().cast(), capacity)
        };
        check(read).map(|length| length as usize)
    }

    /// Completes the event with a status and result, retrying while the completion ring is full.
    /// Consumes the event: completing it again does not compile.
    pub fn complete(self, status: i32, result: &[u8]) -> Result<(), Error> {
        let length = u32::try_from(result.len()).map_err(|_| Error(sys::BATON_EFAULT))?;
        loop {
            // SAFETY: result is valid for length bytes; the handle came from this channel.
            let code = unsafe {
                sys::baton_complete(self.channel.raw, self.event.handle, status, result.as_ptr().cast(), length)
            };
            if code != sys::BATON_ENOBUFS {
                return check(code).map(|_| ());
            }
            std::thread::yield_now();
        }
    }
}

// ---------------------------------------------------------------- the handler pool

const STATUS_OK: i32 = 200;
const POLL_TIMEOUT: Duration = Duration::from_millis(1);

struct Pool {
    running: Arc<AtomicBool>,
    threads: Vec<JoinHandle<u64>>,
}

fn is_silent(event_id: (u64, u64), silent_per_mille: u32) -> bool {
    let mixed = (event_id.1 ^ event_id.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((mixed >> 54) % 1000) < u64::from(silent_per_mille)
}

/// One handler thread: answers each 8-byte number with twice the number and status 200.
fn serve(channel: Channel, running: Arc<AtomicBool>, silent_per_mille: u32) -> u64 {
    let mut served = 0;
    let mut payload = [0u8; 8];
    while running.load(Ordering::Acquire) {
        let event = match channel.poll_wait(POLL_TIMEOUT) {
            Ok(Some(event)) => event,
            Ok(None) => continue,
            Err(Error(sys::BATON_ESHUTDOWN)) => break,
            Err(_) => continue,
        };
        if event.read_payload(&mut payload) != Ok(8) || is_silent(event.event_id(), silent_per_mille) {
            continue; // ended meanwhile, or silent on purpose: it times out
        }
        let result = (2 * i64::from_ne_bytes(payload)).to_ne_bytes();
        if event.complete(STATUS_OK, &result).is_ok() {
            served += 1;
        }
    }
    served
}

/// Starts `threads` Rust handler threads on a channel's memory; NULL if any cannot attach.
///
/// # Safety
/// `memory` must point to `length` bytes of a formatted channel that stay mapped until
/// `baton_rust_handlers_stop` returns.
#[no_mangle]
pub unsafe extern "C" fn baton_rust_handlers_start(
    memory: *mut c_void,
    length: u64,
    threads: u32,
    silent_per_mille: u32,
) -> *mut c_void {
    let mut channels = Vec::new();
    for _ in 0..threads {
        match Channel::attach(memory, length) {
            Ok(channel) => channels.push(channel),
            Err(_) => return std::ptr::null_mut(),
        }
    }
    if channels.is_empty() {
        return std::ptr::null_mut();
    }
    let running = Arc::new(AtomicBool::new(true));
    let threads = channels
        .into_iter()
        .map(|channel| {
            let running = Arc::clone(&running);
            std::thread::spawn(move || serve(channel, running, silent_per_mille))
        })
        .collect();
    Box::into_raw(Box::new(Pool { running, threads })).cast()
}

/// Stops the pool, writes each thread's count of completed events into `served` (up to
/// `capacity`), and returns their total.
///
/// # Safety
/// `pool` must come from `baton_rust_handlers_start` and is freed here; `served` must be valid for
/// `capacity` values or NULL.
#[no_mangle]
pub unsafe extern "C" fn baton_rust_handlers_stop(pool: *mut c_void, served: *mut u64, capacity: u32) -> i64 {
    if pool.is_null() {
        return i64::from(sys::BATON_EFAULT);
    }
    let pool = Box::from_raw(pool.cast::<Pool>());
    pool.running.store(false, Ordering::Release);
    let mut total = 0i64;
    for (i, thread) in pool.threads.into_iter().enumerate() {
        let count = thread.join().unwrap_or(0);
        total += count as i64;
        if !served.is_null() && i < capacity as usize {
            *served.add(i) = count;
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::alloc::{alloc_zeroed, dealloc, Layout};

    /// A channel formatted in Rust-owned memory, freed on drop.
    struct OwnedChannel {
        memory: *mut u8,
        layout: Layout,
        host: Option<Channel>,
    }

    impl OwnedChannel {
        fn new(slab_capacity: u32) -> OwnedChannel {
            let config = sys::baton_config {
                slab_capacity,
                slot_size: 128,
                dispatch_ring_capacity: slab_capacity * 2,
                completion_ring_capacity: 16 * 1024,
                latency_ring_capacity: 64,
                reserved: 0,
                completion_timeout_ns: 1_000_000_000,
                starvation_threshold_ns: 1_000_000_000,
            };
            // SAFETY: the config is valid; the memory is allocated with the alignment baton needs.
            unsafe {
                let length = sys::baton_segment_length(&config);
                assert!(length > 0);
                let layout = Layout::from_size_align(length as usize, sys::BATON_SEGMENT_ALIGNMENT).unwrap();
                let memory = alloc_zeroed(layout);
                assert_eq!(sys::BATON_OK, sys::baton_format(memory.cast(), length, &config));
                let host = Channel::attach(memory.cast(), length).unwrap();
                OwnedChannel { memory, layout, host: Some(host) }
            }
        }

        fn host(&self) -> &Channel {
            self.host.as_ref().unwrap()
        }

        fn dispatch(&self, number: i64) -> i64 {
            let payload = number.to_ne_bytes();
            // SAFETY: the host attachment is live and the payload is 8 valid bytes.
            unsafe { sys::baton_dispatch(self.host().raw(), 0, number as u64, 0, 0, 1, payload.as_ptr().cast(), 8) }
        }
    }

    impl Drop for OwnedChannel {
        fn drop(&mut self) {
            self.host = None; // detach before the memory goes
            // SAFETY: memory was allocated with this layout.
            unsafe { dealloc(self.memory, self.layout) };
        }
    }

    extern "C" fn collect(context: *mut c_void, completion: *const sys::baton_completion) {
        // SAFETY: context is the Vec passed to baton_drain_completions; completion is valid here.
        unsafe {
            let results = &mut *context.cast::<Vec<(i32, i64)>>();
            let completion = &*completion;
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(std::slice::from_raw_parts(completion.result, 8));
            results.push((completion.status, i64::from_ne_bytes(bytes)));
        }
    }

    #[test]
    fn a_claimed_event_is_completed_once_and_reaches_the_host() {
        let owned = OwnedChannel::new(8);
        let handle = owned.dispatch(21);
        assert!(handle > 0);
        let event = owned.host().poll_wait(Duration::from_millis(10)).unwrap().expect("an event");
        assert_eq!(handle as u64, event.handle());
        let mut payload = [0u8; 8];
        assert_eq!(Ok(8), event.read_payload(&mut payload));
        assert_eq!(21, i64::from_ne_bytes(payload));
        event.complete(STATUS_OK, &42i64.to_ne_bytes()).unwrap();
        // event.complete(...) again would not compile: complete took it by value.

        let mut results: Vec<(i32, i64)> = Vec::new();
        // SAFETY: the host attachment is live; results outlives the call.
        let drained = unsafe {
            sys::baton_drain_completions(owned.host().raw(), collect, (&mut results as *mut Vec<_>).cast(), 16)
        };
        assert_eq!(1, drained);
        assert_eq!(vec![(STATUS_OK, 42)], results);
        // SAFETY: as above; the handle is now stale.
        let again = unsafe { sys::baton_complete(owned.host().raw(), handle as u64, 0, std::ptr::null(), 0) };
        assert_eq!(sys::BATON_ESTALE, again);
        assert_eq!("stale handle: the slot was reused (-116)", Error(again).to_string());
    }

    #[test]
    fn the_pool_serves_every_event_exactly_once() {
        let owned = OwnedChannel::new(64);
        // SAFETY: the memory outlives the pool, which is stopped below.
        let pool = unsafe {
            baton_rust_handlers_start(owned.memory.cast(), owned.layout.size() as u64, 2, 0)
        };
        assert!(!pool.is_null());
        let mut results: Vec<(i32, i64)> = Vec::new();
        let mut dispatched = 0i64;
        while results.len() < 10_000 {
            if dispatched < 10_000 && owned.dispatch(dispatched) > 0 {
                dispatched += 1;
            }
            // SAFETY: the host attachment is live; results outlives the call.
            unsafe {
                sys::baton_drain_completions(owned.host().raw(), collect, (&mut results as *mut Vec<_>).cast(), 64)
            };
        }
        let mut served = [0u64; 2];
        // SAFETY: pool came from start; served holds 2 values.
        let total = unsafe { baton_rust_handlers_stop(pool, served.as_mut_ptr(), 2) };
        assert_eq!(10_000, total);
        assert_eq!(10_000, served[0] + served[1]);
        let mut doubled: Vec<i64> = results.iter().map(|(_, value)| *value / 2).collect();
        doubled.sort_unstable();
        assert_eq!((0..10_000).collect::<Vec<i64>>(), doubled, "each number answered once");
    }
}
