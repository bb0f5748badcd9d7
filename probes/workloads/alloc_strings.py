"""Strings: formatting, concatenation, join and slicing.

Each iteration builds a few short str objects the way text-handling code
does; none of them are interned or shared.
"""

DESCRIPTION = "f-string, concatenation, join and a slice per iteration"
GROUP = "allocation"
UNIT = "iterations"
MEASURES = "ns per iteration: four new strings (wall)"

PARTS = ("user", "host", "example", "org")


def run(n):
    s = ""
    parts = PARTS
    for i in range(n):
        s = f"{parts[0]}-{i}"
        t = s + "@" + parts[1]
        u = ".".join(parts)
        s = t[2:] + u[-3:]
    return len(s)
