"""Parallel pattern: processes of threads.

N workers as P processes of T threads each (T = PARAMS["threads_per_process"],
default 2; P = N / T, at least 1): each process gets an equal share of the
n chunks and splits it over a thread pool of its own. On a GIL build the
threads inside a process take turns; on a free-threaded build they run in
parallel, so fewer processes (less memory) can do the same work.
"""

DESCRIPTION = "n chunks of CPU work over P processes of T threads each (P x T = N)"
GROUP = "patterns"
UNIT = "chunks of 1000 loop iterations"
MEASURES = "ns for all n chunks, submit to last result (wall)"
SELF_PARALLEL = True

import _patterns

PARAMS = {}
POOL = None
PROCESSES = 1
THREADS = 1


def setup(nthreads):
    global POOL, PROCESSES, THREADS
    THREADS = max(1, min(int(PARAMS.get("threads_per_process", 2)), nthreads))
    PROCESSES = max(1, nthreads // THREADS)
    POOL = _patterns.process_pool(PROCESSES, PARAMS)


def run(n):
    futures = [POOL.submit(_patterns.threaded_chunks, k, THREADS)
               for k in _patterns.shares(n, PROCESSES)]
    return sum(f.result() for f in futures)


def metrics():
    return {
        "hybrid_processes": (PROCESSES, "count", "worker processes"),
        "hybrid_threads_per_process": (THREADS, "count", "threads in each worker process"),
    }


def teardown():
    POOL.shutdown(wait=True)
