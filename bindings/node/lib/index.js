'use strict';
// Baton for Node: handlers that poll events from a Baton channel (made by a host in Java, C, Rust or
// another language) and complete them, from worker threads that wait in libbaton.
//
// libbaton is found through $BATON_LIBRARY, else the copy this package carries, else the installed
// libbaton.so.7; loading this package checks its ABI version and struct sizes and throws
// LibraryMismatch when they differ.
const native = require('./native');
const errors = require('./errors');
const { BATCH_MAX, Channel, Completed, DispatchClaim, Yielded, WAIT_SLICE_NS } = require('./channel');
const { HANDLER_FAILED, Yield, serve, serveChannel } = require('./serving');

module.exports = {
  ABI_MAJOR: native.ABI_MAJOR,
  ABI_MINOR: native.ABI_MINOR,
  LibraryMismatch: native.LibraryMismatch,
  Channel,
  Completed,
  DispatchClaim,
  Yielded,
  Yield,
  WAIT_SLICE_NS,
  BATCH_MAX,
  HANDLER_FAILED,
  serve,
  serveChannel,
  ...errors,
};
