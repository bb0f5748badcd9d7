"""Parallel pattern: a thread pool (concurrent.futures.ThreadPoolExecutor).

run(n) splits n chunks of CPU-bound work into one task per pool thread and
waits for them. The pool has as many threads as the cell's thread count
and is created in setup(). The same total work as pattern_process_pool and
pattern_hybrid: with strong scaling n is the matrix's iterations whatever
the thread count, so the three compare directly.
"""

DESCRIPTION = "n chunks of CPU work split over a ThreadPoolExecutor of N threads"
GROUP = "patterns"
UNIT = "chunks of 1000 loop iterations"
MEASURES = "ns for all n chunks, submit to last result (wall)"
SELF_PARALLEL = True

import concurrent.futures

import _patterns

POOL = None
WORKERS = 1


def setup(nthreads):
    global POOL, WORKERS
    WORKERS = nthreads
    POOL = concurrent.futures.ThreadPoolExecutor(max_workers=nthreads)


def run(n):
    futures = [POOL.submit(_patterns.chunks, k) for k in _patterns.shares(n, WORKERS)]
    return sum(f.result() for f in futures)


def teardown():
    POOL.shutdown(wait=True)
