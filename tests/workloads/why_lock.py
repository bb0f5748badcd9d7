"""Every thread takes one lock for all of its work, a short loop and a
wait for I/O (a sleep): the threads run one after another and are blocked
the rest of the time, however busy the machine. Each worker process has its
own lock, so processes do not wait for each other. The diagnosis should say
"waiting"."""
import threading
import time

DESCRIPTION = "test: a lock held across all the work (the threads wait)"
GROUP = "test"
UNIT = "iterations"

LOCK = threading.Lock()


def run(n):
    total = 0
    with LOCK:
        for i in range(n):
            total += i ^ (i >> 3)
        time.sleep(PARAMS.get("hold_ms", 30) / 1000)
    return total
