"""Word frequency, version 3 of 4: thread-safe, with one shared result.

The realistic next step: all threads count into one shared table, so the
answer is the total over everything they read. The memory-optimised loop
counts each line into a small local dict, then merges it into the shared
dict under a Lock, once per line. Correct in every build (the read-modify-
write of a shared count needs the lock even with the GIL), but the lock is
taken once per line by every thread.
"""

DESCRIPTION = "word counts merged into one shared dict under a Lock, once per line"
GROUP = "progression"
UNIT = "lines"
BLOCKS = True  # waits by design: exempt from the on-CPU rule
MEASURES = "ns per line counted and merged (wall)"

import threading

import _wordfreq

LINES = []
TABLE = str.maketrans(".,!", "   ")
LOCK = threading.Lock()
TOTALS = {}


def setup(nthreads):
    LINES[:] = _wordfreq.corpus()
    TOTALS.clear()


def run(n):
    lines = LINES
    size = len(lines)
    table = TABLE
    totals = TOTALS
    for i in range(n):
        local = {}
        for w in lines[i % size].translate(table).lower().split():
            local[w] = local.get(w, 0) + 1
        with LOCK:
            for w, c in local.items():
                totals[w] = totals.get(w, 0) + c
    return len(totals)
