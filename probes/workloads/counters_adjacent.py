"""False sharing: per-thread counters that sit next to each other in memory.

setup() creates one small counter object per thread, one after the other
in the main thread, so the allocator places them side by side (several to
a 64-byte cache line). Each thread then increments only its own counter,
yet on a free-threaded build the cache line ping-pongs between cores
because its neighbours write theirs. counters_padded is the same with the
counters at least 128 bytes apart. metrics() reports how far apart they
ended up. Under the GIL threads do not run in parallel, so nothing shows.
"""

DESCRIPTION = "each thread increments its own counter object; the counters are adjacent in memory"
GROUP = "false-sharing"
UNIT = "increments"
MEASURES = "ns per increment of the thread's own counter (wall)"

COUNTERS = []


class Counter:
    __slots__ = ("value",)

    def __init__(self):
        self.value = 0


def setup(nthreads):
    # one after the other, nothing allocated in between
    COUNTERS[:] = [Counter() for _ in range(nthreads)]


def make_run(counter):
    def run(n):
        c = counter
        for _ in range(n):
            c.value += 1
        return c.value

    return run


def run(n):
    return make_run(COUNTERS[0])(n)


def thread_run(index, nthreads):
    return make_run(COUNTERS[index])


def metrics():
    ids = sorted(id(c) for c in COUNTERS)
    gaps = [b - a for a, b in zip(ids, ids[1:])]
    if not gaps:
        return {}
    return {
        "counter_spacing_bytes": (min(gaps), "bytes",
                                  "smallest distance between two threads' counters"),
    }
