"""ftscalingbench-style: a with statement on an object of a shared class.

Entering and leaving a context manager looks up __enter__ and __exit__ on
the type (special-method lookup through the shared class) and calls them.
The instance is the thread's own.
"""

DESCRIPTION = "with obj: on a context manager whose class all threads share, per unit"
GROUP = "ftscaling"
UNIT = "with blocks"
MEASURES = "ns per __enter__ + __exit__ (wall)"


class Managed:
    def __init__(self):
        self.depth = 0

    def __enter__(self):
        self.depth += 1
        return self

    def __exit__(self, exc_type, exc, tb):
        self.depth -= 1
        return False


def run(n):
    m = Managed()
    total = 0
    for _ in range(n):
        with m:
            total += m.depth
    return total
