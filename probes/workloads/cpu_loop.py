"""Pure-Python CPU-bound loop: the weak-scaling reference.

The loop everyone writes first: a for over range() with a running total.
Each thread has its own locals and nothing mutable is shared, so on a
free-threaded build N threads should take as long as one; on a GIL build
they take N times as long.
"""

DESCRIPTION = "for i in range(n) with a running total: CPU-bound, nothing shared"
GROUP = "basic"
UNIT = "iterations"
MEASURES = "ns per loop iteration (wall)"


def run(n):
    total = 0
    for i in range(n):
        total += i ^ (i >> 3)
    return total
