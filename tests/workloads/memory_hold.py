"""Holds 64 MiB of touched memory for a second in setup(), so the memory
sampler has something known to find: at least 64 MiB of RSS and USS per
process that runs setup() (the probe, or each worker of the processes
engine)."""
import time

DESCRIPTION = "test: 64 MiB resident for a second, then a small loop"
GROUP = "test"
UNIT = "iterations"

MIB = 1 << 20
_held = []


def setup(nthreads):
    block = bytearray(64 * MIB)
    block[:: 4096] = b"\1" * (64 * MIB // 4096)  # every page resident
    _held.append(block)
    time.sleep(1)


def run(n):
    total = 0
    for i in range(n):
        total += i
    return total
