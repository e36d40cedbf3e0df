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
const channel = Channel.open(workerData.channelPath, { anyOwner: workerData.anyOwner });
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
