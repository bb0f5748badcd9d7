"""Float arithmetic: every result is a new float object.

Unlike small ints, floats are not cached: x * 1.0000001 + 0.5 allocates, and
the old value is freed at once (CPython keeps a free list of floats per
thread in free-threaded builds, per interpreter in GIL builds). So this
is arithmetic plus the cheapest allocation there is.
"""

DESCRIPTION = "float * + / in a loop: arithmetic plus a float allocated and freed per operation"
GROUP = "basic"
UNIT = "iterations"
MEASURES = "ns per iteration (wall)"


def run(n):
    x = 1.0
    y = 0.0
    for _ in range(n):
        x = x * 1.0000001 + 0.5
        y = x / 3.0
        x = x - y
    return x
