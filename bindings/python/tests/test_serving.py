"""The handler loop from threads and from processes: every event answered exactly once, a handler
that raises still completes its event, and a parked serve ends promptly when the host closes."""
import multiprocessing
import os
import signal
import struct
import threading
import time
import unittest
import uuid
from types import SimpleNamespace

import baton
import baton.serving


def double(event):
    return 200, struct.pack("<q", 2 * struct.unpack("<q", event.payload)[0])


def fail_on_odd(event):
    number = struct.unpack("<q", event.payload)[0]
    if number % 2:
        raise ValueError(f"odd {number}")
    return struct.pack("<q", number)


def reverse(event):
    return 0, event.payload[::-1]


def checkpoint(event):
    """Hands the event back twice, appending a cursor byte each time; then answers with what it
    accumulated. Events numbered 13 mod 100 yield for ever, until the channel ends them."""
    number = struct.unpack("<q", event.payload[:8])[0]
    if number % 100 == 13 or event.yields < 2:
        return baton.Yield(event.payload + b"+")
    return event.yields, event.payload


def too_long_on_odd(event):
    (number,) = struct.unpack("<q", event.payload)
    return 200, bytes(2 << 20) if number % 2 else event.payload  # 2 MiB: past the largest block


def answer_text(event):
    return "a str, not bytes"


def host_ledger(test, host, events, closing, midway=None):
    """Dispatches 0..events-1, drains until each is reported (running midway once a third are),
    checks that each is reported once; returns the outcomes by number."""
    ledger, answers, sent = [0] * events, {}, 0
    while sum(ledger) < events:
        if midway is not None and sum(ledger) > events // 3:
            midway, run = None, midway
            run()
        while sent < events and host.dispatch(struct.pack("<q", sent), event_id=sent) is not None:
            sent += 1
        host.await_outcomes(0.05)
        for outcome in host.drain():
            number = outcome.event_id.int
            ledger[number] += 1
            answers[number] = outcome
    closing()
    test.assertEqual([1] * events, ledger, "every event reported exactly once")
    return answers


class ServingTest(unittest.TestCase):
    def setUp(self):
        self.path = f"/dev/shm/baton-py-test-{os.getpid()}-{self.id().rsplit('.', 1)[1]}"
        self.host = baton.Channel.create(self.path, slab_capacity=64, completion_timeout=30)

    def tearDown(self):
        try:
            self.host.close()  # ends any serve a failed test left
        except baton.ESHUTDOWN:
            pass
        self.host.detach()

    def serve_in_thread(self, handler, threads):
        served = []
        worker = threading.Thread(target=lambda: served.append(baton.serve(self.path, handler, threads=threads)),
                                  daemon=True)
        worker.start()
        return served, worker

    def test_the_events_the_slab_holds_are_listed_in_their_states_until_drained(self):
        ids = [uuid.UUID(int=(7 << 64) | n) for n in range(70)]
        handles = [self.host.dispatch(b"", kind=n, event_id=ids[n]) for n in range(64)]  # the whole slab
        self.host.LIST_CHUNK = 16  # so that listing the slab takes several calls
        with baton.Channel.open(self.path) as handler:
            polled = handler.poll_batch(3, timeout=0)
            self.assertEqual(baton.Completed.ACCEPTED, handler.complete(polled[0], 200, b"done"))
            listed = self.host.list_events()
            self.assertEqual(64, len(listed))
            states = {event.event_id: event.state for event in listed}
            self.assertEqual(baton.EventState.COMPLETED, states[polled[0].event_id])
            self.assertEqual({baton.EventState.POLLED}, {states[event.event_id] for event in polled[1:]})
            self.assertEqual(61, sum(state is baton.EventState.DISPATCHED for state in states.values()))
            by_id = {event.event_id: event for event in listed}
            for n in (0, 63):
                self.assertEqual((handles[n], n, 0, 0), (by_id[ids[n]].handle, by_id[ids[n]].kind,
                                                         by_id[ids[n]].redeliveries, by_id[ids[n]].yields))
            self.assertEqual(1, len(self.host.drain()))
            self.assertEqual(63, len(self.host.list_events()))
            self.host.close()
            self.assertEqual(63, len(self.host.list_events()), "a closed channel still lists them")

    def test_threads_answer_every_event_once(self):
        served, worker = self.serve_in_thread(double, 3)
        answers = host_ledger(self, self.host, 20_000, self.host.close)
        worker.join(10)
        self.assertEqual([20_000], served)
        self.assertTrue(all(struct.unpack("<q", a.result)[0] == 2 * n and a.status == 200 for n, a in answers.items()))

    def test_a_handler_that_raises_still_completes_its_event(self):
        served, worker = self.serve_in_thread(fail_on_odd, 2)
        answers = host_ledger(self, self.host, 100, self.host.close)
        worker.join(10)
        self.assertEqual([100], served)
        for number, outcome in answers.items():
            if number % 2:
                self.assertEqual((baton.HANDLER_FAILED, f"ValueError('odd {number}')".encode()),
                                 (outcome.status, outcome.result))
            else:
                self.assertEqual((0, struct.pack("<q", number)), (outcome.status, outcome.result))

    def test_a_result_longer_than_the_channel_allows_completes_its_event_as_a_failure(self):
        served, worker = self.serve_in_thread(too_long_on_odd, 2)
        answers = host_ledger(self, self.host, 100, self.host.close)
        worker.join(10)
        self.assertEqual([100], served)
        for number, outcome in answers.items():
            expected = (baton.HANDLER_FAILED, b"result longer than the channel allows") if number % 2 else \
                (200, struct.pack("<q", number))
            self.assertEqual(expected, (outcome.status, outcome.result))

    def test_an_answer_of_the_wrong_type_still_completes_its_event(self):
        served, worker = self.serve_in_thread(answer_text, 1)
        answers = host_ledger(self, self.host, 10, self.host.close)
        worker.join(10)
        self.assertEqual([10], served)
        for outcome in answers.values():
            self.assertEqual(baton.HANDLER_FAILED, outcome.status)
            self.assertIn(b"TypeError", outcome.result)

    def wait_until_processes_attach(self, count):
        """Until count child processes have mapped the channel: attached. A process spawned slowly
        would otherwise find the file already removed by the host's close."""
        def mapped(child):
            with open(f"/proc/{child.pid}/maps") as maps:
                return self.path in maps.read()
        while len(multiprocessing.active_children()) < count or not all(
                mapped(child) for child in multiprocessing.active_children()):
            time.sleep(0.01)

    def test_processes_answer_every_event_once(self):
        total = []
        pool = threading.Thread(target=lambda: total.append(baton.serve_in_processes(self.path, double, processes=2)),
                                daemon=True)
        pool.start()
        self.wait_until_processes_attach(2)
        while self.host.metrics().pending_count == 0 and not self.host.dispatch(struct.pack("<q", 0), event_id=0):
            pass
        self.host.await_outcomes(60)
        self.host.drain()
        host_ledger(self, self.host, 5_000, self.host.close)
        pool.join(60)
        self.assertEqual([5_001], total)

    def test_a_process_killed_mid_stream_loses_nothing_and_does_not_hang_the_call(self):
        total = []
        pool = threading.Thread(target=lambda: total.append(baton.serve_in_processes(self.path, double, processes=2)),
                                daemon=True)
        pool.start()
        self.wait_until_processes_attach(2)
        victim = multiprocessing.active_children()[0]

        def kill_midway():
            os.kill(victim.pid, signal.SIGKILL)
        answers = host_ledger(self, self.host, 5_000, self.host.close, midway=kill_midway)
        pool.join(60)
        self.assertFalse(pool.is_alive(), "serve_in_processes returned")
        completed = sum(not outcome.timed_out for outcome in answers.values())
        self.assertLessEqual(total[0], completed, "the survivor's count; the killed process's share is not in it")

    def test_a_path_that_does_not_exist_is_refused_before_any_process_starts(self):
        missing = self.path + ".missing"
        with self.assertRaises(baton.ENOENT):
            baton.serve_in_processes(missing, double, processes=2)
        self.assertEqual([], multiprocessing.active_children())

    def test_a_process_that_starts_after_the_file_was_removed_serves_nothing(self):
        reports = []
        baton.serving._serve_and_report(self.path + ".removed", double, 1, SimpleNamespace(put=reports.append))
        self.assertEqual([0], reports)

    def test_payloads_and_results_of_every_size_round_trip(self):
        """From empty to the largest block (1 MiB by default), inline and in blocks, both ways."""
        served, worker = self.serve_in_thread(reverse, 2)
        sizes = [0, 1, 128, 129, 4096, 4097, 65_536, 65_537, 1 << 20] + [(n * 7919) % 70_000 for n in range(60)]
        payloads = {n: os.urandom(size) for n, size in enumerate(sizes)}
        pending = dict(payloads)
        reported = {}
        while len(reported) < len(payloads):
            for n in list(pending):
                if self.host.dispatch(pending[n], event_id=n) is not None:
                    del pending[n]
            self.host.await_outcomes(0.05)
            for outcome in self.host.drain():
                reported[outcome.event_id.int] = outcome
        self.host.close()
        worker.join(10)
        self.assertEqual([len(sizes)], served)
        for n, payload in payloads.items():
            self.assertEqual((0, payload[::-1]), (reported[n].status, reported[n].result), f"{len(payload)} bytes")
        small = baton.Channel.create(self.path + "-small", blocks={})
        try:
            with self.assertRaises(baton.EMSGSIZE):
                small.dispatch(bytes(129))  # past the inline room, with no block to take it
        finally:
            small.close()
            small.detach()

    def test_handed_back_and_claimed_events_end_exactly_once(self):
        """Half the events are dispatched through claims written in place (some aborted first); every
        event yields twice with a growing continuation, and the endless yielders end with ELOOP."""
        self.host.close()
        self.host.detach()
        self.host = baton.Channel.create(self.path, slab_capacity=64, completion_timeout=30, yield_limit=5)
        served, worker = self.serve_in_thread(checkpoint, 2)
        events, ledger, reported, sent, aborted = 2_000, [0] * 2_000, {}, 0, 0
        while sum(ledger) < events:
            while sent < events:
                payload = struct.pack("<q", sent)
                if sent % 2 == 0:
                    if self.host.dispatch(payload, event_id=sent) is None:
                        break
                else:
                    claim = self.host.claim(len(payload), event_id=sent)
                    if claim is None:
                        break
                    with claim:
                        claim.payload[:] = payload
                        if sent % 10 == 1 and aborted < 50:
                            aborted += 1
                            continue  # leaving the block aborts; the event is claimed again
                        if claim.commit() is None:
                            break  # the ring is full: leaving the block aborts
                sent += 1
            self.host.await_outcomes(0.05)
            for outcome in self.host.drain():
                ledger[outcome.event_id.int] += 1
                reported[outcome.event_id.int] = outcome
        self.host.close()
        worker.join(10)
        self.assertEqual([1] * events, ledger, "every event reported exactly once")
        for number, outcome in reported.items():
            payload = struct.pack("<q", number)
            if number % 100 == 13:
                self.assertEqual((-40, b""), (outcome.status, outcome.result), "an endless yielder ends with ELOOP")
            else:
                self.assertEqual((2, payload + b"++"), (outcome.status, outcome.result), f"event {number}")
        self.assertEqual([events - events // 100], served, "the completions; the ELOOP ends are not the handler's")
        self.assertEqual(50, aborted)

    def test_a_parked_serve_ends_within_a_slice_of_the_close(self):
        served, worker = self.serve_in_thread(double, 2)
        time.sleep(0.3)  # parked in its wait
        self.host.close()
        worker.join(5)
        self.assertFalse(worker.is_alive())
        self.assertEqual([0], served)


def host_that_dies(path, events):
    """A host in a process of its own: creates the channel, dispatches events 0..events-1, and is
    killed before it drains any."""
    host = baton.Channel.create(path, slab_capacity=64, completion_timeout=30)
    for number in range(events):
        host.dispatch(struct.pack("<q", number), event_id=number)
    os.kill(os.getpid(), signal.SIGKILL)


class HostDeathTest(unittest.TestCase):
    def setUp(self):
        self.path = f"/dev/shm/baton-py-test-{os.getpid()}-{self.id().rsplit('.', 1)[1]}"

    def tearDown(self):
        if os.path.exists(self.path):
            os.unlink(self.path)

    def test_serve_ends_when_the_host_dies_and_an_adopter_drains_every_outcome_once(self):
        events = 40
        host = multiprocessing.get_context("spawn").Process(target=host_that_dies, args=(self.path, events))
        host.start()
        host.join(60)
        self.assertEqual(-signal.SIGKILL, host.exitcode)
        with self.assertRaises(baton.EHOSTDOWN):
            baton.serve(self.path, double, threads=2)  # serves every event, then notices
        with baton.Channel.open(self.path, adopt=True) as adopter:
            with self.assertRaises(baton.EISCONN):
                baton.Channel.open(self.path, adopt=True)  # the first adopter lives
            ledger = [0] * events
            while sum(ledger) < events:
                for outcome in adopter.drain():
                    self.assertEqual(200, outcome.status)
                    ledger[outcome.event_id.int] += 1
            self.assertEqual([1] * events, ledger, "every event reported exactly once, to the adopter")
        self.assertFalse(os.path.exists(self.path), "the adopter's close removes the file")


class Interrupted(Exception):
    """Raised from a SIGALRM handler, as KeyboardInterrupt is from SIGINT's."""


def serve_until_closed(path):
    baton.serve(path, double, threads=2)


class InterruptTest(unittest.TestCase):
    """A host whose calls a storm of exceptions raised from a signal handler keeps interrupting, at
    whatever instant each lands: every outcome still reaches it once, and every event, dispatched
    again by id after each interruption, goes out once."""

    def setUp(self):
        self.path = f"/dev/shm/baton-py-test-{os.getpid()}-{self.id().rsplit('.', 1)[1]}"
        self.armed = False
        self.interrupts = 0
        signal.signal(signal.SIGALRM, self.interrupt)

    def tearDown(self):
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        if os.path.exists(self.path):
            os.unlink(self.path)

    def interrupt(self, signum, frame):
        if self.armed:  # only inside the channel's calls: the test's own bookkeeping is not under test
            self.interrupts += 1
            raise Interrupted()

    def test_a_storm_of_exceptions_loses_no_outcome_and_sends_no_event_twice(self):
        events = 3000
        host = baton.Channel.create(self.path, slab_capacity=64, completion_timeout=60)
        handler = multiprocessing.get_context("spawn").Process(target=serve_until_closed, args=(self.path,))
        handler.start()
        reported, sent = [0] * events, 0
        signal.setitimer(signal.ITIMER_REAL, 0.0002, 0.0002)
        while sum(reported) < events:
            try:
                if sent < events:
                    self.armed = True
                    handle = host.dispatch(struct.pack("<q", sent), event_id=uuid.UUID(int=sent))
                    self.armed = False
                    sent += handle is not None  # an interrupted dispatch is sent again, with the same id
                self.armed = True
                outcomes = host.drain()
                self.armed = False
                for outcome in outcomes:
                    reported[outcome.event_id.int] += 1
            except Interrupted:
                self.armed = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        self.assertGreater(self.interrupts, 100, "the storm landed inside the calls")
        self.assertEqual([1] * events, reported, "every event went out once, and its outcome came back once")
        host.close()
        host.detach()  # returns: no call was left counted in progress by an interruption
        handler.join(60)
        self.assertEqual(0, handler.exitcode)


if __name__ == "__main__":
    unittest.main()
