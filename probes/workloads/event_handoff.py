"""Handing control to another thread and back with threading.Event.

Each worker gets a partner thread of its own (started by thread_run,
outside timing). One unit of work is a round trip: the worker sets the
partner's event and waits on its own, the partner wakes, sets it back. It
measures what waking another thread costs: the lock and condition inside
Event, the scheduler, and on a GIL build the hand-over of the GIL.
"""

DESCRIPTION = "round trips to a partner thread through two threading.Event objects"
GROUP = "memory-ordering"
UNIT = "round trips"
BLOCKS = True  # waits by design: exempt from the on-CPU rule
MEASURES = "ns per round trip to the partner thread and back (wall)"

import threading

PARTNERS = []


class Partner:
    def __init__(self):
        self.ping = threading.Event()
        self.pong = threading.Event()
        self.stop = False
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self):
        while True:
            self.ping.wait()
            self.ping.clear()
            if self.stop:
                return
            self.pong.set()

    def close(self):
        self.stop = True
        self.ping.set()
        self.thread.join(timeout=10)


def make_run():
    partner = Partner()
    PARTNERS.append(partner)

    def run(n):
        ping = partner.ping
        pong = partner.pong
        for _ in range(n):
            ping.set()
            pong.wait()
            pong.clear()
        return n

    return run


def thread_run(index, nthreads):
    return make_run()


def teardown():
    while PARTNERS:
        PARTNERS.pop().close()
