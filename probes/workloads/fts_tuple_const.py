"""ftscalingbench-style: comparing against a tuple constant.

Like fts_str_const, with a tuple constant from the shared code object.

On 3.13t the tuple is immortal when the module runs as the __main__ script
(load: main, as ftscalingbench runs) and mortal, so contended, when it is
imported (importlib's compile() leaves non-str constants mortal).
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
