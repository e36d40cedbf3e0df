'use strict';
// A Node handler process for the cross-process tests (dev.baton.BindingHandlersTest): serves the
// channel file at its path from worker threads with doubling_handler.js, prints "attached" once every
// worker has attached, and "served N" once the host has closed the channel.
//
//   node handler_process.js <path> <workers>
const path = require('node:path');
const baton = require(path.join(__dirname, '../../bindings/node'));

const [channelPath, workers] = process.argv.slice(2);
baton.serve(channelPath, path.join(__dirname, 'doubling_handler.js'), {
  workers: Number(workers),
  onAttached: () => console.log('attached'),
}).then((served) => console.log(`served ${served}`));
