"""ftscalingbench-style: instantiating a dataclass all threads share.

The generated __init__ and the class are shared objects; each instance is
new. Shared classes whose reference counts are contended used to make
this scale badly.
"""

DESCRIPTION = "instantiate a three-field @dataclass with keywords, per unit"
GROUP = "ftscaling"
UNIT = "instances"
MEASURES = "ns per dataclass instance created and freed (wall)"

from dataclasses import dataclass


@dataclass
class Point:
    x: int
    y: int
    z: int


def run(n):
    p = None
    for i in range(n):
        p = Point(x=i, y=2, z=3)
    return p.x
