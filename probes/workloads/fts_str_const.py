"""ftscalingbench-style: comparing against a string constant.

LOAD_CONST of a str that lives in the shared code object, each unit; a
reference-count hot spot if constants are not immortal or deferred.

On 3.13t the str is immortal when the module is imported (importlib's
compile() interns every str constant) and mortal, so contended, when the
same text runs as the __main__ script (`python script.py`, load: main).
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
