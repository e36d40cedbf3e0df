'use strict';
// The handler loop, in worker threads that wait synchronously in libbaton: each worker opens its own
// attachment, so handlers run beside each other and the main thread's event loop stays free.
//
// A handler module exports a function that takes an event and returns its result (or a Promise of
// it): a Buffer (status 0), a [status, Buffer] pair, or undefined (status 0, no bytes); or a Yield, to
// hand the event back, dispatched again with the continuation as its payload. A handler that throws, or answers anything else, completes its event with status HANDLER_FAILED and the error's
// text, so that the host still hears of the event exactly once.
const { Worker } = require('node:worker_threads');
const path = require('node:path');
const errors = require('./errors');
const { Channel, Completed, bytesOf } = require('./channel');

const HANDLER_FAILED = 500;

/** A handler's answer that hands its event back with a continuation payload (a checkpoint yield). */
class Yield {
  constructor(continuation = Buffer.alloc(0)) {
    this.continuation = continuation;
  }
}
const IDLE_SLICE_MS = 100; // a serving thread waits this long before it reaps and looks again

function normalise(answer) {
  if (answer === undefined || answer === null) {
    return [0, Buffer.alloc(0)];
  }
  return Array.isArray(answer) ? answer : [0, answer];
}

async function answer(handler, event) {
  try {
    let result = handler(event);
    if (result && typeof result.then === 'function') {
      result = await result;
    }
    if (result instanceof Yield) {
      return new Yield(bytesOf(result.continuation));
    }
    const [status, bytes] = normalise(result);
    return [status | 0, bytesOf(bytes)];
  } catch (error) {
    return [HANDLER_FAILED, Buffer.from(`${error?.name}: ${error?.message}`)];
  }
}

function yieldWith(channel, event, continuation) {
  try {
    channel.yieldEvent(event, continuation);
  } catch (error) {
    if (!(error instanceof errors.EMSGSIZE)) {
      throw error;
    }
    channel.complete(event, HANDLER_FAILED, Buffer.from('continuation longer than the channel allows'));
  }
}

const BATCH = 64; // the most events a serving thread polls at once

/**
 * Serves channel with handler on this thread until the channel closes; the events completed, or
 * throws EHOSTDOWN once the host is gone (its process died). Polls
 * events in batches, answers each, and completes the batch in one call: two calls into libbaton per
 * batch, whatever its size (a yield is one more, per yielded event).
 */
async function serveChannel(channel, handler) {
  let completed = 0;
  try {
    for (;;) {
      const events = channel.pollBatch(BATCH, { timeoutMs: IDLE_SLICE_MS });
      if (events.length === 0) {
        channel.reap(); // idle: settle what dead processes left, as any survivor may
        continue;
      }
      const answered = [];
      for (const event of events) {
        const reply = await answer(handler, event);
        if (reply instanceof Yield) {
          yieldWith(channel, event, reply.continuation);
        } else {
          answered.push([event, ...reply]);
        }
      }
      const results = channel.completeBatch(answered);
      for (let i = 0; i < results.length; i++) {
        let result = results[i];
        if (result instanceof errors.EMSGSIZE) {
          result = channel.complete(answered[i][0], HANDLER_FAILED, Buffer.from('result longer than the channel allows'));
        }
        completed += result === Completed.ACCEPTED ? 1 : 0;
      }
    }
  } catch (error) {
    if (!(error instanceof errors.ESHUTDOWN)) {
      throw error;
    }
  }
  return completed;
}

/**
 * Serves the channel file at channelPath from worker threads until the host closes it; a Promise of
 * the events completed, rejected with EHOSTDOWN once the host is gone, so that a handler process ends
 * instead of waiting for ever. handlerModule: the path of a module whose export is the handler.
 * onAttached: called once every worker has attached. The channel is opened here first, so that a
 * path that is no channel rejects before any worker starts; a worker that fails stops the others.
 */
async function serve(channelPath, handlerModule, { workers = 1, anyOwner = false, onAttached = () => {} } = {}) {
  const probe = Channel.open(channelPath, { anyOwner });
  const workerData = { channelPath: String(channelPath), modulePath: path.resolve(handlerModule), anyOwner };
  const threads = Array.from({ length: workers }, () => new Worker(path.join(__dirname, 'worker.js'), { workerData }));
  let attached = 0;
  const served = threads.map((worker) => new Promise((resolve, reject) => {
    worker.on('message', (message) => {
      if (message.attached && ++attached === workers) {
        probe.detach();
        onAttached();
      }
      if (message.served !== undefined) {
        resolve(message.served);
      }
      if (message.hostGone) {
        reject(new errors.EHOSTDOWN());
      }
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`a handler worker exited (${code}) before the channel closed`)));
  }));
  try {
    return (await Promise.all(served)).reduce((sum, count) => sum + count, 0);
  } catch (error) {
    await Promise.all(threads.map((worker) => worker.terminate()));
    throw error;
  } finally {
    probe.detach();
  }
}

module.exports = { HANDLER_FAILED, Yield, serve, serveChannel };
