"""ftscalingbench-style: calling a C function from a module (math.floor).

A module attribute lookup and a call into C per unit: the math module and
its function objects are shared by all threads.
"""

DESCRIPTION = "math.floor(i * i), per unit"
GROUP = "ftscaling"
UNIT = "calls"
MEASURES = "ns per module C function call (wall)"

import math


def run(n):
    total = 0
    for i in range(n):
        total += math.floor(i * 0.5)
    return total & 0xFFFFFFFF
