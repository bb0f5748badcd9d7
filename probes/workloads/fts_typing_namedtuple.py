"""ftscalingbench-style: instantiating a typing.NamedTuple class.

The class-syntax NamedTuple: the same machinery as namedtuple underneath,
declared with annotations.
"""

DESCRIPTION = "instantiate a three-field typing.NamedTuple with keywords, per unit"
GROUP = "ftscaling"
UNIT = "instances"
MEASURES = "ns per NamedTuple created and freed (wall)"

from typing import NamedTuple


class Point(NamedTuple):
    x: int
    y: int
    z: int


def run(n):
    p = None
    for i in range(n):
        p = Point(x=i, y=2, z=3)
    return p.x
