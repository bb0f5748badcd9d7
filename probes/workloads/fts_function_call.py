"""ftscalingbench-style: calls of a module-level Python function.

The function object is a global shared by all threads; loading it and
calling it touches its reference count (deferred on free-threaded builds,
which is what keeps this scaling).
"""

DESCRIPTION = "call a module-level Python function, per unit"
GROUP = "ftscaling"
UNIT = "calls"
MEASURES = "ns per function call (wall)"


def next_number(i):
    return i + 1


def run(n):
    x = 0
    for i in range(n):
        x = next_number(i)
    return x
