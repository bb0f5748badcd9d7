"""Condition variable: lock it and notify, with no thread waiting.

A shared threading.Condition, as a producer uses one: take its lock,
notify, release. With nobody waiting, notify only checks the waiter list,
so this is the lock plus the bookkeeping, contended across threads.
"""

DESCRIPTION = "with COND: COND.notify() on one Condition shared by all threads"
GROUP = "sync"
UNIT = "notifications"
BLOCKS = True  # waits by design: exempt from the on-CPU rule
MEASURES = "ns per lock + notify + unlock (wall)"

import threading

COND = threading.Condition()


def run(n):
    cond = COND
    for _ in range(n):
        with cond:
            cond.notify()
    return n
