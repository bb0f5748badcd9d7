"""ftscalingbench-style: creating instances of an empty shared class.

MyObject() with no __init__: allocation plus the class's reference count,
which every instance takes (a contention point when the class is shared
and not deferred).
"""

DESCRIPTION = "instantiate an empty class all threads share, per unit"
GROUP = "ftscaling"
UNIT = "instances"
MEASURES = "ns per instance created and freed (wall)"


class MyObject:
    pass


def run(n):
    o = None
    for _ in range(n):
        o = MyObject()
    return o is not None
