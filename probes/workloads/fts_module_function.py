"""ftscalingbench-style: calling a function through a module attribute.

module.double(i): LOAD_GLOBAL of a module object, LOAD_ATTR on it, then a
call: two shared objects (the module and the function) per unit.
"""

DESCRIPTION = "call a function looked up as an attribute of a module, per unit"
GROUP = "ftscaling"
UNIT = "calls"
MEASURES = "ns per module-attribute call (wall)"

import sys


def double(x):
    return x + x


module = sys.modules[__name__]


def run(n):
    total = 0
    for i in range(n):
        total += module.double(i)
    return total & 0xFFFFFFFF
