"""Reading a list only this thread uses.

The baseline for data_shared_list_read: the thread builds its own list (so
on a free-threaded build it owns the items and counts them without
atomics) and sums it the same way.
"""

DESCRIPTION = "sum the items of a list the thread built itself"
GROUP = "shared-data"
UNIT = "item reads"
MEASURES = "ns per item read (wall)"


def make_run():
    data = [float(i) for i in range(1000)]

    def run(n):
        total = 0.0
        size = len(data)
        for i in range(n):
            total += data[i % size]
        return total

    return run


run = make_run()


def thread_run(index, nthreads):
    return make_run()
