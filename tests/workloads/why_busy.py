"""A loop that touches nothing shared: it scales on a free-threaded build
unless something else takes the CPUs. The test runs a CPU hog beside it,
and the diagnosis should say "machine"."""

DESCRIPTION = "test: a loop on private data (for a run beside a CPU hog)"
GROUP = "test"
UNIT = "iterations"


def run(n):
    total = 0
    for i in range(n):
        total += i ^ (i >> 3)
    return total
