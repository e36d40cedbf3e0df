'use strict';
// The handler loop in worker threads: every event answered exactly once, a handler that throws still
// completes its event, and parked workers end promptly when the host closes.
const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');
const baton = require('..');

const HANDLER = path.join(__dirname, 'doubling-handler.js');

function number(n) {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(BigInt(n));
  return bytes;
}

/** Dispatches each number, drains until each is reported once; the outcomes by number. */
async function ledger(host, numbers) {
  const seen = new Map();
  let sent = 0;
  while (seen.size < numbers.length) {
    while (sent < numbers.length && host.dispatch(number(numbers[sent]), { eventId: BigInt(sent) }) !== null) {
      sent++;
    }
    host.awaitOutcomes({ timeoutMs: 50 });
    for (const outcome of host.drain()) {
      const index = Number(BigInt(`0x${outcome.eventId.replaceAll('-', '')}`));
      assert.ok(!seen.has(index), `event ${index} reported twice`);
      seen.set(index, outcome);
    }
    await new Promise(setImmediate); // lets the workers' messages through
  }
  return seen;
}

/** Runs body with a host's channel and workers serving it from a handler module (the doubling one). */
function withServer(name, workers, body, handler = HANDLER, options = {}) {
  return async () => {
    const channelPath = `/dev/shm/baton-node-test-${process.pid}-${name}`;
    const host = baton.Channel.create(channelPath, { slabCapacity: 64, ...options });
    let attached;
    const ready = new Promise((resolve) => { attached = resolve; });
    const count = baton.serve(channelPath, handler, { workers, onAttached: attached });
    await ready;
    try {
      await body(host, count);
    } finally {
      host.detach();
    }
  };
}

test('workers answer every event once', withServer('workers', 3, async (host, count) => {
  const outcomes = await ledger(host, Array.from({ length: 20_000 }, (_, i) => i));
  host.close();
  assert.strictEqual(await count, 20_000);
  for (const [i, outcome] of outcomes) {
    assert.deepStrictEqual([outcome.status, outcome.result.readBigInt64LE(0)], [200, 2n * BigInt(i)]);
  }
}));

test('a handler that throws still completes its event', withServer('throws', 2, async (host, count) => {
  const outcomes = await ledger(host, Array.from({ length: 100 }, (_, i) => -i));
  host.close();
  assert.strictEqual(await count, 100);
  for (const [i, outcome] of outcomes) {
    const expected = i % 2 ? [baton.HANDLER_FAILED, `RangeError: odd -${i}`] : [200, number(-2 * i).toString()];
    assert.deepStrictEqual([outcome.status, outcome.result.toString()], expected);
  }
}));

test('an answer of the wrong type still completes its event', withServer('wrong-type', 1, async (host, count) => {
  const outcomes = await ledger(host, Array.from({ length: 10 }, (_, i) => -2000 - i));
  host.close();
  assert.strictEqual(await count, 10);
  for (const outcome of outcomes.values()) {
    assert.strictEqual(outcome.status, baton.HANDLER_FAILED);
    assert.match(outcome.result.toString(), /^TypeError: payloads and results are Buffers/);
  }
}));

test('payloads and results of every size round-trip', withServer('sizes', 2, async (host, count) => {
  // From empty to the largest block (1 MiB by default), inline and in blocks, both ways.
  const sizes = [0, 1, 128, 129, 4096, 4097, 65_536, 65_537, 1 << 20,
    ...Array.from({ length: 60 }, (_, n) => (n * 7919) % 70_000)];
  const payloads = sizes.map((size) => require('node:crypto').randomBytes(size));
  const pending = new Map(payloads.map((payload, n) => [n, payload]));
  const reported = new Map();
  while (reported.size < payloads.length) {
    for (const [n, payload] of pending) {
      if (host.dispatch(payload, { eventId: BigInt(n) }) !== null) {
        pending.delete(n);
      }
    }
    host.awaitOutcomes({ timeoutMs: 50 });
    for (const outcome of host.drain()) {
      reported.set(Number(BigInt(`0x${outcome.eventId.replaceAll('-', '')}`)), outcome);
    }
    await new Promise(setImmediate);
  }
  host.close();
  assert.strictEqual(await count, sizes.length);
  payloads.forEach((payload, n) => {
    assert.deepStrictEqual([reported.get(n).status, Buffer.compare(reported.get(n).result, Buffer.from(payload).reverse())],
      [0, 0], `${payload.length} bytes`);
  });
  const small = baton.Channel.create(`/dev/shm/baton-node-test-${process.pid}-small`, { blocks: {} });
  try {
    assert.throws(() => small.dispatch(Buffer.alloc(129)), baton.EMSGSIZE); // past the inline room, no block
  } finally {
    small.close();
    small.detach();
  }
}));

test('the events the slab holds are listed in their states until drained', () => {
  const channelPath = `/dev/shm/baton-node-test-${process.pid}-listed`;
  const host = baton.Channel.create(channelPath, { slabCapacity: 64 });
  const handler = baton.Channel.open(channelPath);
  try {
    const id = (n) => (7n << 64n) | BigInt(n);
    const handles = Array.from({ length: 64 }, (_, n) => host.dispatch(Buffer.alloc(0), { kind: n, eventId: id(n) }));
    const polled = handler.pollBatch(3, { timeoutMs: 0 });
    assert.strictEqual(handler.complete(polled[0], 200, Buffer.from('done')), baton.Completed.ACCEPTED);
    const listed = host.listEvents(16); // several calls into libbaton
    assert.strictEqual(listed.length, 64);
    const states = new Map(listed.map((event) => [event.eventId, event.state]));
    assert.strictEqual(states.get(polled[0].eventId), 'completed');
    assert.deepStrictEqual(polled.slice(1).map((event) => states.get(event.eventId)), ['polled', 'polled']);
    assert.strictEqual([...states.values()].filter((state) => state === 'dispatched').length, 61);
    const last = listed.find((event) => event.kind === 63);
    assert.deepStrictEqual([last.handle, last.eventId, last.redeliveries, last.yields],
      [handles[63], '00000000-0000-0007-0000-00000000003f', 0, 0]);
    assert.strictEqual(host.drain().length, 1);
    assert.strictEqual(host.listEvents().length, 63);
    host.close();
    assert.strictEqual(host.listEvents().length, 63, 'a closed channel still lists them');
  } finally {
    handler.detach();
    host.detach();
  }
});

test('workers that start after the host closed the channel and removed its file serve nothing and end', async () => {
  const channelPath = `/dev/shm/baton-node-test-${process.pid}-closed-early`;
  const host = baton.Channel.create(channelPath, { slabCapacity: 64 });
  const count = baton.serve(channelPath, HANDLER, { workers: 2 }); // opens the channel, then starts the workers
  host.close(); // removes the file before a worker opens it by path
  host.detach();
  assert.strictEqual(await count, 0);
});

test('parked workers end within a slice of the close', withServer('parked', 2, async (host, count) => {
  await new Promise((resolve) => setTimeout(resolve, 300)); // parked in their waits
  host.close();
  assert.strictEqual(await count, 0);
}));

test('yielded and polled events end exactly once', withServer('yield', 2, async (host, count) => {
  // Half the events go through claims written in place (some aborted first); every event yields twice
  // with a growing continuation, and the endless yielders end with ELOOP.
  const events = 2000;
  const seen = new Map();
  let sent = 0;
  let aborted = 0;
  while (seen.size < events) {
    while (sent < events) {
      if (sent % 2 === 0) {
        if (host.dispatch(number(sent), { eventId: BigInt(sent) }) === null) {
          break;
        }
      } else {
        const claim = host.claim(8, { eventId: BigInt(sent) });
        if (claim === null) {
          break;
        }
        claim.payload.set(number(sent));
        if (sent % 10 === 1 && aborted < 50) {
          aborted++;
          claim.abort();
          continue; // claimed again
        }
        if (claim.commit() === null) {
          claim.abort();
          break;
        }
      }
      sent++;
    }
    host.awaitOutcomes({ timeoutMs: 50 });
    for (const outcome of host.drain()) {
      const index = Number(BigInt(`0x${outcome.eventId.replaceAll('-', '')}`));
      assert.ok(!seen.has(index), `event ${index} reported twice`);
      seen.set(index, outcome);
    }
    await new Promise(setImmediate); // lets the workers' messages through
  }
  host.close();
  for (const [i, outcome] of seen) {
    const expected = i % 100 === 13 ? [-40, Buffer.alloc(0)] : [2, Buffer.concat([number(i), Buffer.from('++')])];
    assert.deepStrictEqual([outcome.status, outcome.result], expected, `event ${i}`);
  }
  assert.strictEqual(await count, events - events / 100);
  assert.strictEqual(aborted, 50);
}, path.join(__dirname, 'checkpoint-handler.js'), { yieldLimit: 5 }));

test('workers end with EHOSTDOWN when the host dies, and an adopter drains every outcome once', async () => {
  const channelPath = `/dev/shm/baton-node-test-${process.pid}-host-dies`;
  const events = 40;
  const hostScript = `
    const baton = require(${JSON.stringify(path.join(__dirname, '..'))});
    const host = baton.Channel.create(${JSON.stringify(channelPath)}, { slabCapacity: 64 });
    for (let i = 0; i < ${events}; i++) {
      const bytes = Buffer.alloc(8);
      bytes.writeBigInt64LE(BigInt(i));
      host.dispatch(bytes, { eventId: BigInt(i) });
    }
    process.kill(process.pid, 'SIGKILL');`;
  const host = require('node:child_process').spawnSync(process.execPath, ['-e', hostScript]);
  assert.strictEqual(host.signal, 'SIGKILL', String(host.stderr));
  try {
    await assert.rejects(baton.serve(channelPath, HANDLER, { workers: 2 }), baton.EHOSTDOWN);
    const adopter = baton.Channel.open(channelPath, { adopt: true });
    assert.throws(() => baton.Channel.open(channelPath, { adopt: true }), baton.EISCONN); // the first lives
    const seen = new Array(events).fill(0);
    while (seen.reduce((a, b) => a + b) < events) {
      for (const outcome of adopter.drain()) {
        seen[Number(BigInt(`0x${outcome.eventId.replaceAll('-', '')}`))]++;
      }
    }
    assert.deepStrictEqual(seen, new Array(events).fill(1), 'every event reported exactly once, to the adopter');
    adopter.close();
    adopter.detach();
    assert.ok(!require('node:fs').existsSync(channelPath), "the adopter's close removes the file");
  } finally {
    require('node:fs').rmSync(channelPath, { force: true });
  }
});
