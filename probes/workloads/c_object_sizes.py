"""C probe: object header sizes, and object() allocation.

Reports sizeof(PyObject) and sizeof(PyVarObject) as C sees them (16 and
24 bytes with the GIL; 32 and 40 on free-threaded builds, whose header
adds the owning thread id, a mutex, GC bits and the split reference
count) and sys.getsizeof of None, object(), small ints, floats, empty
containers and instances, all as metrics. The timed loop creates and
destroys object() in C (metric object_alloc_free_ns).
"""

DESCRIPTION = "object header sizes (sizeof(PyObject), sys.getsizeof) and object() alloc/free"
GROUP = "cprobes"
UNIT = "objects"
MEASURES = "metrics sizeof_pyobject, getsizeof_* (bytes); object_alloc_free_ns"
C_WORKLOAD = "object_sizes"
