"""False sharing avoided: per-thread counters at least 128 bytes apart.

The same loop as counters_adjacent, but setup() allocates spacer objects
between the counters (and keeps them alive), so no two counters share a
cache line (nor an adjacent-line prefetch pair). The difference between
the two is the cost of false sharing; metrics() reports the spacing.
"""

DESCRIPTION = "each thread increments its own counter object; the counters are padded apart"
GROUP = "false-sharing"
UNIT = "increments"
MEASURES = "ns per increment of the thread's own counter (wall)"

from counters_adjacent import Counter, make_run

COUNTERS = []
KEEP = []
SPACERS = 6  # 6 x 32+ bytes between two counters


def setup(nthreads):
    COUNTERS.clear()
    KEEP.clear()
    for _ in range(nthreads):
        COUNTERS.append(Counter())
        for _ in range(SPACERS):
            KEEP.append(Counter())


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
