"""queue.SimpleQueue: the C-implemented unbounded queue, shared.

SimpleQueue has no task tracking and no Python-level locks; put and
get_nowait are single C calls. All threads share one queue and never find
it empty (each puts before it gets).
"""

DESCRIPTION = "put() then get_nowait() on one queue.SimpleQueue shared by all threads"
GROUP = "lock-free"
UNIT = "put/get pairs"
MEASURES = "ns per put + get, per thread (wall)"

import queue

QUEUE = queue.SimpleQueue()


def run(n):
    put = QUEUE.put
    get = QUEUE.get_nowait
    for i in range(n):
        put(i)
        get()
    return n
