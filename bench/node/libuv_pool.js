'use strict';
// The cost of the Node binding's pollAsync on libuv's thread pool: the time an unrelated
// fs.promises.readFile takes alone, and with N asynchronous waits parked (each holds a pool thread,
// four by default, for up to a wait slice at a time). Prints one Markdown table row per N. A
// measurement on a shared machine, never a test.
//
//   node libuv_pool.js <folder> <parked>...
const fs = require('node:fs');
const path = require('node:path');
const baton = require(path.join(__dirname, '../../bindings/node'));

async function readFileTimes(count) {
  const times = [];
  for (let i = 0; i < count; i++) {
    const start = process.hrtime.bigint();
    await fs.promises.readFile(__filename);
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

async function main([folder, ...counts]) {
  const channelPath = path.join(folder, `baton-libuv-pool-${process.pid}`);
  const host = baton.Channel.create(channelPath);
  const waiter = baton.Channel.open(channelPath);
  console.log(`| waits parked (pool of ${process.env.UV_THREADPOOL_SIZE || 4}) | readFile median | max of 20 |\n|---|---|---|`);
  for (const parked of counts.map(Number)) {
    const waits = Array.from({ length: parked }, () => waiter.pollAsync({ timeoutMs: 5000 }));
    await new Promise((resolve) => setTimeout(resolve, 20)); // they reach the pool and sleep
    const times = await readFileTimes(20);
    console.log(`| ${parked} | ${times[10].toFixed(2)} ms | ${times[19].toFixed(2)} ms |`);
    for (let i = 0; i < parked; i++) {
      host.dispatch(Buffer.alloc(8)); // each wait takes one and returns
    }
    for (const event of await Promise.all(waits)) {
      waiter.complete(event);
    }
    host.drain();
  }
  waiter.detach();
  host.close();
  host.detach();
}

main(process.argv.slice(2));
