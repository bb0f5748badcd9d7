"""threading.local: read and write an attribute of thread-local storage.

A threading.local object is one object whose attributes differ per
thread; each access finds the calling thread's dict. Compare with
data_private_dict (a dict the thread owns) and data_shared_dict (one dict
all threads update).
"""

DESCRIPTION = "read and write an attribute of one threading.local() object"
GROUP = "shared-data"
UNIT = "read/write pairs"
MEASURES = "ns per attribute read + write (wall)"

import threading

LOCAL = threading.local()


def run(n):
    tl = LOCAL
    tl.value = 0
    for _ in range(n):
        tl.value = tl.value + 1
    return tl.value
