"""Leaves the interpreter with exit status 0 before the probe can report."""
import os

DESCRIPTION = "test: os._exit(0) in run()"
GROUP = "test"
UNIT = "iterations"


def run(n):
    os._exit(0)
