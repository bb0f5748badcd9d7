"""ftscalingbench-style: Python method calls on an object of one's own.

A method call looks the function up on the class, which all threads share
(the class and its method are shared objects); the instance is the
thread's own, created per call to run.
"""

DESCRIPTION = "call a Python method that increments an attribute, on a private instance"
GROUP = "ftscaling"
UNIT = "calls"
MEASURES = "ns per method call (wall)"


class Counter:
    def __init__(self):
        self.i = 0

    def next_number(self):
        self.i += 1
        return self.i


def run(n):
    c = Counter()
    for _ in range(n):
        c.next_number()
    return c.i
