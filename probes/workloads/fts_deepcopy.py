"""ftscalingbench-style: copy.deepcopy of a small nested structure.

deepcopy walks a dict holding a list and a tuple with a memo dict, calling
through the copy module's dispatch table (shared by all threads).
"""

DESCRIPTION = "copy.deepcopy of {'list': [1, 2], 'tuple': (1, None)}, per unit"
GROUP = "ftscaling"
UNIT = "copies"
MEASURES = "ns per deepcopy (wall)"

import copy


def run(n):
    x = {"list": [1, 2], "tuple": (1, None)}
    y = None
    for _ in range(n):
        y = copy.deepcopy(x)
    return len(y)
