/* The drift snippet: fixed Python code, the same text for every
 * interpreter, timed with the thread's CPU clock on a worker's own thread
 * between rounds. On a shared host a process runs in a fast or a slow mode
 * for 0.1 s to seconds while it stays on the CPU; the snippet slows down
 * with the workload then, so a sample whose snippet ran slow against the
 * fastest seen was taken in a slow phase. Thread CPU time, not wall time:
 * waiting for the GIL or a barrier costs no CPU time.
 *
 * Everything the snippet touches is its own (a class, an instance and a
 * list made per call), so workers running it at once on a free-threaded
 * build do not contend with each other. */
#include "probe.h"

#include <stdlib.h>

const char drift_snippet_text[] =
    "def drift(n):\n"
    "    class Probe:\n"
    "        __slots__ = ('v',)\n"
    "        def step(self, x):\n"
    "            return (x * 31 + 7) & 0xFFFF\n"
    "    p = Probe()\n"
    "    a = [0] * 256\n"
    "    x = 0\n"
    "    for i in range(n):\n"
    "        x = p.step(x)\n"
    "        a[x & 255] += 1\n"
    "    return x\n";

/* about 1.5 ms per call on a 3.13 GIL build of this machine */
#define DRIFT_N 10000

int
drift_init(struct drift *d, struct failure *f)
{
	PyObject *code, *globals, *builtins, *result;

	d->fn = d->n = NULL;
	code = Py_CompileString(
	    drift_snippet_text, "<ftmatrix drift>", Py_file_input);
	globals = PyDict_New();
	builtins = PyEval_GetBuiltins(); /* borrowed */
	if (!code || !globals ||
	    PyDict_SetItemString(globals, "__builtins__", builtins) != 0)
		goto fail;
	result = PyEval_EvalCode(code, globals, globals);
	if (!result)
		goto fail;
	Py_DECREF(result);
	d->fn = PyDict_GetItemString(globals, "drift"); /* borrowed */
	Py_XINCREF(d->fn);
	d->n = PyLong_FromLong(DRIFT_N);
	if (!d->fn || !d->n)
		goto fail;
	Py_DECREF(code);
	Py_DECREF(globals);
	return 0;
fail:
	failure_from_exception(f, "cannot compile the drift snippet");
	Py_XDECREF(code);
	Py_XDECREF(globals);
	drift_clear(d);
	return -1;
}

int64_t
drift_time(const struct drift *d)
{
	int64_t cpu0, cpu1;
	PyObject *r;

	if (!d->fn)
		return 0;
	cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	r = PyObject_CallOneArg(d->fn, d->n);
	cpu1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	if (!r) {
		PyErr_Clear();
		return 0;
	}
	Py_DECREF(r);
	return cpu1 - cpu0;
}

void
drift_clear(struct drift *d)
{
	Py_CLEAR(d->fn);
	Py_CLEAR(d->n);
}
