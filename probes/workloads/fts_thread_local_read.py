"""ftscalingbench-style: reading a threading.local attribute.

Five reads of one attribute of a module-level threading.local per unit;
the local object is shared, its attribute values are per thread.
"""

DESCRIPTION = "read an attribute of a shared threading.local five times, per unit"
GROUP = "ftscaling"
UNIT = "iterations"
MEASURES = "ns per five thread-local reads (wall)"

import threading

LOCAL = threading.local()


def run(n):
    tl = LOCAL
    tl.x = 10
    v = 0
    for _ in range(n):
        v = tl.x
        v = tl.x
        v = tl.x
        v = tl.x
        v = tl.x
    return v
