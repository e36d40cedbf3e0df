"""A Python handler process for the cross-process tests (dev.baton.BindingHandlersTest): opens the
channel file at its path, prints "attached", answers each 8-byte number with status 200 and its
double from a few threads until the host closes the channel, then prints "served N".

    python3 handler_process.py <path> <threads>
"""
import struct
import sys

import baton


def double(event):
    (number,) = struct.unpack("<q", event.payload)
    return 200, struct.pack("<q", 2 * number)


def main(path, threads):
    with baton.Channel.open(path) as channel:
        print("attached", flush=True)
        served = channel.serve(double, threads=threads)
    print(f"served {served}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
