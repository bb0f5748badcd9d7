"""Object destruction with a finalizer: __del__ runs for every instance.

Most objects die quietly; one with __del__ makes deallocation call back
into Python. Each iteration creates an instance and drops it, so the
finalizer runs once per iteration, on the thread that dropped it.
"""

DESCRIPTION = "create and drop an instance whose class defines __del__"
GROUP = "objects"
UNIT = "instances"
MEASURES = "ns per instance created and finalized (wall)"


def make_run():
    class Resource:
        __slots__ = ("handle",)
        closed = 0

        def __init__(self, handle):
            self.handle = handle

        def __del__(self):
            Resource.closed += 1

    def run(n):
        for i in range(n):
            r = Resource(i)
            del r
        return Resource.closed

    return run


run = make_run()


def thread_run(index, nthreads):
    return make_run()
