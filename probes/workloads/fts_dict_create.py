"""ftscalingbench-style: dict displays, a new small dict per unit.

{"key": value, "other": i} builds a dict from constant keys each time; the
keys are interned strings shared (and on 3.13t immortal) across threads.
"""

DESCRIPTION = "build a two-key dict display, per unit"
GROUP = "ftscaling"
UNIT = "dicts"
MEASURES = "ns per dict created and freed (wall)"


def run(n):
    d = None
    for i in range(n):
        d = {"key": "value", "other": i}
    return len(d)
