/*
 * probe: runs inside one CPython (linked against its libpython) and measures
 * one workload with C clocks, so the harness adds nothing a Python-level
 * timer would not.
 *
 *   probe --workloads-dir DIR --workload NAME [--engine threads]
 *         [--threads N] [--iterations N] [--scaling weak|strong]
 *         [--samples K] [--warmup W]
 *   probe --identity
 *
 * Workload contract (also in probes/workloads/README.md): DIR/NAME.py is
 * imported as module NAME with DIR first on sys.path. It defines
 *   DESCRIPTION = "one line"   GROUP = "basic"   UNIT = "iterations"
 *   setup(nthreads)            optional, once, main thread, before timing
 *   run(n)                     does n units of work
 *   thread_run(index, nthreads) optional, returns a callable taking n; it is
 *                              called once in each worker thread, outside
 *                              timing, and used instead of run there
 * At least one of run and thread_run must exist.
 *
 * Output: exactly one JSON object on stdout (anything else the interpreter or
 * the workload writes to stdout is sent to stderr). Success: identity,
 * workload, parameters, GIL state and one entry per measured sample
 * (warm-up rounds are left out), exit 0. Failure: {"probe_version",
 * "identity" (if known), "error", "traceback"}, exit 1. Usage errors: a
 * message on stderr, exit 2.
 *
 * sys._is_gil_enabled() (null before 3.13) is read three times, because on a
 * free-threaded build importing an extension that does not declare
 * free-threading support turns the GIL back on: right after startup
 * (identity.gil_enabled_at_startup, reflects PYTHON_GIL), after import and
 * setup just before timing (gil_enabled_before), and after the last sample
 * (gil_enabled_after).
 *
 * Build (the orchestrator does this per interpreter):
 *   cc -std=c11 -O2 -g -Wall -Wextra -I$INCLUDEPY probes/probe.c -o probe \
 *      -L$LIBDIR -lpython$LDVERSION -Wl,-rpath,$LIBDIR -lpthread -lm
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h> /* first: its pyconfig.h sets the feature macros */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define PROBE_VERSION 1
#define THREADS_MAX 1024
#define REPORT_ERRORS_MAX 8

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* util */

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p) {
		fprintf(stderr, "probe: out of memory\n");
		exit(1);
	}
	return p;
}

static void *
xcalloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p) {
		fprintf(stderr, "probe: out of memory\n");
		exit(1);
	}
	return p;
}

static char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

PRINTF_LIKE(1, 2) static char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	int n;
	char *s;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	s = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

struct buf {
	char *data;
	size_t len, cap;
};

static void
buf_append(struct buf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		char *data;

		while (cap < b->len + n + 1)
			cap *= 2;
		data = xmalloc(cap);
		if (b->data)
			memcpy(data, b->data, b->len);
		free(b->data);
		b->data = data;
		b->cap = cap;
	}
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static void
buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

PRINTF_LIKE(2, 3) static void
buf_printf(struct buf *b, const char *fmt, ...)
{
	char small[128];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if ((size_t)n < sizeof(small)) {
		buf_append(b, small, (size_t)n);
	} else {
		char *big = xmalloc((size_t)n + 1);

		va_start(ap, fmt);
		vsnprintf(big, (size_t)n + 1, fmt, ap);
		va_end(ap);
		buf_append(b, big, (size_t)n);
		free(big);
	}
}

/* Strings are UTF-8 already (see py_strdup), so only quotes, backslashes and
 * control characters need escaping; NULL becomes null. */
static void
json_string(struct buf *b, const char *s)
{
	if (!s) {
		buf_puts(b, "null");
		return;
	}
	buf_puts(b, "\"");
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"')
			buf_puts(b, "\\\"");
		else if (c == '\\')
			buf_puts(b, "\\\\");
		else if (c == '\n')
			buf_puts(b, "\\n");
		else if (c == '\t')
			buf_puts(b, "\\t");
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\u%04x", c);
		else
			buf_append(b, (const char *)&c, 1);
	}
	buf_puts(b, "\"");
}

static void
json_tristate(struct buf *b, int value)
{
	buf_puts(b, value < 0 ? "null" : value ? "true" : "false");
}

static int64_t
clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* options */

enum scaling { SCALING_WEAK, SCALING_STRONG };

struct options {
	const char *workloads_dir;
	const char *workload;
	const char *engine;
	int threads;
	long long iterations;
	enum scaling scaling;
	int samples;
	int warmup;
	int identity_only;
};

static const char usage_text[] =
    "usage: probe --workloads-dir DIR --workload NAME [--engine threads]\n"
    "             [--threads N] [--iterations N] [--scaling weak|strong]\n"
    "             [--samples K] [--warmup W]\n"
    "       probe --identity\n";

PRINTF_LIKE(1, 2) static void
usage_fail(const char *fmt, ...)
{
	va_list ap;

	fputs("probe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\n", stderr);
	fputs(usage_text, stderr);
	exit(2);
}

static long long
option_integer(const char *flag, const char *text, long long min, long long max)
{
	char *end;
	long long value;

	errno = 0;
	value = strtoll(text, &end, 10);
	if (errno || end == text || *end || value < min || value > max)
		usage_fail("%s: expected an integer from %lld to %lld, got \"%s\"",
		           flag, min, max, text);
	return value;
}

/* A module name, not a path: anything else could import the wrong file. */
static int
workload_name_valid(const char *name)
{
	if (!*name || (*name >= '0' && *name <= '9'))
		return 0;
	for (; *name; name++) {
		char c = *name;

		if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

static void
options_parse(struct options *opt, int argc, char **argv)
{
	enum { OPT_DIR = 256, OPT_WORKLOAD, OPT_ENGINE, OPT_THREADS,
	       OPT_ITERATIONS, OPT_SCALING, OPT_SAMPLES, OPT_WARMUP,
	       OPT_IDENTITY };
	static const struct option longopts[] = {
		{"workloads-dir", required_argument, NULL, OPT_DIR},
		{"workload", required_argument, NULL, OPT_WORKLOAD},
		{"engine", required_argument, NULL, OPT_ENGINE},
		{"threads", required_argument, NULL, OPT_THREADS},
		{"iterations", required_argument, NULL, OPT_ITERATIONS},
		{"scaling", required_argument, NULL, OPT_SCALING},
		{"samples", required_argument, NULL, OPT_SAMPLES},
		{"warmup", required_argument, NULL, OPT_WARMUP},
		{"identity", no_argument, NULL, OPT_IDENTITY},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;

	*opt = (struct options){.engine = "threads", .threads = 1,
	                        .iterations = 100000, .scaling = SCALING_WEAK,
	                        .samples = 5, .warmup = 1};
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DIR: opt->workloads_dir = optarg; break;
		case OPT_WORKLOAD: opt->workload = optarg; break;
		case OPT_ENGINE: opt->engine = optarg; break;
		case OPT_THREADS:
			opt->threads = (int)option_integer("--threads", optarg, 1,
			                                   THREADS_MAX);
			break;
		case OPT_ITERATIONS:
			opt->iterations = option_integer("--iterations", optarg, 1,
			                                 LLONG_MAX);
			break;
		case OPT_SCALING:
			if (strcmp(optarg, "weak") == 0)
				opt->scaling = SCALING_WEAK;
			else if (strcmp(optarg, "strong") == 0)
				opt->scaling = SCALING_STRONG;
			else
				usage_fail("--scaling: expected weak or strong, got \"%s\"",
				           optarg);
			break;
		case OPT_SAMPLES:
			opt->samples = (int)option_integer("--samples", optarg, 1,
			                                   1000000);
			break;
		case OPT_WARMUP:
			opt->warmup = (int)option_integer("--warmup", optarg, 0,
			                                  1000000);
			break;
		case OPT_IDENTITY: opt->identity_only = 1; break;
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case ':':
			usage_fail("option \"%s\" needs a value", argv[optind - 1]);
			break;
		default:
			usage_fail("unknown option \"%s\"", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_fail("unexpected argument \"%s\"", argv[optind]);
	if (opt->identity_only)
		return;
	if (!opt->workloads_dir)
		usage_fail("--workloads-dir is required");
	if (!opt->workload)
		usage_fail("--workload is required");
	if (!workload_name_valid(opt->workload))
		usage_fail("--workload: \"%s\" is not a module name (expected "
		           "letters, digits and _, e.g. cpu_loop)", opt->workload);
	if (opt->scaling == SCALING_STRONG && opt->iterations < opt->threads)
		usage_fail("--iterations %lld is less than --threads %d, so strong "
		           "scaling would give a thread no work",
		           opt->iterations, opt->threads);
}

static long long
options_work_per_thread(const struct options *opt)
{
	if (opt->scaling == SCALING_STRONG)
		return opt->iterations / opt->threads;
	return opt->iterations;
}

/* failure: the first error wins; later ones (other threads hitting the same
 * bug) add nothing a reader needs */

struct failure {
	pthread_mutex_t lock;
	char *message;
	char *traceback;
};

static void
failure_set(struct failure *f, char *message, char *traceback)
{
	pthread_mutex_lock(&f->lock);
	if (!f->message) {
		f->message = message;
		f->traceback = traceback;
		message = traceback = NULL;
	}
	pthread_mutex_unlock(&f->lock);
	free(message);
	free(traceback);
}

/* python helpers; all need an attached thread state */

/* UTF-8 copy of str(obj); lone surrogates are escaped, not fatal. */
static char *
py_strdup(PyObject *obj)
{
	PyObject *str = PyObject_Str(obj);
	PyObject *bytes = NULL;
	char *s;

	if (str)
		bytes = PyUnicode_AsEncodedString(str, "utf-8", "backslashreplace");
	Py_XDECREF(str);
	if (!bytes) {
		PyErr_Clear();
		return xstrdup("(unprintable)");
	}
	s = xstrdup(PyBytes_AS_STRING(bytes));
	Py_DECREF(bytes);
	return s;
}

/* Takes the pending exception as "Type: message" plus its formatted
 * traceback, so an error from any thread can be reported as data. */
static void
exception_take(char **message, char **traceback)
{
	PyObject *exc = PyErr_GetRaisedException();
	PyObject *module, *lines = NULL, *empty, *text = NULL;
	PyObject *type_name = exc ? PyType_GetName(Py_TYPE(exc)) : NULL;
	char *name, *detail;

	if (!exc) {
		*message = xstrdup("error without a Python exception");
		*traceback = NULL;
		return;
	}
	name = type_name ? py_strdup(type_name) : xstrdup("exception");
	detail = py_strdup(exc);
	*message = *detail ? xasprintf("%s: %s", name, detail) : xstrdup(name);
	free(name);
	free(detail);
	Py_XDECREF(type_name);

	module = PyImport_ImportModule("traceback");
	if (module)
		lines = PyObject_CallMethod(module, "format_exception", "O", exc);
	empty = PyUnicode_FromString("");
	if (lines && empty)
		text = PyUnicode_Join(empty, lines);
	*traceback = text ? py_strdup(text) : NULL;
	PyErr_Clear();
	Py_XDECREF(text);
	Py_XDECREF(empty);
	Py_XDECREF(lines);
	Py_XDECREF(module);
	Py_DECREF(exc);
}

static void
failure_from_exception(struct failure *f, const char *context)
{
	char *message, *traceback;

	exception_take(&message, &traceback);
	failure_set(f, xasprintf("%s: %s", context, message), traceback);
	free(message);
}

/* 0 absent, 1 present (*value set), -1 error. */
static int
attr_optional(PyObject *obj, const char *name, PyObject **value)
{
#if PY_VERSION_HEX >= 0x030D0000
	return PyObject_GetOptionalAttrString(obj, name, value);
#else
	*value = PyObject_GetAttrString(obj, name);
	if (*value)
		return 1;
	if (!PyErr_ExceptionMatches(PyExc_AttributeError))
		return -1;
	PyErr_Clear();
	return 0;
#endif
}

/* 1 or 0 from sys._is_gil_enabled(), -1 where it does not exist (< 3.13) or
 * fails. */
static int
gil_enabled_read(void)
{
	PyObject *fn = PySys_GetObject("_is_gil_enabled");
	PyObject *result;
	int enabled;

	if (!fn)
		return -1;
	result = PyObject_CallNoArgs(fn);
	if (!result) {
		PyErr_Clear();
		return -1;
	}
	enabled = PyObject_IsTrue(result);
	Py_DECREF(result);
	if (enabled < 0)
		PyErr_Clear();
	return enabled;
}

/* The exit path must not run Python's own error printing: the orchestrator
 * reads the error from our JSON. */
static int
python_start(const char *program, struct failure *f)
{
	PyConfig config;
	PyStatus status;

	PyConfig_InitPythonConfig(&config);
	config.parse_argv = 0;
	/* With Python's SIGINT handler the C main thread, waiting on a barrier,
	 * would never see KeyboardInterrupt: keep the default so ^C stops us. */
	config.install_signal_handlers = 0;
	status = PyConfig_SetBytesString(&config, &config.program_name, program);
	if (!PyStatus_Exception(status))
		status = Py_InitializeFromConfig(&config);
	PyConfig_Clear(&config);
	if (PyStatus_Exception(status)) {
		failure_set(f, xasprintf("cannot initialize Python: %s%s%s",
		                         status.func ? status.func : "",
		                         status.func ? ": " : "",
		                         status.err_msg ? status.err_msg : "unknown"),
		            NULL);
		return -1;
	}
	if ((Py_Version >> 16) != (PY_VERSION_HEX >> 16)) {
		failure_set(f, xasprintf("probe was compiled against Python %s but "
		                         "runs libpython %s; rebuild it",
		                         PY_VERSION, Py_GetVersion()), NULL);
		return -1;
	}
	return 0;
}

/* identity */

struct identity {
	char *version;
	unsigned long hexversion;
	char *implementation;
	char *abiflags;
	char *compiler;
	long getsizeof_none;
	int gil_enabled_at_startup;
};

static int
identity_read(struct identity *id, struct failure *f)
{
	const char *version = Py_GetVersion();
	const char *compiler = Py_GetCompiler();
	PyObject *sys = PyImport_ImportModule("sys");
	PyObject *impl = NULL, *name = NULL, *abiflags = NULL, *size = NULL;
	size_t n;

	id->version = xstrdup(version);
	id->version[strcspn(version, " ")] = '\0';
	id->hexversion = Py_Version;
	/* "[GCC 12.2.0]", sometimes after a newline: keep what is inside */
	compiler += strspn(compiler, " \n[");
	n = strlen(compiler);
	while (n && (compiler[n - 1] == ']' || compiler[n - 1] == ' '))
		n--;
	id->compiler = xmalloc(n + 1);
	memcpy(id->compiler, compiler, n);
	id->compiler[n] = '\0';
	id->gil_enabled_at_startup = gil_enabled_read();
	id->getsizeof_none = -1;

	if (sys)
		impl = PyObject_GetAttrString(sys, "implementation");
	if (impl)
		name = PyObject_GetAttrString(impl, "name");
	if (name && attr_optional(sys, "abiflags", &abiflags) >= 0)
		size = PyObject_CallMethod(sys, "getsizeof", "O", Py_None);
	if (size)
		id->getsizeof_none = PyLong_AsLong(size);
	if (!size || PyErr_Occurred()) {
		failure_from_exception(f, "cannot read the runtime identity");
	} else {
		id->implementation = py_strdup(name);
		id->abiflags = abiflags ? py_strdup(abiflags) : xstrdup("");
	}
	Py_XDECREF(size);
	Py_XDECREF(abiflags);
	Py_XDECREF(name);
	Py_XDECREF(impl);
	Py_XDECREF(sys);
	return id->implementation ? 0 : -1;
}

static void
identity_json(struct buf *b, const struct identity *id)
{
	buf_puts(b, "{\"version\": ");
	json_string(b, id->version);
	buf_printf(b, ", \"hexversion\": %lu, \"implementation\": ",
	           id->hexversion);
	json_string(b, id->implementation);
#ifdef Py_GIL_DISABLED
	buf_puts(b, ", \"gil_disabled_build\": true, \"abiflags\": ");
#else
	buf_puts(b, ", \"gil_disabled_build\": false, \"abiflags\": ");
#endif
	json_string(b, id->abiflags);
	buf_puts(b, ", \"compiler\": ");
	json_string(b, id->compiler);
	buf_printf(b, ", \"sizeof_pyobject\": %zu, \"getsizeof_none\": %ld",
	           sizeof(PyObject), id->getsizeof_none);
	buf_puts(b, ", \"gil_enabled_at_startup\": ");
	json_tristate(b, id->gil_enabled_at_startup);
	buf_puts(b, "}");
}

static void
identity_free(struct identity *id)
{
	free(id->version);
	free(id->implementation);
	free(id->abiflags);
	free(id->compiler);
}

/* workload */

struct workload {
	const char *name;
	char *path;
	PyObject *module;
	char *description, *group, *unit;
	PyObject *run;        /* NULL when only thread_run is given */
	PyObject *thread_run; /* optional */
};

static int
workload_constant(struct workload *w, const char *attr, char **value,
                  struct failure *f)
{
	PyObject *obj = PyObject_GetAttrString(w->module, attr);

	if (!obj || !PyUnicode_Check(obj)) {
		PyErr_Clear();
		failure_set(f, xasprintf("workload %s: %s must define %s as a str "
		                         "(see probes/workloads/README.md)",
		                         w->name, w->path, attr), NULL);
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
workload_check_origin(struct workload *w, struct failure *f)
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
		failure_set(f, xasprintf("workload %s: importing it gave %s, not %s "
		                         "(a module of that name is already "
		                         "imported; rename the workload)", w->name,
		                         bytes ? PyBytes_AS_STRING(bytes) : "a module "
		                         "without __file__", w->path), NULL);
	Py_XDECREF(bytes);
	Py_XDECREF(file);
	return same ? 0 : -1;
}

static int
workload_load(struct workload *w, const struct options *opt, struct failure *f)
{
	PyObject *path = PySys_GetObject("path");
	PyObject *dir, *setup = NULL;
	struct stat st;
	char *context;
	int has = 0;

	w->name = opt->workload;
	w->path = xasprintf("%s/%s.py", opt->workloads_dir, opt->workload);
	if (stat(w->path, &st) != 0 || !S_ISREG(st.st_mode)) {
		failure_set(f, xasprintf("no workload \"%s\" in %s (no file %s)",
		                         w->name, opt->workloads_dir, w->path), NULL);
		return -1;
	}
	dir = PyUnicode_DecodeFSDefault(opt->workloads_dir);
	if (!path || !dir || PyList_Insert(path, 0, dir) != 0) {
		Py_XDECREF(dir);
		failure_from_exception(f, "cannot add the workloads dir to sys.path");
		return -1;
	}
	Py_DECREF(dir);

	context = xasprintf("workload %s: import failed", w->name);
	w->module = PyImport_ImportModule(w->name);
	if (!w->module)
		failure_from_exception(f, context);
	free(context);
	if (!w->module || workload_check_origin(w, f) != 0 ||
	    workload_constant(w, "DESCRIPTION", &w->description, f) != 0 ||
	    workload_constant(w, "GROUP", &w->group, f) != 0 ||
	    workload_constant(w, "UNIT", &w->unit, f) != 0)
		return -1;

	if (attr_optional(w->module, "run", &w->run) < 0 ||
	    attr_optional(w->module, "thread_run", &w->thread_run) < 0 ||
	    (has = attr_optional(w->module, "setup", &setup)) < 0) {
		failure_from_exception(f, "cannot read the workload module");
		return -1;
	}
	if ((!w->run && !w->thread_run) ||
	    (w->run && !PyCallable_Check(w->run)) ||
	    (w->thread_run && !PyCallable_Check(w->thread_run)) ||
	    (setup && !PyCallable_Check(setup))) {
		Py_XDECREF(setup);
		failure_set(f, xasprintf("workload %s: %s must define a function "
		                         "run(n) or thread_run(index, nthreads); "
		                         "setup, if given, must be a function",
		                         w->name, w->path), NULL);
		return -1;
	}
	if (has) {
		PyObject *result = PyObject_CallFunction(setup, "i", opt->threads);

		Py_DECREF(setup);
		if (!result) {
			context = xasprintf("workload %s: setup(%d) raised", w->name,
			                    opt->threads);
			failure_from_exception(f, context);
			free(context);
			return -1;
		}
		Py_DECREF(result);
	}
	return 0;
}

/* The callable one thread times: run, or what thread_run(index, nthreads)
 * returns. New reference, or NULL with the failure recorded. */
static PyObject *
workload_callable(struct workload *w, int index, int nthreads,
                  struct failure *f)
{
	PyObject *fn;
	char *context;

	if (!w->thread_run) {
		Py_INCREF(w->run);
		return w->run;
	}
	fn = PyObject_CallFunction(w->thread_run, "ii", index, nthreads);
	if (fn && PyCallable_Check(fn))
		return fn;
	if (fn) {
		Py_DECREF(fn);
		failure_set(f, xasprintf("workload %s: thread_run(%d, %d) returned "
		                         "something that is not callable", w->name,
		                         index, nthreads), NULL);
		return NULL;
	}
	context = xasprintf("workload %s: thread_run(%d, %d) raised", w->name,
	                    index, nthreads);
	failure_from_exception(f, context);
	free(context);
	return NULL;
}

/* Drops the Python references; must run before Py_FinalizeEx, while the
 * C strings are still needed for the report. */
static void
workload_unref(struct workload *w)
{
	Py_CLEAR(w->run);
	Py_CLEAR(w->thread_run);
	Py_CLEAR(w->module);
}

static void
workload_free(struct workload *w)
{
	free(w->path);
	free(w->description);
	free(w->group);
	free(w->unit);
}

/* samples: one slot per (round, thread), rounds including warm-up */

struct samples {
	int rounds, nthreads;
	int64_t *start_ns, *end_ns, *cpu_ns;
};

static void
samples_init(struct samples *s, int rounds, int nthreads)
{
	size_t n = (size_t)rounds * (size_t)nthreads;

	s->rounds = rounds;
	s->nthreads = nthreads;
	s->start_ns = xcalloc(n, sizeof(int64_t));
	s->end_ns = xcalloc(n, sizeof(int64_t));
	s->cpu_ns = xcalloc(n, sizeof(int64_t));
}

static void
samples_json(struct buf *b, const struct samples *s, int first_round)
{
	for (int r = first_round; r < s->rounds; r++) {
		const int64_t *start = s->start_ns + (size_t)r * s->nthreads;
		const int64_t *end = s->end_ns + (size_t)r * s->nthreads;
		const int64_t *cpu = s->cpu_ns + (size_t)r * s->nthreads;
		int64_t first = start[0], last = end[0];

		for (int t = 1; t < s->nthreads; t++) {
			first = start[t] < first ? start[t] : first;
			last = end[t] > last ? end[t] : last;
		}
		buf_printf(b, "%s\n    {\"wall_ns\": %lld, \"thread_wall_ns\": [",
		           r > first_round ? "," : "", (long long)(last - first));
		for (int t = 0; t < s->nthreads; t++)
			buf_printf(b, "%s%lld", t ? ", " : "",
			           (long long)(end[t] - start[t]));
		buf_puts(b, "], \"thread_cpu_ns\": [");
		for (int t = 0; t < s->nthreads; t++)
			buf_printf(b, "%s%lld", t ? ", " : "", (long long)cpu[t]);
		buf_puts(b, "]}");
	}
}

static void
samples_free(struct samples *s)
{
	free(s->start_ns);
	free(s->end_ns);
	free(s->cpu_ns);
}

/* engine "threads": N persistent pthreads released together each round by a
 * barrier. A thread never waits on the barrier while attached: under the GIL
 * that would deadlock, and without it a stop-the-world pause would. */

struct threads_shared {
	const struct options *opt;
	struct workload *workload;
	struct samples *samples;
	struct failure *failure;
	pthread_mutex_t start_lock;
	pthread_barrier_t barrier;
	/* first round nobody may run; every party reads it right after the
	 * same barrier, so all stop at the same round and none is left
	 * waiting */
	atomic_int stop_round;
	long long work;
};

struct worker {
	struct threads_shared *shared;
	int index;
	pthread_t thread;
};

static void
threads_stop_at(struct threads_shared *s, int round)
{
	int current = atomic_load(&s->stop_round);

	while (round < current &&
	       !atomic_compare_exchange_weak(&s->stop_round, &current, round))
		;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct threads_shared *s = w->shared;
	struct samples *smp = s->samples;
	PyGILState_STATE gstate;
	PyObject *fn, *n;

	/* wait until the main thread has sized the barrier */
	pthread_mutex_lock(&s->start_lock);
	pthread_mutex_unlock(&s->start_lock);

	gstate = PyGILState_Ensure();
	fn = workload_callable(s->workload, w->index, s->opt->threads,
	                       s->failure);
	n = PyLong_FromLongLong(s->work);
	if (!n)
		failure_from_exception(s->failure, "cannot create the work count");
	if (!fn || !n)
		threads_stop_at(s, 0);

	for (int r = 0; r < smp->rounds; r++) {
		size_t slot = (size_t)r * smp->nthreads + w->index;
		PyThreadState *tstate = PyEval_SaveThread();
		int64_t wall0, cpu0, cpu1, wall1;
		PyObject *result;

		pthread_barrier_wait(&s->barrier);
		PyEval_RestoreThread(tstate);
		if (r >= atomic_load(&s->stop_round))
			break;
		wall0 = clock_ns(CLOCK_MONOTONIC);
		cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		result = PyObject_CallOneArg(fn, n);
		cpu1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		wall1 = clock_ns(CLOCK_MONOTONIC);
		if (!result) {
			char *context = xasprintf("workload %s: thread %d: run(%lld) "
			                          "raised", s->workload->name,
			                          w->index, s->work);

			failure_from_exception(s->failure, context);
			free(context);
			/* keep going to the next barrier, where all stop */
			threads_stop_at(s, r + 1);
			continue;
		}
		Py_DECREF(result);
		smp->start_ns[slot] = wall0;
		smp->end_ns[slot] = wall1;
		smp->cpu_ns[slot] = cpu1 - cpu0;
	}
	Py_XDECREF(fn);
	Py_XDECREF(n);
	PyGILState_Release(gstate);
	return NULL;
}

static int
engine_threads(const struct options *opt, struct workload *workload,
               struct samples *samples, struct failure *f)
{
	struct threads_shared s = {.opt = opt, .workload = workload,
	                           .samples = samples, .failure = f,
	                           .work = options_work_per_thread(opt)};
	struct worker *workers = xcalloc((size_t)opt->threads, sizeof(*workers));
	PyThreadState *tstate;
	int started = 0, err = 0;

	samples_init(samples, opt->warmup + opt->samples, opt->threads);
	atomic_init(&s.stop_round, samples->rounds);
	pthread_mutex_init(&s.start_lock, NULL);
	pthread_mutex_lock(&s.start_lock);
	for (; started < opt->threads; started++) {
		workers[started] = (struct worker){.shared = &s, .index = started};
		err = pthread_create(&workers[started].thread, NULL, worker_main,
		                     &workers[started]);
		if (err)
			break;
	}
	if (err) {
		failure_set(f, xasprintf("cannot start thread %d of %d: %s",
		                         started, opt->threads, strerror(err)), NULL);
		atomic_store(&s.stop_round, 0);
	}
	pthread_barrier_init(&s.barrier, NULL, (unsigned)started + 1);
	pthread_mutex_unlock(&s.start_lock);

	tstate = PyEval_SaveThread();
	for (int r = 0; r < samples->rounds; r++) {
		pthread_barrier_wait(&s.barrier);
		if (r >= atomic_load(&s.stop_round))
			break;
	}
	for (int i = 0; i < started; i++)
		pthread_join(workers[i].thread, NULL);
	PyEval_RestoreThread(tstate);

	pthread_barrier_destroy(&s.barrier);
	pthread_mutex_destroy(&s.start_lock);
	free(workers);
	return atomic_load(&s.stop_round) < samples->rounds || f->message ? -1
	                                                                  : 0;
}

/* engines; NULL marks one this probe does not implement yet */

typedef int engine_fn(const struct options *, struct workload *,
                      struct samples *, struct failure *);

static const struct engine {
	const char *name;
	engine_fn *run;
} engines[] = {
	{"threads", engine_threads},
	{"processes", NULL},
	{"executor-threads", NULL},
	{"executor-processes", NULL},
};

static const struct engine *
engine_find(const char *name)
{
	for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++)
		if (strcmp(engines[i].name, name) == 0)
			return &engines[i];
	return NULL;
}

/* report */

struct report {
	FILE *out;
	const struct options *opt;
	struct identity identity;
	int identity_known;
	struct workload workload;
	int gil_enabled_before, gil_enabled_after;
	struct samples samples;
	char *errors[REPORT_ERRORS_MAX]; /* problems that do not void the run */
	int nerrors;
	struct failure failure;
};

/* Anything else writing to stdout (print() in a workload, a warning, an
 * extension) would corrupt the one JSON document: keep a private copy of
 * stdout for it and point fd 1 at stderr. */
static FILE *
stdout_claim(void)
{
	int fd = dup(STDOUT_FILENO);
	FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!out || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		fprintf(stderr, "probe: cannot redirect stdout: %s\n",
		        strerror(errno));
		exit(1);
	}
	return out;
}

static int
report_write(struct report *rep, struct buf *b)
{
	buf_puts(b, "\n");
	if (fwrite(b->data, 1, b->len, rep->out) != b->len ||
	    fflush(rep->out) != 0) {
		fprintf(stderr, "probe: cannot write the result: %s\n",
		        strerror(errno));
		return -1;
	}
	return 0;
}

static int
report_success(struct report *rep)
{
	const struct options *opt = rep->opt;
	const struct workload *w = &rep->workload;
	struct buf b = {0};
	int rc;

	buf_printf(&b, "{\n  \"probe_version\": %d,\n  \"identity\": ",
	           PROBE_VERSION);
	identity_json(&b, &rep->identity);
	buf_puts(&b, ",\n  \"workload\": ");
	json_string(&b, w->name);
	buf_puts(&b, ", \"group\": ");
	json_string(&b, w->group);
	buf_puts(&b, ", \"description\": ");
	json_string(&b, w->description);
	buf_puts(&b, ", \"unit\": ");
	json_string(&b, w->unit);
	buf_puts(&b, ",\n  \"engine\": ");
	json_string(&b, opt->engine);
	buf_printf(&b, ", \"threads\": %d, \"iterations\": %lld, "
	           "\"scaling\": \"%s\", \"work_per_thread\": %lld, "
	           "\"warmup\": %d,\n  \"gil_enabled_before\": ",
	           opt->threads, opt->iterations,
	           opt->scaling == SCALING_STRONG ? "strong" : "weak",
	           options_work_per_thread(opt), opt->warmup);
	json_tristate(&b, rep->gil_enabled_before);
	buf_puts(&b, ", \"gil_enabled_after\": ");
	json_tristate(&b, rep->gil_enabled_after);
	buf_puts(&b, ",\n  \"samples\": [");
	samples_json(&b, &rep->samples, opt->warmup);
	buf_puts(&b, "\n  ],\n  \"errors\": [");
	for (int i = 0; i < rep->nerrors; i++) {
		buf_puts(&b, i ? ", " : "");
		json_string(&b, rep->errors[i]);
	}
	buf_puts(&b, "]\n}");
	rc = report_write(rep, &b);
	free(b.data);
	return rc;
}

static int
report_failure(struct report *rep)
{
	struct buf b = {0};

	buf_printf(&b, "{\"probe_version\": %d", PROBE_VERSION);
	if (rep->identity_known) {
		buf_puts(&b, ",\n \"identity\": ");
		identity_json(&b, &rep->identity);
	}
	buf_puts(&b, ",\n \"error\": ");
	json_string(&b, rep->failure.message);
	buf_puts(&b, ",\n \"traceback\": ");
	json_string(&b, rep->failure.traceback);
	buf_puts(&b, "}");
	report_write(rep, &b);
	free(b.data);
	fprintf(stderr, "probe: %s\n", rep->failure.message);
	return 1;
}

static void
report_free(struct report *rep)
{
	identity_free(&rep->identity);
	workload_free(&rep->workload);
	samples_free(&rep->samples);
	for (int i = 0; i < rep->nerrors; i++)
		free(rep->errors[i]);
	free(rep->failure.message);
	free(rep->failure.traceback);
	pthread_mutex_destroy(&rep->failure.lock);
	fclose(rep->out);
}

/* Runs everything that needs the interpreter; returns 0 or -1 with
 * rep->failure set. Python is initialized on return either way. */
static int
probe_measure(struct report *rep, const char *program)
{
	const struct options *opt = rep->opt;
	const struct engine *engine;

	if (python_start(program, &rep->failure) != 0)
		return -1;
	if (identity_read(&rep->identity, &rep->failure) != 0)
		return -1;
	rep->identity_known = 1;
	if (opt->identity_only)
		return 0;
	engine = engine_find(opt->engine);
	if (!engine->run) {
		failure_set(&rep->failure, xasprintf("engine \"%s\" is not "
		                                     "supported by this probe yet",
		                                     opt->engine), NULL);
		return -1;
	}
	/* imported now so formatting a worker's exception imports nothing */
	Py_XDECREF(PyImport_ImportModule("traceback"));
	if (PyErr_Occurred()) {
		failure_from_exception(&rep->failure, "cannot import traceback");
		return -1;
	}
	if (workload_load(&rep->workload, opt, &rep->failure) != 0)
		return -1;
	rep->gil_enabled_before = gil_enabled_read();
	if (engine->run(opt, &rep->workload, &rep->samples, &rep->failure) != 0)
		return -1;
	rep->gil_enabled_after = gil_enabled_read();
	if (rep->gil_enabled_before >= 0 && rep->gil_enabled_after < 0)
		rep->errors[rep->nerrors++] =
		    xstrdup("sys._is_gil_enabled() failed after the run");
	return 0;
}

int
main(int argc, char **argv)
{
	struct options opt;
	struct report rep = {.gil_enabled_before = -1, .gil_enabled_after = -1};
	int rc;

	options_parse(&opt, argc, argv);
	if (!opt.identity_only && !engine_find(opt.engine))
		usage_fail("--engine: unknown engine \"%s\" (expected threads, "
		           "processes, executor-threads, executor-processes)",
		           opt.engine);
	rep.opt = &opt;
	rep.out = stdout_claim();
	pthread_mutex_init(&rep.failure.lock, NULL);

	rc = probe_measure(&rep, argv[0]);
	if (Py_IsInitialized()) {
		workload_unref(&rep.workload);
		if (Py_FinalizeEx() < 0)
			fprintf(stderr, "probe: Python finalization reported an "
			        "error\n");
	}
	if (rc != 0)
		rc = report_failure(&rep);
	else if (opt.identity_only) {
		struct buf b = {0};

		identity_json(&b, &rep.identity);
		rc = report_write(&rep, &b) ? 1 : 0;
		free(b.data);
	} else
		rc = report_success(&rep) ? 1 : 0;
	report_free(&rep);
	return rc;
}
