//! Raw declarations of libbaton's C ABI, as include/baton.h states it: every constant, every
//! function and every struct a caller passes, with the same names and `#[repr(C)]` layouts,
//! generated from the header (declarations.rs, by `make declarations`) with its comments as their
//! documentation. The tests hold each size, offset and constant to what the C compiler makes of it.
//!
//! Results are `0` (or a count or handle) on success and a negative `BATON_E*` code otherwise;
//! each function's comment in baton.h says which codes it returns, whether it blocks, and who may
//! call it. The safe API is the `baton` crate.

#![allow(non_camel_case_types)]

use std::ffi::c_void;
use std::os::raw::c_char;

/// An attachment to a channel's memory (opaque).
#[repr(C)]
pub struct baton_channel {
    _private: [u8; 0],
}

/// Receives each outcome of `baton_drain_each`; the outcome and its result are valid during the call.
pub type baton_outcome_handler = extern "C" fn(context: *mut c_void, outcome: *const baton_outcome);

include!("declarations.rs");

/// Every result code with its name, for messages.
pub const BATON_CODES: [(i32, &str); 27] = [
    (BATON_OK, "BATON_OK"),
    (BATON_ENOENT, "BATON_ENOENT"),
    (BATON_EINTR, "BATON_EINTR"),
    (BATON_EIO, "BATON_EIO"),
    (BATON_EAGAIN, "BATON_EAGAIN"),
    (BATON_ENOMEM, "BATON_ENOMEM"),
    (BATON_EACCES, "BATON_EACCES"),
    (BATON_EFAULT, "BATON_EFAULT"),
    (BATON_EBUSY, "BATON_EBUSY"),
    (BATON_EEXIST, "BATON_EEXIST"),
    (BATON_EINVAL, "BATON_EINVAL"),
    (BATON_ELOOP, "BATON_ELOOP"),
    (BATON_ENOSPC, "BATON_ENOSPC"),
    (BATON_EPROTO, "BATON_EPROTO"),
    (BATON_ENODATA, "BATON_ENODATA"),
    (BATON_EBADMSG, "BATON_EBADMSG"),
    (BATON_EUSERS, "BATON_EUSERS"),
    (BATON_EMSGSIZE, "BATON_EMSGSIZE"),
    (BATON_EPROTONOSUPPORT, "BATON_EPROTONOSUPPORT"),
    (BATON_ENOBUFS, "BATON_ENOBUFS"),
    (BATON_EISCONN, "BATON_EISCONN"),
    (BATON_ESHUTDOWN, "BATON_ESHUTDOWN"),
    (BATON_ETIMEDOUT, "BATON_ETIMEDOUT"),
    (BATON_EHOSTDOWN, "BATON_EHOSTDOWN"),
    (BATON_EALREADY, "BATON_EALREADY"),
    (BATON_ESTALE, "BATON_ESTALE"),
    (BATON_EUCLEAN, "BATON_EUCLEAN"),
];
