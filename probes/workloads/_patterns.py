"""Shared by the pattern_* workloads: the unit of work and the pools.

A chunk is 1000 iterations of cpu_loop's body: pure Python, CPU-bound,
nothing shared. Each pattern splits the same number of chunks over its
workers, one task per worker, so they do the same total work.
"""

import concurrent.futures
import os
import time

CHUNK = 1000


def chunks(count):
    total = 0
    for i in range(count * CHUNK):
        total += i ^ (i >> 3)
    return total


def shares(n, workers):
    """n chunks split as evenly as possible over the workers."""
    base, extra = divmod(n, workers)
    return [base + (1 if k < extra else 0) for k in range(workers)]


def _busy(_):
    time.sleep(0.05)
    return os.getpid()


def process_pool(workers, params):
    from _ftmatrix_executor import mp_context

    ctx = mp_context(params.get("mp_start_method", "forkserver"))
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=ctx)
    # start every worker now, outside timing
    list(pool.map(_busy, range(workers)))
    return pool


_threads = None


def threaded_chunks(count, threads):
    """In a worker process: count chunks over a pool of threads of its own."""
    global _threads
    if _threads is None:
        _threads = concurrent.futures.ThreadPoolExecutor(max_workers=threads)
    futures = [_threads.submit(chunks, k) for k in shares(count, threads)]
    return sum(f.result() for f in futures)
