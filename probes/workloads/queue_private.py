"""queue.Queue put then get, on a queue only this thread uses.

queue.Queue is a deque guarded by a mutex and three conditions; a put
followed by a get takes the mutex twice and notifies twice.
"""

DESCRIPTION = "put() then get() on a queue.Queue the thread owns"
GROUP = "sync"
UNIT = "put/get pairs"
MEASURES = "ns per put + get (wall)"

import queue


def make_run():
    q = queue.Queue()

    def run(n):
        put = q.put
        get = q.get
        for i in range(n):
            put(i)
            get()
        return q.qsize()

    return run


run = make_run()


def thread_run(index, nthreads):
    return make_run()
