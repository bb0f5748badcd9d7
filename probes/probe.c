/*
 * probe: runs inside one CPython (linked against its libpython) and measures
 * one workload with C clocks, so the harness adds nothing a Python-level
 * timer would not.
 *
 *   probe --workloads-dir DIR --workload NAME [--engine ENGINE]
 *         [--threads N] [--iterations N] [--scaling weak|strong]
 *         [--samples K] [--warmup W] [--tasks T] [--task-warmup TW]
 *         [--param NAME=VALUE]... [--python PATH] [--load import|main]
 *   probe --identity
 *
 * Engines: threads (N pthreads, barrier start), processes (N worker
 * processes of this probe, released together), executor-threads and
 * executor-processes (concurrent.futures pools). Each sample is TW untimed
 * rounds and T timed ones; in a round every worker calls the workload once
 * with its share of the work.
 *
 * The workload contract is in workloads/README.md: DIR/NAME.py defines
 * DESCRIPTION, GROUP, UNIT (MEASURES, ENGINES optional) and run(n) or
 * thread_run(index, nthreads), or C_WORKLOAD naming a loop in cprobes.c, or
 * FINDING with check(nthreads).
 *
 * Output: exactly one JSON object on stdout (anything else the interpreter
 * or the workload writes to stdout is sent to stderr). Success: identity,
 * workload, parameters, GIL state, one entry per measured sample, metrics
 * and findings, exit 0. Failure: {"probe_version", "identity" (if known),
 * "error", "traceback"}, exit 1. Usage errors: a message on stderr, exit 2.
 *
 * sys._is_gil_enabled() (null before 3.13) is read right after startup
 * (identity.gil_enabled_at_startup, reflects PYTHON_GIL), after import and
 * setup just before timing (gil_enabled_before), and after the last sample
 * (gil_enabled_after): on a free-threaded build importing an extension that
 * does not declare free-threading support turns the GIL back on.
 *
 * Build (the orchestrator does this per interpreter):
 *   cc -std=c11 -O2 -g -Wall -Wextra -I$INCLUDEPY probes/\*.c -o probe \
 *      -L$LIBDIR -lpython$LDVERSION -Wl,-rpath,$LIBDIR -lpthread -lm
 */
#include "probe.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

static const char usage_text[] =
    "usage: probe --workloads-dir DIR --workload NAME [--engine ENGINE]\n"
    "             [--threads N] [--iterations N] [--scaling weak|strong]\n"
    "             [--samples K] [--warmup W] [--tasks T] [--task-warmup TW]\n"
    "             [--param NAME=VALUE]... [--python PATH]\n"
    "             [--no-drift] [--drift-ref NS] [--drift-threshold PERMILLE]\n"
    "             [--extra-samples E]\n"
    "             [--helpers-dir DIR]\n"
    "             [--load import|main]\n"
    "       probe --identity\n"
    "engines: threads, processes, executor-threads, executor-processes\n";

PRINTF_LIKE(1, 2) static _Noreturn void usage_fail(const char *fmt, ...)
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
		usage_fail("%s: expected an integer from %lld to %lld, got "
		           "\"%s\"",
		    flag, min, max, text);
	return value;
}

/* A module name, not a path: anything else could import the wrong file.
 * Names starting with _ are the probe's own helpers. */
static int
module_name_valid(const char *name)
{
	if (!*name || *name == '_' || (*name >= '0' && *name <= '9'))
		return 0;
	for (; *name; name++) {
		char c = *name;

		if (!(c == '_' || (c >= 'a' && c <= 'z') ||
		        (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')))
			return 0;
	}
	return 1;
}

static const struct engine {
	const char *name;
	engine_fn *run;
} engines[] = {
    {"threads", engine_threads},
    {"processes", engine_processes},
    {"executor-threads", engine_executor_threads},
    {"executor-processes", engine_executor_processes},
};

static const struct engine *
engine_find(const char *name)
{
	for (size_t i = 0; i < sizeof(engines) / sizeof(engines[0]); i++)
		if (strcmp(engines[i].name, name) == 0)
			return &engines[i];
	return NULL;
}

static void
option_param(struct options *opt, const char *flag, char *text)
{
	char *eq = strchr(text, '=');

	if (!eq || eq == text)
		usage_fail("%s: expected NAME=VALUE, got \"%s\"", flag, text);
	*eq = '\0';
	if (!module_name_valid(text))
		usage_fail("%s: \"%s\" is not a name (letters, digits and _)",
		    flag, text);
	for (int i = 0; i < opt->nparams; i++)
		if (strcmp(opt->params[i].name, text) == 0) {
			opt->params[i].value = eq + 1;
			return;
		}
	if (opt->nparams == PARAMS_MAX)
		usage_fail("%s: at most %d parameters", flag, PARAMS_MAX);
	opt->params[opt->nparams++] = (struct param){text, eq + 1};
}

static void
options_check(struct options *opt)
{
	if (opt->identity_only)
		return;
	if (!opt->workloads_dir)
		usage_fail("--workloads-dir is required");
	if (!opt->workload)
		usage_fail("--workload is required");
	if (!module_name_valid(opt->workload))
		usage_fail("--workload: \"%s\" is not a module name (expected "
		           "letters, digits and _, e.g. cpu_loop)",
		    opt->workload);
	if (!engine_find(opt->engine))
		usage_fail("--engine: unknown engine \"%s\" (expected "
		           "threads, processes, executor-threads, "
		           "executor-processes)",
		    opt->engine);
	if (opt->scaling == SCALING_STRONG && opt->iterations < opt->threads)
		usage_fail("--iterations %lld is less than --threads %d, so "
		           "strong scaling would give a thread no work",
		    opt->iterations, opt->threads);
	/* the pool's processes import the module by name themselves */
	if (opt->load == LOAD_MAIN &&
	    strcmp(opt->engine, "executor-processes") == 0)
		usage_fail("--load main: engine executor-processes imports the "
		           "workload in its pool's processes; use threads, "
		           "processes or executor-threads");
	if ((long long)(opt->warmup + opt->samples) *
	        (opt->tasks + opt->task_warmup) >
	    INT_MAX / THREADS_MAX)
		usage_fail("--samples, --warmup, --tasks and --task-warmup "
		           "ask for too many rounds");
}

static void
option_scaling(struct options *opt, const char *flag, char *arg)
{
	if (strcmp(arg, "weak") == 0)
		opt->scaling = SCALING_WEAK;
	else if (strcmp(arg, "strong") == 0)
		opt->scaling = SCALING_STRONG;
	else
		usage_fail(
		    "%s: expected weak or strong, got \"%s\"", flag, arg);
}

static void
option_load(struct options *opt, const char *flag, char *arg)
{
	if (strcmp(arg, "import") == 0)
		opt->load = LOAD_IMPORT;
	else if (strcmp(arg, "main") == 0)
		opt->load = LOAD_MAIN;
	else
		usage_fail(
		    "%s: expected import or main, got \"%s\"", flag, arg);
}

/* --tasks given: per-round latencies are reported */
static void
option_tasks(struct options *opt, const char *flag, char *arg)
{
	opt->tasks = (int)option_integer(flag, arg, 1, 10000000);
	opt->tasks_given = 1;
}

/* in thousandths, so no float parsing is needed */
static void
option_drift_threshold(struct options *opt, const char *flag, char *arg)
{
	opt->drift_threshold =
	    (double)option_integer(flag, arg, 1, 10000) / 1000.0;
}

/* How an option's value is stored: a string, an int or a long long in
 * a range, a flag set to 1 or 0, or by a function of its own. */
enum option_kind { OPT_STR, OPT_INT, OPT_LLONG, OPT_SET, OPT_CLEAR, OPT_OWN };

struct option_spec {
	const char *name;
	enum option_kind kind;
	size_t offset;
	long long min, max;
	void (*parse)(struct options *opt, const char *flag, char *arg);
};

#define AT(field) offsetof(struct options, field)

static const struct option_spec option_specs[] = {
    {"workloads-dir", OPT_STR, AT(workloads_dir), 0, 0, NULL},
    {"workload", OPT_STR, AT(workload), 0, 0, NULL},
    {"engine", OPT_STR, AT(engine), 0, 0, NULL},
    {"threads", OPT_INT, AT(threads), 1, THREADS_MAX, NULL},
    {"iterations", OPT_LLONG, AT(iterations), 1, LLONG_MAX, NULL},
    {"scaling", OPT_OWN, 0, 0, 0, option_scaling},
    {"samples", OPT_INT, AT(samples), 1, 1000000, NULL},
    {"warmup", OPT_INT, AT(warmup), 0, 1000000, NULL},
    {"tasks", OPT_OWN, 0, 0, 0, option_tasks},
    {"task-warmup", OPT_INT, AT(task_warmup), 0, 10000000, NULL},
    {"param", OPT_OWN, 0, 0, 0, option_param},
    {"python", OPT_STR, AT(python), 0, 0, NULL},
    {"load", OPT_OWN, 0, 0, 0, option_load},
    {"identity", OPT_SET, AT(identity_only), 0, 0, NULL},
    {"worker-index", OPT_INT, AT(worker_index), 0, THREADS_MAX - 1, NULL},
    {"no-drift", OPT_CLEAR, AT(drift), 0, 0, NULL},
    {"drift-ref", OPT_LLONG, AT(drift_ref_ns), 0, LLONG_MAX, NULL},
    {"drift-threshold", OPT_OWN, 0, 0, 0, option_drift_threshold},
    {"extra-samples", OPT_INT, AT(extra_samples), 0, 1000000, NULL},
    {"helpers-dir", OPT_STR, AT(helpers_dir), 0, 0, NULL},
};

#undef AT

#define NOPTIONS (sizeof(option_specs) / sizeof(option_specs[0]))
#define OPTION_VAL 256 /* getopt's value of option_specs[0] */

static void
option_set(struct options *opt, const struct option_spec *s, char *arg)
{
	char *at = (char *)opt + s->offset;
	char flag[32];

	snprintf(flag, sizeof(flag), "--%s", s->name);
	switch (s->kind) {
	case OPT_STR:
		*(const char **)(void *)at = arg;
		break;
	case OPT_INT:
		*(int *)(void *)at =
		    (int)option_integer(flag, arg, s->min, s->max);
		break;
	case OPT_LLONG:
		*(long long *)(void *)at =
		    option_integer(flag, arg, s->min, s->max);
		break;
	case OPT_SET:
	case OPT_CLEAR:
		*(int *)(void *)at = s->kind == OPT_SET;
		break;
	case OPT_OWN:
		s->parse(opt, flag, arg);
		break;
	}
}

static void
options_parse(struct options *opt, int argc, char **argv)
{
	struct option longopts[NOPTIONS + 2];
	int c;

	for (size_t i = 0; i < NOPTIONS; i++) {
		const struct option_spec *s = &option_specs[i];

		longopts[i] = (struct option){s->name,
		    s->kind == OPT_SET || s->kind == OPT_CLEAR
		        ? no_argument
		        : required_argument,
		    NULL, OPTION_VAL + (int)i};
	}
	longopts[NOPTIONS] = (struct option){"help", no_argument, NULL, 'h'};
	longopts[NOPTIONS + 1] = (struct option){NULL, 0, NULL, 0};
	*opt = (struct options){.engine = "threads",
	    .threads = 1,
	    .iterations = 100000,
	    .scaling = SCALING_WEAK,
	    .samples = 5,
	    .warmup = 1,
	    .tasks = 1,
	    .worker_index = -1,
	    .drift = 1,
	    .drift_threshold = 0.25};
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		if (c >= OPTION_VAL && c < OPTION_VAL + (int)NOPTIONS) {
			option_set(opt, &option_specs[c - OPTION_VAL], optarg);
			continue;
		}
		switch (c) {
		case 'h':
			fputs(usage_text, stdout);
			exit(0);
		case ':':
			usage_fail(
			    "option \"%s\" needs a value", argv[optind - 1]);
		default:
			usage_fail("unknown option \"%s\"", argv[optind - 1]);
		}
	}
	if (optind < argc)
		usage_fail("unexpected argument \"%s\"", argv[optind]);
	options_check(opt);
}

long long
options_work_per_worker(const struct options *opt, int self_parallel)
{
	if (self_parallel)
		return opt->scaling == SCALING_STRONG
		    ? opt->iterations
		    : opt->iterations * opt->threads;
	if (opt->scaling == SCALING_STRONG)
		return opt->iterations / opt->threads;
	return opt->iterations;
}

/* Engines whose workers are other processes need no setup here. */
static int
setup_here(const char *engine)
{
	return strcmp(engine, "processes") != 0 &&
	    strcmp(engine, "executor-processes") != 0;
}

/* Runs everything that needs the interpreter; returns 0 or -1 with
 * rep->failure set. Python is initialized on return either way. */
static int
probe_measure(struct report *rep, const char *program)
{
	struct options *opt = rep->opt;
	struct workload *w = &rep->workload;
	int rc;

	if (python_start(program, opt, &rep->failure) != 0)
		return -1;
	if (identity_read(&rep->identity, &rep->failure) != 0)
		return -1;
	rep->identity_known = 1;
	if (opt->identity_only)
		return 0;
	/* imported now so formatting a worker's exception imports nothing */
	Py_XDECREF(PyImport_ImportModule("traceback"));
	if (PyErr_Occurred()) {
		failure_from_exception(
		    &rep->failure, "cannot import traceback");
		return -1;
	}
	if (opt->worker_index >= 0)
		return worker_process_main(opt, w, &rep->failure);
	if (workload_load(w, opt, setup_here(opt->engine), &rep->failure) != 0)
		return -1;
	/* waiting is part of the work (for the GIL too, when threads share
	 * one): the on-CPU rule does not apply */
	opt->blocks = w->blocks || w->self_parallel ||
	    strncmp(opt->engine, "executor-", 9) == 0 ||
	    (strcmp(opt->engine, "threads") == 0 && opt->threads > 1 &&
	        gil_enabled_read() != 0);
	rep->gil_enabled_before = gil_enabled_read();
	if (w->finding_id)
		rc = report_run_finding(rep);
	else
		rc = engine_find(opt->engine)
		         ->run(opt, w, &rep->samples, &rep->failure);
	if (rc == 0 && w->c && w->c->metrics)
		w->c->metrics(w, &rep->samples, opt, &rep->metrics);
	if (rc == 0 && w->setup_done)
		rc = report_python_metrics(rep);
	workload_teardown(w, &rep->failure);
	if (rc != 0 || rep->failure.message)
		return -1;
	rep->gil_enabled_after = gil_enabled_read();
	if (rep->samples.gil_reported) {
		rep->gil_enabled_before = rep->samples.gil_before;
		rep->gil_enabled_after = rep->samples.gil_after;
	}
	if (rep->gil_enabled_before >= 0 && rep->gil_enabled_after < 0)
		rep->errors[rep->nerrors++] = xstrdup("sys._is_gil_enabled() "
		                                      "failed after the run");
	return 0;
}

int
main(int argc, char **argv)
{
	struct options opt;
	struct report rep = {.gil_enabled_before = -1, .gil_enabled_after = -1};
	int rc;

	options_parse(&opt, argc, argv);
	rep.opt = &opt;
	rep.out = stdout_claim();
	pthread_mutex_init(&rep.failure.lock, NULL);

	rc = probe_measure(&rep, argv[0]);
	if (Py_IsInitialized()) {
		workload_unref(&rep.workload);
		if (Py_FinalizeEx() < 0)
			fprintf(stderr,
			    "probe: Python finalization reported "
			    "an error\n");
	}
	if (opt.worker_index >= 0) {
		/* a worker's errors went to its parent on the result pipe */
		if (rc != 0 && rep.failure.message)
			fprintf(stderr, "probe: worker %d: %s\n",
			    opt.worker_index, rep.failure.message);
		rc = rc != 0;
	} else if (rc != 0) {
		rc = report_failure(&rep);
	} else if (opt.identity_only) {
		struct buf b = {0};

		identity_json(&b, &rep.identity);
		rc = report_write(&rep, &b) ? 1 : 0;
		free(b.data);
	} else {
		rc = report_success(&rep) ? 1 : 0;
	}
	report_free(&rep);
	return rc;
}
