"""One dict shared by all threads, each updating only its own key.

No key is shared, but the dict is: on a free-threaded build every write
takes the dict's per-object lock and reads go through its shared
reference counts, so threads contend on the dict itself. Under the GIL
only one thread runs at a time.
"""

DESCRIPTION = "read and write the thread's own key of one dict shared by all threads"
GROUP = "shared-data"
UNIT = "read/write pairs"
MEASURES = "ns per item read + write (wall)"

SHARED = {}


def make_run(key):
    SHARED[key] = 0

    def run(n):
        d = SHARED
        for _ in range(n):
            d[key] = d[key] + 1
        return d[key]

    return run


run = make_run("t0")


def thread_run(index, nthreads):
    return make_run(f"t{index}")
