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
option_param(struct options *opt, char *text)
{
	char *eq = strchr(text, '=');

	if (!eq || eq == text)
		usage_fail("--param: expected NAME=VALUE, got \"%s\"", text);
	*eq = '\0';
	if (!module_name_valid(text))
		usage_fail("--param: \"%s\" is not a name (letters, digits "
		           "and _)",
		    text);
	for (int i = 0; i < opt->nparams; i++)
		if (strcmp(opt->params[i].name, text) == 0) {
			opt->params[i].value = eq + 1;
			return;
		}
	if (opt->nparams == PARAMS_MAX)
		usage_fail("--param: at most %d parameters", PARAMS_MAX);
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
options_parse(struct options *opt, int argc, char **argv)
{
	enum {
		OPT_DIR = 256,
		OPT_WORKLOAD,
		OPT_ENGINE,
		OPT_THREADS,
		OPT_ITERATIONS,
		OPT_SCALING,
		OPT_SAMPLES,
		OPT_WARMUP,
		OPT_TASKS,
		OPT_TASK_WARMUP,
		OPT_PARAM,
		OPT_PYTHON,
		OPT_LOAD,
		OPT_IDENTITY,
		OPT_WORKER,
		OPT_NO_DRIFT,
		OPT_DRIFT_REF,
		OPT_DRIFT_THRESHOLD,
		OPT_EXTRA_SAMPLES,
		OPT_HELPERS
	};
	static const struct option longopts[] = {
	    {"workloads-dir", required_argument, NULL, OPT_DIR},
	    {"workload", required_argument, NULL, OPT_WORKLOAD},
	    {"engine", required_argument, NULL, OPT_ENGINE},
	    {"threads", required_argument, NULL, OPT_THREADS},
	    {"iterations", required_argument, NULL, OPT_ITERATIONS},
	    {"scaling", required_argument, NULL, OPT_SCALING},
	    {"samples", required_argument, NULL, OPT_SAMPLES},
	    {"warmup", required_argument, NULL, OPT_WARMUP},
	    {"tasks", required_argument, NULL, OPT_TASKS},
	    {"task-warmup", required_argument, NULL, OPT_TASK_WARMUP},
	    {"param", required_argument, NULL, OPT_PARAM},
	    {"python", required_argument, NULL, OPT_PYTHON},
	    {"load", required_argument, NULL, OPT_LOAD},
	    {"identity", no_argument, NULL, OPT_IDENTITY},
	    {"worker-index", required_argument, NULL, OPT_WORKER},
	    {"no-drift", no_argument, NULL, OPT_NO_DRIFT},
	    {"drift-ref", required_argument, NULL, OPT_DRIFT_REF},
	    {"drift-threshold", required_argument, NULL, OPT_DRIFT_THRESHOLD},
	    {"extra-samples", required_argument, NULL, OPT_EXTRA_SAMPLES},
	    {"helpers-dir", required_argument, NULL, OPT_HELPERS},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

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
		switch (c) {
		case OPT_DIR:
			opt->workloads_dir = optarg;
			break;
		case OPT_HELPERS:
			opt->helpers_dir = optarg;
			break;
		case OPT_WORKLOAD:
			opt->workload = optarg;
			break;
		case OPT_ENGINE:
			opt->engine = optarg;
			break;
		case OPT_THREADS:
			opt->threads = (int)option_integer(
			    "--threads", optarg, 1, THREADS_MAX);
			break;
		case OPT_ITERATIONS:
			opt->iterations = option_integer(
			    "--iterations", optarg, 1, LLONG_MAX);
			break;
		case OPT_SCALING:
			if (strcmp(optarg, "weak") == 0)
				opt->scaling = SCALING_WEAK;
			else if (strcmp(optarg, "strong") == 0)
				opt->scaling = SCALING_STRONG;
			else
				usage_fail("--scaling: expected weak or "
				           "strong, got \"%s\"",
				    optarg);
			break;
		case OPT_SAMPLES:
			opt->samples = (int)option_integer(
			    "--samples", optarg, 1, 1000000);
			break;
		case OPT_WARMUP:
			opt->warmup =
			    (int)option_integer("--warmup", optarg, 0, 1000000);
			break;
		case OPT_TASKS:
			opt->tasks =
			    (int)option_integer("--tasks", optarg, 1, 10000000);
			opt->tasks_given = 1;
			break;
		case OPT_TASK_WARMUP:
			opt->task_warmup = (int)option_integer(
			    "--task-warmup", optarg, 0, 10000000);
			break;
		case OPT_PARAM:
			option_param(opt, optarg);
			break;
		case OPT_PYTHON:
			opt->python = optarg;
			break;
		case OPT_LOAD:
			if (strcmp(optarg, "import") == 0)
				opt->load = LOAD_IMPORT;
			else if (strcmp(optarg, "main") == 0)
				opt->load = LOAD_MAIN;
			else
				usage_fail("--load: expected import or main, "
				           "got \"%s\"",
				    optarg);
			break;
		case OPT_IDENTITY:
			opt->identity_only = 1;
			break;
		case OPT_WORKER:
			opt->worker_index = (int)option_integer(
			    "--worker-index", optarg, 0, THREADS_MAX - 1);
			break;
		case OPT_NO_DRIFT:
			opt->drift = 0;
			break;
		case OPT_DRIFT_REF:
			opt->drift_ref_ns = option_integer(
			    "--drift-ref", optarg, 0, LLONG_MAX);
			break;
		case OPT_DRIFT_THRESHOLD:
			/* in thousandths, so no float parsing is needed */
			opt->drift_threshold = (double)option_integer(
			                           "--drift-threshold", optarg,
			                           1, 10000) /
			    1000.0;
			break;
		case OPT_EXTRA_SAMPLES:
			opt->extra_samples = (int)option_integer(
			    "--extra-samples", optarg, 0, 1000000);
			break;
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
