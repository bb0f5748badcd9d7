"""Reading a list every thread shares, without writing it.

Read-only sharing looks free, but reading an item takes a reference to it:
on a free-threaded build the items were created by the main thread, so
each read is an atomic increment and decrement on an object every thread
touches. data_private_list_read is the same loop on a copy of the thread's
own.
"""

DESCRIPTION = "sum the items of one list shared (read-only) by all threads"
GROUP = "shared-data"
UNIT = "item reads"
MEASURES = "ns per item read (wall)"

SHARED = None


def setup(nthreads):
    global SHARED
    SHARED = [float(i) for i in range(1000)]


def run(n):
    data = SHARED
    total = 0.0
    size = len(data)
    for i in range(n):
        total += data[i % size]
    return total
