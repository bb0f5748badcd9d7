"""Specialisation under threads, on code all threads share.

Each round every thread runs the same function, and the function is new
each round (a fresh code object, so nothing specialised yet): the threads
specialise it concurrently while they run it. One copy per round is made
in setup(); the k-th call of every thread uses copy k. Compare with
spec_warm_shared (specialised beforehand) and spec_cold_private (each
thread specialises its own copy).
"""

DESCRIPTION = "run code no thread has run before, shared by all threads (specialised concurrently)"
GROUP = "specialization"
UNIT = "iterations"
MEASURES = "ns per loop iteration on code specialised while threads run it (wall)"

from spec_warm_shared import fresh_copy

PARAMS = {}
COPIES = []


def setup(nthreads):
    rounds = int(PARAMS.get("rounds", 256))
    COPIES[:] = [fresh_copy() for _ in range(rounds)]


def thread_run(index, nthreads):
    calls = 0

    def run(n):
        nonlocal calls
        fn = COPIES[calls % len(COPIES)]
        calls += 1
        return fn(n)

    return run
