"""ftscalingbench's create_dict: a one-key dict display per unit.

{"key": "value"} compiles to two str constants and BUILD_MAP, with no keys
tuple (unlike fts_dict_create's two-key display): what scales or not here
is dict creation and the str constants' reference counts.
"""

DESCRIPTION = "build ftscalingbench's one-key dict display {'key': 'value'} (BUILD_MAP), per unit"
GROUP = "ftscaling"
UNIT = "dicts"
MEASURES = "ns per dict created and freed (wall)"


def run(n):
    d = None
    for i in range(n):
        d = {
            "key": "value",
        }
    return len(d)
