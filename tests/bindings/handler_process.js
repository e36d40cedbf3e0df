'use strict';
// A Node handler process for the cross-process tests (dev.baton.BindingHandlersTest) and the figures
// (bench/native/binding_round_trip.c): serves the channel file at its path from worker threads with
// doubling_handler.js, prints "attached" once every worker has attached, and "served N" once the host
// has closed the channel; or, once the host is gone, "host gone", and exits 0. With poll_ms it serves
// from the main thread instead, not waiting on the channel but looking every poll_ms milliseconds, as
// the workflow engine's handlers do today.
//
//   node handler_process.js <path> <workers> [poll_ms]
//   node handler_process.js --floor <events>
//
// With --floor it serves no channel: it calls the same handler in a plain loop over as many 8-byte
// numbers, each in an object with a payload as an event has, and prints "floor <events per second>":
// the language's own floor, against which the figures set its throughput through a channel.
const path = require('node:path');
const baton = require(path.join(__dirname, '../../bindings/node'));
const double = require('./doubling_handler');

function poll(channelPath, pollMs) {
  const channel = baton.Channel.open(channelPath);
  console.log('attached');
  let served = 0;
  const look = () => {
    try {
      for (let event; (event = channel.poll({ timeoutMs: 0 })) !== null;) {
        served += channel.complete(event, ...double(event)) === baton.Completed.ACCEPTED ? 1 : 0;
      }
      setTimeout(look, pollMs);
    } catch (error) {
      if (!(error instanceof baton.ESHUTDOWN)) {
        throw error;
      }
      channel.detach();
      console.log(`served ${served}`);
    }
  };
  look();
}

function floor(events) {
  const payloads = Array.from({ length: 1024 }, (_, n) => {
    const payload = Buffer.alloc(8);
    payload.writeBigInt64LE(BigInt(n));
    return { payload };
  });
  const start = process.hrtime.bigint();
  for (let n = 0; n < events; n++) {
    double(payloads[n & 1023]);
  }
  console.log(`floor ${Math.round(events / (Number(process.hrtime.bigint() - start) / 1e9))}`);
}

const [channelPath, workers, pollMs] = process.argv.slice(2);
if (channelPath === '--floor') {
  floor(Number(workers));
} else if (pollMs) {
  poll(channelPath, Number(pollMs));
} else {
  baton.serve(channelPath, path.join(__dirname, 'doubling_handler.js'), {
    workers: Number(workers),
    onAttached: () => console.log('attached'),
  }).then((served) => console.log(`served ${served}`), (error) => {
    if (!(error instanceof baton.EHOSTDOWN)) {
      throw error;
    }
    console.log('host gone');
  });
}
