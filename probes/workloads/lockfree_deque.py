"""collections.deque as a lock-free queue: append and popleft, shared.

deque.append and deque.popleft are atomic without a Python-level lock
(the GIL in GIL builds, the deque's own critical section in free-threaded
ones), which is why code uses a deque instead of queue.Queue when it never
needs to block. All threads share one deque.
"""

DESCRIPTION = "append() then popleft() on one collections.deque shared by all threads"
GROUP = "lock-free"
UNIT = "append/pop pairs"
MEASURES = "ns per append + popleft, per thread (wall)"

import collections

DEQUE = collections.deque()


def run(n):
    append = DEQUE.append
    popleft = DEQUE.popleft
    for i in range(n):
        append(i)
        popleft()
    return len(DEQUE)
