/* A workload module: import, constants, PARAMS, setup and teardown, and the
 * runner each worker calls. The contract is in workloads/README.md. */
#include "probe.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *const all_engines[] = {
    "threads", "processes", "executor-threads", "executor-processes", NULL};
static const char *const threads_only[] = {"threads", NULL};
static const char *const c_engines[] = {"threads", "processes", NULL};

static int
constant(struct workload *w, const char *attr, int required, char **value,
    struct failure *f)
{
	PyObject *obj = NULL;
	int has = attr_optional(w->module, attr, &obj);

	if (has == 0 && !required)
		return 0;
	if (has <= 0 || !PyUnicode_Check(obj)) {
		PyErr_Clear();
		failure_set(f,
		    xasprintf("workload %s: %s must define %s as a str (see "
		              "probes/workloads/README.md)",
		        w->name, w->path, attr),
		    NULL);
		Py_XDECREF(obj);
		return -1;
	}
	*value = py_strdup(obj);
	Py_DECREF(obj);
	return 0;
}

/* The module found must be the file asked for: DIR goes first on sys.path,
 * but a name already in sys.modules (os, json, ...) would win regardless. */
static int
check_origin(struct workload *w, struct failure *f)
{
	PyObject *file = PyModule_GetFilenameObject(w->module);
	PyObject *bytes = file ? PyUnicode_EncodeFSDefault(file) : NULL;
	char want[PATH_MAX], got[PATH_MAX];
	int same = 0;

	if (bytes && realpath(w->path, want) &&
	    realpath(PyBytes_AS_STRING(bytes), got))
		same = strcmp(want, got) == 0;
	PyErr_Clear();
	if (!same)
		failure_set(f,
		    xasprintf("workload %s: importing it gave %s, not %s (a "
		              "module of that name is already imported; "
		              "rename the workload)",
		        w->name,
		        bytes ? PyBytes_AS_STRING(bytes)
		              : "a module without __file__",
		        w->path),
		    NULL);
	Py_XDECREF(bytes);
	Py_XDECREF(file);
	return same ? 0 : -1;
}

static int
list_has(const char *const *list, const char *name)
{
	for (; *list; list++)
		if (strcmp(*list, name) == 0)
			return 1;
	return 0;
}

/* ENGINES, if the module declares it, narrows what its kind allows. */
static int
check_engine(struct workload *w, const char *engine, struct failure *f)
{
	const char *const *allowed = all_engines;
	PyObject *declared = NULL, *item;
	struct buf names = {0};
	int ok, has;

	if (w->check || w->self_parallel || (w->c && w->c->detached))
		allowed = threads_only;
	else if (w->c)
		allowed = c_engines;
	ok = list_has(allowed, engine);
	has = attr_optional(w->module, "ENGINES", &declared);
	if (has < 0) {
		failure_from_exception(f, "cannot read ENGINES");
		return -1;
	}
	if (has && !PyTuple_Check(declared) && !PyList_Check(declared)) {
		Py_DECREF(declared);
		failure_set(f,
		    xasprintf("workload %s: ENGINES must be a tuple of engine "
		              "names",
		        w->name),
		    NULL);
		return -1;
	}
	if (ok && has) {
		PyObject *want = PyUnicode_FromString(engine);

		ok = want ? PySequence_Contains(declared, want) == 1 : 0;
		Py_XDECREF(want);
		PyErr_Clear();
	}
	if (!ok) {
		if (has) {
			for (Py_ssize_t i = 0; i < PySequence_Size(declared);
			     i++) {
				char *s;

				item = PySequence_GetItem(declared, i);
				s = item ? py_strdup(item) : xstrdup("?");
				buf_printf(&names, "%s%s", i ? ", " : "", s);
				free(s);
				Py_XDECREF(item);
			}
			PyErr_Clear();
		} else {
			for (const char *const *e = allowed; *e; e++)
				buf_printf(&names, "%s%s",
				    e == allowed ? "" : ", ", *e);
		}
		failure_set(f,
		    xasprintf("workload %s does not run on engine \"%s\" "
		              "(it supports: %s)",
		        w->name, engine, names.data ? names.data : "none"),
		    NULL);
		free(names.data);
	}
	Py_XDECREF(declared);
	return ok ? 0 : -1;
}

/* "12" an int, "0.5" a float, anything else a str. */
static PyObject *
param_value(const char *text)
{
	char *end;
	long long i;
	double d;

	errno = 0;
	i = strtoll(text, &end, 10);
	if (*text && !*end && !errno)
		return PyLong_FromLongLong(i);
	d = strtod(text, &end);
	if (*text && !*end)
		return PyFloat_FromDouble(d);
	return PyUnicode_FromString(text);
}

static int
set_params(struct workload *w, const struct options *opt, struct failure *f)
{
	PyObject *params = PyDict_New();
	int rc = params ? 0 : -1;

	for (int i = 0; rc == 0 && i < opt->nparams; i++) {
		PyObject *v = param_value(opt->params[i].value);

		rc = v ? PyDict_SetItemString(params, opt->params[i].name, v)
		       : -1;
		Py_XDECREF(v);
	}
	if (rc == 0)
		rc = PyObject_SetAttrString(w->module, "PARAMS", params);
	Py_XDECREF(params);
	if (rc != 0)
		failure_from_exception(f, "cannot set the workload's PARAMS");
	return rc;
}

/* What `python script.py` does with the script: compiled by the C
 * compiler at run time (PyRun_FileExFlags, as pymain does), not by the
 * builtin compile() that importlib uses, which on free-threaded builds
 * immortalises other constants; run in __main__ with __file__ set. */
static int
run_main(struct workload *w, struct failure *f)
{
	PyObject *main = PyImport_AddModule("__main__"); /* borrowed */
	PyObject *globals = main ? PyModule_GetDict(main) : NULL;
	PyObject *file = PyUnicode_DecodeFSDefault(w->path), *result = NULL;
	char *context;
	FILE *fp;

	w->module_name = "__main__";
	if (!globals || !file ||
	    PyDict_SetItemString(globals, "__file__", file) != 0 ||
	    PyDict_SetItemString(globals, "__cached__", Py_None) != 0) {
		Py_XDECREF(file);
		failure_from_exception(f, "cannot prepare __main__");
		return -1;
	}
	Py_DECREF(file);
	fp = fopen(w->path, "rb");
	if (!fp) {
		failure_set(f,
		    xasprintf("workload %s: cannot open %s: %s", w->name,
		        w->path, strerror(errno)),
		    NULL);
		return -1;
	}
	result = PyRun_FileExFlags(
	    fp, w->path, Py_file_input, globals, globals, 1, NULL);
	if (!result) {
		context = xasprintf(
		    "workload %s: running it as __main__ failed", w->name);
		failure_from_exception(f, context);
		free(context);
		return -1;
	}
	Py_DECREF(result);
	Py_INCREF(main);
	w->module = main;
	return check_origin(w, f);
}

static int
import_module(struct workload *w, const struct options *opt, struct failure *f)
{
	PyObject *path = PySys_GetObject("path");
	PyObject *dir;
	struct stat st;
	char *context;

	w->name = opt->workload;
	w->path = xasprintf("%s/%s.py", opt->workloads_dir, opt->workload);
	if (stat(w->path, &st) != 0 || !S_ISREG(st.st_mode)) {
		failure_set(f,
		    xasprintf("no workload \"%s\" in %s (no file %s)", w->name,
		        opt->workloads_dir, w->path),
		    NULL);
		return -1;
	}
	dir = PyUnicode_DecodeFSDefault(opt->workloads_dir);
	if (!path || !dir || PyList_Insert(path, 0, dir) != 0) {
		Py_XDECREF(dir);
		failure_from_exception(
		    f, "cannot add the workloads dir to sys.path");
		return -1;
	}
	Py_DECREF(dir);
	dir = opt->helpers_dir ? PyUnicode_DecodeFSDefault(opt->helpers_dir)
	                       : NULL;
	if (opt->helpers_dir && (!dir || PyList_Insert(path, 1, dir) != 0)) {
		Py_XDECREF(dir);
		failure_from_exception(
		    f, "cannot add the helpers dir to sys.path");
		return -1;
	}
	Py_XDECREF(dir);
	if (opt->load == LOAD_MAIN)
		return run_main(w, f);
	w->module_name = w->name;
	context = xasprintf("workload %s: import failed", w->name);
	w->module = PyImport_ImportModule(w->name);
	if (!w->module)
		failure_from_exception(f, context);
	free(context);
	if (!w->module || check_origin(w, f) != 0)
		return -1;
	return 0;
}

/* What kind of workload it is: C_WORKLOAD, FINDING with check(), or
 * run/thread_run; plus SELF_PARALLEL. */
static int
read_kind(struct workload *w, struct failure *f)
{
	PyObject *flag = NULL;
	char *cname = NULL;
	int has;

	if (constant(w, "C_WORKLOAD", 0, &cname, f) != 0 ||
	    constant(w, "FINDING", 0, &w->finding_id, f) != 0)
		return -1;
	if (cname) {
		w->c = cworkload_find(cname);
		if (!w->c)
			failure_set(f,
			    xasprintf("workload %s: no C workload \"%s\" in "
			              "this probe (probes/cprobes.c)",
			        w->name, cname),
			    NULL);
		free(cname);
		if (!w->c)
			return -1;
	}
	if (attr_optional(w->module, "run", &w->run) < 0 ||
	    attr_optional(w->module, "thread_run", &w->thread_run) < 0 ||
	    attr_optional(w->module, "check", &w->check) < 0 ||
	    (has = attr_optional(w->module, "SELF_PARALLEL", &flag)) < 0) {
		failure_from_exception(f, "cannot read the workload module");
		return -1;
	}
	if (has) {
		w->self_parallel = PyObject_IsTrue(flag) == 1;
		Py_DECREF(flag);
	}
	if ((has = attr_optional(w->module, "BLOCKS", &flag)) < 0) {
		failure_from_exception(f, "cannot read BLOCKS");
		return -1;
	}
	if (has) {
		w->blocks = PyObject_IsTrue(flag) == 1;
		Py_DECREF(flag);
	}
	if (!w->finding_id)
		Py_CLEAR(w->check);
	if ((w->finding_id && (!w->check || !PyCallable_Check(w->check))) ||
	    (!w->c && !w->finding_id && !w->run && !w->thread_run) ||
	    (w->run && !PyCallable_Check(w->run)) ||
	    (w->thread_run && !PyCallable_Check(w->thread_run))) {
		failure_set(f,
		    xasprintf("workload %s: %s must define run(n) or "
		              "thread_run(index, nthreads), C_WORKLOAD, or "
		              "FINDING with check(nthreads), as functions",
		        w->name, w->path),
		    NULL);
		return -1;
	}
	return 0;
}

static int
call_setup(struct workload *w, int nthreads, struct failure *f)
{
	PyObject *setup = NULL, *result;
	int has = attr_optional(w->module, "setup", &setup);
	char *context;

	if (has < 0) {
		failure_from_exception(f, "cannot read setup");
		return -1;
	}
	if (has) {
		result = PyCallable_Check(setup)
		    ? PyObject_CallFunction(setup, "i", nthreads)
		    : NULL;
		if (!PyCallable_Check(setup))
			PyErr_SetString(
			    PyExc_TypeError, "setup is not a function");
		Py_DECREF(setup);
		if (!result) {
			context = xasprintf(
			    "workload %s: setup(%d) raised", w->name, nthreads);
			failure_from_exception(f, context);
			free(context);
			return -1;
		}
		Py_DECREF(result);
	}
	w->setup_done = 1;
	if (w->c && w->c->setup && w->c->setup(w, nthreads) != 0) {
		context = xasprintf("workload %s: C setup failed", w->name);
		failure_from_exception(f, context);
		free(context);
		return -1;
	}
	return 0;
}

int
workload_load(struct workload *w, const struct options *opt, int with_setup,
    struct failure *f)
{
	if (import_module(w, opt, f) != 0 ||
	    constant(w, "DESCRIPTION", 1, &w->description, f) != 0 ||
	    constant(w, "GROUP", 1, &w->group, f) != 0 ||
	    constant(w, "UNIT", 1, &w->unit, f) != 0 ||
	    constant(w, "MEASURES", 0, &w->measures, f) != 0 ||
	    read_kind(w, f) != 0 || check_engine(w, opt->engine, f) != 0 ||
	    set_params(w, opt, f) != 0)
		return -1;
	if (with_setup)
		return call_setup(w, opt->threads, f);
	return 0;
}

void
workload_teardown(struct workload *w, struct failure *f)
{
	PyObject *fn = NULL, *result;
	char *context;

	if (!w->setup_done)
		return;
	w->setup_done = 0;
	if (w->c && w->c->teardown)
		w->c->teardown(w);
	if (attr_optional(w->module, "teardown", &fn) <= 0) {
		PyErr_Clear();
		return;
	}
	result = PyObject_CallNoArgs(fn);
	Py_DECREF(fn);
	if (!result) {
		context = xasprintf("workload %s: teardown() raised", w->name);
		failure_from_exception(f, context);
		free(context);
		return;
	}
	Py_DECREF(result);
}

void
workload_unref(struct workload *w)
{
	Py_CLEAR(w->run);
	Py_CLEAR(w->thread_run);
	Py_CLEAR(w->check);
	Py_CLEAR(w->module);
}

void
workload_free(struct workload *w)
{
	free(w->path);
	free(w->description);
	free(w->group);
	free(w->unit);
	free(w->measures);
	free(w->finding_id);
}

int
workload_attached(const struct workload *w)
{
	return !(w->c && w->c->detached);
}

int
runner_init(struct runner *r, struct workload *w, int index, int nworkers,
    long long work, struct failure *f)
{
	char *context;

	*r = (struct runner){.w = w, .work = work};
	if (w->c) {
		if (w->c->thread_init)
			r->cstate = w->c->thread_init(w, index);
		if (w->c->thread_init && !r->cstate && workload_attached(w) &&
		    PyErr_Occurred()) {
			context = xasprintf("workload %s: worker %d: C "
			                    "initialization failed",
			    w->name, index);
			failure_from_exception(f, context);
			free(context);
			return -1;
		}
		return 0;
	}
	r->n = PyLong_FromLongLong(work);
	if (!r->n) {
		failure_from_exception(f, "cannot create the work count");
		return -1;
	}
	if (!w->thread_run) {
		Py_INCREF(w->run);
		r->fn = w->run;
		return 0;
	}
	r->fn = PyObject_CallFunction(w->thread_run, "ii", index, nworkers);
	if (r->fn && PyCallable_Check(r->fn))
		return 0;
	if (r->fn) {
		Py_CLEAR(r->fn);
		failure_set(f,
		    xasprintf("workload %s: thread_run(%d, %d) returned "
		              "something that is not callable",
		        w->name, index, nworkers),
		    NULL);
		return -1;
	}
	context = xasprintf(
	    "workload %s: thread_run(%d, %d) raised", w->name, index, nworkers);
	failure_from_exception(f, context);
	free(context);
	return -1;
}

int
runner_call(struct runner *r)
{
	PyObject *result;

	if (r->w->c)
		return r->w->c->run(r->w, r->cstate, r->work);
	result = PyObject_CallOneArg(r->fn, r->n);
	if (!result)
		return -1;
	Py_DECREF(result);
	return 0;
}

void
runner_fail(struct runner *r, int index, struct failure *f)
{
	char *context = xasprintf("workload %s: worker %d: run(%lld) raised",
	    r->w->name, index, r->work);

	failure_from_exception(f, context);
	free(context);
}

void
runner_clear(struct runner *r)
{
	if (r->w && r->w->c && r->w->c->thread_clear && r->cstate)
		r->w->c->thread_clear(r->cstate);
	Py_CLEAR(r->fn);
	Py_CLEAR(r->n);
	r->cstate = NULL;
}
