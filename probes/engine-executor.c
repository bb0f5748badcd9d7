/* Engines "executor-threads" and "executor-processes": the workload's tasks
 * on concurrent.futures pools, driven by workloads/_ftmatrix_executor.py.
 * Each round submits one task per worker and waits for all; the round is
 * timed here with C clocks, dispatch and result passing included, which is
 * what seed 001 calls the time per iteration. */
#include "probe.h"

#include <stdlib.h>
#include <string.h>

static int
gil_attr(PyObject *driver, const char *name)
{
	PyObject *v = PyObject_GetAttrString(driver, name);
	int rc = -1;

	if (v && v != Py_None)
		rc = PyObject_IsTrue(v);
	Py_XDECREF(v);
	PyErr_Clear();
	return rc < 0 ? -1 : rc;
}

/* Stores one round's [(start, end, cpu), ...]. */
static int
store_round(struct samples *s, int r, PyObject *tasks)
{
	if (!PyList_Check(tasks) || PyList_GET_SIZE(tasks) != s->nworkers) {
		PyErr_SetString(PyExc_RuntimeError,
		    "the executor driver returned the wrong number of tasks");
		return -1;
	}
	for (int w = 0; w < s->nworkers; w++) {
		PyObject *t = PyList_GET_ITEM(tasks, w);
		long long start, end, cpu;
		size_t slot = (size_t)r * s->nworkers + w;

		if (!PyArg_ParseTuple(t, "LLL", &start, &end, &cpu))
			return -1;
		s->start_ns[slot] = start;
		s->end_ns[slot] = end;
		s->cpu_ns[slot] = cpu;
	}
	return 0;
}

static int
engine_executor(const char *kind, const struct options *opt,
    struct workload *workload, struct samples *samples, struct failure *f)
{
	PyObject *mod = PyImport_ImportModule("_ftmatrix_executor");
	PyObject *driver = NULL, *close_result;
	struct drift drift = {0};
	int rc = -1, r;

	samples_init(samples, opt, opt->threads);
	/* the tasks run on pool workers; the snippet runs here, on the
	 * dispatching thread, and stands for all of them */
	if (opt->drift && drift_init(&drift, f) != 0)
		goto out;
	if (mod)
		driver = PyObject_CallMethod(mod, "Driver", "sssiL", kind,
		    opt->workloads_dir, workload->module_name, opt->threads,
		    options_work_per_worker(opt, 0));
	if (!driver) {
		failure_from_exception(f, "cannot start the executor");
		goto out;
	}
	for (r = 0;; r++) {
		int64_t t0, t1, d = drift_time(&drift);
		PyObject *tasks;

		for (int w = 0; w < samples->nworkers; w++)
			samples->drift_ns[(size_t)r * samples->nworkers + w] = d;
		/* the snippet here says little about the pool's workers: it
		 * marks samples, but none is measured again */
		if (r == (opt->warmup + opt->samples) * samples->per_sample)
			break;
		t0 = clock_ns(CLOCK_MONOTONIC);
		tasks = PyObject_CallMethod(driver, "round", NULL);

		t1 = clock_ns(CLOCK_MONOTONIC);
		if (!tasks || store_round(samples, r, tasks) != 0) {
			char *context = xasprintf("workload %s: round %d on "
			                          "the %s executor failed",
			    workload->name, r, kind);

			Py_XDECREF(tasks);
			failure_from_exception(f, context);
			free(context);
			goto out;
		}
		Py_DECREF(tasks);
		samples->round_start_ns[r] = t0;
		samples->round_end_ns[r] = t1;
	}
	samples->rounds_run = r;
	rc = 0;
out:
	drift_clear(&drift);
	if (driver) {
		close_result = PyObject_CallMethod(driver, "close", NULL);
		if (!close_result && rc == 0) {
			failure_from_exception(f,
			    "cannot shut the executor "
			    "down");
			rc = -1;
		}
		Py_XDECREF(close_result);
		PyErr_Clear();
		samples->gil_before = gil_attr(driver, "gil_before");
		samples->gil_after = gil_attr(driver, "gil_after");
		samples->gil_reported = strcmp(kind, "processes") == 0;
	}
	Py_XDECREF(driver);
	Py_XDECREF(mod);
	return rc;
}

int
engine_executor_threads(const struct options *opt, struct workload *w,
    struct samples *s, struct failure *f)
{
	return engine_executor("threads", opt, w, s, f);
}

int
engine_executor_processes(const struct options *opt, struct workload *w,
    struct samples *s, struct failure *f)
{
	return engine_executor("processes", opt, w, s, f);
}
