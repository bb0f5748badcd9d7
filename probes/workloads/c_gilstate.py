"""C probe: PyGILState_Ensure + PyGILState_Release from a foreign thread.

The workers are C threads Python has never seen (no thread state), like a
C library's callback threads: each round trip creates a thread state,
attaches it (taking the GIL on a GIL build), then detaches and destroys
it. Reported as the metric gilstate_roundtrip_ns.
"""

DESCRIPTION = "PyGILState_Ensure/Release round trips from threads without a thread state"
GROUP = "cprobes"
UNIT = "round trips"
MEASURES = "metric gilstate_roundtrip_ns: ns per round trip (median per worker)"
C_WORKLOAD = "gilstate_roundtrip"
