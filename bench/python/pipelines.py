"""Python host, one Python handler process: the same work through three pipelines, side by side in one
run. The host keeps IN_FLIGHT events of 8 bytes (a number) in flight; the handler answers each with twice
the number; the host checks every answer and counts events per second.

  - baton: a channel file in /dev/shm; the host dispatches and drains in batches, the handler process is
    tests/bindings/handler-process python (Channel.serve: polls and completes in batches);
  - queue: the standard library's multiprocessing.Queue, one each way (the host puts, the handler
    answers on the second);
  - pyzmq: PUSH/PULL sockets over ipc://, one each way.

    python pipelines.py <events> <handler-process launcher>

Prints a Markdown table. A measurement on a shared machine, not a test.
"""
import multiprocessing
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time

import baton

IN_FLIGHT = 256
NUMBER = struct.Struct("<q")


def check(number, answer):
    if NUMBER.unpack(answer)[0] != 2 * number:
        raise AssertionError(f"wrong answer for {number}")


def through_baton(events, launcher):
    path = f"/dev/shm/baton-bench-pipelines-{os.getpid()}"
    with baton.Channel.create(path, slab_capacity=1024, blocks={}) as host:
        handler = subprocess.Popen([launcher, "python", path, "1"], stdout=subprocess.PIPE, text=True)
        if handler.stdout.readline().strip() != "attached":
            raise RuntimeError("the handler process did not attach")
        numbers = {}
        sent = done = 0
        start = time.perf_counter()
        while done < events:
            room = min(IN_FLIGHT - (sent - done), events - sent)
            if room > 0:
                handles = host.dispatch_batch([NUMBER.pack(sent + i) for i in range(room)])
                for i, handle in enumerate(handles):
                    numbers[handle] = sent + i
                sent += len(handles)
            outcomes = host.drain(IN_FLIGHT)
            if not outcomes:
                host.await_outcomes(1.0)
            for outcome in outcomes:
                if outcome.timed_out:
                    raise AssertionError("an event timed out")
                check(numbers.pop(outcome.handle), outcome.result)
            done += len(outcomes)
        elapsed = time.perf_counter() - start
        host.close()
    handler.wait(30)
    return events / elapsed


def queue_handler(requests, answers):
    while (payload := requests.get()) is not None:
        (number,) = NUMBER.unpack(payload)
        answers.put((number, NUMBER.pack(2 * number)))


def windowed(events, send, receive):
    """Events per second of a pipeline that sends one number a call and receives (number, answer) one a
    call, IN_FLIGHT at most in flight."""
    sent = done = 0
    start = time.perf_counter()
    while done < events:
        while sent - done < IN_FLIGHT and sent < events:
            send(sent)
            sent += 1
        check(*receive())
        done += 1
    return events / (time.perf_counter() - start)


def through_queue(events):
    requests, answers = multiprocessing.Queue(), multiprocessing.Queue()
    handler = multiprocessing.Process(target=queue_handler, args=(requests, answers))
    handler.start()
    rate = windowed(events, lambda number: requests.put(NUMBER.pack(number)), answers.get)
    requests.put(None)
    handler.join(30)
    return rate


def zmq_handler(requests_address, answers_address):
    import zmq
    context = zmq.Context()
    requests, answers = context.socket(zmq.PULL), context.socket(zmq.PUSH)
    requests.connect(requests_address)
    answers.connect(answers_address)
    while (payload := requests.recv()) != b"":
        (number,) = NUMBER.unpack(payload)
        answers.send(payload + NUMBER.pack(2 * number))
    context.destroy(linger=0)


def through_zmq(events):
    import zmq
    directory = tempfile.mkdtemp(prefix="baton-bench-zmq-")
    requests_address, answers_address = f"ipc://{directory}/requests", f"ipc://{directory}/answers"
    context = zmq.Context()
    requests, answers = context.socket(zmq.PUSH), context.socket(zmq.PULL)
    requests.bind(requests_address)
    answers.bind(answers_address)
    handler = multiprocessing.Process(target=zmq_handler, args=(requests_address, answers_address))
    handler.start()

    def receive():
        message = answers.recv()
        return NUMBER.unpack_from(message)[0], message[8:]

    rate = windowed(events, lambda number: requests.send(NUMBER.pack(number)), receive)
    requests.send(b"")
    handler.join(30)
    context.destroy(linger=0)
    shutil.rmtree(directory)
    return rate


def main(events, launcher):
    try:
        import zmq
        zmq_version = zmq.__version__
    except ImportError:
        zmq_version = None
    rates = {"Baton (`dispatch_batch`, `drain`; the handler serves in batches)": through_baton(events, launcher),
             "`multiprocessing.Queue`, one each way": through_queue(events)}
    if zmq_version is not None:
        rates[f"pyzmq {zmq_version} PUSH/PULL over `ipc://`"] = through_zmq(events)
    baton_rate = next(iter(rates.values()))
    print("| pipeline (Python host, one Python handler process) | events/s | Baton ÷ this |")
    print("|---|---|---|")
    for name, rate in rates.items():
        print(f"| {name} | {rate:.0f} | {baton_rate / rate:.2f} |")
    if zmq_version is None:
        print("| pyzmq | not installed | |")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
