"""Crashes the interpreter with a real SIGSEGV, as a buggy extension would."""
import faulthandler

DESCRIPTION = "test: segmentation fault in run()"
GROUP = "test"
UNIT = "iterations"


def run(n):
    faulthandler.enable()  # the traceback lands in the cell's stderr tail
    faulthandler._sigsegv()
