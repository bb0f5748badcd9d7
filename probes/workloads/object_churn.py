"""Object create/destroy: a small __slots__ instance, a tuple and a list per
iteration, each dropped when the next iteration rebinds its name.

thread_run gives each thread its own class, created in that thread, so the
threads share no type object (whose reference count every instance
creation touches). Contention on a shared type is a separate question for a
refcount workload, not part of this one.
"""

from itertools import repeat

DESCRIPTION = "create and drop a __slots__ instance, a tuple and a list per iteration"
GROUP = "objects"
UNIT = "iterations"
MEASURES = "ns per iteration: one instance, one tuple, one list made and freed (wall)"


def make_class():
    class Point:
        __slots__ = ("x", "y", "z")

        def __init__(self, x, y, z):
            self.x = x
            self.y = y
            self.z = z

    return Point


def make_run(cls):
    def run(n):
        for _ in repeat(None, n):
            p = cls(1, 2, 3)
            t = (p, p.x, p.y)
            lst = [p, t, p.z]
        return len(lst)

    return run


run = make_run(make_class())


def thread_run(index, nthreads):
    return make_run(make_class())
