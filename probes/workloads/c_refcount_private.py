"""C probe: Py_INCREF + Py_DECREF on an object the thread created.

The same C loop as c_refcount_shared on an object each worker creates
itself: on a free-threaded build the owner's non-atomic fast path.
Reported as the metric refcount_private_ns. On GIL builds of 3.12 and
later a back-to-back pair also stalls on store forwarding (see the
comment in probes/cprobes.c), so a lower time on a free-threaded build
at one thread is real but says little about code that does work
between the two.
"""

DESCRIPTION = "Py_INCREF/Py_DECREF pairs in C on an object each thread created"
GROUP = "cprobes"
UNIT = "INCREF/DECREF pairs"
MEASURES = "metric refcount_private_ns: ns per pair (median per worker)"
C_WORKLOAD = "refcount_private"
