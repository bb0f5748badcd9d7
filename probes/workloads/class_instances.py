"""Instances of an ordinary class (with __dict__): created, used, dropped.

__init__ runs Python code and sets three attributes; the instance dies when
the name is rebound. The class is the thread's own (made in thread_run), so
its reference count and version tag are not shared between threads.
"""

DESCRIPTION = "create and drop an instance of a plain class with __init__ and three attributes"
GROUP = "objects"
UNIT = "instances"
MEASURES = "ns per instance created and freed (wall)"


def make_run():
    class Point:
        def __init__(self, x, y, z):
            self.x = x
            self.y = y
            self.z = z

    def run(n):
        p = None
        for i in range(n):
            p = Point(i, 2, 3)
        return p.x

    return run


run = make_run()


def thread_run(index, nthreads):
    return make_run()
