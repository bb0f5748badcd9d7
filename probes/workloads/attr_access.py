"""Instance attribute reads and writes on an object of the thread's own.

o.a = o.b + o.c reads two attributes from the instance __dict__ (inline
values in 3.13) and writes one. Each thread gets its own instance and its
own class from thread_run, so nothing is shared.
"""

DESCRIPTION = "read two instance attributes and write one, on an object the thread owns"
GROUP = "basic"
UNIT = "iterations"
MEASURES = "ns per iteration: two attribute reads and one write (wall)"


def make_run():
    class Box:
        def __init__(self):
            self.a = 0
            self.b = 1
            self.c = 2

    box = Box()

    def run(n):
        o = box
        for _ in range(n):
            o.a = o.b + o.c
            o.b = o.a - o.c
        return o.a

    return run


run = make_run()


def thread_run(index, nthreads):
    return make_run()
