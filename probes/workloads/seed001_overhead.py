"""Seed 001's task, overhead profile: threads against processes.

The seed's scenario submits one task per worker each iteration and times
the iteration; a task does work_iters units of Python work. Here a task
builds a list of n squares and sums it (n = work_iters, 20000 in the
seed), so it allocates as well as computes. Run it on the
executor-threads and executor-processes engines with tasks: 1000 and
task_warmup: 5 (matrices/seed-001.yaml); per-iteration latencies are the
samples' task_ns.
"""

DESCRIPTION = "seed 001's task: build a list of n squares and sum it"
GROUP = "seed-001"
UNIT = "work iterations"
MEASURES = "ns per iteration of all workers' tasks (task_ns), total wall per sample"


def run(n):
    data = [i * i for i in range(n)]
    return sum(data)
