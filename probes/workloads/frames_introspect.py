"""Frame objects: asking for the caller's frame and reading it.

sys._getframe(1) materialises a frame object for the caller; reading
f_lineno, f_code.co_name and a local through f_locals (a write-through
proxy since 3.13, PEP 667) is what debuggers, loggers and tracing code do.
Only the thread's own frames are read; cross-thread frame access is the
finding finding_frame_access.
"""

DESCRIPTION = "sys._getframe(1) and read its line, code name and a local"
GROUP = "interpreter"
UNIT = "frame inspections"
MEASURES = "ns per getframe + three reads (wall)"

import sys


def inspect_caller():
    f = sys._getframe(1)
    return f.f_lineno + len(f.f_code.co_name) + f.f_locals["marker"]


def run(n):
    marker = 1
    total = 0
    for _ in range(n):
        total += inspect_caller()
    return total + marker
