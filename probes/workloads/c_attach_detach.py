"""C probe: detach and re-attach a thread state (Py_BEGIN/END_ALLOW_THREADS).

PyEval_SaveThread + PyEval_RestoreThread on the worker's own thread state,
what every blocking call in an extension does. On a GIL build this
releases and re-takes the GIL (contended with N threads); on a
free-threaded build it flips the thread state's status and must honour
stop-the-world requests. Reported as the metric attach_detach_ns.
"""

DESCRIPTION = "PyEval_SaveThread/RestoreThread pairs (release and re-take the interpreter)"
GROUP = "cprobes"
UNIT = "detach/attach pairs"
MEASURES = "metric attach_detach_ns: ns per pair (median per worker)"
C_WORKLOAD = "attach_detach"
