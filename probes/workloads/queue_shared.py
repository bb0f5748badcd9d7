"""queue.Queue put then get, on one queue all threads share.

Every thread puts an item and takes one (not necessarily its own), so the
queue never blocks but its mutex is contended: the producer/consumer hand-
off cost with N threads on one queue.
"""

DESCRIPTION = "put() then get() on one queue.Queue shared by all threads"
GROUP = "sync"
UNIT = "put/get pairs"
BLOCKS = True  # waits by design: exempt from the on-CPU rule
MEASURES = "ns per put + get, per thread (wall)"

import queue

QUEUE = queue.Queue()


def run(n):
    put = QUEUE.put
    get = QUEUE.get
    for i in range(n):
        put(i)
        get()
    return n
