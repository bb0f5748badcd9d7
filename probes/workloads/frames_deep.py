"""Frames: a call chain 20 deep and back, per unit.

Each unit pushes and pops 20 Python frames (on the per-thread data stack
since 3.11; no frame objects are created unless someone asks for one).
"""

DESCRIPTION = "recurse 20 calls deep and return, per unit"
GROUP = "interpreter"
UNIT = "call chains of depth 20"
MEASURES = "ns per chain of 20 calls and returns (wall)"


def down(k):
    if k == 0:
        return 0
    return down(k - 1) + 1


def run(n):
    total = 0
    for _ in range(n):
        total += down(20)
    return total
