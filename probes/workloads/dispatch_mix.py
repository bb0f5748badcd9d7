"""Bytecode dispatch: a loop of many cheap, different instructions.

Locals only, small ints, a tuple pack and unpack, compares and branches:
no allocation worth the name and nothing shared, so the time is the
interpreter's dispatch and the instructions themselves.
"""

DESCRIPTION = "a loop body of ~30 cheap instructions of many kinds (locals, compares, branches, tuple swap)"
GROUP = "interpreter"
UNIT = "iterations"
MEASURES = "ns per loop iteration (wall)"


def run(n):
    a, b, c = 1, 2, 3
    for i in range(n):
        a, b = b, a
        if a < b:
            c = c + 1
        else:
            c = c - 1
        if c > 100 or c < -100:
            c = 0
        x = a if i & 1 else b
        c ^= x
    return c
