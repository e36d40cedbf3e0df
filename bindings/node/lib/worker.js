'use strict';
// One handler worker of serve(): its own attachment, a synchronous loop, its count posted at the end.
const { parentPort, workerData } = require('node:worker_threads');
const { Channel } = require('./channel');
const errors = require('./errors');
const { serveChannel } = require('./serving');

const loaded = require(workerData.modulePath);
const handler = typeof loaded === 'function' ? loaded : loaded.handle;
if (typeof handler !== 'function') {
  throw new TypeError(`${workerData.modulePath} exports no handler function (module.exports or exports.handle)`);
}
/**
 * This worker's attachment, or null when the channel's file is gone: serve() opened the channel
 * before starting this worker, so the channel was closed, and its file removed by its host, before
 * this worker attached, and there is nothing left for it to serve.
 */
function openChannel() {
  try {
    return Channel.open(workerData.channelPath, { anyOwner: workerData.anyOwner });
  } catch (error) {
    if (!(error instanceof errors.ENOENT)) {
      throw error;
    }
    return null;
  }
}

const channel = openChannel();
if (channel === null) {
  parentPort.postMessage({ served: 0 });
} else {
  parentPort.postMessage({ attached: true });
  serveChannel(channel, handler).then((served) => {
    channel.detach();
    parentPort.postMessage({ served });
  }, (error) => {
    channel.detach();
    if (!(error instanceof errors.EHOSTDOWN)) {
      throw error;
    }
    parentPort.postMessage({ hostGone: true }); // an error's class does not cross threads: its name does
  });
}
