"""Publishing data to other threads through one shared reference.

Every thread repeatedly publishes a fresh (k, k * k) tuple into one shared
slot and reads whatever is there, checking that the two fields agree.
Storing a reference is atomic in CPython and an object is fully built
before it is published, so a reader can never see a half-written tuple:
this is the memory-ordering guarantee Python code relies on instead of
explicit barriers. A torn read raises (and the cell fails, as data).
"""

DESCRIPTION = "publish (k, k*k) tuples through one shared slot and check every read is whole"
GROUP = "memory-ordering"
UNIT = "publish/read pairs"
MEASURES = "ns per publish + checked read, per thread (wall)"


class Box:
    __slots__ = ("value",)


BOX = Box()
BOX.value = (0, 0)


def run(n):
    box = BOX
    for k in range(n):
        box.value = (k, k * k)
        a, b = box.value
        if b != a * a:
            raise AssertionError(f"torn read: ({a}, {b})")
    return n
