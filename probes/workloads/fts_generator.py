"""ftscalingbench-style: generators (create one, run it out), shared code.

In the spirit of CPython's Tools/ftscalingbench: patterns that ought to
scale with threads but have not always, usually through reference-count
or lock contention on something shared by accident. Here the generator
function (its code object) is shared by all threads.
"""

DESCRIPTION = "create a 10-value generator and consume it, per unit"
GROUP = "ftscaling"
UNIT = "generators"
MEASURES = "ns per generator created and exhausted (wall)"


def ten():
    for i in range(10):
        yield i


def run(n):
    total = 0
    for _ in range(n):
        for v in ten():
            total += v
    return total
