"""Reference counting on one object that every thread uses.

Each iteration binds the same module-level object to locals three times,
which increments and decrements its reference count. On a free-threaded
build the object belongs to the main thread (which created it), so every
worker thread counts it through the shared, atomic half of the biased
reference count: all threads hit the same cache line. refcount_private is
the same loop on an object each thread made itself (the owner's
non-atomic fast path). Under the GIL only one thread runs at a time.
"""

DESCRIPTION = "bind one module-level object shared by all threads (its refcount is contended)"
GROUP = "refcount"
UNIT = "iterations"
MEASURES = "ns per iteration: three increments and decrements of a shared refcount (wall)"


class Thing:
    pass


SHARED = Thing()


def run(n):
    for _ in range(n):
        a = SHARED
        b = a
        c = b
    return c is SHARED
