"""Parallel pattern: a process pool (concurrent.futures.ProcessPoolExecutor).

The same n chunks as pattern_thread_pool, one task per worker process.
The pool starts the interpreter itself (not the probe) with the forkserver
start method (PARAMS["mp_start_method"] to change it) and all its workers
are started in setup(), outside timing. Arguments and results cross a
pipe, pickled.
"""

DESCRIPTION = "n chunks of CPU work split over a ProcessPoolExecutor of N processes"
GROUP = "patterns"
UNIT = "chunks of 1000 loop iterations"
MEASURES = "ns for all n chunks, submit to last result (wall)"
SELF_PARALLEL = True

import _patterns

PARAMS = {}
POOL = None
WORKERS = 1


def setup(nthreads):
    global POOL, WORKERS
    WORKERS = nthreads
    POOL = _patterns.process_pool(nthreads, PARAMS)


def run(n):
    futures = [POOL.submit(_patterns.chunks, k) for k in _patterns.shares(n, WORKERS)]
    return sum(f.result() for f in futures)


def teardown():
    POOL.shutdown(wait=True)
