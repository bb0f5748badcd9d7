"""Small objects allocated in a batch of 100, then freed together.

Filling a list with 100 two-tuples and dropping it is the allocation
pattern of building a result and throwing it away: pymalloc in GIL builds,
mimalloc (per-thread heaps) in free-threaded ones.
"""

DESCRIPTION = "allocate 100 two-tuples into a list, then free them all"
GROUP = "allocation"
UNIT = "batches of 100 objects"
MEASURES = "ns per batch: 100 tuples allocated and freed (wall)"


def run(n):
    keep = None
    for i in range(n):
        keep = [(i, j) for j in range(100)]
    return len(keep)
