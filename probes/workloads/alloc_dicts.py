"""Dicts of eight string keys, built and dropped.

The keys are interned constants, so only the dict, its keys table and the
int values are allocated; a dict this size needs one resize on the way.
"""

DESCRIPTION = "build a dict of 8 str keys and drop it"
GROUP = "allocation"
UNIT = "dicts"
MEASURES = "ns per dict built and freed (wall)"

KEYS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta")


def run(n):
    d = None
    keys = KEYS
    for i in range(n):
        d = {}
        for k in keys:
            d[k] = i
    return len(d)
