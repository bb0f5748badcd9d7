"""Large blocks: a 64 KiB bytearray allocated and freed.

Past the small-object allocator's limit (512 bytes), CPython asks the
system allocator (GIL builds) or mimalloc's large pages (free-threaded
builds); this shows the cost of that path under threads.
"""

DESCRIPTION = "allocate and free a 64 KiB bytearray"
GROUP = "allocation"
UNIT = "blocks"
MEASURES = "ns per 64 KiB block allocated, touched and freed (wall)"

SIZE = 64 * 1024


def run(n):
    size = SIZE
    b = None
    for _ in range(n):
        b = bytearray(size)
        b[-1] = 1
    return len(b)
