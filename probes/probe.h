/*
 * probe: runs inside one CPython (linked against its libpython) and measures
 * one workload with C clocks. One header, a section per file.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h> /* first: its pyconfig.h sets the feature macros */

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#define PROBE_VERSION 2
#define THREADS_MAX 1024
#define REPORT_ERRORS_MAX 8
#define PARAMS_MAX 32
/* Worker processes of the processes engine read their release bytes from
 * this descriptor and write their records to the next one. */
#define WORKER_RELEASE_FD 3
#define WORKER_RESULT_FD 4

#if defined(__GNUC__)
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#else
#define PRINTF_LIKE(f, a)
#endif

/* util.c */

struct buf {
	char *data;
	size_t len, cap;
};

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) PRINTF_LIKE(1, 2);
void buf_append(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...) PRINTF_LIKE(2, 3);
/* A JSON string; NULL becomes null. s must be UTF-8. */
void json_string(struct buf *b, const char *s);
/* true, false, or null when value < 0 */
void json_tristate(struct buf *b, int value);
int64_t clock_ns(clockid_t id);

/* probe.c: options and main */

enum scaling { SCALING_WEAK, SCALING_STRONG };
/* How the workload's code is loaded: imported as a module (its name), or
 * run as the __main__ script, compiled the way `python script.py` compiles
 * it; on free-threaded builds the two differ in which constants are
 * immortal. */
enum load_mode { LOAD_IMPORT, LOAD_MAIN };

struct param {
	const char *name, *value;
};

struct options {
	const char *workloads_dir;
	/* after workloads_dir on sys.path: the catalog's helpers
	 * (_ftmatrix_executor) when the workload is the user's */
	const char *helpers_dir;
	const char *workload;
	const char *engine;
	const char *python; /* the real interpreter, for sys.executable */
	int threads;
	long long iterations;
	enum scaling scaling;
	enum load_mode load;
	int samples;
	int warmup;
	int tasks;       /* timed rounds per sample */
	int task_warmup; /* untimed rounds before them, per sample */
	int tasks_given; /* report per-round latencies (task_ns) */
	struct param params[PARAMS_MAX];
	int nparams;
	int identity_only;
	int worker_index; /* >= 0: a worker process of the processes engine */
	/* the drift snippet (drift.c): on unless --no-drift; a sample whose
	 * snippet ran slower than drift_ref_ns (or the fastest this process
	 * saw) by more than drift_threshold is disturbed and, up to
	 * extra_samples times, measured again */
	int drift;
	long long drift_ref_ns;
	double drift_threshold;
	int extra_samples;
	int blocks; /* the workload waits by design: no on-CPU rule */
};

/* Work one worker does per round: --iterations (weak scaling) or its share
 * (strong). A workload that drives its own workers gets the total. */
long long options_work_per_worker(const struct options *opt, int self_parallel);

/* python.c: the embedded interpreter */

/* The first error wins; later ones (other threads hitting the same bug)
 * add nothing a reader needs. */
struct failure {
	pthread_mutex_t lock;
	char *message;
	char *traceback;
};

void failure_set(struct failure *f, char *message, char *traceback);
/* Takes the pending Python exception, prefixed with context. */
void failure_from_exception(struct failure *f, const char *context);
/* UTF-8 copy of str(obj); never NULL. */
char *py_strdup(PyObject *obj);
/* 0 absent, 1 present (*value set), -1 error. */
int attr_optional(PyObject *obj, const char *name, PyObject **value);
/* sys._is_gil_enabled(): 1 or 0, -1 where it does not exist (< 3.13). */
int gil_enabled_read(void);
/* Initializes Python; opt->python, when given, becomes sys.executable so
 * multiprocessing starts the real interpreter, not the probe. */
int python_start(
    const char *program, const struct options *opt, struct failure *f);

struct identity {
	char *version;
	unsigned long hexversion;
	char *implementation;
	char *abiflags;
	char *compiler;
	long getsizeof_none;
	int gil_enabled_at_startup;
};

int identity_read(struct identity *id, struct failure *f);
void identity_json(struct buf *b, const struct identity *id);
void identity_free(struct identity *id);

/* workload.c: a module of probes/workloads and how a worker calls it */

struct cworkload;

struct workload {
	const char *name;
	const char *module_name; /* name, or "__main__" when run as a script */
	char *path;
	PyObject *module;
	char *description, *group, *unit, *measures;
	PyObject *run;             /* NULL when only thread_run is given */
	PyObject *thread_run;      /* optional */
	PyObject *check;           /* findings: check(nthreads) -> dict */
	char *finding_id;          /* FINDING */
	const struct cworkload *c; /* C_WORKLOAD, else NULL */
	void *cshared;             /* its state shared by all workers */
	int self_parallel; /* SELF_PARALLEL: run(n) drives its own workers */
	int blocks;        /* BLOCKS: waits by design (locks, queues, pools) */
	int setup_done;
};

/* Imports DIR/NAME.py (or runs it as __main__, opt->load), checks its constants and that it supports the
 * engine, and sets PARAMS. with_setup: also call setup(nthreads). */
int workload_load(struct workload *w, const struct options *opt, int with_setup,
    struct failure *f);
/* teardown(), if defined; errors are recorded in f. */
void workload_teardown(struct workload *w, struct failure *f);
/* Drops the Python references; before Py_FinalizeEx. */
void workload_unref(struct workload *w);
void workload_free(struct workload *w);

/* What one worker calls each round: a Python callable or a C loop. */
struct runner {
	struct workload *w;
	PyObject *fn;
	PyObject *n;
	void *cstate;
	long long work;
};

/* In the worker's thread, attached unless the C workload runs detached. */
int runner_init(struct runner *r, struct workload *w, int index, int nworkers,
    long long work, struct failure *f);
/* 0, or -1 with a Python exception set. */
int runner_call(struct runner *r);
void runner_clear(struct runner *r);
/* Records a runner_call failure with the workload and worker in it. */
void runner_fail(struct runner *r, int index, struct failure *f);
/* Whether the worker thread must hold a thread state around the call. */
int workload_attached(const struct workload *w);

/* drift.c: a fixed Python snippet timed between rounds */

struct drift {
	PyObject *fn, *n;
};

extern const char drift_snippet_text[];
/* Compiles the snippet; attached, main thread. */
int drift_init(struct drift *d, struct failure *f);
/* Thread CPU ns of one call; attached. 0 when it could not run. */
int64_t drift_time(const struct drift *d);
void drift_clear(struct drift *d);

/* counters.c: context switches and perf counters around a worker's rounds */

enum {
	COUNTER_TASK_CLOCK,
	COUNTER_CONTEXT_SWITCHES,
	COUNTER_CPU_MIGRATIONS,
	COUNTER_PAGE_FAULTS,
	COUNTER_CYCLES,
	COUNTER_INSTRUCTIONS,
	COUNTER_CACHE_MISSES,
	COUNTERS_N
};

struct counters {
	int who; /* RUSAGE_THREAD (a thread) or RUSAGE_SELF (a process) */
	int fd[COUNTERS_N];
	int absent_errno[COUNTERS_N]; /* 0: counted */
	int64_t at_begin[COUNTERS_N];
	int64_t total[COUNTERS_N]; /* over the measured rounds */
	long vcsw0, ivcsw0;
	int schedstat_fd; /* its run-queue wait, -1: none */
	int64_t runq0_ns;
};

/* One round of one worker, from the scheduler's side; -1: unknown. */
struct round_counts {
	int64_t vcsw, ivcsw; /* voluntary, involuntary context switches */
	int64_t runq_ns;     /* runnable but waiting for a CPU */
};

const char *counter_name(int id);
/* Whether nworkers can each hold a descriptor per counter and keep half
 * the process's limit for the workload. */
int counters_affordable(int nworkers);
/* In the worker's own thread, before its first round; without files,
 * only the context switches are counted (the rest is absent, EMFILE). */
void counters_open(struct counters *c, int who, int with_files);
/* Around each round: one call before, one after, which gives the round's
 * counts; perf counts are added to the totals only when measured. */
void counters_begin(struct counters *c);
void counters_end(struct counters *c, int measured, struct round_counts *out);
void counters_close(struct counters *c);
/* A worker process's totals as text, and back. */
void counters_line(struct buf *b, const struct counters *c);
int counters_parse(struct counters *c, const char *line);
/* {"task_clock_ns": N, ..., "absent": {"cycles": "reason"}} */
void counters_json(struct buf *b, const struct counters *c);

/* samples.c: one slot per (round, worker); rounds include warm-up */

enum disturbance { UNDISTURBED, SLOW_PHASE, DESCHEDULED };

struct samples {
	int nsamples;   /* warm-up + measured + extra samples at most */
	int per_sample; /* task_warmup + tasks */
	int task_warmup;
	int rounds;
	int nworkers;
	int64_t *start_ns, *end_ns, *cpu_ns; /* [round * nworkers + worker] */
	/* the drift snippet's CPU ns before round r ([r * nworkers + w], r up
	 * to rounds): boundary r is after round r-1 and before round r;
	 * 0 where it did not run */
	int64_t *drift_ns;
	int rounds_run; /* rounds that ran; the engine sets it */
	/* context switches, [round * nworkers + worker], and each worker's
	 * counters; engines that count set counted */
	struct round_counts *counts;
	struct counters *counters;
	int counted;
	/* [round]; engines that dispatch (executors) set these, the others
	 * leave 0 and the round spans its workers */
	int64_t *round_start_ns, *round_end_ns;
	/* engines whose workers run elsewhere report the GIL state they saw
	 * there: 1 if any worker had it enabled */
	int gil_reported, gil_before, gil_after;
};

void samples_init(struct samples *s, const struct options *opt, int nworkers);
/* Which round of the loop starts which sample, etc. */
int samples_round_index(const struct samples *s, int sample, int task);
/* Whether round r should run: 0 past the last round, or at a sample
 * boundary once enough measured samples were undisturbed. Reads rounds
 * before r and drift boundaries up to r, so all must be recorded. */
int samples_continue(
    const struct samples *s, const struct options *opt, int r);
/* Whether round r starts a sample after the planned ones (where
 * samples_continue can say stop). */
int samples_decision_round(
    const struct samples *s, const struct options *opt, int r);
/* Whether round r is timed (not warm-up, not a task's warm-up). */
int options_round_measured(const struct options *opt, int r);
/* Samples that ran, measured ones only, with their disturbance. */
void samples_json(
    struct buf *b, const struct samples *s, const struct options *opt);
/* The reference the samples were judged against. */
int64_t samples_drift_reference(
    const struct samples *s, const struct options *opt);
/* ,"worker_counters": [...] when the engine counted; nothing otherwise */
void samples_counters_json(struct buf *b, const struct samples *s);
/* Median of per-worker wall time / work over the measured rounds, in ns per
 * unit; for C probes that report a cost per operation. */
double samples_ns_per_unit(
    const struct samples *s, const struct options *opt, long long work);
void samples_free(struct samples *s);

/* engine-*.c */

typedef int engine_fn(const struct options *, struct workload *,
    struct samples *, struct failure *);

engine_fn engine_threads, engine_processes, engine_executor_threads,
    engine_executor_processes;
/* The worker side of the processes engine (probe --worker-index I). */
int worker_process_main(
    const struct options *opt, struct workload *w, struct failure *f);

/* cprobes.c: measurements only C can make */

struct metrics {
	struct buf json; /* "name": {...}, entries */
	int n;
};

void metrics_add(struct metrics *m, const char *name, double value,
    const char *unit, const char *description);

struct cworkload {
	const char *name;
	int detached; /* workers run without a thread state */
	/* main thread, attached; returns shared state or NULL */
	int (*setup)(struct workload *w, int nworkers);
	/* worker thread; returns per-worker state (may be NULL) */
	void *(*thread_init)(struct workload *w, int index);
	/* n operations; attached unless detached; -1 with an exception */
	int (*run)(struct workload *w, void *state, long long n);
	void (*thread_clear)(void *state);
	void (*teardown)(struct workload *w);
	/* metrics from the measured samples */
	void (*metrics)(struct workload *w, const struct samples *s,
	    const struct options *opt, struct metrics *m);
};

const struct cworkload *cworkload_find(const char *name);

/* report.c: the one JSON document on stdout */

struct report {
	FILE *out;
	struct options *opt; /* a finding narrows it to one sample */
	struct identity identity;
	int identity_known;
	struct workload workload;
	int gil_enabled_before, gil_enabled_after;
	struct samples samples;
	struct metrics metrics;
	struct buf findings; /* JSON objects, comma-separated */
	int nfindings;
	char *errors[REPORT_ERRORS_MAX]; /* problems that do not void the run */
	int nerrors;
	struct failure failure;
};

/* Points fd 1 at stderr and returns a private copy of stdout, so nothing
 * else (print() in a workload, a warning) corrupts the JSON. */
FILE *stdout_claim(void);
int report_write(struct report *rep, struct buf *b);
int report_success(struct report *rep);
int report_failure(struct report *rep);
void report_free(struct report *rep);
/* Calls the module's metrics() (Python) into rep->metrics. */
int report_python_metrics(struct report *rep);
/* Runs a finding's check(nthreads) and adds it to rep->findings; the
 * check's wall time becomes the one sample. */
int report_run_finding(struct report *rep);
