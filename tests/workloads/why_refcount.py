"""Every thread binds one object the main thread made, again and again: on
a free-threaded build its reference count is updated atomically from every
thread, on one cache line. Processes each have their own object. The
diagnosis should say "contention".

The object is the catalog's refcount_shared one (the catalog is on
sys.path for every workload); the loop binds it twice as often."""

from refcount_shared import SHARED

DESCRIPTION = "test: one shared object's reference count from every thread"
GROUP = "test"
UNIT = "iterations"


def run(n):
    for _ in range(n):
        a = SHARED
        b = a
        c = b
        d = c
        e = d
        f = e
    return f is SHARED
