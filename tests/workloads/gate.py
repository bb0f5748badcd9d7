"""A small loop that can hold one probe process still, so a test can act
(interrupt, fill the disk) at a known point of a run without timing it.

FTMATRIX_TEST_GATE=DIR: each probe process records itself in DIR/started,
as a file named by its pid holding the CPUs it may run on ("0,1"); the one
numbered FTMATRIX_TEST_GATE_AT (1 = the first) creates DIR/blocked and
waits in setup() until DIR/release exists."""
import os
import time

DESCRIPTION = "test: a small loop that can wait for the test in setup()"
GROUP = "test"
UNIT = "iterations"


def setup(nthreads):
    gate = os.environ.get("FTMATRIX_TEST_GATE")
    if not gate:
        return
    started = os.path.join(gate, "started")
    os.makedirs(started, exist_ok=True)
    with open(os.path.join(started, str(os.getpid())), "w") as f:
        f.write(",".join(str(c) for c in sorted(os.sched_getaffinity(0))))
    if len(os.listdir(started)) != int(os.environ.get("FTMATRIX_TEST_GATE_AT", "0")):
        return
    with open(os.path.join(gate, "blocked"), "w"):
        pass
    deadline = time.monotonic() + 600
    while not os.path.exists(os.path.join(gate, "release")):
        if time.monotonic() > deadline:
            raise RuntimeError("gate: nobody released me in 10 minutes")
        time.sleep(0.02)


def run(n):
    total = 0
    for i in range(n):
        total += i ^ (i >> 3)
    return total
