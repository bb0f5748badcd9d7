"""A dict the thread owns: read and write one key.

The baseline for data_shared_dict: the same operations on a dict no other
thread touches.
"""

DESCRIPTION = "read and write one key of a dict the thread owns"
GROUP = "shared-data"
UNIT = "read/write pairs"
MEASURES = "ns per item read + write (wall)"


def make_run(key):
    d = {key: 0}

    def run(n):
        for _ in range(n):
            d[key] = d[key] + 1
        return d[key]

    return run


run = make_run("t0")


def thread_run(index, nthreads):
    return make_run(f"t{index}")
