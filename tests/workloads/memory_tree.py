"""Holds memory in child processes, so the memory sampler must walk the
probe's process tree to find it: one child started from the main thread,
one from another thread that stays alive meanwhile (it is listed in that
thread's /proc/PID/task/TID/children, not the main thread's). Each child
keeps 64 MiB resident until setup() ends, a second after both are ready."""
import subprocess
import sys
import threading
import time

DESCRIPTION = "test: two child processes holding 64 MiB each during setup()"
GROUP = "test"
UNIT = "iterations"

HOLD = (
    "import sys\n"
    "b = bytearray(64 << 20)\n"
    "b[::4096] = b'\\1' * (len(b) // 4096)\n"
    "print('ready', flush=True)\n"
    "sys.stdin.read()\n"
)


def _spawn():
    p = subprocess.Popen([sys.executable, "-c", HOLD], stdin=subprocess.PIPE,
                         stdout=subprocess.PIPE)
    if p.stdout.readline() != b"ready\n":
        raise RuntimeError("memory_tree: a child did not start")
    return p


def setup(nthreads):
    kids = [_spawn()]
    spawned, finished = threading.Event(), threading.Event()

    def other_thread():
        kids.append(_spawn())
        spawned.set()
        finished.wait()

    t = threading.Thread(target=other_thread)
    t.start()
    spawned.wait()
    time.sleep(1)
    for p in kids:
        p.stdin.close()
        p.wait()
    finished.set()
    t.join()


def run(n):
    total = 0
    for i in range(n):
        total += i
    return total
