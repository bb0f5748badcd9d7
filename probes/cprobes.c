/* Measurements no Python script can make, run by the engines like any
 * workload (a module under workloads/ names one with C_WORKLOAD) and
 * reported as metrics: reference counting on a shared object against
 * private ones, the PyGILState round trip of a thread Python has never
 * seen, attaching and detaching a thread state, and object header sizes. */
#include "probe.h"

#include <stdlib.h>
#include <string.h>

/* Keeps the compiler from folding an increment and a decrement of the same
 * count into nothing: each must reach memory, as in real code. */
#define COMPILER_BARRIER() __asm__ __volatile__("" ::: "memory")

static PyObject *
new_object(void)
{
	return PyObject_CallNoArgs((PyObject *)&PyBaseObject_Type);
}

/*
 * Back to back, as here, a pair costs more on a GIL build of 3.12 and
 * later than on a free-threaded one at one thread: Py_INCREF stores the
 * low 32 bits of ob_refcnt and Py_DECREF loads all 64, which the CPU
 * cannot forward from the pending store (a C loop doing just that takes
 * ~6 ns a pair on a 2-core EPYC VM, against ~1 ns with equal widths).
 * The free-threaded build's ob_ref_local is 32 bits both ways. Code that
 * does other work between the two does not pay it.
 */
static int
refcount_loop(PyObject *obj, long long n)
{
	for (long long i = 0; i < n; i++) {
		Py_INCREF(obj);
		COMPILER_BARRIER();
		Py_DECREF(obj);
		COMPILER_BARRIER();
	}
	return 0;
}

/* refcount_shared: one object, created by the main thread, counted by all
 * workers; on a free-threaded build every worker is a non-owner, so each
 * count is an atomic add on ob_ref_shared, the same cache line for all. */

static int
shared_setup(struct workload *w, int nworkers)
{
	(void)nworkers;
	w->cshared = new_object();
	return w->cshared ? 0 : -1;
}

static void *
shared_thread_init(struct workload *w, int index)
{
	(void)index;
	return w->cshared;
}

static int
shared_run(struct workload *w, void *state, long long n)
{
	(void)w;
	return refcount_loop(state, n);
}

static void
object_teardown(struct workload *w)
{
	PyObject *obj = w->cshared;

	w->cshared = NULL;
	Py_XDECREF(obj);
}

static void
shared_metrics(struct workload *w, const struct samples *s,
    const struct options *opt, struct metrics *m)
{
	char *d = xasprintf("one Py_INCREF + Py_DECREF pair on an object "
	                    "shared by %d worker%s (median per worker)",
	    s->nworkers, s->nworkers == 1 ? "" : "s");

	(void)w;
	metrics_add(m, "refcount_shared_ns",
	    samples_ns_per_unit(s, opt, options_work_per_worker(opt, 0)), "ns",
	    d);
	free(d);
}

/* refcount_private: each worker counts an object it created itself, the
 * owner's non-atomic fast path on a free-threaded build. */

static void *
private_thread_init(struct workload *w, int index)
{
	(void)w;
	(void)index;
	return new_object();
}

static int
private_run(struct workload *w, void *state, long long n)
{
	(void)w;
	return refcount_loop(state, n);
}

static void
private_thread_clear(void *state)
{
	Py_DECREF((PyObject *)state);
}

static void
private_metrics(struct workload *w, const struct samples *s,
    const struct options *opt, struct metrics *m)
{
	(void)w;
	metrics_add(m, "refcount_private_ns",
	    samples_ns_per_unit(s, opt, options_work_per_worker(opt, 0)), "ns",
	    "one Py_INCREF + Py_DECREF pair on an object the worker created "
	    "(median per worker)");
}

/* gilstate: PyGILState_Ensure + PyGILState_Release from a thread with no
 * thread state, so each round trip creates and destroys one: what a C
 * library's callback thread pays to call into Python. */

static int
gilstate_run(struct workload *w, void *state, long long n)
{
	(void)w;
	(void)state;
	for (long long i = 0; i < n; i++) {
		PyGILState_STATE g = PyGILState_Ensure();

		PyGILState_Release(g);
	}
	return 0;
}

static void
gilstate_metrics(struct workload *w, const struct samples *s,
    const struct options *opt, struct metrics *m)
{
	(void)w;
	metrics_add(m, "gilstate_roundtrip_ns",
	    samples_ns_per_unit(s, opt, options_work_per_worker(opt, 0)), "ns",
	    "PyGILState_Ensure + PyGILState_Release from a thread without a "
	    "thread state (median per worker)");
}

/* attach_detach: PyEval_SaveThread + PyEval_RestoreThread on a thread state
 * the worker keeps: Py_BEGIN/END_ALLOW_THREADS around a blocking call. */

static int
attach_run(struct workload *w, void *state, long long n)
{
	(void)w;
	(void)state;
	for (long long i = 0; i < n; i++) {
		PyThreadState *ts = PyEval_SaveThread();

		PyEval_RestoreThread(ts);
	}
	return 0;
}

static void
attach_metrics(struct workload *w, const struct samples *s,
    const struct options *opt, struct metrics *m)
{
	(void)w;
	metrics_add(m, "attach_detach_ns",
	    samples_ns_per_unit(s, opt, options_work_per_worker(opt, 0)), "ns",
	    "PyEval_SaveThread + PyEval_RestoreThread, i.e. "
	    "Py_BEGIN_ALLOW_THREADS / Py_END_ALLOW_THREADS (median per "
	    "worker)");
}

/* object_sizes: header sizes as metrics, and object() create + destroy as
 * the timed loop. */

static int
sizes_run(struct workload *w, void *state, long long n)
{
	(void)w;
	(void)state;
	for (long long i = 0; i < n; i++) {
		PyObject *obj = new_object();

		if (!obj)
			return -1;
		Py_DECREF(obj);
	}
	return 0;
}

/* sys.getsizeof(eval(expr)), or -1 */
static long
getsizeof_expr(const char *expr)
{
	PyObject *globals = PyDict_New(), *value = NULL, *size = NULL;
	long n = -1;

	if (globals &&
	    PyDict_SetItemString(
	        globals, "__builtins__", PyEval_GetBuiltins()) == 0)
		value = PyRun_String(expr, Py_eval_input, globals, globals);
	if (value)
		size = PyObject_CallMethod(
		    PyImport_AddModule("sys"), "getsizeof", "O", value);
	if (size)
		n = PyLong_AsLong(size);
	PyErr_Clear();
	Py_XDECREF(size);
	Py_XDECREF(value);
	Py_XDECREF(globals);
	return n;
}

static void
sizes_metrics(struct workload *w, const struct samples *s,
    const struct options *opt, struct metrics *m)
{
	static const struct {
		const char *name, *expr, *what;
	} sizes[] = {
	    {"getsizeof_none", "None", "sys.getsizeof(None)"},
	    {"getsizeof_object", "object()", "sys.getsizeof(object())"},
	    {"getsizeof_int", "1", "sys.getsizeof(1)"},
	    {"getsizeof_float", "1.0", "sys.getsizeof(1.0)"},
	    {"getsizeof_empty_str", "''", "sys.getsizeof('')"},
	    {"getsizeof_empty_tuple", "()", "sys.getsizeof(())"},
	    {"getsizeof_empty_list", "[]",
	        "sys.getsizeof([]), GC header included"},
	    {"getsizeof_empty_dict", "{}",
	        "sys.getsizeof({}), GC header included"},
	    {"getsizeof_slots_instance", "type('S', (), {'__slots__': ()})()",
	        "sys.getsizeof of an instance of a class with "
	        "__slots__ = ()"},
	    {"getsizeof_instance", "type('C', (), {})()",
	        "sys.getsizeof of an instance of an empty class"},
	};

	(void)w;
	metrics_add(m, "sizeof_pyobject", (double)sizeof(PyObject), "bytes",
	    "sizeof(PyObject) in C: the header of every object");
	metrics_add(m, "sizeof_pyvarobject", (double)sizeof(PyVarObject),
	    "bytes", "sizeof(PyVarObject) in C: the header of sized objects");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		long n = getsizeof_expr(sizes[i].expr);

		if (n >= 0)
			metrics_add(m, sizes[i].name, (double)n, "bytes",
			    sizes[i].what);
	}
	metrics_add(m, "object_alloc_free_ns",
	    samples_ns_per_unit(s, opt, options_work_per_worker(opt, 0)), "ns",
	    "object() created and destroyed (median per worker)");
}

static const struct cworkload cworkloads[] = {
    {.name = "refcount_shared",
        .setup = shared_setup,
        .thread_init = shared_thread_init,
        .run = shared_run,
        .teardown = object_teardown,
        .metrics = shared_metrics},
    {.name = "refcount_private",
        .thread_init = private_thread_init,
        .run = private_run,
        .thread_clear = private_thread_clear,
        .metrics = private_metrics},
    {.name = "gilstate_roundtrip",
        .detached = 1,
        .run = gilstate_run,
        .metrics = gilstate_metrics},
    {.name = "attach_detach", .run = attach_run, .metrics = attach_metrics},
    {.name = "object_sizes", .run = sizes_run, .metrics = sizes_metrics},
};

const struct cworkload *
cworkload_find(const char *name)
{
	for (size_t i = 0; i < sizeof(cworkloads) / sizeof(cworkloads[0]); i++)
		if (strcmp(cworkloads[i].name, name) == 0)
			return &cworkloads[i];
	return NULL;
}
