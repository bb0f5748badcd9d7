"""ftscalingbench-style: instantiating a collections.namedtuple.

The namedtuple's __new__ is generated Python code calling tuple.__new__;
class and code are shared by all threads.
"""

DESCRIPTION = "instantiate a three-field collections.namedtuple with keywords, per unit"
GROUP = "ftscaling"
UNIT = "instances"
MEASURES = "ns per namedtuple created and freed (wall)"

from collections import namedtuple

Point = namedtuple("Point", ["x", "y", "z"])


def run(n):
    p = None
    for i in range(n):
        p = Point(x=i, y=2, z=3)
    return p.x
