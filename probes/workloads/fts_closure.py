"""ftscalingbench-style: closures, a new function object per unit.

Each unit defines a nested function capturing a local (MAKE_FUNCTION and
a cell) and calls it once; the function object dies at the next unit.
The code object is shared by all threads.
"""

DESCRIPTION = "define a closure over a local and call it, per unit"
GROUP = "ftscaling"
UNIT = "closures"
MEASURES = "ns per closure created, called and freed (wall)"


def run(n):
    total = 0
    for i in range(n):
        def add(x):
            return x + i
        total = add(total) & 0xFFFF
    return total
