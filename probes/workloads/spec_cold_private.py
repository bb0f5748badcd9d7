"""Specialisation under threads, each thread on its own fresh code.

Every call runs a function on a brand-new code object, made by the calling
thread just before, so each thread specialises code nobody else runs.
The copy is made outside the loop but inside the timed call (it costs
microseconds against the milliseconds of the loop).
"""

DESCRIPTION = "run code no thread has run before, a private copy per call"
GROUP = "specialization"
UNIT = "iterations"
MEASURES = "ns per loop iteration on code specialised as it runs (wall)"

from spec_warm_shared import fresh_copy


def run(n):
    return fresh_copy()(n)
