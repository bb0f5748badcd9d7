"""C probe: Py_INCREF + Py_DECREF on one object all threads share.

The loop is C (probes/cprobes.c, "refcount_shared"), so nothing but the
reference count is measured: on a free-threaded build the object belongs
to the main thread and every worker counts it atomically on the shared
half of the count, all on one cache line; on a GIL build the count is a
plain integer, and threads take turns holding the GIL. Reported as the
metric refcount_shared_ns.
"""

DESCRIPTION = "Py_INCREF/Py_DECREF pairs in C on one object shared by all threads"
GROUP = "cprobes"
UNIT = "INCREF/DECREF pairs"
MEASURES = "metric refcount_shared_ns: ns per pair (median per worker)"
C_WORKLOAD = "refcount_shared"
