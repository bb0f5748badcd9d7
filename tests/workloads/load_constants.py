"""How this module was loaded, as its metrics: whether it runs as __main__,
and sys.getrefcount of the str and the tuple constant its run() compares
with (on a free-threaded build an immortal object reports a huge count).
With load: main the probe runs it the way `python load_constants.py` does."""
import sys

DESCRIPTION = "test: reports __name__ and its constants' reference counts"
GROUP = "test"
UNIT = "iterations"


def run(n):
    acc = 0
    for i in range(n):
        if i == "a string":
            acc += 7
        elif i == (1, 2):
            acc += 5
        else:
            acc += 1
    return acc


def _const(kind):
    return next(c for c in run.__code__.co_consts if type(c) is kind)


def metrics():
    return {
        "loaded_as_main": (int(__name__ == "__main__"), "count",
                           "1 when run as the __main__ script"),
        "str_const_refcount": (sys.getrefcount(_const(str)), "count",
                               "sys.getrefcount of the str constant"),
        "tuple_const_refcount": (sys.getrefcount(_const(tuple)), "count",
                                 "sys.getrefcount of the tuple constant"),
    }
