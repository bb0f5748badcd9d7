"""Iterating a list the thread built itself.

The baseline for iter_shared_list: for x in lst over 1000 floats the
thread owns (on a free-threaded build, their reference counts are the
thread's own).
"""

DESCRIPTION = "iterate a 1000-item list the thread built itself"
GROUP = "interpreter"
UNIT = "passes over 1000 items"
MEASURES = "ns per pass over the list (wall)"


def make_run():
    data = [float(i) for i in range(1000)]

    def run(n):
        total = 0.0
        for _ in range(n):
            for x in data:
                total += x
        return total

    return run


run = make_run()


def thread_run(index, nthreads):
    return make_run()
