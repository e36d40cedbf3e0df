'use strict';
// Bad input from Node gets the documented error or result, never a crash, and the channel goes on
// working: stale, random and unknown handles (always BigInt, also above 2^53), double completion,
// oversize payloads and results, wrong types, use after detach and after close, files that are no
// channel, a detach while an asynchronous wait is parked.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const crypto = require('node:crypto');
const baton = require('..');

function number(n) {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64LE(BigInt(n));
  return bytes;
}

function withChannels(name, body) {
  return async () => {
    const path = `/dev/shm/baton-node-test-${process.pid}-${name}`;
    const host = baton.Channel.create(path, { slabCapacity: 16, slotSize: 192, blocks: {}, completionTimeoutMs: 50 });
    const handler = baton.Channel.open(path);
    const roundTrip = (n) => {
      const handle = host.dispatch(number(n));
      const event = handler.poll({ timeoutMs: 5000 });
      assert.strictEqual(event.handle, handle);
      assert.strictEqual(typeof event.handle, 'bigint');
      assert.strictEqual(handler.complete(event, 200, number(2 * n)), baton.Completed.ACCEPTED);
      assert.ok(host.awaitOutcomes({ timeoutMs: 5000 }));
      const [outcome] = host.drain();
      assert.deepStrictEqual([outcome.handle, outcome.status, outcome.result.readBigInt64LE(0)], [handle, 200, BigInt(2 * n)]);
      return handle;
    };
    try {
      await body({ path, host, handler, roundTrip });
    } finally {
      handler.detach();
      try {
        host.close();
      } catch (error) {
        assert.ok(error instanceof baton.ESHUTDOWN);
      }
      host.detach();
    }
  };
}

test('events and outcomes carry their fields, and their ids as UUID strings made when read',
  withChannels('records', ({ host, handler }) => {
    const eventId = crypto.randomUUID();
    const correlationId = crypto.randomUUID();
    const handle = host.dispatch(Buffer.from('abc'), { kind: 7, eventId, correlationId });
    const [event] = handler.pollBatch(1, { timeoutMs: 5000 });
    assert.deepStrictEqual([event.handle, event.kind, event.eventId, event.correlationId, event.payload.toString(),
      event.redeliveries, event.yields, event.traceparent], [handle, 7, eventId, correlationId, 'abc', 0, 0, null]);
    assert.ok(event.dispatchedAtNs < event.deadlineNs);
    assert.strictEqual(handler.complete(event, 200, Buffer.from('done')), baton.Completed.ACCEPTED);
    assert.ok(host.awaitOutcomes({ timeoutMs: 5000 }));
    const [outcome] = host.drain();
    assert.deepStrictEqual([outcome.handle, outcome.status, outcome.result.toString(), outcome.timedOut, outcome.kind,
      outcome.eventId, outcome.handlerSpanId], [handle, 200, 'done', false, 7, eventId, 0n]);
    const again = host.dispatch(Buffer.from('x'), { eventId });
    const single = handler.poll({ timeoutMs: 5000 });
    assert.deepStrictEqual([single.handle, single.eventId, single.payload.toString()], [again, eventId, 'x']);
  }));

test('stale, random and unknown handles', withChannels('handles', ({ handler, roundTrip }) => {
  const old = roundTrip(1);
  assert.strictEqual(handler.complete(old, 200), baton.Completed.STALE);
  roundTrip(2);
  for (let i = 0; i < 1000; i++) {
    const handle = crypto.randomBytes(8).readBigUInt64LE(0);
    try {
      assert.strictEqual(handler.complete(handle, 0, Buffer.from('x')), baton.Completed.STALE);
    } catch (error) {
      assert.ok(error instanceof baton.ENOENT || error instanceof baton.EPROTO, String(error));
    }
  }
  assert.throws(() => handler.complete(0n), baton.ENOENT);
  assert.throws(() => handler.complete((1n << 32n) | 999n), baton.ENOENT);
  assert.throws(() => handler.complete(-1n), baton.EINVAL);
  assert.throws(() => handler.complete(1n << 64n), baton.EINVAL);
  assert.throws(() => handler.complete(4294967296), baton.EINVAL, 'a Number is not a handle: handles are BigInt');
  roundTrip(3);
}));

test('double completion and completing an unclaimed event', withChannels('double', ({ host, handler, roundTrip }) => {
  const handle = host.dispatch(Buffer.from('12345678'));
  assert.throws(() => handler.complete(handle), baton.EPROTO);
  const event = handler.poll({ timeoutMs: 5000 });
  assert.strictEqual(handler.complete(event), baton.Completed.ACCEPTED);
  assert.throws(() => handler.complete(event), baton.EALREADY);
  host.drain();
  roundTrip(4);
}));

test('a completion after the deadline is a result', withChannels('late', ({ host, handler, roundTrip }) => {
  host.dispatch(Buffer.from('late'));
  const event = handler.poll({ timeoutMs: 5000 });
  while (host.reclaimExpired() === 0);
  assert.strictEqual(handler.complete(event), baton.Completed.TIMED_OUT);
  assert.ok(host.drain()[0].timedOut);
  roundTrip(5);
}));

test('a batch is dispatched in one call, and a full slab ends it', withChannels('dispatch-batch', ({ host, handler }) => {
  const ids = [0, 1, 2].map(() => crypto.randomUUID());
  const handles = host.dispatchBatch([Buffer.from('a'), Buffer.alloc(0), Buffer.from('ccc')], { kind: 4, eventIds: ids });
  assert.strictEqual(handles.length, 3);
  let events = handler.pollBatch(8, { timeoutMs: 5000 });
  assert.deepStrictEqual(events.map((event) => event.handle), handles);
  assert.deepStrictEqual(events.map((event) => event.payload.toString()), ['a', '', 'ccc']);
  assert.deepStrictEqual(events.map((event) => event.eventId), ids);
  assert.deepStrictEqual(events.map((event) => event.kind), [4, 4, 4]);
  handler.completeBatch(events.map((event) => [event, 0, Buffer.alloc(0)]));
  assert.strictEqual(host.drain().length, 3);
  // Random ids are version-4 UUIDs; the slab holds 16: the rest waits for a drain.
  assert.strictEqual(host.dispatchBatch(Array(20).fill(Buffer.from('x'))).length, 16);
  events = handler.pollBatch(16, { timeoutMs: 5000 });
  assert.strictEqual(new Set(events.map((event) => event.eventId)).size, 16);
  assert.ok(events.every((event) => /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(event.eventId)));
  handler.completeBatch(events.map((event) => [event, 0, Buffer.alloc(0)]));
  assert.strictEqual(host.drain().length, 16);
  const oversize = [Buffer.from('ok'), Buffer.alloc(100_000)];
  assert.strictEqual(host.dispatchBatch(oversize).length, 1, 'the entry before the refused one went');
  assert.throws(() => host.dispatchBatch(oversize.slice(1)), baton.EMSGSIZE);
  assert.strictEqual(handler.pollBatch(8, { timeoutMs: 5000 }).length, 1);
  assert.throws(() => host.dispatchBatch([Buffer.alloc(0)], { eventIds: [] }), RangeError);
  assert.deepStrictEqual(host.dispatchBatch([]), []);
}));

test('a batch carries the redeliveries its events had elsewhere', withChannels('carried', ({ host, handler }) => {
  const handles = host.dispatchBatch([Buffer.from('a'), Buffer.from('b')], { redeliveries: [2, 0] });
  const events = handler.pollBatch(8, { timeoutMs: 5000 });
  assert.deepStrictEqual(events.map((event) => event.handle), handles);
  assert.deepStrictEqual(events.map((event) => event.redeliveries), [2, 0]);
  handler.completeBatch(events.map((event) => [event, 0, Buffer.alloc(0)]));
  assert.strictEqual(host.drain().length, 2);
  for (const bad of [[1], [-1, 0], [2 ** 32, 0], [1.5, 0]]) {
    assert.throws(() => host.dispatchBatch([Buffer.from('a'), Buffer.from('b')], { redeliveries: bad }), RangeError);
  }
  assert.deepStrictEqual(handler.pollBatch(8, { timeoutMs: 0 }), [], 'a refused batch dispatched nothing');
}));

test('a batch is polled and completed in one call each, and a refused entry stops nothing', withChannels('batch',
  ({ host, handler, roundTrip }) => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const handles = [0, 1, 2].map((n) => host.dispatch(number(n), n === 2 ? { traceparent } : {}));
    const events = handler.pollBatch(8, { timeoutMs: 5000 });
    assert.deepStrictEqual(events.map((event) => event.handle), handles);
    assert.deepStrictEqual(events.map((event) => event.payload.readBigInt64LE(0)), [0n, 1n, 2n]);
    assert.deepStrictEqual(events.map((event) => event.traceparent), [null, null, traceparent]);
    const results = handler.completeBatch([[events[0], 200, Buffer.from('a')], [0n, 0, Buffer.alloc(0)],
      [events[2].handle, 201, Buffer.from('bc'), 7n], [events[1], 0, Buffer.alloc(100_000)]]);
    assert.strictEqual(results[0], baton.Completed.ACCEPTED);
    assert.ok(results[1] instanceof baton.ENOENT);
    assert.strictEqual(results[2], baton.Completed.ACCEPTED);
    assert.ok(results[3] instanceof baton.EMSGSIZE);
    assert.ok(handler.completeBatch([[events[0], 0, Buffer.alloc(0)]])[0] instanceof baton.EALREADY);
    handler.complete(events[1]);
    const outcomes = new Map(host.drain().map((outcome) => [outcome.handle, outcome]));
    assert.deepStrictEqual([outcomes.get(handles[0]).status, outcomes.get(handles[0]).result.toString()], [200, 'a']);
    assert.deepStrictEqual([outcomes.get(handles[2]).status, outcomes.get(handles[2]).result.toString(),
      outcomes.get(handles[2]).handlerSpanId], [201, 'bc', 7n]);
    assert.strictEqual(outcomes.size, 3);
    assert.deepStrictEqual(handler.pollBatch(8, { timeoutMs: 0 }), []);
    assert.deepStrictEqual(handler.completeBatch([]), []);
    for (const bad of [0, -1, baton.BATCH_MAX + 1, 1.5]) {
      assert.throws(() => handler.pollBatch(bad, { timeoutMs: 0 }), baton.EINVAL, String(bad));
    }
    roundTrip(3);
  }));

test('a trace context reaches the handler, and a bad one is refused', withChannels('trace', ({ host, handler, roundTrip }) => {
  const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
  host.dispatch(Buffer.from('traced'), { traceparent });
  const event = handler.poll({ timeoutMs: 5000 });
  assert.strictEqual(event.traceparent, traceparent);
  assert.strictEqual(handler.complete(event, 0, Buffer.alloc(0), { spanId: 0x1122334455667788n }), baton.Completed.ACCEPTED);
  const [traced] = host.drain();
  assert.deepStrictEqual([traced.traceparent, traced.handlerSpanId], [traceparent, 0x1122334455667788n]);
  host.dispatch(Buffer.from('untraced'));
  const untraced = handler.poll({ timeoutMs: 5000 });
  assert.strictEqual(untraced.traceparent, null);
  handler.complete(untraced);
  const [outcome] = host.drain();
  assert.deepStrictEqual([outcome.traceparent, outcome.handlerSpanId], [null, 0n]);
  for (const bad of ['', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    '00-00000000000000000000000000000000-00f067aa0ba902b7-01', `${traceparent}-`]) {
    assert.throws(() => host.dispatch(Buffer.alloc(0), { traceparent: bad }), baton.EINVAL, bad);
  }
  roundTrip(7);
}));

test('oversize payloads and results, and wrong types', withChannels('sizes', ({ host, handler, roundTrip }) => {
  assert.throws(() => host.dispatch(Buffer.alloc(65)), baton.EMSGSIZE); // past the inline room, no blocks
  assert.throws(() => host.dispatch('text'), TypeError);
  host.dispatch(new Uint8Array(64));
  const event = handler.poll({ timeoutMs: 5000 });
  assert.strictEqual(event.payload.length, 64);
  assert.throws(() => handler.complete(event, 0, Buffer.alloc(1 << 20)), baton.EMSGSIZE);
  assert.throws(() => handler.complete(event, 0, 'ok'), TypeError);
  assert.strictEqual(handler.complete(event, 0, Buffer.from('ok')), baton.Completed.ACCEPTED);
  assert.strictEqual(host.drain()[0].result.toString(), 'ok');
  roundTrip(6);
}));

test('use after detach and after close', withChannels('closed', ({ path, host, handler, roundTrip }) => {
  const spare = baton.Channel.open(path);
  spare.detach();
  spare.detach(); // a second detach does nothing
  for (const call of [() => spare.poll({ timeoutMs: 0 }), () => spare.complete(1n), () => spare.reap(),
    () => spare.close(), () => spare.dispatch(Buffer.alloc(0))]) {
    assert.throws(call, baton.ESHUTDOWN);
  }
  roundTrip(7);
  host.close();
  assert.throws(() => handler.poll(), baton.ESHUTDOWN);
  assert.throws(() => host.dispatch(Buffer.alloc(0)), baton.ESHUTDOWN);
  assert.throws(() => host.close(), baton.ESHUTDOWN);
  assert.throws(() => baton.Channel.open(path), baton.ENOENT); // the creator's close removed the file
}));

/** An assert.throws validator: an error of the class with exactly this message. */
function refusal(errorClass, message) {
  return (error) => {
    assert.ok(error instanceof errorClass, String(error));
    assert.strictEqual(error.message, message);
    return true;
  };
}

test('files that are no channel', withChannels('files', ({ path }) => {
  // Each refusal carries libbaton's detail: the object and the fault, in the words of every language.
  const missing = '/dev/shm/baton-node-no-such-channel';
  assert.throws(() => baton.Channel.open(missing), refusal(baton.ENOENT, `${missing}: no such file`));
  const junk = `/dev/shm/baton-node-junk-${process.pid}`;
  fs.writeFileSync(junk, Buffer.alloc(8192, 'A'));
  const short = `/dev/shm/baton-node-short-${process.pid}`;
  fs.writeFileSync(short, Buffer.alloc(100));
  try {
    assert.throws(() => baton.Channel.open(junk), refusal(baton.EBADMSG,
      `${junk}: not a Baton channel: its magic is 0x4141414141414141, a channel's is 0x3148434e4f544142`));
    assert.throws(() => baton.Channel.open(short), refusal(baton.EINVAL,
      `${short}: 100 bytes, shorter than a channel header (512 bytes)`));
  } finally {
    fs.unlinkSync(junk);
    fs.unlinkSync(short);
  }
  assert.throws(() => baton.Channel.create(path), refusal(baton.EEXIST, `${path}: a file already exists there`));
  assert.throws(() => baton.Channel.create(`${path}-bad-config`, { slabCapacity: 3 }),
    refusal(baton.EINVAL, 'slab_capacity must be a power of two in [1, 16777216]: 3'));
}));

test('a detach while an asynchronous wait is parked frees only after it returns', withChannels('async',
  async ({ path, host, roundTrip }) => {
    const waiter = baton.Channel.open(path);
    const parked = waiter.pollAsync();
    await new Promise((resolve) => setTimeout(resolve, 50));
    waiter.detach();
    await assert.rejects(parked, baton.ESHUTDOWN);
    const second = baton.Channel.open(path);
    const claimed = second.pollAsync({ timeoutMs: 5000 });
    host.dispatch(number(9), { eventId: 9n });
    const event = await claimed;
    assert.strictEqual(event.eventId, '00000000-0000-0000-0000-000000000009');
    second.complete(event, 200, number(18));
    assert.ok(host.awaitOutcomes({ timeoutMs: 5000 }));
    assert.strictEqual(host.drain()[0].result.readBigInt64LE(0), 18n);
    second.detach();
    roundTrip(8);
  }));
