"""Re-entrant lock taken twice, nested, by its owner.

threading.RLock records its owner and a count; re-acquiring it from the
same thread only bumps the count. Each thread has its own RLock.
"""

DESCRIPTION = "acquire an RLock, acquire it again nested, release both (thread's own)"
GROUP = "sync"
UNIT = "nested acquire/release pairs"
MEASURES = "ns per outer + inner acquire and release (wall)"

import threading


def make_run():
    rlock = threading.RLock()

    def run(n):
        count = 0
        for _ in range(n):
            with rlock:
                with rlock:
                    count += 1
        return count

    return run


run = make_run()


def thread_run(index, nthreads):
    return make_run()
