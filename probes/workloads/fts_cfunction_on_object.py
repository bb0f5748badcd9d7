"""ftscalingbench-style: C methods called on an object of one's own.

list.pop(0), list.append and an index on a 100-item list the call owns:
method calls implemented in C on a thread-private object.
"""

DESCRIPTION = "list.pop(0), list.append() and an index on a private 100-item list, per unit"
GROUP = "ftscaling"
UNIT = "iterations"
MEASURES = "ns per iteration: two C method calls and an index (wall)"


def run(n):
    acc = 0
    tab = [1] * 100
    for i in range(n):
        tab.pop(0)
        tab.append(i)
        acc += tab[50]
    return acc
