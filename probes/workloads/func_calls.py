"""Calls: a Python function, a bound method and a builtin per iteration.

The three kinds of call a program makes most. In 3.13t the specialiser
is off, so CALL cannot be specialised to CALL_PY_EXACT_ARGS and friends
and every call takes the generic path; 3.14t brings specialisation back.
"""

DESCRIPTION = "one Python function call, one method call and one len() per iteration"
GROUP = "basic"
UNIT = "iterations"
MEASURES = "ns per iteration: three calls (wall)"


def add(a, b):
    return a + b


class Counter:
    def __init__(self):
        self.value = 0

    def bump(self, k):
        self.value = k
        return k


def run(n):
    counter = Counter()
    items = [1, 2, 3]
    total = 0
    for i in range(n):
        total = add(i, 1)
        counter.bump(total)
        total += len(items)
    return total
