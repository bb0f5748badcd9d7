"""Lock acquire and release on one lock every thread wants.

All threads loop on the same threading.Lock with a tiny critical section,
so with more than one thread running they queue for it: the cost of
contention (parking, waking, cache-line transfers) against
lock_uncontended's fast path.
"""

DESCRIPTION = "with LOCK: on one Lock shared by all threads (contended)"
GROUP = "sync"
UNIT = "acquire/release pairs"
BLOCKS = True  # waits by design: exempt from the on-CPU rule
MEASURES = "ns per acquire + release, per thread (wall)"

import threading

LOCK = threading.Lock()


def run(n):
    lock = LOCK
    count = 0
    for _ in range(n):
        with lock:
            count += 1
    return count
