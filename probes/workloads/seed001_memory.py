"""Seed 001's task, memory profile: the task, then hold its data.

The seed's memory profile runs 30 iterations in which each task does its
work and then holds for hold_ms (1000 ms) while memory is sampled every
50 ms. Here each task builds its list of n squares, sums it, and keeps it
alive for PARAMS["hold_ms"] milliseconds before returning, so the memory
sampler sees every worker's data at once, threads or processes.
"""

DESCRIPTION = "seed 001's task, then hold its list for hold_ms so memory can be sampled"
GROUP = "seed-001"
UNIT = "work iterations"
BLOCKS = True  # waits by design: exempt from the on-CPU rule
MEASURES = "ns per iteration (task_ns, at least hold_ms each); memory of the process tree"

import time

PARAMS = {}


def run(n):
    data = [i * i for i in range(n)]
    total = sum(data)
    time.sleep(int(PARAMS.get("hold_ms", 1000)) / 1000.0)
    return total + len(data)
