"""Never finishes: the cell's timeout has to stop it."""
import time

DESCRIPTION = "test: run() sleeps for an hour"
GROUP = "test"
UNIT = "iterations"


def run(n):
    time.sleep(3600)
