'use strict';
// Counts this attachment's asynchronous calls, which run on libuv's pool, so that a detach never
// frees the attachment under one: while any is in flight, the detach is deferred to the last one's
// return (at most one wait slice). Synchronous calls need no count: they run on the JS thread that
// would detach.
const { ESHUTDOWN } = require('./errors');

class Calls {
  constructor(free) {
    this.free = free;
    this.inFlight = 0;
    this.detached = false;
  }

  /** Throws ESHUTDOWN once detached. */
  check() {
    if (this.detached) {
      throw new ESHUTDOWN('this attachment was detached');
    }
  }

  enterAsync() {
    this.check();
    this.inFlight++;
  }

  leaveAsync() {
    if (--this.inFlight === 0 && this.detached) {
      this.free();
    }
  }

  /** true for the first detach; frees now, or when the last asynchronous call returns. */
  detach() {
    if (this.detached) {
      return false;
    }
    this.detached = true;
    if (this.inFlight === 0) {
      this.free();
    }
    return true;
  }
}

module.exports = { Calls };
