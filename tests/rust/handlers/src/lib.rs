//! A pool of Rust handler threads that a Java host starts on its channel with one downcall, the
//! same convention as tests/c/handler_pool.c: `baton_rust_handlers_start` and `_stop`. Each thread
//! runs the `baton` crate's handler loop and answers each 8-byte number with its double.

use std::ffi::c_void;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use baton::{sys, Channel};

const STATUS_OK: i32 = 200;

struct Pool {
    running: Arc<AtomicBool>,
    threads: Vec<JoinHandle<u64>>,
}

fn is_silent(event_id: (u64, u64), silent_per_mille: u32) -> bool {
    let mixed = (event_id.1 ^ event_id.0).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    ((mixed >> 54) % 1000) < u64::from(silent_per_mille)
}

/// One handler thread: returns how many events it completed.
fn serve(channel: Channel, running: Arc<AtomicBool>, silent_per_mille: u32) -> u64 {
    let mut completed = 0;
    let mut payload = [0u8; 8];
    let served = channel.serve(&running, |event| {
        if event.read_payload(&mut payload) != Ok(8) || is_silent(event.event_id(), silent_per_mille) {
            return; // ended meanwhile, or silent on purpose: it times out
        }
        let result = (2 * i64::from_ne_bytes(payload)).to_ne_bytes();
        if event.complete(STATUS_OK, &result).is_ok() {
            completed += 1;
        }
    });
    debug_assert!(served.is_ok());
    completed
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
    use baton::OwnedChannel;

    #[test]
    fn the_pool_serves_every_event_exactly_once() {
        let config = sys::baton_config {
            slab_capacity: 64,
            slot_size: 192,
            dispatch_ring_capacity: 128,
            completion_ring_capacity: 16 * 1024,
            latency_ring_capacity: 64,
            attachment_capacity: 16,
            completion_timeout_ns: 1_000_000_000,
            starvation_threshold_ns: 1_000_000_000,
            redelivery_limit: 0,
            yield_limit: 0,
            block_counts: [0; sys::BATON_BLOCK_CLASSES],
        };
        let owned = OwnedChannel::new(&config).unwrap();
        // SAFETY: the memory outlives the pool, which is stopped below.
        let pool = unsafe { baton_rust_handlers_start(owned.memory(), owned.length(), 2, 0) };
        assert!(!pool.is_null());
        let outcomes = owned.send_numbers(10_000).unwrap();
        let mut served = [0u64; 2];
        // SAFETY: pool came from start; served holds 2 values.
        let total = unsafe { baton_rust_handlers_stop(pool, served.as_mut_ptr(), 2) };
        assert_eq!(10_000, total);
        assert_eq!(10_000, served[0] + served[1]);
        assert!(outcomes.iter().all(|(id, status, result)| *status == STATUS_OK
            && i64::from_ne_bytes(result.as_slice().try_into().unwrap()) == 2 * *id as i64));
    }
}
