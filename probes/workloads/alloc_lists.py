"""Lists grown by append to 32 items, then dropped.

append() over-allocates as the list grows (0, 4, 8, 16, 24, 32, ...), so a
list of 32 items costs several reallocations of its item array besides
the list object itself.
"""

DESCRIPTION = "grow a list to 32 items with append(), then drop it"
GROUP = "allocation"
UNIT = "lists"
MEASURES = "ns per list built and freed (wall)"


def run(n):
    lst = None
    for i in range(n):
        lst = []
        append = lst.append
        for j in range(32):
            append(j)
    return len(lst)
