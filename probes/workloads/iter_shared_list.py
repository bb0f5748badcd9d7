"""Iterating one list every thread shares (each with its own iterator).

Safe in every build: each thread has its own list iterator and nobody
writes the list. The cost difference against iter_private_list is the
shared reference counting on items the main thread created.
"""

DESCRIPTION = "iterate one 1000-item list shared by all threads, each with its own iterator"
GROUP = "interpreter"
UNIT = "passes over 1000 items"
MEASURES = "ns per pass over the list (wall)"

DATA = [float(i) for i in range(1000)]


def run(n):
    data = DATA
    total = 0.0
    for _ in range(n):
        for x in data:
            total += x
    return total
