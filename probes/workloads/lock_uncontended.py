"""Lock acquire and release with no other thread wanting the lock.

Each thread has its own threading.Lock: the fast path of acquiring a free
lock and releasing it. lock_contended is the same loop on one lock all
threads share.
"""

DESCRIPTION = "with lock: on a Lock only this thread uses (uncontended)"
GROUP = "sync"
UNIT = "acquire/release pairs"
MEASURES = "ns per acquire + release (wall)"

import threading


def make_run():
    lock = threading.Lock()

    def run(n):
        count = 0
        for _ in range(n):
            with lock:
                count += 1
        return count

    return run


run = make_run()


def thread_run(index, nthreads):
    return make_run()
