"""ftscalingbench-style: comparing against a tuple constant.

Like fts_str_const, with a tuple constant from the shared code object.
"""

DESCRIPTION = "compare the loop int with a tuple constant, per unit"
GROUP = "ftscaling"
UNIT = "iterations"
MEASURES = "ns per compare against a tuple constant (wall)"


def run(n):
    acc = 0
    for i in range(n):
        if i == (1, 2):
            acc += 7
        else:
            acc += 1
    return acc
