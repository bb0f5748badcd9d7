"""Small-int arithmetic in a loop: what the specialiser speeds up.

Every value the loop touches stays in 0..256, inside CPython's small-int
cache, and repeat() hands out the same None each time, so an iteration
allocates nothing and shares nothing mutable with other threads.

The body uses +, * , - and < on ints: the operations a GIL build
specialises (BINARY_OP_ADD_INT, COMPARE_OP_INT, ...) and 3.13t does not, so
single-thread overhead here includes the missing specialiser, which 3.14t
brings back.
"""

from itertools import repeat

DESCRIPTION = "small-int + * - and compares (specialised in GIL builds, not in 3.13t), no allocation"
GROUP = "basic"
UNIT = "iterations"
MEASURES = "ns per iteration (wall)"


def run(n):
    x = 1
    for _ in repeat(None, n):
        x = x * 3 + 1  # x <= 85 here, so this is <= 256
        if x > 85:
            x -= 86
        if x > 85:
            x -= 86
    return x
