"""Specialisation done once, in one thread, then used by many.

setup() runs the loop in the main thread until the specialising
interpreter has rewritten its hot instructions (LOAD_ATTR_INSTANCE_VALUE,
BINARY_OP_ADD_INT, ...), then every thread runs the same, already
specialised function. spec_cold_shared and spec_cold_private run the same
code fresh, so specialisation happens while threads run it. In 3.13t most
specialisation is disabled, so the three should match there; 3.14t turns
it back on for threads.
"""

DESCRIPTION = "run code that was specialised beforehand in the main thread"
GROUP = "specialization"
UNIT = "iterations"
MEASURES = "ns per loop iteration: attribute loads, global loads, int ops (wall)"

import types


class Point:
    def __init__(self, x, y):
        self.x = x
        self.y = y


SCALE = 3


def kernel(n):
    p = Point(1, 2)
    total = 0
    for i in range(n):
        total += p.x * SCALE + p.y - (i & 7)
        if total > 1000000:
            total = 0
    return total


def fresh_copy():
    """The same function on a new code object, never run: unspecialised."""
    code = kernel.__code__.replace()
    return types.FunctionType(code, kernel.__globals__, "kernel")


def setup(nthreads):
    kernel(20000)  # warm: well past every specialisation threshold


run = kernel
