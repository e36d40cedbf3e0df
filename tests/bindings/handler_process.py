"""A Python handler process for the cross-process tests (dev.baton.BindingHandlersTest) and the
figures (bench/native/binding_round_trip.c): opens the channel file at its path, prints "attached",
answers each 8-byte number with status 200 and its double from a few threads until the host closes
the channel, then prints "served N"; or, once the host is gone, prints "host gone" and exits 0. With poll_ms it does not wait on the channel but looks every
poll_ms milliseconds, as the workflow engine's handlers do today.

    python3 handler_process.py <path> <threads> [poll_ms]
    python3 handler_process.py --floor <events>

With --floor it serves no channel: it calls the same handler in a plain loop over as many 8-byte
numbers, each in an object with a payload as an event has, and prints "floor <events per second>":
the language's own floor, against which the figures set its throughput through a channel.
"""
import struct
import sys
import time
import types

import baton


def double(event):
    (number,) = struct.unpack("<q", event.payload)
    return 200, struct.pack("<q", 2 * number)


def poll(channel, poll_ms):
    served = 0
    try:
        while True:
            event = channel.poll(timeout=0)
            if event is None:
                time.sleep(poll_ms / 1000)
            else:
                served += channel.complete(event, *double(event)) is baton.Completed.ACCEPTED
    except baton.ESHUTDOWN:
        return served


def main(path, threads, poll_ms=0):
    with baton.Channel.open(path) as channel:
        print("attached", flush=True)
        try:
            served = poll(channel, poll_ms) if poll_ms else channel.serve(double, threads=threads)
        except baton.EHOSTDOWN:
            print("host gone", flush=True)
            return
    print(f"served {served}", flush=True)


def floor(events):
    payloads = [types.SimpleNamespace(payload=struct.pack("<q", n)) for n in range(1024)]
    start = time.perf_counter()
    for n in range(events):
        double(payloads[n & 1023])
    print(f"floor {events / (time.perf_counter() - start):.0f}", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "--floor":
        floor(int(sys.argv[2]))
    else:
        main(sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:4]))
