//! Safe Rust handlers for Baton channels, with `std` only.
//!
//! [`sys`] is the `baton-sys` crate: include/baton.h's declarations. [`Channel`] is an attachment to a channel's memory; its
//! handler loop [`Channel::serve`] hands each polled event to a handler as a [`Polled`], which
//! [`Polled::complete`] consumes, so one event cannot be completed twice. Once compiles:
//!
//! ```no_run
//! fn once(event: baton::Polled<'_>) {
//!     let _ = event.complete(200, b"first");
//! }
//! ```
//!
//! and twice does not (stable rustdoc does not check the error code, hence the pair):
//!
//! ```compile_fail,E0382
//! fn twice(event: baton::Polled<'_>) {
//!     let _ = event.complete(200, b"first");
//!     let _ = event.complete(200, b"second"); // the event was moved by the first complete
//! }
//! ```
//!
//! [`OwnedChannel`] formats a channel in memory this process owns, for tests and Rust hosts.

pub use baton_sys as sys;

// The Rust guide's snippet names this crate `baton`, as a user's crate does; the tests include it here.
extern crate self as baton;

use std::alloc::{alloc_zeroed, dealloc, Layout};
use std::ffi::{c_void, CStr, CString};
use std::fmt;
use std::os::unix::ffi::OsStrExt;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// A negative `BATON_E*` code from libbaton.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Error(pub i32);

impl Error {
    /// The code's name in baton.h, such as `BATON_ESTALE`, or `None` for a code baton.h does not define.
    pub fn name(&self) -> Option<&'static str> {
        sys::BATON_CODES.iter().find(|(code, _)| *code == self.0).map(|(_, name)| *name)
    }

    /// libbaton's sentence naming the object and the fault (`baton_error_detail`), the one every
    /// language shows, when this error came from an opening call ([`Channel::attach`],
    /// [`Channel::open`], [`Channel::adopt`]) that this thread made last; the code's text otherwise.
    pub fn detail(&self) -> String {
        // SAFETY: baton_error_detail returns a NUL-terminated string, thread-local or static, for every code.
        let text = unsafe { CStr::from_ptr(sys::baton_error_detail(self.0)) };
        text.to_string_lossy().into_owned()
    }
}

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

/// How long [`Channel::serve`] sleeps for an event before it looks at its `running` flag again.
pub const POLL_TIMEOUT: Duration = Duration::from_millis(1);

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

    /// Attaches to the channel file at `path`, made by a host in any language, as a handler process
    /// does: libbaton maps the file, and unmaps it when this `Channel` is dropped. Errs with the
    /// code `baton_open` names (`BATON_ENOENT`, `BATON_EACCES`, `BATON_EBADMSG`, ...), whose
    /// [`Error::detail`] says what was found at the path; `BATON_EINVAL` for a path with a NUL byte.
    pub fn open(path: &Path) -> Result<Channel, Error> {
        let path = CString::new(path.as_os_str().as_bytes()).map_err(|_| Error(sys::BATON_EINVAL))?;
        let mut raw = std::ptr::null_mut();
        // SAFETY: path is NUL-terminated and raw a valid out-parameter.
        check(unsafe { sys::baton_open(path.as_ptr(), 0, &mut raw) })?;
        Ok(Channel { raw })
    }

    /// The raw attachment, for the host-side calls of [`sys`].
    pub fn raw(&self) -> *mut sys::baton_channel {
        self.raw
    }

    /// Settles what attachments of processes that died left (their sleepers, and the events they
    /// had polled: dispatched again up to the channel's redelivery limit, otherwise reported timed
    /// out). Reads /proc for each other process attached: call it now and then, not per event.
    /// The attachments reaped.
    pub fn reap(&self) -> Result<usize, Error> {
        // SAFETY: raw is attached.
        check(unsafe { sys::baton_reap(self.raw) }).map(|reaped| reaped as usize)
    }

    /// Makes this attachment the channel's host once the host named is gone or its process dead:
    /// reaps the dead and recovers the slots a dead dispatcher held. `BATON_EISCONN` while the host
    /// lives. Call it before this attachment dispatches or drains.
    pub fn adopt(&self) -> Result<(), Error> {
        // SAFETY: raw is attached.
        check(unsafe { sys::baton_adopt(self.raw) }).map(|_| ())
    }

    /// Claims the oldest dispatched event, sleeping up to `timeout` while none is ready. Errs with
    /// `BATON_EHOSTDOWN` when a sleep with nothing ready finds the host gone.
    pub fn poll(&self, timeout: Duration) -> Result<Option<Polled<'_>>, Error> {
        let mut event = sys::baton_event::default();
        let timeout_ns = i64::try_from(timeout.as_nanos()).unwrap_or(i64::MAX);
        // SAFETY: raw is attached and event is a valid out-parameter.
        let polled = check(unsafe { sys::baton_poll(self.raw, &mut event, timeout_ns) })?;
        Ok((polled == 1).then_some(Polled { channel: self, event }))
    }

    /// Sleeps up to `timeout` until an event is ready to poll: `true` when one is (another handler
    /// may take it first), `false` after the timeout or a signal. Errs with `BATON_ESHUTDOWN` once the
    /// channel is closed, `BATON_EHOSTDOWN` once a sleep with nothing ready finds the host gone.
    pub fn await_events(&self, timeout: Duration) -> Result<bool, Error> {
        let timeout_ns = i64::try_from(timeout.as_nanos()).unwrap_or(i64::MAX);
        // SAFETY: raw is attached.
        match unsafe { sys::baton_await_events(self.raw, timeout_ns) } {
            sys::BATON_EINTR => Ok(false),
            code => check(code).map(|ready| ready == 1),
        }
    }

    /// Polls up to `max` ready events in one call, without waiting: none when none is ready.
    pub fn poll_batch(&self, max: usize) -> Result<Vec<Polled<'_>>, Error> {
        let mut events = vec![sys::baton_event::default(); max];
        let max = u32::try_from(max).unwrap_or(u32::MAX);
        // SAFETY: raw is attached and events holds max structs to fill.
        let taken = check(unsafe { sys::baton_poll_batch(self.raw, events.as_mut_ptr(), max) })? as usize;
        Ok(events.into_iter().take(taken).map(|event| Polled { channel: self, event }).collect())
    }

    /// Completes polled events in one call, each with a status and result, consuming them; retries
    /// from the first that finds the completion ring without room. Each one's result in order: `Ok`,
    /// or the error its refusal names (a race with its end, `BATON_ETIMEDOUT` or `BATON_ESTALE`, or
    /// misuse); one refused never stops the rest. Errs only as a whole (`BATON_ESHUTDOWN`).
    pub fn complete_batch(&self, completions: Vec<(Polled<'_>, i32, &[u8])>) -> Result<Vec<Result<(), Error>>, Error> {
        let mut entries = Vec::with_capacity(completions.len());
        let mut results = Vec::with_capacity(completions.len());
        for (event, status, result) in &completions {
            match u32::try_from(result.len()) {
                Ok(length) => entries.push(sys::baton_completion {
                    handle: event.event.handle,
                    status: *status,
                    result_length: length,
                    result: result.as_ptr(),
                    handler_span_id: 0,
                }),
                Err(_) => results.push((results.len() + entries.len(), Error(sys::BATON_EMSGSIZE))),
            }
        }
        let mut codes = vec![0i32; entries.len()];
        let mut settled = 0;
        while settled < entries.len() {
            let remaining = u32::try_from(entries.len() - settled).unwrap_or(u32::MAX);
            // SAFETY: entries and codes hold `remaining` structs from `settled`; each result outlives the call.
            let done = check(unsafe {
                sys::baton_complete_batch(self.raw, entries[settled..].as_ptr(), remaining, codes[settled..].as_mut_ptr())
            })? as usize;
            settled += done;
            if settled < entries.len() {
                std::thread::yield_now(); // the completion ring is full until the host drains
            }
        }
        let mut outcomes: Vec<Result<(), Error>> = codes.into_iter().map(|code| check(code).map(|_| ())).collect();
        for (at, error) in results {
            outcomes.insert(at, Err(error));
        }
        Ok(outcomes)
    }

    /// The events the slab holds: waiting, in progress, yielding, or ended and not yet drained (each
    /// `state` a `BATON_SLOT_*`), for a host that must account for the events it dispatched when their
    /// outcomes cannot reach it (`BATON_EUCLEAN` from a drain), or before it abandons a channel. Each
    /// is read under its slot's state word, so each is consistent; the list is not a snapshot across
    /// slots. Works on a closed channel.
    pub fn list_events(&self) -> Result<Vec<sys::baton_listed_event>, Error> {
        const CHUNK: u32 = 256;
        let mut cursor = 0u32;
        let mut listed = vec![sys::baton_listed_event::default(); CHUNK as usize];
        let mut count = 0usize;
        loop {
            // SAFETY: the attachment is live; listed holds CHUNK events from count on.
            let written =
                check(unsafe { sys::baton_list_events(self.raw, &mut cursor, listed.as_mut_ptr().add(count), CHUNK) })?
                    as usize;
            count += written;
            if written < CHUNK as usize {
                listed.truncate(count);
                return Ok(listed);
            }
            listed.resize(count + CHUNK as usize, sys::baton_listed_event::default());
        }
    }

    /// The handler loop: polls events one by one, sleeping on the channel's futex when there are
    /// none, and hands each to `handler`, which owns it: it completes it (once, since
    /// [`Polled::complete`] consumes it) or drops it, and then the event times out. Returns the
    /// number of events handed over once `running` is false or the channel is closed; errs with
    /// `BATON_EHOSTDOWN` once the host is gone (its process died), so a handler process exits
    /// instead of sleeping for ever.
    pub fn serve<F>(&self, running: &AtomicBool, mut handler: F) -> Result<u64, Error>
    where
        F: FnMut(Polled<'_>),
    {
        let mut handed = 0;
        while running.load(Ordering::Acquire) {
            match self.poll(POLL_TIMEOUT) {
                Ok(Some(event)) => {
                    handed += 1;
                    handler(event);
                }
                // A timeout, or a signal that interrupted the sleep: look at `running` again.
                Ok(None) | Err(Error(sys::BATON_EINTR)) => {}
                Err(Error(sys::BATON_ESHUTDOWN)) => break,
                Err(error) => return Err(error),
            }
        }
        Ok(handed)
    }
}

impl Drop for Channel {
    fn drop(&mut self) {
        // SAFETY: raw came from baton_attach or baton_open and is detached exactly once, here.
        unsafe { sys::baton_detach(self.raw) };
    }
}

/// An event this handler polled. Completing it consumes it.
pub struct Polled<'a> {
    channel: &'a Channel,
    event: sys::baton_event,
}

impl Polled<'_> {
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

    /// 0 on the first delivery; then how often the event was dispatched again because the process
    /// of the handler that had polled it died.
    pub fn redeliveries(&self) -> u32 {
        self.event.redeliveries
    }

    /// 0 on the first delivery; then how often a handler yielded the event
    /// ([`yield_event`](Self::yield_event)).
    pub fn yields(&self) -> u32 {
        self.event.yields
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

    /// The W3C trace context the event was dispatched with (a trace id of 0 for none), read and
    /// then checked against the slot, as [`read_payload`](Self::read_payload) is.
    pub fn trace(&self) -> Result<sys::baton_trace_context, Error> {
        let mut trace = sys::baton_trace_context::default();
        // SAFETY: trace is a valid struct to fill; the handle came from this channel.
        check(unsafe { sys::baton_read_trace(self.channel.raw, self.event.handle, &mut trace) })?;
        Ok(trace)
    }

    /// Completes the event with a status and result, retrying while the completion ring is full.
    /// Consumes the event: completing it again does not compile.
    pub fn complete(self, status: i32, result: &[u8]) -> Result<(), Error> {
        self.complete_traced(status, 0, result)
    }

    /// Hands the event back to be dispatched again with `continuation` as its payload (a checkpoint
    /// yield): its handle, ids and trace stay, its yield count rises. Retries while no block or ring
    /// room is free. Consumes the event. `Ok(Yielded::Requeued)`, or `Ok(Yielded::Ended)` when it had
    /// yielded the channel's yield_limit times and was completed with `BATON_ELOOP` instead; the
    /// races with the event's end (`BATON_ETIMEDOUT`, `BATON_ESTALE`) and misuse are errors.
    pub fn yield_event(self, continuation: &[u8]) -> Result<Yielded, Error> {
        let length = u32::try_from(continuation.len()).map_err(|_| Error(sys::BATON_EMSGSIZE))?;
        loop {
            // SAFETY: continuation is valid for length bytes; the handle came from this channel.
            let code = unsafe {
                sys::baton_yield(self.channel.raw, self.event.handle, continuation.as_ptr().cast(), length)
            };
            match code {
                sys::BATON_EAGAIN | sys::BATON_ENOSPC | sys::BATON_ENOBUFS => std::thread::yield_now(),
                sys::BATON_ELOOP => return Ok(Yielded::Ended),
                _ => return check(code).map(|_| Yielded::Requeued),
            }
        }
    }

    /// As [`complete`](Self::complete), naming the handler's span for the host's trace.
    pub fn complete_traced(self, status: i32, handler_span_id: u64, result: &[u8]) -> Result<(), Error> {
        let length = u32::try_from(result.len()).map_err(|_| Error(sys::BATON_EMSGSIZE))?;
        loop {
            // SAFETY: result is valid for length bytes; the handle came from this channel.
            let code = unsafe {
                sys::baton_complete_traced(
                    self.channel.raw,
                    self.event.handle,
                    status,
                    handler_span_id,
                    result.as_ptr().cast(),
                    length,
                )
            };
            if code != sys::BATON_ENOBUFS {
                return check(code).map(|_| ());
            }
            std::thread::yield_now();
        }
    }
}

/// What became of a yield ([`Polled::yield_event`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Yielded {
    /// Dispatched again with the continuation; this handler holds it no longer.
    Requeued,
    /// It had yielded the channel's yield_limit times: completed with status `BATON_ELOOP` instead.
    Ended,
}

/// Room claimed for one event's payload ([`OwnedChannel::claim`]): write it through
/// [`payload`](Self::payload), then [`commit`](Self::commit); dropped uncommitted, it is aborted and
/// its room given back unseen.
pub struct DispatchClaim<'a> {
    host: &'a Channel,
    claim: sys::baton_payload_claim,
}

impl DispatchClaim<'_> {
    /// The claimed room, in the channel's memory: the payload to write in place.
    pub fn payload(&mut self) -> &mut [u8] {
        if self.claim.payload.is_null() || self.claim.payload_length == 0 {
            return &mut [];
        }
        // SAFETY: libbaton claimed payload_length bytes at payload for this claim alone, until it is
        // committed or aborted, which consumes or drops self.
        unsafe { std::slice::from_raw_parts_mut(self.claim.payload, self.claim.payload_length as usize) }
    }

    /// Dispatches the event, retrying while the dispatch ring is full: its handle.
    pub fn commit(mut self) -> Result<u64, Error> {
        loop {
            // SAFETY: the claim came from this channel's baton_claim.
            let handle = unsafe { sys::baton_commit(self.host.raw, &mut self.claim) };
            if handle != sys::BATON_ENOSPC as i64 {
                return if handle < 0 { Err(Error(handle as i32)) } else { Ok(handle as u64) };
            }
            std::thread::yield_now();
        }
    }
}

impl Drop for DispatchClaim<'_> {
    fn drop(&mut self) {
        if self.claim.token != 0 {
            // SAFETY: the claim came from this channel and is neither committed nor aborted.
            unsafe { sys::baton_abort(self.host.raw, &mut self.claim) };
        }
    }
}

/// A channel formatted in memory this process owns, with a host attachment; the memory is freed
/// when it is dropped, after the host detaches. Handlers attach to [`memory`](Self::memory).
pub struct OwnedChannel {
    memory: *mut u8,
    layout: Layout,
    host: Option<Channel>,
}

// SAFETY: the memory is only reached through libbaton's thread-safe functions.
unsafe impl Send for OwnedChannel {}
// SAFETY: as above.
unsafe impl Sync for OwnedChannel {}

impl OwnedChannel {
    /// Formats a channel.
    pub fn new(config: &sys::baton_config) -> Result<OwnedChannel, Error> {
        // SAFETY: config is a valid pointer for the call.
        let length = unsafe { sys::baton_segment_length(config) };
        if length == 0 {
            return Err(Error(sys::BATON_EINVAL));
        }
        let layout = Layout::from_size_align(length as usize, sys::BATON_SEGMENT_ALIGNMENT)
            .map_err(|_| Error(sys::BATON_EINVAL))?;
        // SAFETY: the layout has a non-zero size.
        let memory = unsafe { alloc_zeroed(layout) };
        if memory.is_null() {
            return Err(Error(sys::BATON_EINVAL));
        }
        let mut owned = OwnedChannel { memory, layout, host: None };
        // SAFETY: memory holds length bytes, aligned as baton needs, and lives as long as owned.
        unsafe {
            check(sys::baton_format(memory.cast(), length, config))?;
            owned.host = Some(Channel::attach(memory.cast(), length)?);
        }
        Ok(owned)
    }

    /// The channel's memory, for handlers to attach to.
    pub fn memory(&self) -> *mut c_void {
        self.memory.cast()
    }

    /// The channel's length in bytes.
    pub fn length(&self) -> u64 {
        self.layout.size() as u64
    }

    /// The host's attachment.
    pub fn host(&self) -> &Channel {
        self.host.as_ref().expect("attached until drop")
    }

    /// Dispatches an event whose payload is `payload`: its handle, or why not.
    pub fn dispatch(&self, event_id: (u64, u64), kind: i32, payload: &[u8]) -> Result<u64, Error> {
        self.dispatch_traced(event_id, kind, &sys::baton_trace_context::default(), payload)
    }

    /// Claims room for a payload of `length` bytes to write in place (zero-copy dispatch), with the
    /// event's id, kind and W3C trace context; `BATON_EAGAIN` while the slab or a block is full.
    pub fn claim(
        &self,
        event_id: (u64, u64),
        kind: i32,
        trace: &sys::baton_trace_context,
        length: u32,
    ) -> Result<DispatchClaim<'_>, Error> {
        let mut claim = sys::baton_payload_claim::default();
        // SAFETY: the host attachment is live; trace and claim are valid structs.
        check(unsafe {
            sys::baton_claim(self.host().raw(), event_id.0, event_id.1, 0, 0, kind, trace, length, &mut claim)
        })?;
        Ok(DispatchClaim { host: self.host(), claim })
    }

    /// Dispatches events in one call (`baton_dispatch_batch`), each `(event id, kind, payload)` as
    /// [`dispatch`](Self::dispatch) takes it: the handles of those dispatched, in order, and, when
    /// fewer than the events, why the next one was not (`BATON_EAGAIN`, `BATON_ENOSPC`: drain, then
    /// dispatch the rest; or its refusal).
    pub fn dispatch_batch(&self, events: &[((u64, u64), i32, &[u8])]) -> Result<(Vec<u64>, Option<Error>), Error> {
        self.dispatch_entries(events, |_| 0)
    }

    /// As [`dispatch_batch`](Self::dispatch_batch), each event carrying the redeliveries it had on
    /// another channel (a bridge from another queue): `redeliveries[i]` is `events[i]`'s. Its
    /// handler reads it ([`Event::redeliveries`]) and the channel's redelivery limit counts it.
    /// `BATON_EINVAL`, with nothing dispatched, when the two slices differ in length.
    pub fn dispatch_batch_carrying(
        &self,
        events: &[((u64, u64), i32, &[u8])],
        redeliveries: &[u32],
    ) -> Result<(Vec<u64>, Option<Error>), Error> {
        if redeliveries.len() != events.len() {
            return Err(Error(sys::BATON_EINVAL));
        }
        self.dispatch_entries(events, |i| redeliveries[i])
    }

    fn dispatch_entries(
        &self,
        events: &[((u64, u64), i32, &[u8])],
        redeliveries_of: impl Fn(usize) -> u32,
    ) -> Result<(Vec<u64>, Option<Error>), Error> {
        let mut entries = Vec::with_capacity(events.len());
        for (i, &(event_id, kind, payload)) in events.iter().enumerate() {
            entries.push(sys::baton_dispatch_entry {
                event_id_hi: event_id.0,
                event_id_lo: event_id.1,
                kind,
                payload: payload.as_ptr(),
                payload_length: u32::try_from(payload.len()).map_err(|_| Error(sys::BATON_EMSGSIZE))?,
                redeliveries: redeliveries_of(i),
                ..Default::default()
            });
        }
        let count = u32::try_from(entries.len()).map_err(|_| Error(sys::BATON_EINVAL))?;
        let mut handles = vec![0i64; entries.len()];
        // SAFETY: the host attachment is live; entries and handles hold count elements, and each
        // payload pointer is valid for its length for the call.
        let dispatched = check(unsafe {
            sys::baton_dispatch_batch(self.host().raw(), entries.as_ptr(), count, handles.as_mut_ptr())
        })? as usize;
        let refusal = handles.get(dispatched).filter(|_| dispatched < entries.len()).map(|&code| Error(code as i32));
        Ok((handles[..dispatched].iter().map(|&handle| handle as u64).collect(), refusal))
    }

    /// As [`dispatch`](Self::dispatch), with the event's W3C trace context.
    pub fn dispatch_traced(
        &self,
        event_id: (u64, u64),
        kind: i32,
        trace: &sys::baton_trace_context,
        payload: &[u8],
    ) -> Result<u64, Error> {
        let length = u32::try_from(payload.len()).map_err(|_| Error(sys::BATON_EMSGSIZE))?;
        // SAFETY: the host attachment is live, trace is a valid struct, and the payload is valid for
        // length bytes.
        let handle = unsafe {
            sys::baton_dispatch_traced(
                self.host().raw(),
                event_id.0,
                event_id.1,
                0,
                0,
                kind,
                trace,
                payload.as_ptr().cast(),
                length,
            )
        };
        if handle < 0 {
            Err(Error(handle as i32))
        } else {
            Ok(handle as u64)
        }
    }
}

impl Drop for OwnedChannel {
    fn drop(&mut self) {
        self.host = None; // detach before the memory goes
        // SAFETY: memory was allocated with this layout.
        unsafe { dealloc(self.memory, self.layout) };
    }
}

/// Host-side helpers for tests: a round trip of numbers through a channel's handlers.
#[cfg(any(test, feature = "testing"))]
impl OwnedChannel {
    /// Drains up to `max` outcomes as (event id's low bits, status, result) into `outcomes`.
    pub fn drain(&self, max: u32, outcomes: &mut Vec<(u64, i32, Vec<u8>)>) -> Result<usize, Error> {
        extern "C" fn collect(context: *mut c_void, outcome: *const sys::baton_outcome) {
            // SAFETY: context is the Vec passed below; outcome and its result are valid here.
            unsafe {
                let outcomes = &mut *context.cast::<Vec<(u64, i32, Vec<u8>)>>();
                let outcome = &*outcome;
                let result = std::slice::from_raw_parts(outcome.result, outcome.result_length as usize);
                outcomes.push((outcome.event_id_lo, outcome.status, result.to_vec()));
            }
        }
        // SAFETY: the host attachment is live; outcomes outlives the call.
        let drained = unsafe {
            sys::baton_drain_each(self.host().raw(), collect, (outcomes as *mut Vec<_>).cast(), max)
        };
        check(drained).map(|count| count as usize)
    }

    /// Dispatches the numbers `0..count`, each as an 8-byte payload under the event id (0, number),
    /// as fast as the channel takes them, and drains until every outcome is in (the handlers must
    /// answer each, or the call waits for the timeouts). Returns the outcomes as [`drain`](Self::drain)
    /// gives them.
    pub fn send_numbers(&self, count: u64) -> Result<Vec<(u64, i32, Vec<u8>)>, Error> {
        let mut outcomes = Vec::new();
        let mut dispatched = 0u64;
        while (outcomes.len() as u64) < count {
            // Up to 64 in one batch; a partial one (a full slab or ring) goes on after a drain.
            let numbers: Vec<[u8; 8]> = (dispatched..count.min(dispatched + 64)).map(|n| (n as i64).to_ne_bytes()).collect();
            let events: Vec<((u64, u64), i32, &[u8])> =
                numbers.iter().enumerate().map(|(i, bytes)| ((0, dispatched + i as u64), 1, &bytes[..])).collect();
            let (handles, refusal) = self.dispatch_batch(&events)?;
            match refusal {
                Some(Error(code)) if code != sys::BATON_EAGAIN && code != sys::BATON_ENOSPC => return Err(Error(code)),
                _ => dispatched += handles.len() as u64,
            }
            self.drain(64, &mut outcomes)?;
        }
        Ok(outcomes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// The Rust guide's handler (docs/guide/rust-handlers.md), extracted by the project's Makefile.
    #[cfg(baton_readme)]
    mod readme {
        include!(env!("BATON_README_RUST_SNIPPET"));
    }

    fn config(slab_capacity: u32) -> sys::baton_config {
        sys::baton_config {
            slab_capacity,
            slot_size: 192,
            dispatch_ring_capacity: slab_capacity * 2,
            completion_ring_capacity: 16 * 1024,
            latency_ring_capacity: 64,
            attachment_capacity: 16,
            completion_timeout_ns: 1_000_000_000,
            starvation_threshold_ns: 1_000_000_000,
            redelivery_limit: 0,
            yield_limit: 3,
            // 8 blocks of 4 KiB and 2 of 64 KiB, for payloads and as many for results
            block_counts: [0, 0, 8, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0],
        }
    }

    #[test]
    fn a_handler_opens_a_channel_file_by_path_and_a_missing_file_is_named() {
        let path = std::env::temp_dir().join(format!("baton-rust-open-{}", std::process::id()));
        let c_path = CString::new(path.as_os_str().as_bytes()).unwrap();
        let mut host = std::ptr::null_mut();
        // SAFETY: c_path is NUL-terminated, the config valid and host an out-parameter.
        assert_eq!(0, unsafe { sys::baton_create(c_path.as_ptr(), &config(8), 0, &mut host) });
        let handler = Channel::open(&path).unwrap();
        let payload = 21i64.to_ne_bytes();
        // SAFETY: host is attached; the payload outlives the call.
        let handle = unsafe { sys::baton_dispatch(host, 0, 1, 0, 0, 1, payload.as_ptr().cast(), 8) };
        assert!(handle > 0);
        let event = handler.poll(Duration::ZERO).unwrap().expect("the dispatched event");
        assert_eq!(handle as u64, event.handle());
        event.complete(200, &42i64.to_ne_bytes()).unwrap();
        drop(handler);
        // SAFETY: host is attached; it closes (removing the file) and detaches once.
        unsafe {
            assert_eq!(0, sys::baton_close(host));
            assert_eq!(0, sys::baton_detach(host));
        }
        let missing = Channel::open(&path).err().expect("the file is gone");
        assert_eq!(Some("BATON_ENOENT"), missing.name());
        assert_eq!(format!("{}: no such file", path.display()), missing.detail());
        assert_eq!(Some("BATON_EINVAL"), Channel::open(Path::new("a\0b")).err().unwrap().name());
    }

    #[test]
    fn a_polled_event_is_completed_once_and_reaches_the_host() {
        let owned = OwnedChannel::new(&config(8)).unwrap();
        let handle = owned.dispatch((0, 7), 1, &21i64.to_ne_bytes()).unwrap();
        let event = owned.host().poll(Duration::from_millis(10)).unwrap().expect("an event");
        assert_eq!(handle, event.handle());
        assert_eq!((0, 7), event.event_id());
        assert_eq!(0, event.redeliveries());
        assert_eq!(Ok(0), owned.host().reap(), "no process died");
        let mut payload = [0u8; 8];
        assert_eq!(Ok(8), event.read_payload(&mut payload));
        assert_eq!(21, i64::from_ne_bytes(payload));
        event.complete(200, &42i64.to_ne_bytes()).unwrap();

        let mut outcomes = Vec::new();
        assert_eq!(Ok(1), owned.drain(16, &mut outcomes));
        assert_eq!(vec![(7, 200, 42i64.to_ne_bytes().to_vec())], outcomes);
        // SAFETY: the host attachment is live; the handle is now stale.
        let again = unsafe { sys::baton_complete(owned.host().raw(), handle, 0, std::ptr::null(), 0) };
        assert_eq!(sys::BATON_ESTALE, again);
        assert_eq!("stale handle: the slot was reused (-116)", Error(again).to_string());
        assert_eq!(Some("BATON_ESTALE"), Error(again).name());
    }

    #[test]
    fn a_batch_carries_each_events_redeliveries_and_a_short_list_dispatches_nothing() {
        let owned = OwnedChannel::new(&config(8)).unwrap();
        let events = [((0, 1), 1, &b"a"[..]), ((0, 2), 1, &b"b"[..])];
        assert_eq!(Err(Error(sys::BATON_EINVAL)), owned.dispatch_batch_carrying(&events, &[2]));
        assert_eq!(0, owned.host().list_events().unwrap().len(), "the refused batch dispatched nothing");
        let (handles, refusal) = owned.dispatch_batch_carrying(&events, &[2, 0]).unwrap();
        assert_eq!((2, None), (handles.len(), refusal));
        let first = owned.host().poll(Duration::ZERO).unwrap().expect("the first event");
        let second = owned.host().poll(Duration::ZERO).unwrap().expect("the second event");
        let read = [(first.handle(), first.redeliveries()), (second.handle(), second.redeliveries())];
        assert_eq!([(handles[0], 2), (handles[1], 0)], read);
        first.complete(200, b"").unwrap();
        second.complete(200, b"").unwrap();
        let mut outcomes = Vec::new();
        assert_eq!(Ok(2), owned.drain(16, &mut outcomes));
    }

    #[test]
    fn the_events_the_slab_holds_are_listed_in_their_states_until_drained() {
        let owned = OwnedChannel::new(&config(8)).unwrap();
        let handles: Vec<u64> = (0..3).map(|n| owned.dispatch((7, n), n as i32, &[]).unwrap()).collect();
        let polled = owned.host().poll(Duration::ZERO).unwrap().unwrap();
        assert_eq!(handles[0], polled.handle());
        polled.complete(200, b"done").unwrap();
        let listed = owned.host().list_events().unwrap();
        let states: Vec<(u64, u64, i32, u32)> =
            listed.iter().map(|event| (event.handle, event.event_id_lo, event.kind, event.state)).collect();
        assert_eq!(
            vec![
                (handles[0], 0, 0, sys::BATON_SLOT_COMPLETED),
                (handles[1], 1, 1, sys::BATON_SLOT_DISPATCHED),
                (handles[2], 2, 2, sys::BATON_SLOT_DISPATCHED)
            ],
            states
        );
        let mut outcomes = Vec::new();
        assert_eq!(Ok(1), owned.drain(16, &mut outcomes));
        assert_eq!(2, owned.host().list_events().unwrap().len());
    }

    #[test]
    fn serve_ends_with_host_down_once_the_host_detaches_and_an_adopter_takes_over() {
        let mut owned = OwnedChannel::new(&config(8)).unwrap();
        owned.dispatch((0, 1), 1, &1i64.to_ne_bytes()).unwrap();
        // SAFETY: the memory stays allocated while owned lives, past both attachments.
        let handler = unsafe { Channel::attach(owned.memory(), owned.length()) }.unwrap();
        assert_eq!(Err(Error(sys::BATON_EISCONN)), handler.adopt(), "the host lives");
        let refused = handler.adopt().unwrap_err();
        assert_eq!(
            format!("its host, process {}, is alive, so it cannot be adopted", std::process::id()),
            refused.detail()
        );
        drop(owned.host.take()); // the host detaches without closing
        let running = AtomicBool::new(true);
        let mut served = 0;
        let ended = handler.serve(&running, |event| {
            served += 1;
            event.complete(200, &[]).unwrap();
        });
        assert_eq!(Err(Error(sys::BATON_EHOSTDOWN)), ended, "served what was ready, then found the host gone");
        assert_eq!(1, served);
        // SAFETY: as above.
        let adopter = unsafe { Channel::attach(owned.memory(), owned.length()) }.unwrap();
        assert_eq!(Ok(()), adopter.adopt());
        let mut drained = 0;
        extern "C" fn count(context: *mut c_void, _: *const sys::baton_outcome) {
            // SAFETY: context is the i32 the drain below was given, alive during the call.
            unsafe { *context.cast::<i32>() += 1 };
        }
        // SAFETY: adopter is attached, and drained outlives the call.
        let delivered =
            unsafe { sys::baton_drain_each(adopter.raw(), count, (&mut drained as *mut i32).cast(), 16) };
        assert_eq!((1, 1), (delivered, drained), "the outcome the old host never drained reaches the adopter");
    }

    /// The largest block of `config`: the longest payload or result it takes.
    const LARGEST_BLOCK: usize = 64 * 1024;

    #[test]
    fn a_batch_is_polled_and_completed_in_one_call_each_and_a_refused_entry_stops_nothing() {
        let owned = OwnedChannel::new(&config(8)).unwrap();
        let handles: Vec<u64> =
            (0..3).map(|n| owned.dispatch((0, n), 1, &(n as i64).to_ne_bytes()).unwrap()).collect();
        let events = owned.host().poll_batch(8).unwrap();
        assert_eq!(handles, events.iter().map(Polled::handle).collect::<Vec<_>>());
        assert!(owned.host().poll_batch(8).unwrap().is_empty(), "none ready");
        let too_long = vec![0u8; LARGEST_BLOCK + 1];
        let results: Vec<&[u8]> = vec![b"a", &too_long, b"bc"];
        let batch = events.into_iter().zip(results).map(|(event, result)| (event, 200, result)).collect();
        assert_eq!(
            vec![Ok(()), Err(Error(sys::BATON_EMSGSIZE)), Ok(())],
            owned.host().complete_batch(batch).unwrap()
        );
        let mut outcomes = Vec::new();
        assert_eq!(Ok(2), owned.drain(16, &mut outcomes));
        assert_eq!(vec![(0, 200, b"a".to_vec()), (2, 200, b"bc".to_vec())], outcomes);
    }

    #[test]
    fn an_oversize_payload_or_result_is_refused_as_too_long() {
        let owned = OwnedChannel::new(&config(8)).unwrap();
        let too_long = vec![0u8; LARGEST_BLOCK + 1];
        assert_eq!(Err(Error(sys::BATON_EMSGSIZE)), owned.dispatch((0, 1), 1, &too_long));
        owned.dispatch((0, 2), 1, &[]).unwrap();
        let event = owned.host().poll(Duration::from_millis(10)).unwrap().expect("an event");
        assert_eq!(Err(Error(sys::BATON_EMSGSIZE)), event.complete(0, &too_long));
    }

    #[test]
    fn the_trace_reaches_the_handler_and_the_handlers_span_reaches_the_host() {
        let owned = OwnedChannel::new(&config(8)).unwrap();
        let sent = sys::baton_trace_context {
            trace_id_hi: 0x4bf9_2f35_77b3_4da6,
            trace_id_lo: 0xa3ce_929d_0e0e_4736,
            parent_span_id: 0x00f0_67aa_0ba9_02b7,
            flags: 1,
            ..Default::default()
        };
        let handle = owned.dispatch_traced((0, 1), 1, &sent, &[]).unwrap();
        let event = owned.host().poll(Duration::from_millis(10)).unwrap().expect("an event");
        assert_eq!(Ok(sent), event.trace());
        event.complete_traced(0, 0x1122_3344_5566_7788, &[]).unwrap();
        let mut seen = sys::baton_trace_context::default();
        // SAFETY: the host attachment is live; the event is completed and not yet drained.
        assert_eq!(0, unsafe { sys::baton_read_trace(owned.host().raw(), handle, &mut seen) });
        assert_eq!(sys::baton_trace_context { handler_span_id: 0x1122_3344_5566_7788, ..sent }, seen);
        let mut outcomes = Vec::new();
        assert_eq!(Ok(1), owned.drain(16, &mut outcomes));
        // SAFETY: as above; the handle is now stale.
        assert_eq!(sys::BATON_ESTALE, unsafe { sys::baton_read_trace(owned.host().raw(), handle, &mut seen) });
    }

    #[test]
    fn payloads_and_results_of_every_size_round_trip() {
        let owned = OwnedChannel::new(&config(8)).unwrap();
        let inline = 192 - sys::BATON_SLOT_HEADER_LENGTH as usize;
        for (n, size) in [0, 1, inline, inline + 1, 4096, 4097, LARGEST_BLOCK].into_iter().enumerate() {
            let payload: Vec<u8> = (0..size).map(|i| (i * 7 + n) as u8).collect();
            owned.dispatch((0, n as u64), 1, &payload).unwrap();
            let event = owned.host().poll(Duration::from_millis(10)).unwrap().expect("an event");
            let mut copy = vec![0u8; size];
            assert_eq!(Ok(size), event.read_payload(&mut copy), "{size} bytes");
            assert_eq!(payload, copy, "{size} bytes");
            let result: Vec<u8> = payload.iter().rev().copied().collect();
            event.complete(0, &result).unwrap();
            let mut outcomes = Vec::new();
            assert_eq!(Ok(1), owned.drain(16, &mut outcomes));
            assert_eq!(vec![(n as u64, 0, result)], outcomes, "{size} bytes");
        }
    }

    #[test]
    fn a_claimed_payload_is_written_in_place_and_a_dropped_claim_aborts() {
        let owned = OwnedChannel::new(&config(2)).unwrap();
        let trace = sys::baton_trace_context { trace_id_lo: 9, parent_span_id: 8, flags: 1, ..Default::default() };
        for (n, size) in [0u32, 5, 4097, LARGEST_BLOCK as u32].into_iter().enumerate() {
            let mut claim = owned.claim((1, n as u64), 3, &trace, size).unwrap();
            let expected: Vec<u8> = (0..size).map(|i| (i as usize * 13 + n) as u8).collect();
            claim.payload().copy_from_slice(&expected);
            assert!(owned.host().poll(Duration::ZERO).unwrap().is_none(), "unseen until committed");
            let handle = claim.commit().unwrap();
            let event = owned.host().poll(Duration::from_millis(10)).unwrap().expect("an event");
            assert_eq!((handle, (1, n as u64), 3), (event.handle(), event.event_id(), event.kind()));
            assert_eq!(Ok(trace), event.trace());
            let mut copy = vec![0u8; size as usize];
            assert_eq!(Ok(size as usize), event.read_payload(&mut copy));
            assert_eq!(expected, copy, "{size} bytes");
            event.complete(0, &[]).unwrap();
            assert_eq!(Ok(1), owned.drain(16, &mut Vec::new()));
        }
        // Claims dropped uncommitted give their room back: the slab's two slots, again and again.
        for _ in 0..4 {
            let first = owned.claim((2, 0), 1, &trace, 10).unwrap();
            let _second = owned.claim((2, 1), 1, &trace, 10).unwrap();
            assert_eq!(Err(Error(sys::BATON_EAGAIN)), owned.claim((2, 2), 1, &trace, 10).map(|_| ()));
            drop(first);
        }
        assert!(owned.host().poll(Duration::ZERO).unwrap().is_none(), "no aborted claim was dispatched");
    }

    #[test]
    fn a_yielded_event_comes_back_with_its_continuation_until_the_limit_ends_it() {
        let owned = OwnedChannel::new(&config(8)).unwrap();
        let handle = owned.dispatch((0, 5), 1, b"cursor=0").unwrap();
        for round in 0..3u32 {
            let event = owned.host().poll(Duration::from_millis(10)).unwrap().expect("an event");
            assert_eq!((handle, round), (event.handle(), event.yields()));
            let mut copy = [0u8; 8];
            assert_eq!(Ok(8), event.read_payload(&mut copy));
            assert_eq!(format!("cursor={round}").as_bytes(), &copy);
            assert_eq!(Ok(Yielded::Requeued), event.yield_event(format!("cursor={}", round + 1).as_bytes()));
        }
        let event = owned.host().poll(Duration::from_millis(10)).unwrap().expect("an event");
        assert_eq!(Ok(Yielded::Ended), event.yield_event(b"cursor=4"), "past the channel's yield_limit of 3");
        let mut outcomes = Vec::new();
        assert_eq!(Ok(1), owned.drain(16, &mut outcomes));
        assert_eq!(vec![(5, sys::BATON_ELOOP, Vec::new())], outcomes);
    }

    #[test]
    #[cfg(baton_readme)]
    fn the_readme_handler_doubles_every_number_exactly_once() {
        let owned = Arc::new(OwnedChannel::new(&config(64)).unwrap());
        let running = Arc::new(AtomicBool::new(true));
        let handlers: Vec<_> = (0..2)
            .map(|_| {
                // SAFETY: the memory outlives the handlers, which are joined below.
                let channel = unsafe { Channel::attach(owned.memory(), owned.length()) }.unwrap();
                let running = Arc::clone(&running);
                std::thread::spawn(move || readme::double_numbers(&channel, &running))
            })
            .collect();
        let outcomes = owned.send_numbers(10_000).unwrap();
        running.store(false, Ordering::Release);
        let handed: u64 = handlers.into_iter().map(|handler| handler.join().unwrap().unwrap()).sum();
        assert_eq!(10_000, handed);
        let mut seen = vec![0u8; 10_000];
        for (id, status, result) in &outcomes {
            assert_eq!(200, *status);
            assert_eq!(2 * *id as i64, i64::from_ne_bytes(result.as_slice().try_into().unwrap()));
            seen[*id as usize] += 1;
        }
        assert!(seen.iter().all(|&count| count == 1), "every event reported exactly once");
    }

    #[test]
    fn serve_returns_when_the_channel_closes() {
        let owned = OwnedChannel::new(&config(8)).unwrap();
        // SAFETY: the host attachment is live.
        assert_eq!(sys::BATON_OK, unsafe { sys::baton_close(owned.host().raw()) });
        let running = AtomicBool::new(true);
        assert_eq!(Ok(0), owned.host().serve(&running, |_| panic!("no event after close")));
    }
}
