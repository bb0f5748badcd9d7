"""Reference counting on an object the thread created itself.

The same loop as refcount_shared, but thread_run creates the object in the
worker thread, so on a free-threaded build that thread owns it and counts
it with plain, non-atomic increments of the local half of the count.
"""

DESCRIPTION = "bind an object the thread created itself (owner's refcount fast path)"
GROUP = "refcount"
UNIT = "iterations"
MEASURES = "ns per iteration: three increments and decrements of a private refcount (wall)"


class Thing:
    pass


def make_run(obj):
    def run(n):
        for _ in range(n):
            a = obj
            b = a
            c = b
        return c is obj

    return run


run = make_run(Thing())


def thread_run(index, nthreads):
    return make_run(Thing())
