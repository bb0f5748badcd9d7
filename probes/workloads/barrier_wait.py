"""threading.Barrier: all threads meet n times.

Every thread waits on one Barrier(nthreads) per unit of work, so each
round ends only when the slowest thread arrives: the cost of a rendezvous
(lock, condition, wake-ups) that parallel phases pay. With one thread the
barrier trips at once. The wait has a timeout so a broken run ends with
an error instead of hanging.
"""

DESCRIPTION = "all threads wait on one threading.Barrier, n times"
GROUP = "sync"
UNIT = "barrier rounds"
BLOCKS = True  # waits by design: exempt from the on-CPU rule
MEASURES = "ns per rendezvous of all threads (wall)"
ENGINES = ("threads", "executor-threads")

import threading

BARRIER = None


def setup(nthreads):
    global BARRIER
    BARRIER = threading.Barrier(nthreads)


def run(n):
    wait = BARRIER.wait
    for _ in range(n):
        wait(timeout=60)
    return n
