"""ftscalingbench-style: comparing against a string constant.

LOAD_CONST of a str that lives in the shared code object, each unit; a
reference-count hot spot if constants are not immortal or deferred.
"""

DESCRIPTION = "compare the loop int with a str constant, per unit"
GROUP = "ftscaling"
UNIT = "iterations"
MEASURES = "ns per compare against a str constant (wall)"


def run(n):
    acc = 0
    for i in range(n):
        if i == "a string":
            acc += 7
        else:
            acc += 1
    return acc
