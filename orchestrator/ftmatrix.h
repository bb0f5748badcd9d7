/* ftmatrix: free-threaded CPython against GIL builds, measured. */

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define FTMATRIX_VERSION "0.1.0"
/* 1: first release. 2: cell memory and rusage, settings, preflight,
 * calibration and the derived analysis; version 1 files still load. */
#define RESULTS_SCHEMA_VERSION 2

/* util.c */

struct buf {
	char *data; /* always NUL-terminated once anything was added */
	size_t len, cap;
};

_Noreturn void fatal(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
void error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* While b is set, every error() message is also appended to it (lines
 * joined by newlines), so a caller can keep why something failed; NULL
 * stops. */
void error_record(struct buf *b);
void warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
size_t utf8_columns(const char *s);
int utf8_field(const char *s, size_t columns); /* a "%-*s" width */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void buf_add(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
const char *buf_str(struct buf *b); /* "" when empty */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);
/* Reads a whole file; -1 and error() when it cannot. */
int file_read(const char *path, struct buf *b);
/* Writes via a temporary file, fsync, rename and fsync of the directory, so
 * readers see the old or the new contents, never a torn file, and a crash
 * after it returns keeps the new one. */
int file_write_atomic(const char *path, const void *data, size_t len);
/* fsync of a directory (EINVAL, a file system that cannot, is fine) */
int dir_fsync(const char *dir);
int mkdir_p(const char *path);
int path_exists(const char *path);
int path_is_executable(const char *path);
char *path_join(const char *a, const char *b);
/* name's executable in $PATH, NULL when there is none. */
char *path_lookup(const char *name);
/* Removes a directory tree; used for failed builds and temp dirs. */
int remove_tree(const char *path);
/* $FTMATRIX_CACHE, else $XDG_CACHE_HOME/ftmatrix, else ~/.cache/ftmatrix. */
const char *cache_dir(void);
/* Where probes/, reports/ and scripts/ live: $FTMATRIX_DATADIR, else next to
 * the binary's source tree, else the installed share directory. */
const char *data_dir(void);
double now_mono_s(void);
char *time_iso8601(void); /* UTC, e.g. 2026-11-23T09:00:00Z */
char *time_stamp(void);	  /* for directory names: 20261123-090000 */
/* Lowercase hex sha256 of a buffer or a file (64 chars + NUL). */
void sha256_hex(const void *data, size_t len, char out[65]);
int sha256_file(const char *path, char out[65]);
/* Last n lines of s, as a new string. */
char *text_tail(const char *s, int lines);
int parse_long(const char *s, long *out);
int parse_double(const char *s, double *out);
/* "ftmatrix run m.yaml -o d", shell-quoted, for the report. */
char *command_line(int argc, char **argv);

/* strset.c: strings to indexes in a hash table (strings not copied) */

struct strset_slot {
	const char *key;
	size_t value;
};
struct strset {
	struct strset_slot *slots;
	size_t n, cap;
};
/* Adds key with value and returns 0; when key is there already, sets
 * *found (if not NULL) to its value and returns 1. */
int strset_add(struct strset *set, const char *key, size_t value,
    size_t *found);
void strset_free(struct strset *set);

/* outdir.c: output directories, marked as ours by a manifest of the
 * files ftmatrix wrote there; only those are ever replaced or removed */

#define OUTDIR_MANIFEST ".ftmatrix-manifest"

struct manifest {
	char *dir, *path;
	char **names; /* "report.html", "charts/overhead.svg" */
	size_t n;
};
/* Makes dir ours: refuses a directory without a manifest that holds
 * anything but input (the results file a report reads, may be NULL)
 * unless force, else writes an empty manifest. */
int outdir_claim(const char *dir, const char *input, int force);
int manifest_load(struct manifest *m, const char *dir);
/* Only "NAME" and "charts/NAME" lines are taken: nothing outside dir. */
void manifest_parse(const char *text, size_t len, struct manifest *m);
int manifest_name_ok(const char *name);
int manifest_has(const struct manifest *m, const char *name);
void manifest_add(struct manifest *m, const char *name);
void manifest_remove(struct manifest *m, const char *name);
void manifest_drop(struct manifest *m, const char *prefix, const char *suffix);
int manifest_save(struct manifest *m);
void manifest_free(struct manifest *m);

/* term.c: untrusted text made safe to print to a terminal: control
 * characters (C0, DEL, C1 such as ESC and OSC) and bytes that are not
 * UTF-8 are shown escaped (\x1b, \u009b); keep_newlines keeps \n and \t
 * for messages of several lines. */
void term_esc(struct buf *b, const char *text, int keep_newlines);
char *term_safe(const char *text); /* free() it */
void term_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* cpus.c: CPU lists for pinning, in the kernel's cpulist format */

#define CPUS_MAX 1024

struct cpus {
	unsigned char bits[CPUS_MAX / 8];
	int count;
	char text[64]; /* canonical "0-3,6" (truncated past 63 chars) */
};

/* Parses "0-3,6" (or "all"); -1 with a reason in *why (static). */
int cpus_parse(const char *text, struct cpus *c, const char **why);
int cpus_has(const struct cpus *c, int cpu);
/* CPUs that exist and we may run on, per sched_getaffinity. */
int cpus_allowed(struct cpus *c);

/* proc.c: the one way to run a child process */

struct proc_opts {
	char *const *argv;	/* argv[0] looked up in PATH when it has no '/' */
	char *const *env_extra; /* "NAME=VALUE" entries added to our environment */
	const char *cwd;
	int capture_stdout; /* into proc_result.out */
	int capture_stderr; /* into proc_result.err */
	const char *log_path; /* stdout and stderr appended here instead */
	int passthrough;      /* child inherits our stdout/stderr */
	double timeout_s;     /* 0: none */
	/* Called every tick_ms while the child runs (memory sampling). */
	void (*tick)(pid_t pid, void *arg);
	void *tick_arg;
	int tick_ms;
	const struct cpus *affinity; /* NULL: inherit ours */
};

struct proc_result {
	int exit_status; /* -1 when killed by a signal */
	int signal;
	int timed_out;
	int interrupted; /* we got SIGINT/SIGTERM while it ran */
	double wall_s;
	double user_s, sys_s; /* CPU time of the child and what it reaped */
	long maxrss_kib;      /* its peak RSS, per the kernel */
	long voluntary_switches, involuntary_switches;
	struct buf out, err;
};

/* Runs a child in its own process group and waits for it; the whole group is
 * killed on timeout or interruption. -1 only when it could not be started. */
int proc_run(const struct proc_opts *opts, struct proc_result *res);
void proc_result_free(struct proc_result *res);
/* A short description: "exit status 1", "killed by signal 11 (SIGSEGV)". */
char *proc_describe(const struct proc_result *res);
/* SIGINT/SIGTERM set the flag below instead of killing us, so a run can
 * save what it has and stop. */
void interrupt_install(void);
/* Every other command: SIGINT, SIGTERM and SIGHUP kill the running child's
 * process group, then us (main.c installs it before any command runs). */
void proc_signals_install(void);
extern volatile int interrupted;

/* memory.c: RSS, USS and PSS of a whole process tree, sampled */

struct memory_usage {
	long rss_kib, uss_kib, pss_kib; /* summed over the tree */
	int nprocs;
};

struct memory_range {
	long min, max;
	double avg;
};

struct memory_point {
	double t_ms; /* since the probe started */
	long rss_kib, uss_kib, pss_kib;
};

struct memory_profile {
	int interval_ms;
	size_t nsamples; /* 0: not sampled */
	struct memory_range rss, uss, pss;
	int max_procs; /* most processes seen in the tree at once */
	struct memory_point *timeline;
	size_t ntimeline;
	size_t stride; /* every stride-th sample is in the timeline */
	double start_s;
};

/* Reads /proc/PID/smaps_rollup of root and all its descendants (children
 * of every thread, recursively); -1 when none could be read. */
int memory_tree_usage(pid_t root, struct memory_usage *u);
void memory_begin(struct memory_profile *mp, int interval_ms);
void memory_add(struct memory_profile *mp, double t_ms,
    const struct memory_usage *u);
/* A proc_opts tick: one sample of the tree into the profile (arg). */
void memory_tick(pid_t pid, void *arg);
void memory_free(struct memory_profile *mp);
/* The profile as cell "memory" JSON text (results-sections.c). */
char *memory_profile_json(const struct memory_profile *mp);

/* matrix.c: the YAML matrix (libyaml in matrix-yaml.c; the checks in
 * matrix*.c share orchestrator/matrix-tree.h) */

enum provider_kind {
	PROVIDER_UV,
	PROVIDER_SOURCE,
	PROVIDER_PATH,
	PROVIDER_PYENV,
	PROVIDER_VARIANT,
};

struct env_var {
	char *name, *value;
};

struct interp_spec {
	char *id;    /* unique name in the matrix, e.g. "3.13t" */
	char *label; /* shown in charts; default: from the identity */
	enum provider_kind provider;
	char *request;	  /* uv: "3.13t" */
	char *version;	  /* pyenv: "3.13.0" */
	char *path;	  /* path: an executable */
	char *source;	  /* source: URL, file path or "debian:3.13.15" */
	char *sha256;	  /* source: expected tarball checksum */
	char *variant_of; /* variant: id of another entry */
	int free_threaded; /* -1 unspecified, 0 GIL, 1 free-threaded */
	int optimizations, lto, jit;
	char **configure_args;
	size_t nconfigure_args;
	struct env_var *env;
	size_t nenv;
	int optional; /* missing interpreter: skipped, not an error */
	int line, col;
};

struct workload_spec {
	char *name;
	long iterations; /* 0: the matrix default */
	int line, col;
	/* matrix-workload.c: the entry's own settings */
	char **engines; /* its own, else the matrix's it supports */
	size_t nengines;
	int engines_given, engines_node_line, engines_node_col;
	int *threads;	/* its own, else the matrix's */
	size_t nthreads;
	int threads_line, threads_col;
	int tasks, task_warmup; /* timed and untimed rounds per sample */
	char **params;		/* "NAME=VALUE", the module's PARAMS */
	size_t nparams;
};

struct matrix {
	char *path; /* as given */
	char *name; /* default: file name without .yaml */
	char *description;
	char *text; /* the file as read, kept in results */
	char *baseline; /* interpreter id overhead is measured against */
	struct interp_spec *interps;
	size_t ninterps;
	struct workload_spec *workloads;
	size_t nworkloads;
	char **engines;
	size_t nengines;
	int *threads;
	size_t nthreads;
	int repetitions; /* probe processes per cell */
	int samples;	 /* measured samples per probe process */
	int warmup;	 /* discarded samples per probe process */
	long iterations;
	char *scaling; /* "weak" or "strong" */
	double timeout_s;
	/* calibrate iterations so a sample lasts this long; 0: as given */
	double min_time_s;
	char *affinity;		/* CPU list to pin probes to, or NULL */
	int memory_interval_ms; /* 0: no memory sampling */
};

/* Parses and checks a matrix. Every problem found is printed as
 * "file:line:col: message"; returns the number of problems (0 = valid). A
 * matrix with problems must still be matrix_free()d. */
int matrix_parse(const char *name, const char *text, size_t len,
    struct matrix *m);
struct catalog;
/* matrix_parse, and every workload must be in the catalog cat; its
 * problems are reported with the others, in file order. */
int matrix_parse_catalog(const char *name, const char *text, size_t len,
    const struct catalog *cat, struct matrix *m);
/* Reads at most 1 MiB of path and parses it; returns like matrix_parse, a
 * file that cannot be read counting as one problem. */
int matrix_load(const char *path, struct matrix *m);
/* What run and validate use: a file or an http(s)/file URL (fetch_text),
 * parsed and checked against the workload catalog. */
int matrix_open(const char *path, struct matrix *m);
void matrix_free(struct matrix *m);
const char *provider_name(enum provider_kind kind);
const struct interp_spec *matrix_interp(const struct matrix *m,
    const char *id);
/* matrix-workload.c: whether the plan has a cell for this workload, engine
 * and thread count (a workload entry may have its own lists). */
int matrix_cell_wanted(const struct matrix *m, size_t workload,
    const char *engine, int threads);
void workload_options_free(struct workload_spec *w);
/* The workload names listed in a matrix's text, without checking anything
 * else (a results file's matrix may use keys no longer known); NULL when
 * the text is not YAML with a "workloads" sequence. A NULL-terminated
 * array the caller frees, with its strings. */
char **matrix_text_workloads(const char *text, size_t len, size_t *n);

/* identity.c: what an interpreter says about itself */

struct identity {
	char *version;	      /* "3.13.15" */
	char *implementation; /* "cpython" */
	int gil_disabled_build; /* Py_GIL_DISABLED */
	int gil_enabled;	/* sys._is_gil_enabled(); -1 before 3.13 */
	char *abiflags, *compiler, *config_args, *executable, *prefix;
	char *includepy, *libdir, *ldlibrary, *ldversion, *build_date;
	char *libpython; /* the library the probe links, "" when static */
	int shared; /* Py_ENABLE_SHARED */
	char *json; /* the whole record as the interpreter printed it */
};

/* Runs the interpreter with env_extra; who names it in messages. */
int identity_capture(const char *who, const char *python,
    char *const *env_extra, struct identity *id);
void identity_free(struct identity *id);
/* "3.13.15t": version, plus "t" for a free-threaded build. */
char *identity_label(const struct identity *id);

/* provision.c and provider-*.c: from a matrix entry to a usable interpreter */

struct provision_opts {
	int rebuild; /* source: ignore the build cache */
	int verbose;
	/* a required interpreter that cannot be provisioned is recorded as
	 * unavailable, with why, and the others are still provisioned */
	int keep_going;
};

struct interp {
	const struct interp_spec *spec;
	char *python; /* executable */
	char **env;   /* "NAME=VALUE", NULL-terminated; from the spec */
	struct identity identity;
	char *label; /* spec label, else identity label (+ variant env) */
	char *probe; /* compiled probe binary */
	int available;
	char *error; /* why it is not available */
};

struct provider {
	enum provider_kind kind;
	/* Finds or installs the interpreter; sets *python to its executable. */
	int (*locate)(const struct interp_spec *spec,
	    const struct provision_opts *opts, char **python);
};

extern const struct provider provider_uv, provider_source, provider_path,
    provider_pyenv;

/* Provisions every interpreter of the matrix, in order (variants after the
 * entry they derive from), capturing identities and building probes. One
 * that fails is left unavailable with its provider's error in ->error. A
 * required one that fails stops it and makes it return -1, unless
 * keep_going is set; -1 too when none at all is available. */
int provision_all(const struct matrix *m, const struct provision_opts *opts,
    struct interp **out);
void interps_free(struct interp *interps, size_t n);
/* What the entry asked its provider for: the uv request, the source, the
 * path, the pyenv version, or the entry a variant derives from. */
const char *interp_request(const struct interp_spec *spec);
/* Checks that what was found is what the spec asked for (e.g. a
 * free-threaded build when "t" was requested). */
int provision_check(const struct interp *in);

/* fetch.c: downloads (libcurl) */

/* Downloads url (http, https, file) to dest, resuming a partial dest.part
 * and retrying transient failures; dest appears only when complete. */
int fetch_url(const char *url, const char *dest);
/* The same, and dest must have this sha256 (NULL: any); a download that does
 * not is deleted and reported. */
int fetch_url_sha256(const char *url, const char *dest, const char *sha256);
/* Fetches a small text document (a remote matrix) into b: at most
 * max_bytes, TLS verified, at most 5 redirects and never to file://, done
 * within $FTMATRIX_FETCH_TIMEOUT seconds (default 60). */
int fetch_text(const char *url, size_t max_bytes, struct buf *b);
int url_is_remote(const char *s);
/* The URL as messages show it: any user:password replaced by "***". */
char *url_display(const char *url);

struct publish_opts {
	const char *token; /* sent as "Authorization: Bearer"; NULL: none */
	const char *idempotency_key;
	int retries; /* after the first attempt */
};

/* POSTs a JSON document to url, redirects not followed; connection
 * failures, timeouts, 408, 429 and 5xx are retried with backoff (or the
 * server's Retry-After). 0 on a 2xx answer, with *location its Location
 * header (or NULL); else -1 after saying why, *status the last HTTP status
 * (0: none). The token never appears in a message. */
int publish_json(const char *url, const char *json, size_t len,
    const struct publish_opts *o, long *status, char **location);

/* provider-uv.c */

/* The uv to run: $FTMATRIX_UV, else uv on PATH, else the one
 * `ftmatrix uv-bootstrap` left in the cache; NULL when there is none. */
char *uv_path(void);
/* How to get uv, for messages. */
const char *uv_howto(void);

/* provider-source.c */

/* Where a tarball request ("debian:3.13", URL, path) ends up on disk. */
int source_tarball(const struct interp_spec *spec, char **path);

/* source-build.c: configure, make, make install */

#define SOURCE_LOG_TAIL 25 /* log lines shown when a build step fails */

/* ./configure's argv for a matrix entry: --enable-shared, --disable-gil
 * (free_threaded), --enable-optimizations, --with-lto,
 * --enable-experimental-jit, then the entry's own "configure" flags. */
char **source_configure_argv(const struct interp_spec *spec,
    const char *prefix);
void argv_free(char **argv);
/* Unpacks (after checking the tarball's members), configures, builds with
 * make -jNCPU and installs into prefix via a scratch directory, so a
 * half-built interpreter never appears there; everything is logged. */
int source_build(const struct interp_spec *spec, const char *tarball,
    const char *prefix, const char *log);

/* tarball.c: a tarball's members, checked before anything is unpacked */

struct tar_member {
	char type;    /* tar's letter: '-' file, 'd', 'l' symlink, 'h' hard link */
	char *name;   /* as stored */
	char *target; /* links: what they point at; else NULL */
};

/* Lists a tarball with tar (any compression tar knows). *rewritten (to
 * free, may be NULL) is set to tar's note when it listed paths with a
 * leading "/" or "../" removed, as it does for hard link targets. */
int tarball_list(const char *path, struct tar_member **m, size_t *n,
    char **rewritten);
void tar_members_free(struct tar_member *m, size_t n);
/* Whether every member stays inside the directory the archive is unpacked
 * into with --strip-components=strip: no absolute paths, no "..", no
 * symlink pointing out, nothing written through a symlink, no device
 * files. -1 and *why (to free) naming the first member that does not. */
int tarball_members_check(const struct tar_member *m, size_t n, int strip,
    char **why);
/* tarball_list + tarball_members_check; -1 with an error() when refused. */
int tarball_check(const char *path, int strip);
/* Checks, then unpacks into dir (which exists), tar's output into log. */
int tarball_unpack(const char *path, const char *dir, int strip,
    const char *log);

/* probe-build.c */

/* Compiles every probes/NAME.c against the interpreter's libpython (and each
 * probes/ext/NAME.c into ext/NAME.so beside it), cached by a fingerprint of
 * every probe source and the interpreter's build. */
int probe_build(struct interp *in);
/* $CC or cc, and its version line: a compiler upgrade rebuilds what it built. */
const char *cc_name(void);
const char *cc_version(void);

/* plan.c: which probe runs, in which order */

struct cell {
	size_t interp; /* index into the matrix's interpreters */
	size_t workload;
	size_t engine;
	int threads;
	int rep;
};

struct plan {
	struct cell *cells;
	size_t ncells;
};

/* Interleaves interpreters (A B C A B C) within each repetition so drift
 * hits all of them alike. */
void plan_make(const struct matrix *m, struct plan *p);
void plan_free(struct plan *p);
char *cell_key(const struct matrix *m, const struct cell *c);

/* probe-args.c: the probe's command line for one cell */
char **probe_argv(const struct matrix *m, const struct interp *in,
    const struct cell *c);
void probe_argv_free(char **argv);

/* results.c: results.json (jansson) */

struct machine {
	char *cpu_model, *kernel, *governor, *hostname;
	int cores;
	double loadavg1, loadavg5, loadavg15;
	long mem_total_kib;
	int smt;   /* simultaneous multithreading active; -1 unknown */
	int boost; /* turbo/boost enabled; -1 unknown */
	int aslr;  /* /proc/sys/kernel/randomize_va_space; -1 unknown */
	char *isolated; /* isolcpus list, "" when none */
};

/* How a cell's probe process used the machine (from wait4). */
struct cell_rusage {
	int present;
	double user_s, sys_s;
	long maxrss_kib;
	long voluntary_switches, involuntary_switches;
};

/* One interpreter's calibration run for a workload. */
struct calibration_point {
	char *interp;
	long iterations; /* the smallest power-of-two multiple that met it */
	double sample_ns; /* median sample at that count */
	int probes;	  /* probe processes it took */
};

/* Iterations per sample for a workload, so a sample lasts at least
 * min_time_s on every interpreter: the largest any of them needed. Every
 * thread count and interpreter then does the same work. */
struct calibration {
	char *workload;
	double min_time_s;
	long iterations;
	struct calibration_point *points;
	size_t npoints;
};

/* The noise pre-flight: is this machine quiet enough to measure on? */
struct preflight {
	int ran;
	double loadavg1;
	int cores;
	char *governor;
	double spread_cv; /* CV of a fixed CPU loop timed spread_n times */
	int spread_n;
	/* share of all CPUs' time others used during a pause; -1 unknown */
	double others_busy;
	char **warnings;
	size_t nwarnings;
};

/* The settings every cell was measured with, after command-line flags. */
struct run_settings {
	int repetitions, samples, warmup;
	int memory_interval_ms; /* 0: not sampled */
	double min_time_s;	/* 0: no calibration */
	double timeout_s;
	char *scaling;
	char *affinity; /* CPU list the probes were pinned to, or NULL */
};

struct result_interp {
	char *id, *label, *provider, *request;
	struct identity identity;
	int available;
	char *error;
};

struct result_cell {
	char *key; /* interp/workload/engine/threads/rep */
	char *interp, *workload, *engine, *group;
	int threads, rep;
	char *status; /* "ok", "failed", "timeout", "crashed", "bad-output" */
	char *error;
	char *stderr_tail;
	int exit_status;
	char *scaling;
	long iterations, work_per_thread;
	int gil_enabled_before, gil_enabled_after; /* -1 unknown */
	double *wall_ns; /* one per measured sample */
	size_t nwall;
	double *cpu_ns; /* per sample, summed over threads */
	double elapsed_s; /* probe process wall time */
	char *probe_json; /* the probe's whole output, kept verbatim */
	char *memory_json; /* cell "memory" (CONTRACT.md), NULL: not sampled */
	struct cell_rusage rusage;
};

struct resultset {
	int schema_version;
	char *ftmatrix_version;
	char *created, *updated;
	char *command; /* how to reproduce */
	char *matrix_name, *matrix_path, *matrix_text, *baseline;
	struct machine machine;
	struct result_interp *interps;
	size_t ninterps;
	struct result_cell *cells;
	size_t ncells, cells_cap;
	int complete; /* every planned cell is in */
	/* results_save adds the derived "analysis" (a bootstrap per group, so
	 * only when a run ends or stops, not after every cell) */
	int with_analysis;
	struct run_settings settings;
	struct preflight preflight;
	struct calibration *calibrations;
	size_t ncalibrations;
};

int results_load(const char *path, struct resultset *rs);
int results_save(const struct resultset *rs, const char *path);
void results_free(struct resultset *rs);
/* Fills a cell from a probe's stdout; -1 (cell marked bad-output) when it
 * is not the probe's JSON. A probe that reports an error marks the cell
 * failed; on success the status is left to the caller (exit status). */
int result_cell_parse_probe(struct result_cell *c, const char *json);
struct result_cell *results_add_cell(struct resultset *rs);
/* Forgets the last cell added (one interrupted before it measured). */
void results_drop_last(struct resultset *rs);
/* Drops every cell whose status is not "ok"; returns how many. */
size_t results_drop_failed(struct resultset *rs);
const struct result_cell *results_find(const struct resultset *rs,
    const char *key);
const struct result_interp *results_interp(const struct resultset *rs,
    const char *id);
const struct calibration *results_calibration(const struct resultset *rs,
    const char *workload);
/* Frees the parts; the structs themselves belong to the caller. */
void calibration_free(struct calibration *c);
void preflight_free(struct preflight *p);
void run_settings_free(struct run_settings *s);
/* Parses identity JSON as printed by probes/identity.py. */
int identity_parse(const char *json, struct identity *id);
/* results-extras.c: what a report reads beyond a cell's wall times, as
 * CONTRACT.md describes it: the cell's "memory" profile and the probe's
 * "metrics", "findings" and per-task "task_ns" */

struct mem_stat {
	double min, max, avg; /* KiB */
	int present;
};

struct cell_memory {
	int present, interval_ms;
	long nsamples;
	struct mem_stat rss, uss, pss;
	double (*timeline)[4]; /* t_ms, rss_kib, uss_kib, pss_kib */
	size_t ntimeline;
};

struct metric {
	char *name, *unit, *description;
	double value;
};

struct finding {
	char *id, *title, *summary, *details_json;
	char *outcome; /* "ok", "issue", "crash", "unsupported" */
};

struct cell_extras {
	struct cell_memory memory;
	struct metric *metrics;
	size_t nmetrics;
	struct finding *findings;
	size_t nfindings;
	double *task_ns; /* every measured sample's, pooled */
	size_t ntask;
	char *kind; /* the probe's "kind": "timing", "c", "finding", ... */
	char *problem; /* the first malformed member, for the warnings */
};

void cell_extras_load(const struct result_cell *c, struct cell_extras *x);
void cell_extras_free(struct cell_extras *x);

/* machine.c: CPU model, cores, kernel, governor, host, load */
void machine_capture(struct machine *m);
void machine_free(struct machine *m);

/* stats.c: descriptive statistics and bootstrap intervals */

/* Values in clusters, one per probe process, in order: sizes[i] values of
 * process i. sizes NULL (or not adding up to n): one cluster. */
struct samples {
	const double *x;
	size_t n;
	const size_t *sizes;
	size_t nclusters;
};

struct summary {
	size_t n;
	double mean, median, stdev, mad, min, max;
	double p50, p95, p99;
	double ci_lo, ci_hi; /* 95% bootstrap CI of the median */
	double cv;	     /* stdev / mean */
	size_t outliers;     /* beyond 3 MAD-sigmas of the median */
	size_t nclusters;    /* probe processes that gave values */
	double cv_between;   /* stdev of the process means / mean */
	double cv_within;    /* pooled stdev inside processes / mean */
};

struct speedup {
	double value, lo, hi; /* with its 95% bootstrap CI */
	double efficiency;    /* value / threads */
};

#define STATS_BOOTSTRAP_ROUNDS 2000
#define STATS_SEED 20241001u
/* Noise thresholds: above these a group gets a warning. */
#define STATS_CV_MAX 0.05
#define STATS_CI_MAX 0.02 /* CI half-width as a fraction of the median */

/* Percentile by linear interpolation between closest ranks (numpy's
 * default), p in [0, 100]; x need not be sorted. */
double stats_percentile(const double *x, size_t n, double p);
/* The CI resamples processes, then values within each (two-stage
 * bootstrap, seeded: the same data gives the same interval). */
void stats_summarize_samples(const struct samples *x, struct summary *s);
void stats_summarize(const double *x, size_t n, struct summary *s);
/* median(a) / median(b) with a seeded 95% bootstrap CI. */
void stats_ratio_samples(const struct samples *a, const struct samples *b,
    double *ratio, double *lo, double *hi);
void stats_ratio(const double *a, size_t na, const double *b, size_t nb,
    double *ratio, double *lo, double *hi);
/* Weak scaling: T1·N/TN; strong: T1/TN; both with CI and efficiency. */
void stats_speedup(const struct samples *t1, const struct samples *tn,
    int threads, int strong, struct speedup *sp);
/* Half the CI's width as a fraction of the median. */
double stats_ci_halfwidth(const struct summary *s);
/* A sentence saying what is too noisy and what to try, or NULL. */
char *stats_noise_warning(const struct summary *s, double cv_max,
    double ci_max);

/* analysis.c: from cells to the figures a report shows */

struct group {
	size_t interp; /* index into resultset interps */
	const char *workload, *engine;
	int threads;
	struct summary wall; /* ns per sample, over every repetition */
	size_t ncells, nfailed;
	int gil_changed; /* enabled before != after in some cell */
	int gil_enabled; /* at run time, -1 unknown */
	/* speedup against the same interpreter's 1-thread group */
	double speedup, speedup_lo, speedup_hi, efficiency;
	/* median time / baseline median time at the same thread count */
	double overhead, overhead_lo, overhead_hi;
	/* threads (or executor-threads) median time / the same count of
	 * processes (executor-processes): above 1, processes were faster */
	double vs_processes, vs_processes_lo, vs_processes_hi;
	int has_speedup, has_overhead, has_vs_processes;
	char *warning; /* too noisy to trust, and what to try; or NULL */
};

struct analysis {
	struct group *groups;
	size_t ngroups;
	size_t baseline; /* interp index, or SIZE_MAX */
	const char **workloads;
	size_t nworkloads;
	int *threads;
	size_t nthreads;
};

void analysis_make(const struct resultset *rs, struct analysis *a);
void analysis_free(struct analysis *a);
const struct group *analysis_find(const struct analysis *a, size_t interp,
    const char *workload, const char *engine, int threads);

/* report-data.c: what a report shows, computed once from a result set */

enum chart_theme { THEME_LIGHT, THEME_DARK };

struct report_opts {
	int html, csv, md, png, svg;
	int force; /* --force: write into a directory that is not ours */
	enum chart_theme theme;
	int scale; /* PNG pixels per layout pixel: 0 or 1, 2 for HiDPI */
};

struct chart_style {
	enum chart_theme theme;
	int scale;
	int png; /* also write PNGs, not only SVGs */
};

/* Per analysis group, what the charts and tables add to its wall times. */
struct group_extra {
	struct summary latency; /* per task when the probe timed tasks,
				   else per sample */
	int latency_tasks;
	int has_memory;
	/* over repetitions: min of min, mean of avg, max of max */
	struct mem_stat rss, uss, pss;
	const struct cell_memory *timeline; /* the first repetition's */
};

struct finding_cell {
	const char *outcome, *summary, *details_json; /* the worst run's */
	size_t nruns, nbad; /* runs; runs with outcome issue or crash */
};

struct finding_row {
	const char *id, *title, *workload;
	struct finding_cell *per_interp; /* outcome NULL: not run there */
};

struct metric_row {
	const char *workload, *name, *unit, *description;
	int threads; /* 0: the same at every thread count */
	double *per_interp; /* median over repetitions; NAN: not measured */
};

/* Most serious first; the report lists the last kind apart. */
enum warning_kind {
	WARN_INCOMPLETE,
	WARN_UNAVAILABLE,
	WARN_BASELINE,
	WARN_FAILED,
	WARN_GIL,
	WARN_ODD_DATA,
	WARN_MACHINE,
	WARN_CHECK_CRASHED,
	WARN_NOISY,
	WARN_NKINDS
};

struct report_warning {
	enum warning_kind kind;
	const char *label; /* as the report names it: "failed", "noisy" */
	char *text;
	const char *more;	   /* the cell's last lines of output, or NULL */
	const struct group *group; /* WARN_NOISY: the group */
	size_t seq;		   /* order of collection */
};

/* One interpreter against the baseline, over every timed workload. */
struct headline {
	size_t interp;
	size_t nover; /* workloads with a single-thread overhead */
	double over, over_lo, over_hi; /* medians of ratios and CI bounds */
	int no_ci; /* some workload had one value a side: no interval */
	double over_min, over_max;
	const char *over_min_w, *over_max_w;
	int threads; /* highest thread count with speedups; 0: none */
	size_t nspeed;
	double speedup, base_speedup; /* medians over workloads */
	int has_base_speedup;
};

struct report {
	const struct resultset *rs;
	struct analysis a;
	struct chart_style style;
	struct cell_extras *extras; /* one per cell */
	struct group_extra *gx;	    /* one per analysis group */
	char *perf; /* per workload of a: 1 timed, 2 a C probe, 0 findings */
	struct finding_row *findings;
	size_t nfindings;
	struct metric_row *metrics;
	size_t nmetrics;
	struct headline *headlines;
	size_t nheadlines;
	int any_memory, any_timeline, any_tasks;
	struct report_warning *warnings; /* by kind, see report-warnings.c */
	size_t nwarnings, nwarnings_of[WARN_NKINDS];
};

void report_make(const struct resultset *rs, const struct report_opts *o,
    struct report *r);
void report_free(struct report *r);
size_t report_interp_index(const struct resultset *rs, const char *id);
/* 0 for a correctness (findings) workload, whose times are not results */
int report_timed(const struct report *r, const char *workload);
const struct group_extra *report_gx(const struct report *r,
    const struct group *g);
/* Engines measured for a workload, in first-seen order; returns how many. */
size_t report_engines(const struct analysis *a, const char *workload,
    const char **out, size_t max);

/* report-warnings.c: what a reader should doubt before trusting a number */

void report_warnings_make(struct report *r);
void report_warnings_free(struct report *r);
/* "6 cells failed; 3 measurement groups are noisy" */
char *report_warnings_brief(const struct report *r);
/* 0 for a known-limitation check's cell: its time is not a result */
int report_cell_timed(const struct report *r, size_t cell);
/* "disabled", "changed during the run in 2 cells (see Warnings)", ... */
char *report_gil_runtime(const struct report *r, size_t interp);

/* chart.c: gnuplot, one script file per chart (never a command line built
 * from data); chart-bars.c: clustered bars; chart-time.c and
 * chart-memory.c: what each chart shows */

#define CHART_WIDTH 960 /* SVG layout, in pixels */
#define CHART_HEIGHT 560
#define CHART_PNG_WIDTH 1200 /* times the HiDPI scale */

enum chart_ink { INK_BACKGROUND, INK_TEXT, INK_MUTED, INK_GRID, INK_REFERENCE };

struct chart {
	const struct chart_style *style;
	char *name;
	struct buf dat;	 /* data blocks, addressed with "index N" */
	struct buf head; /* settings */
	struct buf plot; /* the plot clauses */
	int nblocks, nclauses;
	int height; /* SVG layout height */
};

struct bar {
	double v, lo, hi;
	int has, has_ci;
};

struct bars {
	const char *name, *title, *value_label, *cat_label;
	const char *axis_format;  /* of the value axis, gnuplot's */
	const char *value_format; /* of the labels on bars; NULL: none */
	const char *const *cats;
	size_t ncats;
	const char *const *series, *const *colour;
	const int *variant; /* fill style per series; NULL: all solid */
	size_t nseries;
	const struct bar *v; /* [series * ncats + cat] */
	double base;	     /* bars grow from here */
	int base_line, horizontal;
	double ref[2]; /* dashed reference lines, e.g. 1x and ideal */
	const char *ref_label[2];
	size_t nref;
};

/* Renders every chart of a report into dir/charts as SVG (and PNG); the
 * charts written are listed in m. */
int charts_render(const struct report *r, const char *dir,
    struct manifest *m);
/* chart-files.c: a fresh directory beside dir/charts to render into
 * (NULL and an error() when it cannot be made), and the swap that puts
 * it in place of the charts m lists, leaving other files in dir/charts
 * alone; charts_discard drops a stage that is not to be used. */
char *charts_stage(const char *dir);
int charts_commit(const char *dir, const char *stage, struct manifest *m);
void charts_discard(const char *stage);
/* Whether a chart file was written to its end: a PNG's last chunk is
 * IEND, an SVG ends with </svg>. */
int chart_file_whole(const char *path);
/* gnuplot's SVG without what only makes it bigger; drawn the same. */
char *svg_compact(const char *svg);
int svg_compact_file(const char *path);
/* The colour of interpreter i (index in rs->interps) in every chart. */
const char *chart_colour(const struct chart_style *st, size_t series);
const char *chart_ink(const struct chart_style *st, enum chart_ink ink);
/* A chart's file name without extension: "scaling-cpu_loop". */
char *chart_name(const char *kind, const char *what);
void chart_quote(struct buf *b, const char *s);
void chart_begin(struct chart *c, const struct chart_style *st,
    const char *name, const char *title);
void chart_set(struct chart *c, const char *what, const char *text);
/* Starts a data block; returns its index. */
int chart_block(struct chart *c, const char *comment);
void chart_clause(struct chart *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int chart_render(struct chart *c, const char *cdir);
void chart_key_below(struct chart *c, size_t nentries, int xlabel);
const char *chart_value_format(double top);
/* 0 threads, 1 processes, 2 executor-threads, 3 executor-processes */
int chart_engine_variant(const char *engine);
void chart_free(struct chart *c);
int chart_bars(const struct chart_style *st, const struct bars *b,
    const char *cdir);
int chart_overhead(const struct report *r, const char *cdir);
/* every workload's speedup at the highest thread count, side by side */
int chart_scaling_summary(const struct report *r, const char *cdir);
int chart_scaling(const struct report *r, const char *workload,
    const char *cdir);
int chart_engines(const struct report *r, const char *workload,
    const char *cdir);
int chart_latency(const struct report *r, const char *workload,
    const char *cdir);
int chart_memory(const struct report *r, const char *workload,
    const char *cdir);
int chart_timeline(const struct report *r, const char *workload,
    const char *cdir);

/* report.c: writes a report directory; the wording shared by its parts */

int report_write(const struct resultset *rs, const char *dir,
    const struct report_opts *opts);
/* Removes the dir/charts/ *ext (".svg") that m lists and a format list
 * did not ask for. */
void report_drop_charts(struct manifest *m, const char *ext);
const char *report_label(const struct resultset *rs, size_t interp);
/* "4.03 ms"; unit_of >= 0 picks the unit of that value instead */
char *report_duration(double ns, double unit_of);
/* The unit a duration reads best in: returns ns per unit, sets *name. */
double report_time_unit(double ns, const char **name);
/* "38.1 MiB" from KiB */
char *report_kib(double kib);
/* A metric's value in its unit: ns as a duration, bytes, counts. */
char *report_metric_value(double v, const char *unit);
const char *report_scaling(const struct resultset *rs, const char *workload);
/* the engine summaries use for a workload: threads, else the first */
const char *report_engine(const struct analysis *a, const char *workload);
/* plain-text summary sentences: one per interpreter over all workloads,
 * then memory and findings */
char **report_headlines(const struct report *r, size_t *n);

/* report-export.c: results.csv, cells.csv and summary.md */

int report_csv(const struct report *r, const char *path);
int report_cells_csv(const struct report *r, const char *path);
int report_md(const struct report *r, const char *path);

/* report-html.c: report.html (page, summary, machine, identities,
 * warnings); report-html-results.c: charts, tables, memory, findings,
 * metrics. charts_ok is 0 when gnuplot failed. */

int report_html(const struct report *r, const char *dir, int charts_ok,
    const char *path);
void html_esc(struct buf *b, const char *s);
/* report-export.c: text for a Markdown table cell (HTML escaped) */
void md_esc(struct buf *b, const char *s);
/* A CSV field, quoted when it must be; text that a spreadsheet would run
 * as a formula (= + - @, tab, CR first) gets a leading ' unless it is a
 * number. */
void csv_esc(struct buf *b, const char *s);
/* an element with escaped text; tag may carry attributes */
void html_el(struct buf *b, const char *tag, const char *text);
void html_el_own(struct buf *b, const char *tag, char *text);
void html_section(struct buf *b, const char *id, const char *title);
/* the interpreter's name with its chart colour */
void html_swatch(struct buf *b, const struct report *r, size_t interp);
/* Inlines dir/charts/<name>.svg as a figure; 0 when there is none. */
int html_figure(struct buf *b, const char *dir, const char *name,
    const char *caption);
/* The page shell around body: template, inline CSS and script. */
int html_page(const char *path, const char *title, const char *body,
    enum chart_theme theme);
void html_results(struct buf *b, const struct report *r, const char *dir,
    int charts_ok);

/* compare.c: the same workloads across result files */

enum compare_match { MATCH_AUTO, MATCH_ID, MATCH_LABEL, MATCH_KIND };

struct compare_row {
	size_t ia, ib; /* interpreter in the first file, in the second */
	const char *workload, *engine;
	int threads;
	struct summary a, b;
	double ratio, lo, hi; /* median(b) / median(a), 95% bootstrap CI */
	int verdict;	      /* -1 faster, 0 within noise, 1 slower */
	size_t seq;	      /* order of appearance in the first file */
};

/* PSS of one group in both files: the report's average over the run,
 * meaned over probe processes; KiB */
struct compare_mem_row {
	size_t ia, ib;
	const char *workload, *engine;
	int threads;
	double pss_a, pss_b;
};

/* A known-limitation check run by a paired interpreter in both files */
struct compare_finding_row {
	size_t ia, ib;
	const char *id, *title;
	const char *outcome_a, *outcome_b, *summary_b; /* the worst runs' */
};

struct compare_pair {
	const struct resultset *a, *b;
	enum compare_match match; /* how interpreters were paired */
	size_t *b_of_a; /* per interpreter of a; SIZE_MAX: none */
	struct compare_row *rows;
	size_t nrows;
	struct compare_mem_row *mem; /* compare-extras.c */
	size_t nmem;
	struct compare_finding_row *finds;
	size_t nfinds;
};

/* -1 when no interpreter of a has a counterpart in b. */
int compare_make(const struct resultset *a, const struct resultset *b,
    enum compare_match m, struct compare_pair *p);
void compare_free(struct compare_pair *p);
const char *compare_match_name(enum compare_match m);
/* "3.13.15t → 3.13.16t", or one label when both files agree */
char *compare_series(const struct compare_pair *p, size_t ia);

/* cmd-compare.c and compare-report.c: the terminal table and the report */

#define COMPARE_MAX_FILES 26 /* tagged A to Z */

struct compare_set {
	struct resultset rs[COMPARE_MAX_FILES];
	struct report rep[COMPARE_MAX_FILES]; /* memory, findings */
	const char *path[COMPARE_MAX_FILES];
	struct compare_pair pair[COMPARE_MAX_FILES]; /* [k]: k against 0 */
	size_t n;
	struct chart_style style;
	char *command;
};

const char *compare_verdict(int verdict); /* "faster", ... */
char *compare_change_text(const struct compare_row *r);
/* one sentence per paired interpreter; NULL when it has no rows */
char *compare_sentence(const struct compare_pair *p, size_t ia, char tag);
/* every paired interpreter's sentences, times then memory and checks */
char **compare_sentences(const struct compare_pair *p, char tag, size_t *n);
char *compare_file_line(const struct compare_set *s, size_t k);
int compare_report(const struct compare_set *s, const char *dir,
    const struct report_opts *o);
void compare_swatch(struct buf *b, const struct compare_set *s, size_t ia,
    const char *text);

/* compare-extras.c: memory and known-limitation checks, side by side */
void compare_extras_make(struct compare_pair *p, const struct report *ra,
    const struct report *rb);
void compare_extras_free(struct compare_pair *p);
char *compare_mem_change_text(const struct compare_mem_row *m);
/* one sentence per paired interpreter; NULL when it has nothing */
char *compare_extras_sentence(const struct compare_pair *p, size_t ia,
    char tag);
void compare_extras_print(const struct compare_pair *p, char tag);
void compare_extras_html(struct buf *b, const struct compare_set *s,
    size_t k);
void compare_extras_md(struct buf *b, const struct compare_pair *p, char tag);

/* catalog.c: the workloads under probes/workloads */

struct workload_info {
	char *name, *group, *description, *unit, *engines;
	char *measures;	  /* what a result means, e.g. "ns per call (wall)" */
	const char *kind; /* "timing", "c", "finding", "self-parallel" */
};

struct catalog {
	struct workload_info *items;
	size_t n;
};

struct catalog_group {
	const char *name, *title;
};

/* Reads each module's DESCRIPTION, GROUP, UNIT, MEASURES and ENGINES
 * constants (engines comma-separated, defaulting to what the module's kind
 * allows); sorted by group, in the order of the benchmark plan. */
int catalog_load(struct catalog *cat);
void catalog_free(struct catalog *cat);
/* "Thread synchronisation: ..." for "sync"; the name when unknown. */
const char *catalog_group_title(const char *group);
const struct workload_info *catalog_find(const struct catalog *cat,
    const char *name);

/* run.c: a matrix from provisioning to report */

struct run_opts {
	const char *outdir;
	const char *command; /* as typed, recorded for reproduction */
	int quiet, verbose;
	const char *affinity; /* --affinity: overrides the matrix */
	int strict;	      /* refuse to measure on a noisy machine */
	int retry_failed;     /* on resume, measure failed cells again */
	int force;	      /* write into a directory that is not ours */
	struct provision_opts provision;
};

/* Exit status of a run stopped by SIGINT or SIGTERM. */
#define RUN_INTERRUPTED 130

int run_matrix(const char *matrix_path, const struct run_opts *opts,
    char **report_path);

/* progress.c: a bar on a terminal, log lines elsewhere */

struct progress {
	int tty, quiet, verbose, drawn;
	size_t total, done;
	double start_s;
	/* seconds and count of finished cells, and cells left, per kind of
	 * cell (workload, engine, threads): the ETA */
	double *class_s;
	size_t *class_n, *class_left, nclasses;
	char *current;
};

void progress_begin(struct progress *p, int quiet, int verbose,
    size_t nclasses);
/* One more cell of kind cls to run. */
void progress_plan(struct progress *p, size_t cls);
void progress_start(struct progress *p, const char *what);
void progress_done(struct progress *p, size_t cls, double seconds,
    int failed, const char *summary);
/* A message line, above the bar. */
void progress_say(struct progress *p, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void progress_end(struct progress *p);

/* What the parts of one run share. */
struct run {
	const struct matrix *m;
	struct interp *in; /* m->ninterps, provisioned */
	struct resultset *rs;
	const struct run_opts *opts;
	const char *results_path;
	struct cpus cpus; /* valid when pinned */
	int pinned;
	struct progress progress;
};

/* One probe process. memory: a profile to fill, or NULL. */
struct probe_request {
	size_t workload, engine; /* indexes into the matrix */
	int threads, samples, warmup;
	long iterations;
	struct memory_profile *memory;
};

int run_probe(const struct run *r, const struct interp *in,
    const struct probe_request *q, struct proc_result *res);
/* Iterations per sample for a workload: the matrix's, or calibrated. */
long run_iterations(const struct run *r, size_t workload);
/* Saves results.json; -1 with a message saying nothing was lost. */
int run_save(struct run *r);

/* calibrate.c: iterations per sample so a sample lasts min_time */

/* Calibrates each workload that needs it and has no calibration in the
 * results yet; 0, -1 (results could not be saved), RUN_INTERRUPTED. */
int calibrate_all(struct run *r);

/* preflight.c: is the machine quiet enough to measure on? */

/* Fills p; returns how many warnings are about noise (--strict refuses
 * them). pinned: the probes' CPUs, or NULL. */
/* Busy (steal included) and total ticks of all CPUs from a /proc/stat */
int cpu_ticks(const char *path, unsigned long long *busy,
    unsigned long long *total);
/* The share of all CPUs' time others used while we slept; -1 unknown */
double others_busy_share(const char *stat_path, double pause_s);
#define PAUSE_S 0.5	     /* how long to watch the others' CPU use */
#define OTHERS_BUSY_MAX 0.10 /* of all CPUs' time, during the pause */
int preflight_run(struct preflight *p, const struct machine *mc,
    const struct matrix *m, const struct cpus *pinned);

/* resume.c: may old cells stay beside new ones? */

/* Refuses (-1, with the reason) when settings, interpreters or work per
 * sample changed for cells the old results hold, or a cell is no longer
 * planned. */
int resume_check(const struct resultset *old, const struct matrix *m,
    const struct run_settings *now, const char *path);
/* The same after provisioning: each interpreter is still the same build. */
int resume_check_identities(const struct resultset *old,
    const struct resultset *rs, const char *path);

/* cmd-*.c: subcommands, dispatched from main.c */

int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_interpreters(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_uv_bootstrap(int argc, char **argv);
int cmd_compare(int argc, char **argv);
/* cmd-report.c: flags shared with compare; -1 and a message when bad */
int report_formats_parse(const char *list, struct report_opts *o);
int report_theme_parse(const char *s, struct report_opts *o);
