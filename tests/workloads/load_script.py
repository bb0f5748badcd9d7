"""A workload written as a script: it declares LOAD = "main", so ftmatrix
runs it as the __main__ script unless its matrix entry says load: import;
its metric says which happened."""

DESCRIPTION = "test: declares LOAD = main and reports whether it ran as __main__"
GROUP = "test"
UNIT = "iterations"
LOAD = "main"


def run(n):
    total = 0
    for i in range(n):
        total += i
    return total


def metrics():
    return {"loaded_as_main": (int(__name__ == "__main__"), "count",
                               "1 when run as the __main__ script")}
