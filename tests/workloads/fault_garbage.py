"""Writes text into the probe's report stream, as a C extension writing to
a saved copy of stdout would. The probe points fd 1 at stderr and keeps
its report on a duplicate of the original stdout pipe: that duplicate is
the pipe open here that is not stderr's."""
import os

DESCRIPTION = "test: garbage on the probe's own stdout"
GROUP = "test"
UNIT = "iterations"


def _report_fds():
    stderr = os.readlink("/proc/self/fd/2")
    for name in os.listdir("/proc/self/fd"):
        try:
            target = os.readlink("/proc/self/fd/" + name)
        except OSError:
            continue
        if target.startswith("pipe:") and target != stderr:
            yield int(name)


def run(n):
    for fd in _report_fds():
        os.write(fd, b"this is not JSON\n")
