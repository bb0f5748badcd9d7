"""One iterator shared by all threads, the safe way: next() under a lock.

Sharing an iterator between threads without a lock can lose or repeat
items on a free-threaded build (see finding_shared_iterator); taking a
Lock around next() is the documented fix. This measures what the fix
costs.
"""

DESCRIPTION = "take items from one shared iterator with next() under a Lock"
GROUP = "interpreter"
UNIT = "items"
BLOCKS = True  # waits by design: exempt from the on-CPU rule
MEASURES = "ns per locked next(), per thread (wall)"

import itertools
import threading

LOCK = threading.Lock()
ITERATOR = itertools.cycle(range(1000))


def run(n):
    lock = LOCK
    it = ITERATOR
    total = 0
    for _ in range(n):
        with lock:
            total += next(it)
    return total
