"""A shared list used as a stack without a lock: append and pop.

list.append and list.pop are each atomic (one call, one critical section),
so pushing and popping from many threads needs no Lock; the items any one
thread pops may be another thread's. All threads share one list.
"""

DESCRIPTION = "append() then pop() on one list shared by all threads"
GROUP = "lock-free"
UNIT = "append/pop pairs"
MEASURES = "ns per append + pop, per thread (wall)"

STACK = []


def run(n):
    push = STACK.append
    pop = STACK.pop
    for i in range(n):
        push(i)
        pop()
    return len(STACK)
