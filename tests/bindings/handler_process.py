"""A Python handler process for the cross-process tests (dev.baton.BindingHandlersTest) and the
figures (bench/native/binding_round_trip.c): opens the channel file at its path, prints "attached",
answers each 8-byte number with status 200 and its double from a few threads until the host closes
the channel, then prints "served N". With poll_ms it does not wait on the channel but looks every
poll_ms milliseconds, as the workflow engine's handlers do today.

    python3 handler_process.py <path> <threads> [poll_ms]
"""
import struct
import sys
import time

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
        served = poll(channel, poll_ms) if poll_ms else channel.serve(double, threads=threads)
    print(f"served {served}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), *map(int, sys.argv[3:4]))
