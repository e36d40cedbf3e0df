"""Runs a binding README's handler snippet against a host: creates a channel file with the Python
binding, starts the snippet's command with the file's path as its last argument, dispatches the
numbers 0..events-1, checks that each is answered once with status 200 and its double, closes the
channel, and checks that the snippet then printed "served <events>" and exited 0.

    python3 binding_snippet_host.py <events> <command...>
"""
import os
import struct
import subprocess
import sys

import baton


def main(events, command):
    path = f"/dev/shm/baton-readme-{os.getpid()}"
    with baton.Channel.create(path, slab_capacity=64, completion_timeout=60) as host:
        snippet = subprocess.Popen(command + [path], stdout=subprocess.PIPE, text=True)
        ledger, sent = [0] * events, 0
        while sum(ledger) < events:
            while sent < events and host.dispatch(struct.pack("<q", sent), event_id=sent) is not None:
                sent += 1
            host.await_outcomes(0.1)
            for outcome in host.drain():
                number = outcome.event_id.int
                ledger[number] += 1
                assert (outcome.timed_out, outcome.status, outcome.result) == (False, 200, struct.pack("<q", 2 * number)), outcome
            if snippet.poll() is not None:
                sys.exit(f"the snippet ended early, with {snippet.returncode}")
        host.close()
        output, _ = snippet.communicate(timeout=30)
    assert ledger == [1] * events, "every event answered exactly once"
    assert snippet.returncode == 0 and output.strip().endswith(f"served {events}"), (snippet.returncode, output)
    print(f"{' '.join(command)}: {events} events answered once each; the snippet printed: {output.strip()}")


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2:])
