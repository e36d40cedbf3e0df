"""Bad input from Python gets the documented error or result, never a crash, and the channel goes
on working: stale, random and unknown handles, double completion, oversize payloads and results,
wrong types, use after detach and after close, a file that is no channel."""
import os
import random
import struct
import tempfile
import unittest
import uuid

import baton


def channel_path(name):
    return f"/dev/shm/baton-py-test-{os.getpid()}-{name}"


class MisuseTest(unittest.TestCase):
    def setUp(self):
        self.path = channel_path(self.id().rsplit(".", 1)[1])
        self.host = baton.Channel.create(self.path, slab_capacity=16, slot_size=192, blocks={}, completion_timeout=0.05)
        self.handler = baton.Channel.open(self.path)

    def tearDown(self):
        self.handler.detach()
        try:
            self.host.close()
        except baton.ESHUTDOWN:
            pass
        self.host.detach()

    def test_events_and_outcomes_are_read_only_records_with_their_ids_as_uuids(self):
        event_id, correlation_id = uuid.uuid4(), uuid.uuid4()
        handle = self.host.dispatch(b"abc", kind=7, event_id=event_id, correlation_id=correlation_id)
        polled = self.handler.poll_batch(1, timeout=5)[0]
        self.assertEqual((handle, 7, event_id, correlation_id, b"abc", 0, 0, None),
                         (polled.handle, polled.kind, polled.event_id, polled.correlation_id, polled.payload,
                          polled.redeliveries, polled.yields, polled.traceparent))
        self.assertLess(polled.dispatched_at_ns, polled.deadline_ns)
        with self.assertRaises(AttributeError):
            polled.payload = b"changed"
        self.assertIn(f"event_id={event_id!r}", repr(polled))
        self.handler.complete(polled, 200, b"done")
        self.host.await_outcomes(5)
        (outcome,) = self.host.drain()
        self.assertEqual((handle, 200, b"done", False, 7, event_id, 0),
                         (outcome.handle, outcome.status, outcome.result, outcome.timed_out, outcome.kind,
                          outcome.event_id, outcome.handler_span_id))
        self.assertIn("timed_out=False", repr(outcome))
        second = self.host.dispatch(b"x", event_id=event_id)
        single = self.handler.poll(timeout=5)
        self.assertEqual((second, event_id, b"x"), (single.handle, single.event_id, single.payload))

    def test_a_with_block_ends_what_it_began(self):
        path = channel_path("with-block")
        with baton.Channel.create(path, slab_capacity=4, blocks={}):
            with baton.Channel.open(path):
                pass
            self.assertTrue(os.path.exists(path), "an opener's block detaches and leaves the channel open")
        self.assertFalse(os.path.exists(path), "the creator's block closed the channel and removed its file")
        with baton.Channel.create(path, slab_capacity=4, blocks={}) as host:
            host.close()  # a close inside the block ends it no differently
        self.assertFalse(os.path.exists(path))

    def round_trip(self, number):
        """The channel still works: one event dispatched, claimed, completed and drained."""
        handle = self.host.dispatch(struct.pack("<q", number))
        event = self.handler.poll(timeout=5)
        self.assertEqual(handle, event.handle)
        self.assertIs(baton.Completed.ACCEPTED, self.handler.complete(event, 200, struct.pack("<q", 2 * number)))
        self.assertTrue(self.host.await_outcomes(5))
        [outcome] = self.host.drain()
        self.assertEqual((handle, 200, 2 * number), (outcome.handle, outcome.status, struct.unpack("<q", outcome.result)[0]))
        return handle

    def test_stale_random_and_unknown_handles(self):
        old = self.round_trip(1)
        self.assertIs(baton.Completed.STALE, self.handler.complete(old, 200, b""), "its slot moved on")
        self.round_trip(2)
        rng = random.Random(7)
        for _ in range(1000):
            handle = rng.getrandbits(64)
            try:
                self.assertIn(self.handler.complete(handle, 0, b"x"), (baton.Completed.STALE,))
            except (baton.ENOENT, baton.EPROTO):
                pass  # out of range, or a slot with nothing claimed
        with self.assertRaises(baton.ENOENT):
            self.handler.complete(0)
        with self.assertRaises(baton.ENOENT):
            self.handler.complete((1 << 32) | 999)
        with self.assertRaises(baton.EINVAL):
            self.handler.complete(-1)
        with self.assertRaises(baton.EINVAL):
            self.handler.complete(1 << 64)
        self.round_trip(3)

    def test_a_trace_context_reaches_the_handler_and_a_bad_one_is_refused(self):
        traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        self.host.dispatch(b"traced", traceparent=traceparent)
        event = self.handler.poll(timeout=5)
        self.assertEqual(traceparent, event.traceparent)
        self.assertIs(baton.Completed.ACCEPTED, self.handler.complete(event, 0, b"", span_id=0x1122334455667788))
        [outcome] = self.host.drain()
        self.assertEqual((traceparent, 0x1122334455667788), (outcome.traceparent, outcome.handler_span_id))
        self.host.dispatch(b"untraced")
        untraced = self.handler.poll(timeout=5)
        self.assertIsNone(untraced.traceparent)
        self.handler.complete(untraced)
        [outcome] = self.host.drain()
        self.assertEqual((None, 0), (outcome.traceparent, outcome.handler_span_id))
        for bad in ["", "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
                    "00-00000000000000000000000000000000-00f067aa0ba902b7-01", traceparent + "-", 7]:
            with self.assertRaises(baton.EINVAL):
                self.host.dispatch(b"", traceparent=bad)
        self.round_trip(7)

    def test_a_batch_is_polled_and_completed_in_one_call_each_and_a_refused_entry_stops_nothing(self):
        traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
        handles = [self.host.dispatch(struct.pack("<q", n), traceparent=traceparent if n == 2 else None)
                   for n in range(3)]
        events = self.handler.poll_batch(8, timeout=5)
        self.assertEqual(handles, [event.handle for event in events])
        self.assertEqual([0, 1, 2], [struct.unpack("<q", event.payload)[0] for event in events])
        self.assertEqual([None, None, traceparent], [event.traceparent for event in events])
        results = self.handler.complete_batch([(events[0], 200, b"a"), (0, 0, b""), (events[2].handle, 201, b"bc", 7),
                                               (events[1], 0, b"x" * 100_000)])
        self.assertEqual(baton.Completed.ACCEPTED, results[0])
        self.assertIsInstance(results[1], baton.ENOENT)
        self.assertEqual(baton.Completed.ACCEPTED, results[2])
        self.assertIsInstance(results[3], baton.EMSGSIZE)
        self.assertIsInstance(self.handler.complete_batch([(events[0], 0, b"")])[0], baton.EALREADY)
        self.handler.complete(events[1])
        outcomes = {outcome.handle: outcome for outcome in self.host.drain()}
        self.assertEqual((200, b"a"), (outcomes[handles[0]].status, outcomes[handles[0]].result))
        self.assertEqual((201, b"bc", 7), (outcomes[handles[2]].status, outcomes[handles[2]].result,
                                           outcomes[handles[2]].handler_span_id))
        self.assertEqual(3, len(outcomes))
        self.assertEqual([], self.handler.poll_batch(8, timeout=0))
        self.assertEqual([], self.handler.complete_batch([]))
        for bad in [0, -1, baton.BATCH_MAX + 1, 1.5]:
            with self.assertRaises(baton.EINVAL):
                self.handler.poll_batch(bad, timeout=0)
        self.round_trip(3)

    def test_a_batch_is_dispatched_in_one_call_and_a_full_slab_ends_it(self):
        ids = [uuid.uuid4() for _ in range(3)]
        handles = self.host.dispatch_batch([b"a", b"", b"ccc"], kind=4, event_ids=ids)
        self.assertEqual(3, len(handles))
        events = self.handler.poll_batch(8, timeout=5)
        self.assertEqual(handles, [event.handle for event in events])
        self.assertEqual([b"a", b"", b"ccc"], [event.payload for event in events])
        self.assertEqual(ids, [event.event_id for event in events])
        self.assertEqual([4, 4, 4], [event.kind for event in events])
        self.handler.complete_batch([(event, 0, b"") for event in events])
        self.assertEqual(3, len(self.host.drain()))
        # Random ids are version-4 UUIDs; the slab holds 16: the rest waits for a drain.
        handles = self.host.dispatch_batch([b"x"] * 20)
        self.assertEqual(16, len(handles))
        events = self.handler.poll_batch(16, timeout=5)
        self.assertEqual(16, len({event.event_id for event in events}))
        self.assertTrue(all(event.event_id.version == 4 for event in events))
        self.handler.complete_batch([(event, 0, b"") for event in events])
        self.assertEqual(16, len(self.host.drain()))
        oversize = [b"ok", b"x" * 100_000]
        self.assertEqual(1, len(self.host.dispatch_batch(oversize)), "the entry before the refused one went")
        with self.assertRaises(baton.EMSGSIZE):
            self.host.dispatch_batch(oversize[1:])
        self.assertEqual(1, len(self.handler.poll_batch(8, timeout=5)))
        with self.assertRaises(ValueError):
            self.host.dispatch_batch([b""], event_ids=[])
        self.assertEqual([], self.host.dispatch_batch([]))

    def test_a_batch_carries_the_redeliveries_its_events_had_elsewhere(self):
        handles = self.host.dispatch_batch([b"a", b"b"], redeliveries=[2, 0])
        events = self.handler.poll_batch(8, timeout=5)
        self.assertEqual(handles, [event.handle for event in events])
        self.assertEqual([2, 0], [event.redeliveries for event in events])
        self.handler.complete_batch([(event, 0, b"") for event in events])
        self.assertEqual(2, len(self.host.drain()))
        for bad in ([1], [-1, 0], [1 << 32, 0], [1.5, 0]):
            with self.assertRaises(ValueError):
                self.host.dispatch_batch([b"a", b"b"], redeliveries=bad)
        self.assertEqual([], self.handler.poll_batch(8, timeout=0), "a refused batch dispatched nothing")

    def test_double_completion_and_completing_an_unclaimed_event(self):
        handle = self.host.dispatch(b"12345678")
        with self.assertRaises(baton.EPROTO):
            self.handler.complete(handle, 0, b"")
        event = self.handler.poll(timeout=5)
        self.assertIs(baton.Completed.ACCEPTED, self.handler.complete(event))
        with self.assertRaises(baton.EALREADY):
            self.handler.complete(event)
        self.host.drain()
        self.round_trip(4)

    def test_a_completion_after_the_deadline_is_a_result(self):
        self.host.dispatch(b"late")
        event = self.handler.poll(timeout=5)
        while self.host.reclaim_expired() == 0:
            pass
        self.assertIs(baton.Completed.TIMED_OUT, self.handler.complete(event, 0, b""))
        [outcome] = self.host.drain()
        self.assertTrue(outcome.timed_out)
        self.round_trip(5)

    def test_oversize_payloads_and_results_and_wrong_types(self):
        with self.assertRaises(baton.EMSGSIZE):
            self.host.dispatch(bytes(192 - 128 + 1))  # past the inline room, with no blocks
        self.host.dispatch(bytes(192 - 128))
        event = self.handler.poll(timeout=5)
        self.assertEqual(64, len(event.payload))
        with self.assertRaises(baton.EMSGSIZE):
            self.handler.complete(event, 0, bytes(1 << 20))
        with self.assertRaises(TypeError):
            self.handler.complete(event, 0, "text")
        with self.assertRaises(TypeError):
            self.handler.complete(event, 0, 5)
        self.assertIs(baton.Completed.ACCEPTED, self.handler.complete(event, 0, bytearray(b"ok")))
        self.assertEqual(b"ok", self.host.drain()[0].result)
        self.round_trip(6)

    def test_use_after_detach_and_after_close(self):
        spare = baton.Channel.open(self.path)
        spare.detach()
        spare.detach()  # a second detach does nothing
        for call in (lambda: spare.poll(timeout=0), lambda: spare.complete(1), spare.reap, spare.close,
                     lambda: spare.dispatch(b"")):
            with self.assertRaises(baton.ESHUTDOWN):
                call()
        self.round_trip(7)
        self.host.close()
        with self.assertRaises(baton.ESHUTDOWN):
            self.handler.poll()
        with self.assertRaises(baton.ESHUTDOWN):
            self.host.dispatch(b"")
        with self.assertRaises(baton.ESHUTDOWN):
            self.host.close()
        with self.assertRaises(baton.ENOENT):
            baton.Channel.open(self.path)  # the creator's close removed the file

    def test_an_outcome_is_drained_once(self):
        self.host.dispatch(b"")
        event = self.handler.poll(timeout=5)
        self.handler.complete(event)
        self.assertEqual(1, len(self.host.drain()))
        self.assertEqual([], self.host.drain())

    def test_files_that_are_no_channel(self):
        # Each refusal carries libbaton's detail: the object and the fault, in the words of every language.
        missing = "/dev/shm/baton-py-no-such-channel"
        with self.assertRaisesRegex(baton.ENOENT, f"^BATON_ENOENT: {missing}: no such file$"):
            baton.Channel.open(missing)
        with tempfile.NamedTemporaryFile(dir="/dev/shm") as junk:
            junk.write(b"A" * 8192)
            junk.flush()
            with self.assertRaises(baton.EBADMSG) as refused:
                baton.Channel.open(junk.name)
            self.assertEqual(f"BATON_EBADMSG: {junk.name}: not a Baton channel: its magic is 0x4141414141414141, "
                             f"a channel's is 0x{baton._declarations.BATON_MAGIC:016x}", str(refused.exception))
        with tempfile.NamedTemporaryFile(dir="/dev/shm") as short:
            short.write(bytes(100))
            short.flush()
            with self.assertRaises(baton.EINVAL) as refused:
                baton.Channel.open(short.name)
            self.assertEqual(f"BATON_EINVAL: {short.name}: 100 bytes, shorter than a channel header (512 bytes)",
                             str(refused.exception))
        with self.assertRaisesRegex(baton.EEXIST, f"^BATON_EEXIST: {self.path}: a file already exists there$"):
            baton.Channel.create(self.path)
        with self.assertRaisesRegex(baton.EINVAL, r"^BATON_EINVAL: slab_capacity must be a power of two in \[1, 16777216\]: 3$"):
            baton.Channel.create(channel_path("bad-config"), slab_capacity=3)

    def test_event_ids_travel_as_uuids(self):
        event_id = uuid.uuid4()
        self.host.dispatch(b"", kind=7, event_id=event_id, correlation_id=str(event_id))
        event = self.handler.poll(timeout=5)
        self.assertEqual((7, event_id, event_id), (event.kind, event.event_id, event.correlation_id))
        self.handler.complete(event)
        self.assertEqual(event_id, self.host.drain()[0].event_id)


if __name__ == "__main__":
    unittest.main()
