/* ftmatrix: free-threaded CPython against GIL builds, measured. */

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define FTMATRIX_VERSION "0.1.0"
/* 1: first release. 2: cell memory and rusage, settings, preflight,
 * calibration and the derived analysis. 3: the matrix's planned workload
 * names, and an analysis whole enough to be read back. Files of versions
 * 1 and 2 still load (results-upgrade.c). */
#define RESULTS_SCHEMA_VERSION 3

/* buf.c: a growable string; calls nothing else of ours */

struct buf {
	char *data; /* always NUL-terminated once anything was added */
	size_t len, cap;
};
void buf_add(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_printf(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
const char *buf_str(struct buf *b); /* "" when empty */
void buf_reset(struct buf *b); /* empty again, its memory kept */
char *buf_detach(struct buf *b);
void buf_free(struct buf *b);

/* util.c: messages (made safe by term.c), allocation that dies on
 * failure, files, paths, clocks and parsing numbers */

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
/* Appends s (now the array's) to an array of n strings, such as a
 * report's sentences. */
void strv_push(char ***v, size_t *n, char *s);
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
/* "5%" or 0.05 (from 0 to 1), and plain seconds ("90", "0.5"): -1 when
 * s is not one. */
int fraction_parse(const char *s, double *out);
int seconds_parse(const char *s, double *out);
/* Removes a directory tree; used for failed builds and temp dirs. */
int remove_tree(const char *path);
/* Where probes/, reports/ and scripts/ live: $FTMATRIX_DATADIR, else next to
 * the binary's source tree, else the installed share directory. */
const char *data_dir(void);
double now_mono_s(void);
char *time_iso8601(void); /* UTC, e.g. 2026-11-23T09:00:00Z */
char *time_stamp(void);	  /* for directory names: 20261123-090000 */
/* Last n lines of s, as a new string. */
char *text_tail(const char *s, int lines);
int parse_long(const char *s, long *out);
int parse_double(const char *s, double *out);

/* sha256.c: lowercase hex sha256 of a buffer or a file (64 chars + NUL) */
void sha256_hex(const void *data, size_t len, char out[65]);
int sha256_file(const char *path, char out[65]);

/* url.c: what a URL is, as curl's URL parser reads it, and how messages
 * show it */

/* Whether url is http or https; plain http; and whether its host is this
 * machine (an IPv4 literal in 127.0.0.0/8, [::1] or exactly
 * "localhost"). */
int url_is_http(const char *url);
int url_is_plain_http(const char *url);
int url_is_loopback(const char *url);
/* http://, https:// or file://: something to fetch, not a path */
int url_is_remote(const char *s);
/* The URL as messages show it: any user:password replaced by "***". */
char *url_display(const char *url);

/* cmdline.c: "ftmatrix run m.yaml -o d", shell-quoted and without a URL's
 * password, as results and reports record it */
char *command_line(int argc, char **argv);

/* suggest.c: "did you mean" */

/* The index of the name s is a likely misspelling of, else -1: at most two
 * edits away, or one holding the other ("int_arith" for "int_arithmetic").
 * NULL names are skipped. */
int name_suggest(const char *s, const char *const *names, size_t n);
int name_index_exact(const char *s, const char *const *names, size_t n);

/* usage.c: a bad command line gets the error and the usage synopsis (the
 * usage text up to its first blank line), not the whole help */

struct option;
void usage_synopsis(const char *cmd, void (*usage)(FILE *));
/* After getopt_long returned '?' (opterr is 0, main.c sets it): names the
 * unknown option (with a "did you mean") or the one missing its value;
 * returns 2, the exit status of a usage error. */
int usage_bad_option(char **argv, const char *shortopts,
    const struct option *longopts, void (*usage)(FILE *));
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
/* 1 and *value (if not NULL) set when key is in the set, else 0. */
int strset_find(const struct strset *set, const char *key, size_t *value);
void strset_free(struct strset *set);

/* json.c: JSON values and documents; the one wrapper of jansson (whose
 * value type stays opaque outside json.c and the results-*.c files) */

typedef struct json_t json_t;

/* Making values: NULL, non-finite numbers and -1 tristates become null. */
json_t *jv_str(const char *s);
json_t *jv_tristate(int v);
json_t *jv_bool(int v);
json_t *jv_num(double v); /* integral values as integers */
json_t *jv_doc(const char *text); /* embedded JSON text as a value */
json_t *jv_real(double v);
json_t *jv_array(const double *x, size_t n);
json_t *jv_object(void);
json_t *jv_list(void);
json_t *jv_set(json_t *o, const char *key, json_t *v); /* takes v */
void jv_append(json_t *a, json_t *v); /* takes v */
void jv_free(json_t *v);

/* Where and why a text is not JSON. */
struct jv_error {
	int line, column;
	char text[160];
};
json_t *jv_parse(const char *text, struct jv_error *e);
json_t *jv_file_load(const char *path, struct jv_error *e);
enum { JV_SORTED = 1, JV_COMPACT = 2 }; /* else indented, in order */
char *jv_dump(const json_t *v, int flags);

/* The items of an array, one at a time: from a value in memory, or read
 * from the text as they are asked for, each freed when the next is. */
struct jv_items {
	json_t *array, *cur;
	size_t i;
	const char *text;
	size_t len, pos, end; /* end: just past the array's ']' */
	int started;
	int bad; /* the text is no array of JSON values: read it whole */
	const char *item; /* the text of the item read last; NULL in memory */
	size_t item_len;
};
/* A document but for one array member, left empty there and read item by
 * item from *items (a results file's cells are nearly all of it, and a
 * document in memory takes ten times its size). NULL when the text is not
 * one object without a repeated key: reading it whole says why. The text
 * must outlive the items. */
json_t *jv_outline(const char *text, size_t len, const char *member,
    struct jv_items *items);
void jv_items_of(struct jv_items *it, json_t *array);
json_t *jv_items_next(struct jv_items *it); /* NULL at the end */
void jv_items_free(struct jv_items *it);

/* Reading without complaint: NULL, 0 or "missing" for the wrong type. */
int jv_is_object(const json_t *v);
int jv_is_list(const json_t *v);
int jv_is_number(const json_t *v);
size_t jv_len(const json_t *a); /* 0 when not a list */
json_t *jv_at(const json_t *a, size_t i);
json_t *jv_get(const json_t *o, const char *key);
double jv_number(const json_t *v);
const char *jv_string(const json_t *v);
const char *jv_get_str(const json_t *o, const char *key);

/* Reading with errors that name the file, the place and the member: a
 * missing member or null leaves the default; a member of the wrong type is
 * an error (the first one only is printed). */
struct reader {
	const char *path;
	const char *where; /* "cell 3 (3.13t/...)" or "" */
	int failed;
	struct strset cell_keys; /* results.json: the keys of the cells read */
	struct strset interp_ids; /* results.json: the interpreters' ids */
	struct strset workloads;  /* results.json: the planned workloads */
	/* the text of the object being read (a cell of results.json): its
	 * documents are kept as written there; NULL: written out again */
	const char *text;
	size_t len;
};

void rd_bad(struct reader *r, const char *member, const char *expected);
char *rd_str(struct reader *r, json_t *o, const char *name);
char *rd_text(struct reader *r, json_t *o, const char *name);
long rd_int(struct reader *r, json_t *o, const char *name, long dflt);
int rd_bool(struct reader *r, json_t *o, const char *name, int dflt);
double rd_real(struct reader *r, json_t *o, const char *name, double dflt);
char *rd_doc(struct reader *r, json_t *v, const char *name);
double *rd_numbers(struct reader *r, json_t *v, const char *name, size_t *n);

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

/* parallel.c: independent work spread over the online CPUs */

/* At most this many threads, however many CPUs there are. */
#define PARALLEL_MAX_THREADS 16
/* fn(ctx, i) for every i below n, on up to one thread per online CPU;
 * returns when all are done. fn must touch only what piece i owns. */
void parallel_for(size_t n, void (*fn)(void *ctx, size_t i), void *ctx);

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

/* cache.c: the cache directory, ours alone */

/* $FTMATRIX_CACHE, else $XDG_CACHE_HOME/ftmatrix, else ~/.cache/ftmatrix;
 * made 0700 when missing. Exits with the reason when $HOME is unset too,
 * or when it, a parent it made or one above is another user's or others
 * can write to it. */
const char *cache_dir(void);
/* Opens (creating) a lock file with flags, never through a symlink; -1
 * with the error said. */
int lock_file_open(const char *path, int flags);

/* interrupt.c: SIGINT/SIGTERM set the flag instead of killing us, so a
 * command that installs it can save what it has and stop */

void interrupt_install(void);
extern volatile int interrupted;

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
/* Leaves the variable name out of every child's environment from now on
 * ($FTMATRIX_TOKEN always is); name must outlive the process. */
void proc_env_hide(const char *name);
void proc_result_free(struct proc_result *res);
/* A short description: "exit status 1", "killed by signal 11 (SIGSEGV)". */
char *proc_describe(const struct proc_result *res);
/* Every other command: SIGINT, SIGTERM and SIGHUP kill the running child's
 * process group, then us (main.c installs it before any command runs). */
void proc_signals_install(void);

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

/* How the probe loads a workload's module: imported (by its name), or run
 * as the __main__ script the way `python script.py` compiles it (on
 * free-threaded builds the two differ in which constants are immortal). */
enum load_mode { LOAD_UNSET, LOAD_IMPORT, LOAD_MAIN };
/* A workload entry that says how to load it is keyed NAME@main (or
 * NAME@import) in plans and results, so one module can be measured both
 * ways in one matrix; the key comes from the entry's text alone. */
#define WORKLOAD_LOAD_SEP '@'

struct workload_spec {
	char *name;   /* the key results use: the module, plus "@LOAD" */
	char *module; /* the module under probes/workloads */
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
	/* matrix-user.c: a user's module, not the catalog's */
	char *path; /* as the entry gave it */
	int path_line, path_col;
	int override_catalog; /* may have a catalog workload's name */
	char *module_file;    /* the file measured; NULL: the catalog's */
	char *module_dir;     /* the directory the probe imports it from */
	/* the entry's "load", else the module's LOAD (catalog), else unset:
	 * the probe imports */
	enum load_mode load;
	int load_given;
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
	/* a sample whose drift snippet ran this much slower than the
	 * interpreter's fastest is disturbed; 0: no drift snippet */
	double drift_threshold;
	int extra_samples; /* per probe process, to replace disturbed ones */
	/* add rounds until every ratio's 95% CI half-width is at most this
	 * fraction (0: the planned rounds only), within max_time_s */
	double target_ci;
	double max_time_s;
	char **workloads_dirs;	/* as the matrix gives them */
	size_t nworkloads_dirs;
};

#define DRIFT_THRESHOLD_DEFAULT 0.25
enum { DISTURBED_NO, DISTURBED_SLOW_PHASE, DISTURBED_DESCHEDULED };

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
/* matrix-cli.c: what `run` flags say about the matrix */
struct matrix_overrides {
	const char *const *pythons; /* --python [ID=]SPEC */
	size_t npythons;
	const char *const *workloads; /* -w NAME or FILE.py */
	size_t nworkloads;
	const char *const *workloads_dirs; /* --workloads DIR */
	size_t nworkloads_dirs;
	const char *threads; /* "1,2,4" */
	const char *repetitions, *samples;
};
/* A matrix from flags alone, as YAML text. */
char *matrix_cli_text(const struct matrix_overrides *o);
/* A matrix file's text with the flags' changes; NULL when it is not a
 * YAML mapping (the parser then says what is wrong). */
char *matrix_override_text(const char *name, const char *text, size_t len,
    const struct matrix_overrides *o);
int matrix_overrides_any(const struct matrix_overrides *o);

/* matrix.c, its other entry: the same as matrix_open with more:
 * --workloads directories searched first, a matrix built from the command
 * line (text, named path in messages), or a file's with the command
 * line's changes. */
struct matrix_input {
	const char *path;
	const char *text; /* NULL: read path */
	const char *const *workloads_dirs;
	size_t nworkloads_dirs;
	const struct matrix_overrides *overrides; /* with path, or NULL */
};
int matrix_open_input(const struct matrix_input *in, struct matrix *m);
/* A workload entry's parts (matrix_free frees every entry's). */
void workload_spec_free(struct workload_spec *w);
void matrix_free(struct matrix *m);

/* matrix-interp.c: the "interpreters" list, as the rest of the program
 * reads it */

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

/* matrix-trust.c: what a matrix from a URL may ask for */

/* Unless trusted, a matrix read from an http(s) path may only use uv
 * requests and source tarballs over https with a sha256 (or debian:);
 * says what else it asks for, each at file:line:col, and returns how many
 * interpreters ask for more (0: it may run). */
int matrix_trust_check(const struct matrix *m, const char *path,
    int trusted);

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
/* Parses identity JSON as printed by probes/identity.py. */
int identity_parse(const char *json, struct identity *id);
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
	/* --trust-matrix: a matrix from a URL may ask for anything */
	int trust_matrix;
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
	/* where the provider got it, when it says more than the request
	 * (uv: its key, variant and mirror); NULL otherwise */
	char *origin;
};

struct provider {
	enum provider_kind kind;
	/* Finds or installs the interpreter; sets *python to its executable
	 * and may set *origin (see struct interp). */
	int (*locate)(const struct interp_spec *spec,
	    const struct provision_opts *opts, char **python, char **origin);
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

/* fetch.c: downloads (libcurl; fetch.h shares its setup with publish.c) */

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

/* publish.c: results POSTed to a server (libcurl, set up as fetch.c does) */

struct publish_opts {
	const char *token; /* sent as "Authorization: Bearer"; NULL: none */
	const char *idempotency_key;
	int retries; /* after the first attempt */
};

/* POSTs a JSON document to url, redirects not followed; connection
 * failures, timeouts, 408, 429 and 5xx are retried with backoff (or the
 * server's Retry-After). 0 on a 2xx answer, with *location its Location
 * header (or NULL); else -1 after saying why, *status the last HTTP status
 * (0: none). The token never appears in a message nor in *location, even
 * when the server echoes it; a loopback URL is reached without a proxy. */
int publish_json(const char *url, const char *json, size_t len,
    const struct publish_opts *o, long *status, char **location);

/* `publish`: a results file sent as it is, once it loads as results */
struct publish_request {
	const char *path, *url;
	const char *token_env; /* the variable holding the token */
	int token_env_given;   /* named by the user: it must be set */
	int partial;	       /* an unfinished run may be sent */
	int retries;
};
/* Checks the token (never over plain http but to this machine), hides it
 * from every child, POSTs the file and prints the server's Location on
 * stdout; -1 after saying why. */
int publish_file(const struct publish_request *rq);

/* provider-uv.c: interpreters from uv (uv python install, find, list) */

/* The uv to run: $FTMATRIX_UV, else uv on PATH, else the pinned uv that
 * `make deps` or `ftmatrix uv-bootstrap` put in the cache
 * (tools/uv-VERSION/uv); NULL when there is none. */
char *uv_path(void);
/* How to get uv, for messages. */
const char *uv_howto(void);

/* uv-pin.c: the uv ftmatrix pins (scripts/uv-pin, shared with
 * scripts/install-uv) */

struct uv_pin {
	char *version; /* "0.13.9" */
	char *wheel;   /* the PyPI wheel's file name (x86_64 Linux) */
	char *sha256;  /* of that wheel */
};

int uv_pin_read(struct uv_pin *pin);
void uv_pin_free(struct uv_pin *pin);
/* Where the pinned uv goes in the cache: CACHE/tools/uv-VERSION. */
char *uv_tools_dir(const char *version);

/* uv-bootstrap.c: uv from its PyPI wheel into the cache */

/* The wheel at url (https or file; NULL: the pinned one, which pip
 * downloads from the index it is set up to use) checked against
 * sha (NULL: the pinned one, when url is the pinned wheel), unpacked into
 * uv_tools_dir and asked its version; *installed is the uv binary's path.
 * Already there and !force: that one. -1 after the message. */
int uv_bootstrap(const char *url, const char *sha, int force, char **installed);

/* relocate.c: a copy of an installed CPython prefix that runs from
 * anywhere, as python-build-standalone's do */

/* What the interpreter's sysconfig says about how it was built. */
struct build_vars {
	char *prefix;	 /* the configured prefix, baked into its files */
	char *builddir;	 /* abs_builddir, "" when unknown */
	char *version;	 /* VERSION, "3.13" */
	char *ldversion; /* LDVERSION, "3.13t" */
};

int build_vars_read(const char *python, struct build_vars *v);
void build_vars_free(struct build_vars *v);
/* Copies v->prefix to dest (which must not exist) relocated: $ORIGIN run
 * paths (patchelf), the prefix made /install and the build tree /build,
 * debug info stripped, scripts that run the interpreter next to them;
 * without the test suite, bytecode caches and static libraries. -1 when
 * anything in the copy still names the prefix or the build tree. */
int relocated_copy(const struct build_vars *v, const char *dest);
/* Runs a tool, its stdout appended to out (may be NULL); -1 and its last
 * lines of stderr when it fails. */
int tool_run(char *const *argv, struct buf *out);
/* text with every occurrence of from replaced by to. */
char *text_replace(const char *text, const char *from, const char *to);

/* uv-mirror.c: interpreters built here as an offline uv mirror, in
 * python-build-standalone's install_only layout and naming, with the
 * downloads JSON uv reads (UV_PYTHON_DOWNLOADS_JSON_URL) */

#define UV_MIRROR_JSON "download-metadata.json"

struct uv_mirror;
/* Opens DIR (made if need be), keeping the entries of a JSON already there. */
struct uv_mirror *uv_mirror_open(const char *dir);
/* Packs a provisioned source build, relocated, as DIR/BUILD/NAME.tar.gz and
 * adds it to the JSON under uv's key, with the archive's sha256. */
int uv_mirror_add(struct uv_mirror *mi, const struct interp *in);
/* Writes the JSON (when save is set) and frees. */
int uv_mirror_close(struct uv_mirror *mi, int save);

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

/* shard.c: a share of the plan, cut by workload */

struct resultset;

#define SHARD_MAX 1000
/* the estimate when no costs file gives a workload's measured time */
#define SHARD_PROBE_START_S 0.3 /* a probe process, interpreter start-up */
#define SHARD_ITERATION_S 1e-7	/* one iteration, no calibration */

struct shard {
	int index, count; /* "K/N", 1-based; count 0: the whole plan */
};

/* "K/N" with 1 <= K <= N <= SHARD_MAX; -1 when it is not. */
int shard_parse(const char *text, struct shard *s);
/* Seconds to measure every cell of workload w: from the cells of costs
 * (a results file every job is given) when it has them, else estimated
 * from the matrix (samples, min_time or iterations, cells). */
double shard_workload_cost(const struct matrix *m, size_t w,
    const struct resultset *costs);
/* shard_of[w] (0-based) for every workload, load_s[k] each shard's cost:
 * most expensive workload first, to the least loaded shard. */
void shard_assign(const struct matrix *m, int count,
    const struct resultset *costs, int *shard_of, double *load_s);
/* Leaves in m only the workloads of shard s; returns its cost. */
double matrix_keep_shard(struct matrix *m, const struct shard *s,
    const struct resultset *costs);
struct run_opts;
struct shard_info;
/* run: matrix_keep_shard for --shard (and --shard-costs), recorded in s */
int shard_cut(struct matrix *m, const struct run_opts *opts,
    struct shard_info *s);
/* A results file resumes only as the same shard, or the whole plan. */
int shard_resume_check(const struct resultset *old,
    const struct shard_info *now, const char *path);

/* probe-args.c: the probe's command line for one cell */
char **probe_argv(const struct matrix *m, const struct interp *in,
    const struct cell *c);
void probe_argv_free(char **argv);
/* Adds the drift snippet's options (threshold 0: --no-drift). */
char **probe_argv_drift(char **argv, double threshold, double ref_ns,
    int extra_samples);

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
	/* 0 in results from before the drift snippet */
	double drift_threshold;
	int extra_samples;
	double target_ci; /* 0: none */
	double max_time_s;
};

struct result_interp {
	char *id, *label, *provider, *request;
	char *origin; /* struct interp's */
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
	/* per sample: the drift snippet's slowest time around it (0: not
	 * measured), and what the probe found (DISTURBED_*); NULL for
	 * probes and results without a drift snippet */
	double *drift_ns, *disturbed;
	/* probe processes of this cell that were replaced, and why:
	 * {"processes": [{reason, samples, median_ns, drift_reference_ns}]},
	 * or NULL */
	char *replaced_json;
	double elapsed_s; /* probe process wall time */
	char *probe_json; /* the probe's whole output, kept verbatim */
	/* cell "memory" (probes/CONTRACT.md), NULL: not sampled */
	char *memory_json;
	struct cell_rusage rusage;
	/* what the report reads of probe_json and memory_json, worked out
	 * when the cell was read from results.json; NULL for a cell just
	 * measured (results-extras.c) */
	struct cell_extras *extras;
};

/* results-probe.c: the probe's JSON report into a cell */

/* Fills a cell from a probe's stdout; -1 (cell marked bad-output) when it
 * is not the probe's JSON. A probe that reports an error marks the cell
 * failed; on success the status is left to the caller (exit status). */
int result_cell_parse_probe(struct result_cell *c, const char *json);

/* results-shards.c: the part of the plan a file holds, and the machines a
 * merged file's cells ran on */
struct shard_info {
	int index, count; /* count 0: the whole plan; merged files: index 0 */
	char **workloads; /* a shard's: the workloads it measured */
	size_t nworkloads;
	double estimated_s; /* the cost the cut gave it */
	int *merged;	    /* a merged file's: the shards it joined */
	size_t nmerged;
};

/* One machine of a merged file whose shards ran on different machines. */
struct result_host {
	struct machine machine;
	int *shards; /* the shards measured there */
	size_t nshards;
	char **workloads;
	size_t nworkloads;
};

void shard_info_free(struct shard_info *s);
void result_host_free(struct result_host *h);
/* The host a workload's cells ran on; NULL when the file has no hosts. */
const struct result_host *results_host(const struct resultset *rs,
    const char *workload);
/* A merged file's missing shards, "2, 4"; NULL when none is. */
char *results_missing_shards(const struct resultset *rs);

struct resultset {
	int schema_version;
	char *ftmatrix_version;
	char *created, *updated;
	char *command; /* how to reproduce */
	char *matrix_name, *matrix_path, *matrix_text, *baseline;
	/* what the command line changed in the matrix file, as typed; NULL:
	 * nothing (run-cli.c) */
	char *overrides;
	/* the user's modules measured: JSON {name: {path, sha256, text}} */
	char *workload_files;
	struct machine machine;
	struct result_interp *interps;
	size_t ninterps;
	struct result_cell *cells;
	size_t ncells, cells_cap;
	int complete; /* every planned cell is in */
	/* the workloads the matrix plans, in its order: the names its text's
	 * "workloads" list gives; every cell's workload is one of them */
	char **workloads;
	size_t nworkloads;
	/* the derived analysis, owned; NULL: none. results_save writes it
	 * when set (run sets it when a run ends or stops, not after every
	 * cell: it bootstraps every group); results_load reads it back from
	 * a file of this version. */
	struct analysis *analysis;
	struct run_settings settings;
	struct preflight preflight;
	struct calibration *calibrations;
	size_t ncalibrations;
	char *matrix_sha256; /* of matrix_text: which matrix, for merge */
	struct shard_info shard;
	struct result_host *hosts; /* nhosts > 1 only in merged files */
	size_t nhosts;
};

/* results.c: results.json read and written (jansson through json.c and
 * results-json.h), and a result set's cells looked up */

int results_load(const char *path, struct resultset *rs);
int results_save(const struct resultset *rs, const char *path);
void results_free(struct resultset *rs);
struct result_cell *results_add_cell(struct resultset *rs);
/* Frees a cell's parts and empties it, to be filled again. */
void result_cell_clear(struct result_cell *c);
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
/* results-upgrade.c: what a file of an older version lacks, derived from
 * what it has (the planned workloads from the matrix text: the one place
 * reading results parses YAML); -1 after an error naming path. */
int results_upgrade(const char *path, struct resultset *rs);

/* results-sections.c: the sections beyond the flat field tables (machine,
 * settings, pre-flight, calibration, memory, a user's module) */
/* Frees the parts; the structs themselves belong to the caller. */
void calibration_free(struct calibration *c);
void preflight_free(struct preflight *p);
void run_settings_free(struct run_settings *s);
/* The profile as cell "memory" JSON text. */
char *memory_profile_json(const struct memory_profile *mp);
/* a user's module as recorded */
struct workload_file {
	char *name, *path, *text; /* text NULL: not UTF-8, not kept */
	char sha256[65];
};
/* Reads them back (for the report); NULL when there are none. */
struct workload_file *workload_files_load(const char *json, size_t *n);
void workload_files_free(struct workload_file *f, size_t n);
/* results-extras.c: what a report reads beyond a cell's wall times, as
 * probes/CONTRACT.md describes it: the cell's "memory" profile and the probe's
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

/* results-workers.c: what a cell's workers spent, summed over workers and
 * measured samples (the probe's per-worker arrays and "worker_counters");
 * a member an older probe did not write is marked missing */

enum {
	WORKER_TASK_CLOCK,
	WORKER_CONTEXT_SWITCHES,
	WORKER_CPU_MIGRATIONS,
	WORKER_PAGE_FAULTS,
	WORKER_CYCLES,
	WORKER_INSTRUCTIONS,
	WORKER_CACHE_MISSES,
	WORKER_COUNTERS_N
};

struct cell_workers {
	int present; /* per-worker wall and CPU times */
	int nworkers;
	size_t nsamples;
	double wall_ns, cpu_ns;
	int has_switches, has_runq;
	double vcsw, ivcsw; /* voluntary, involuntary context switches */
	double runq_ns;	    /* runnable, waiting for a CPU */
	int has_counter[WORKER_COUNTERS_N];
	double counter[WORKER_COUNTERS_N]; /* perf_event totals */
	char *absent; /* "cycles (reason); ..." or NULL */
};

/* From the probe's report, parsed (any JSON value: not an object, none). */
void cell_workers_read(struct cell_workers *w, json_t *probe);
void cell_workers_free(struct cell_workers *w);
/* "task_clock_ns", "cycles", ... as the probe names them */
const char *worker_counter_name(int id);

/* results-extras.c, continued: a cell's extras, read once from its probe's
 * report */

struct cell_extras {
	struct cell_memory memory;
	struct cell_workers workers;
	struct metric *metrics;
	size_t nmetrics;
	struct finding *findings;
	size_t nfindings;
	double *task_ns; /* every measured sample's, pooled */
	size_t ntask;
	char *load; /* how the probe loaded the workload: "import", "main" */
	char *kind; /* the probe's "kind": "timing", "c", "finding", ... */
	char *unit; /* the workload's UNIT, "iterations"; NULL: not said */
	char *problem; /* the first malformed member, for the warnings */
};

/* A cell's extras: the ones worked out when the cell was read from
 * results.json (the cell's own, lent), else read from its probe_json and
 * memory_json now. Give them back with cell_extras_release. */
void cell_extras_load(const struct result_cell *c, struct cell_extras *x);
void cell_extras_release(const struct result_cell *c, struct cell_extras *x);
/* Works a cell's extras out from its "probe" and "memory" as read from
 * results.json (after its fields), into c->extras: the report does not
 * read each probe's output a second time. */
void cell_extras_keep(struct result_cell *c, json_t *probe, json_t *memory);
void cell_extras_free(struct cell_extras *x);

/* machine.c: CPU model, cores, kernel, governor, host, load */
void machine_capture(struct machine *m);
void machine_free(struct machine *m);

/* stats.c: descriptive statistics and bootstrap intervals */

/* Half the CI's width as a fraction of value; NAN without a CI. */
double precision_of(double value, double lo, double hi);

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
/* stats_summarize without the bootstrap (ci_lo and ci_hi are NAN), for
 * what prints no interval: 2,000 rounds less per call. */
void stats_describe(const double *x, size_t n, struct summary *s);
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

/* drift.c: which samples a slow phase of the machine disturbed */

/* The fastest drift snippet per interpreter and thread count. */
struct drift_refs {
	char **interp;
	int *threads;
	double *ref_ns;
	size_t n;
	double threshold; /* the run's drift_threshold; 0: as the probe said */
};

/* A cell whose probe succeeded: only its samples can count. */
int cell_ok(const struct result_cell *c);
void drift_refs_make(const struct resultset *rs, struct drift_refs *d);
void drift_refs_add_cell(struct drift_refs *d, const struct result_cell *c);
void drift_refs_note(struct drift_refs *d, const char *interp, int threads,
    double drift_ns);
/* 0 when none was seen */
double drift_refs_get(const struct drift_refs *d, const char *interp,
    int threads);
/* DISTURBED_* for sample i of c, judged against the whole run. */
int drift_sample_state(
    const struct drift_refs *d, const struct result_cell *c, size_t i);
/* The samples of c that count, copied to out (when not NULL); how many. */
size_t drift_cell_kept(const struct drift_refs *d, const struct result_cell *c,
    double *out);
void drift_refs_free(struct drift_refs *d);

/* precision.c: which ratios are wider than a precision target */

/* A group that another round of probe processes should add to. */
struct precision_need {
	size_t interp; /* index into the result set's interpreters */
	const char *workload, *engine;
	int threads;
};

struct analysis;
/* The groups behind every ratio wider than target (each ratio's own
 * group and the one it is measured against), interpreters innermost;
 * *out is malloc'd. *nratios: how many ratios missed the target. */
size_t precision_unmet(const struct resultset *rs, const struct analysis *a,
    double target, struct precision_need **out, size_t *nratios);

/* pairing.c: overhead from time-adjacent probe processes */

/* A group's cells: indexes into rs->cells, in file order. */
struct cell_list {
	const size_t *cell;
	size_t n;
};
/* The median over repetitions k of (g's median / base's median) in
 * repetition k, with a bootstrap CI over pairs; -1 with fewer than two
 * pairs. */
int pairing_overhead(const struct resultset *rs, const struct drift_refs *d,
    struct cell_list g, struct cell_list base, double *value, double *lo,
    double *hi);

/* results-analysis.c: the analysis as data, looked up per workload */

struct analysis;
/* Builds the workload index of a's groups (ordered by workload); -1 when
 * they are not in the order of a's workloads. */
int analysis_index(struct analysis *a);
/* The index of workload in a's workloads; SIZE_MAX when none. */
size_t analysis_workload(const struct analysis *a, const char *workload);
/* The groups of one workload (*n of them, contiguous). */
const struct group *analysis_groups_of(const struct analysis *a,
    const char *workload, size_t *n);
const struct group *analysis_find(const struct analysis *a, size_t interp,
    const char *workload, const char *engine, int threads);
void analysis_copy(struct analysis *dst, const struct analysis *src);
void analysis_free(struct analysis *a);
/* 1 when a was made from rs as it is: the same baseline and as many
 * cells in its groups as rs has cells of its interpreters. */
int analysis_fits(const struct analysis *a, const struct resultset *rs);

/* analysis.c: from cells to the figures a report shows */

struct group {
	size_t interp; /* index into resultset interps */
	const char *workload, *engine;
	int threads;
	struct summary wall; /* ns per sample, over every repetition */
	size_t ncells, nfailed;
	/* samples measured, and left out as disturbed (slow phase of the
	 * machine, descheduled); probe processes replaced during the run,
	 * and ok ones left out because no sample of theirs counted */
	size_t nsamples, nslow, ndescheduled, nreplaced, nleft_out;
	int all_disturbed; /* nothing counted: every sample is used */
	/* its speedup or overhead is not given: every sample of it or of
	 * what it is measured against was disturbed (never a confident
	 * wrong number) */
	int speedup_unresolved, overhead_unresolved;
	int gil_changed; /* enabled before != after in some cell */
	int gil_enabled; /* at run time, -1 unknown */
	/* speedup against the same interpreter's 1-thread group */
	double speedup, speedup_lo, speedup_hi, efficiency;
	/* median time / baseline median time at the same thread count */
	double overhead, overhead_lo, overhead_hi;
	/* the same from time-adjacent probe processes (pairing.c), kept for
	 * comparison */
	double overhead_paired, overhead_paired_lo, overhead_paired_hi;
	int has_overhead_paired;
	/* threads (or executor-threads) median time / the same count of
	 * processes (executor-processes): above 1, processes were faster */
	double vs_processes, vs_processes_lo, vs_processes_hi;
	int has_speedup, has_overhead, has_vs_processes;
	char *warning; /* too noisy to trust, and what to try; or NULL */
	/* units of n each worker ran per sample (the cells' work_per_thread),
	 * the same in every ok cell; 0 when unknown or mixed */
	long units;
};

struct analysis {
	struct group *groups;
	size_t ngroups;
	size_t baseline; /* interp index, or SIZE_MAX */
	const char **workloads;
	size_t nworkloads;
	int *threads;
	size_t nthreads;
	/* by results-analysis.c's analysis_index: workload name to its
	 * index; the groups of workload w are [workload_groups[w],
	 * workload_groups[w + 1]) */
	struct strset workload_index;
	size_t *workload_groups;
};

void analysis_make(const struct resultset *rs, struct analysis *a);
/* analysis_make into a malloc'd analysis, as rs->analysis holds one */
struct analysis *analysis_new(const struct resultset *rs);
/* ns per unit of work from ns per sample; NAN when units are unknown */
double group_per_unit(const struct group *g, double wall_ns);
/* A cell's units of n per worker and sample: work_per_thread, else what
 * iterations, threads and scaling give; 0 when unknown. */
long cell_units(const struct result_cell *c);

/* format.c: numbers as people read them, in three significant digits */

/* "4.03 ms"; unit_of >= 0 picks the unit of that value instead */
char *format_duration(double ns, double unit_of);
/* The unit a duration reads best in: returns ns per unit, sets *name. */
double format_time_unit(double ns, const char **name);
/* "38.1 MiB" from KiB */
char *format_kib(double kib);
/* A metric's value in its unit: ns as a duration, bytes, counts. */
char *format_metric_value(double v, const char *unit);
/* "+9.2% [+8.1, +10.3]" (percent) or "1.93x [1.90, 1.97]"; "–" when !has */
char *format_ratio_ci(int has, double v, double lo, double hi, int percent);

/* report-data.c: what a report shows, computed once from a result set */

enum chart_theme { THEME_LIGHT, THEME_DARK };

struct report_opts {
	int html, csv, md, png, svg;
	int pyperf; /* pyperf-ID.json per interpreter (report-pyperf.c) */
	int force; /* --force: write into a directory that is not ours */
	enum chart_theme theme;
	int scale; /* PNG pixels per layout pixel: 0 or 1, 2 for HiDPI */
};

/* report-opts.c: what to write, as report, compare and merge take it from
 * their flags; the parsers return -1 and a message when bad */
struct report_opts report_opts_default(void);
int report_formats_parse(const char *list, struct report_opts *o);
int report_theme_parse(const char *s, struct report_opts *o);

/* report-data.c, the model itself */

struct chart_style {
	enum chart_theme theme;
	int scale;
	int png; /* also write PNGs, not only SVGs */
};

/* Per analysis group, what the charts and tables add to its wall times. */
struct group_extra {
	struct summary latency; /* per task when the probe timed tasks,
				   else per sample; no CI (stats_describe) */
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
	/* workloads whose speedup at the run's highest thread count or
	 * whose overhead is not resolved (every sample disturbed) */
	size_t nspeed_unresolved, nover_unresolved;
	int unresolved_threads;
	double speedup, base_speedup; /* medians over workloads */
	int has_base_speedup;
	/* medians of the workloads' CI bounds, as for the overhead */
	double speedup_lo, speedup_hi, base_speedup_lo, base_speedup_hi;
	int speed_no_ci; /* some workload had one value: no interval */
};

/* A memory claim needs this many memory samples in every cell it uses. */
#define MEMORY_MIN_SAMPLES 5

/* What a workload's cells say about it, read once per report: its UNIT
 * (NULL when no probe said), its scaling ("weak" when none did) and how the
 * probe loaded it ("import" when no probe said). */
struct workload_facts {
	const char *unit, *scaling, *load;
};

struct report {
	const struct resultset *rs;
	struct analysis a;
	struct chart_style style;
	struct cell_extras *extras; /* one per cell */
	struct group_extra *gx;	    /* one per analysis group */
	char *perf; /* per workload of a: 1 timed, 2 a C probe, 0 findings */
	struct workload_facts *facts; /* per workload of a */
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

/* The interpreter's label, else its id. */
const char *report_label(const struct resultset *rs, size_t interp);
/* A workload's scaling (weak or strong) as its cells say; weak when none. */
const char *report_scaling(const struct report *r, const char *workload);
/* How the probe loaded a workload's cells: "import" (also for results
 * written before the probe said) or "main". */
const char *report_load(const struct report *r, const char *workload);
/* the engine summaries use for a workload: threads, else the first */
const char *report_engine(const struct analysis *a, const char *workload);
/* The workload's UNIT as its probe reported it; NULL when none did. */
const char *report_unit(const struct report *r, const char *workload);

/* report-method.c: samples left out, processes replaced, precision
 * reached, as sentences (malloc'd, like the array) */
char **report_method_sentences(const struct report *r, size_t *n);
/* diagnosis.c: why a workload does not scale without the GIL, one plain
 * sentence per interpreter and workload whose speedup at its highest
 * thread count falls well short of it */

enum diag_cause {
	CAUSE_CONTENTION, /* busy, more CPU time per iteration than alone */
	CAUSE_WAITING,	  /* off the CPU, blocked */
	CAUSE_MACHINE,	  /* waiting for a CPU, or processes as slow */
	CAUSE_CORES,	  /* more threads than CPUs */
	CAUSE_UNDECIDED
};

struct diagnosis {
	const struct group *group;
	enum diag_cause cause;
	char *text;
};

void diagnosis_make(const struct report *r, struct diagnosis **out,
    size_t *n);
void diagnosis_free(struct diagnosis *d, size_t n);
/* "contention", "waiting", "machine", "cores", "undecided" */
const char *diagnosis_cause_name(enum diag_cause c);
/* The sentences alone, NULL-terminated; the caller frees each and the
 * array. */
char **diagnosis_sentences(const struct report *r, size_t *n);

/* report-warnings.c: what a reader should doubt before trusting a number;
 * part of the report model, which report_make fills (report-data.c and
 * report-warnings.c call each other: one concern) */

void report_warnings_make(struct report *r);
void report_warnings_free(struct report *r);
/* "6 cells failed; 3 measurement groups are noisy" */
char *report_warnings_brief(const struct report *r);
/* The summary's line on the warnings, when there are any: before, what
 * they are (escaped by esc), then after. */
void report_warnings_notice(struct buf *b, const struct report *r,
    void (*esc)(struct buf *, const char *), const char *before,
    const char *after);
/* 0 for a known-limitation check's cell: its time is not a result */
int report_cell_timed(const struct report *r, size_t cell);
/* "disabled", "changed during the run in 2 cells (see Warnings)", ... */
char *report_gil_runtime(const struct report *r, size_t interp);

/* chart.c: gnuplot, one script file per chart (never a command line built
 * from data): the terminal, colours, quoting, styles, keys and the grid
 * of small multiples; the files below say what each chart draws */

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
	/* small multiples: panels in a grid of cols x rows, a shared key
	 * below them in the bottom key_px pixels */
	struct buf panels;
	int npanels, cols, rows, key_px;
};

/* Beyond this many series a chart becomes small multiples. */
#define CHART_SERIES_MAX 8

/* The PNG terminal, "pngcairo" when built in; NULL and an error() when
 * gnuplot cannot be run at all. */
const char *chart_png_terminal(void);
/* The colour of interpreter i (index in rs->interps) in every chart. */
const char *chart_colour(const struct chart_style *st, size_t series);
const char *chart_ink(const struct chart_style *st, enum chart_ink ink);
/* A chart's file name without extension: "scaling-cpu_loop". */
char *chart_name(const char *kind, const char *what);
void chart_quote(struct buf *b, const char *s);
void chart_begin(struct chart *c, const struct chart_style *st,
    const char *name, const char *title);
/* "set title 'text'" (quoted) into h: the chart's head or a panel's */
void chart_set(struct buf *h, const char *what, const char *text);
/* "value:category" or "category:value", x first, as horizontal says */
void chart_columns(struct buf *b, int horizontal, const char *value,
    const char *category);
void chart_value_line(struct buf *h, int horizontal, double value,
    const char *colour, const char *style);
/* "fs ..." of fill variant (0 to 3: see chart_engine_variant) */
void chart_fill_style(struct buf *b, int variant, const char *colour);
/* Key entries that draw nothing, for a grid's first panel: a line per
 * label in interpreter i's colour, or a muted box per fill variant. */
void chart_key_lines(struct chart *c, const char *const *label, size_t n);
void chart_key_fills(struct chart *c, const char *const *label,
    const int *variant, size_t n);
/* Starts a data block; returns its index. */
int chart_block(struct chart *c, const char *comment);
void chart_clause(struct chart *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
int chart_render(struct chart *c, const char *cdir);
/* The legend below the plot, in as many columns as its longest label
 * (in characters) allows; the chart grows to keep its plot area. */
void chart_key_below(struct chart *c, size_t nentries, size_t longest,
    int xlabel);
/* Rows such a legend takes. */
int chart_key_rows(size_t nentries, size_t longest);
/* The widest of labels, in characters. */
size_t chart_text_width(const char *const *labels, size_t n);
/* Small multiples: npanels in cols columns (0: two, three beyond eight),
 * each about panel_px tall (0: 380), the canvas sized for them, and a
 * shared key of nkey entries below the grid. */
void chart_grid(struct chart *c, int npanels, int cols, int panel_px,
    size_t nkey, size_t longest);
/* Ends a panel: its own settings, then the clauses added since the last
 * panel. */
void chart_panel(struct chart *c, const char *settings);
const char *chart_value_format(double top);
/* 0 threads, 1 processes, 2 executor-threads, 3 executor-processes */
int chart_engine_variant(const char *engine);
void chart_free(struct chart *c);

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
/* Removes the dir/charts/ *ext (".svg") that m lists and a format list
 * did not ask for. */
void report_drop_charts(struct manifest *m, const char *ext);

/* chart-bars.c: clustered bars, the chart every kind but scaling and
 * timelines is drawn as */

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
	double span_lo, span_hi; /* at least this value range, if lo < hi */
};

int chart_bars(const struct chart_style *st, const struct bars *b,
    const char *cdir);
/* b as one chart, or, with more than CHART_SERIES_MAX series, one panel
 * per group of series (an interpreter's engines): group[s] is series s's
 * group, short_label[s] its name within it (the engine). */
int chart_bars_split(const struct chart_style *st, const struct bars *b,
    const size_t *group, const char *const *group_label, size_t ngroups,
    const char *const *short_label, const char *cdir);
/* Small multiples of bars, one panel per struct bars (its title the
 * panel's), and one key of fills for all. */
int chart_bars_grid(const struct chart_style *st, const char *name,
    const char *title, const struct bars *panels, size_t n,
    const char *const *key, const int *key_variant, size_t nkey,
    const char *cdir);

/* chart-series.c: a report's interpreters and engines as the charts name
 * and group their series */

/* "3.13.15t", or "3.13.15t processes" when engines must be told apart */
char *chart_series_label(
    const struct report *r, size_t interp, const char *engine, size_t nengines);
/* every interpreter's label, by index (the array is the caller's) */
const char **chart_interp_labels(const struct report *r);
/* chart_bars_split with a panel per interpreter, its engines inside */
int chart_bars_by_interp(const struct report *r, const struct bars *b,
    const size_t *interp, const char *const *engine, const char *cdir);

/* chart-time.c: times as bars, overhead, speedups side by side, engines
 * and latency */

int chart_overhead(const struct report *r, const char *cdir);
/* every workload's speedup at the highest thread count, side by side */
int chart_scaling_summary(const struct report *r, const char *cdir);
int chart_engines(const struct report *r, const char *workload,
    const char *cdir);
int chart_latency(const struct report *r, const char *workload,
    const char *cdir);

/* chart-scaling.c: speedup against threads, per workload and every timed
 * workload at a glance, a panel each */

int chart_scaling(const struct report *r, const char *workload,
    const char *cdir);
int chart_scaling_overview(const struct report *r, const char *cdir);

/* chart-memory.c: RSS, USS and PSS as bars, and memory over time */

int chart_memory(const struct report *r, const char *workload,
    const char *cdir);
int chart_timeline(const struct report *r, const char *workload,
    const char *cdir);

/* chart-set.c: the charts a report gets */

/* Renders every chart of a report into dir/charts as SVG (and PNG); the
 * charts written are listed in m. */
int charts_render(const struct report *r, const char *dir,
    struct manifest *m);

/* report-pyperf.c: one pyperf JSON file per interpreter, pyperf-ID.json:
 * a benchmark per workload/engine/threads, a run per probe process,
 * values in seconds per unit of work */
int report_pyperf(const struct report *r, const char *dir);

/* report.c: writes a report directory, every format the options ask for,
 * from one report model */

int report_write(const struct resultset *rs, const char *dir,
    const struct report_opts *opts);

/* report-words.c: the sentences every format's summary opens with */

/* plain-text summary sentences: one per interpreter over all workloads,
 * then memory, findings and how loading a workload changes it */
char **report_headlines(const struct report *r, size_t *n);

/* report-load.c: a sentence per interpreter and workload whose overhead
 * or speedup differs, beyond the 95% CIs, between the module imported and
 * run as the __main__ script (load: import | main) */
void load_sentences(const struct report *r, char ***out, size_t *n);
/* show.c: the results in the terminal, for `run` and `show` */

void show_print(FILE *f, const struct resultset *rs);
/* Loads path and prints it; -1 when it cannot be loaded. */
int show_file(const char *path, FILE *f);
/* "iteration" from "iterations": a workload's UNIT, one of them */
char *show_unit_singular(const char *unit);
/* "+9.2% [+8.1%, +10.3%] slower", or "within noise" when the CI holds 1 */
char *show_ratio_text(double v, double lo, double hi, int has_ci);

/* escape.c: text made safe for a CSV field, a Markdown table cell or
 * HTML (term.c does the same for a terminal) */

/* A CSV field, quoted when it must be; text that a spreadsheet would run
 * as a formula (= + - @, tab, CR first) gets a leading ' unless it is a
 * number. */
void csv_esc(struct buf *b, const char *s);
/* text for a Markdown table cell (HTML escaped) */
void md_esc(struct buf *b, const char *s);
/* text or an attribute value in HTML */
void html_esc(struct buf *b, const char *s);

/* table.c: a table as its columns, each filling its cell of row i from
 * ctx (arg tells a column's member apart), as CSV, Markdown, terminal
 * text or HTML */

struct table_col {
	const char *name;
	void (*fill)(struct buf *b, const void *ctx, size_t i, size_t arg);
	size_t arg;
	int right;	  /* terminal: aligned right, as numbers are */
	size_t min_width; /* terminal: at least this many columns */
};
/* HTML: a column's whole <td> (a swatch, a sort value) */
typedef void table_html_cell(
    struct buf *b, const void *ctx, size_t i, size_t arg);

void table_csv(struct buf *b, const struct table_col *cols, size_t ncols,
    const void *ctx, size_t nrows);
/* a number as a CSV cell: %.10g, or nothing when !has or not finite */
void table_num(struct buf *b, int has, double v);
/* a Markdown table, cells escaped */
void table_md(struct buf *b, const struct table_col *cols, size_t ncols,
    const void *ctx, size_t nrows);
/* Columns two spaces apart, each as wide as its widest cell (the last
 * one unpadded); note, when given, adds a line under a row. */
void table_text(struct buf *b, const struct table_col *cols, size_t ncols,
    const void *ctx, size_t nrows, const char *(*note)(const void *, size_t));
/* A sortable HTML table in its scrolling div; html[c], when not NULL,
 * writes column c's cells instead of its text. */
void table_html(struct buf *b, const struct table_col *cols, size_t ncols,
    table_html_cell *const *html, const void *ctx, size_t nrows);

/* report-csv.c: results.csv (a row per group) and cells.csv (per cell) */

int report_csv(const struct report *r, const char *path);
int report_cells_csv(const struct report *r, const char *path);

/* report-export.c: summary.md */

int report_md(const struct report *r, const char *path);

/* html.c: elements, sections, swatches, figures and the page shell */

/* an element with escaped text; tag may carry attributes */
void html_el(struct buf *b, const char *tag, const char *text);
void html_el_own(struct buf *b, const char *tag, char *text);
/* A numeric <td> that sorts by its value (none when not finite), with a
 * class beside "num"; takes text ("–" when NULL or empty). */
void html_num_cell(struct buf *b, double sort, const char *cls, char *text);
void html_section(struct buf *b, const char *id, const char *title);
/* a name with a swatch of its chart colour */
void html_who(struct buf *b, const char *colour, const char *text);
/* the interpreter's name with its chart colour */
void html_swatch(struct buf *b, const struct report *r, size_t interp);
/* Inlines dir/charts/<name>.svg as a figure; 0 when there is none. */
int html_figure(struct buf *b, const char *dir, const char *name,
    const char *caption);
/* The page shell around body: template, inline CSS and script. */
int html_page(const char *path, const char *title, const char *body,
    enum chart_theme theme);

/* report-html-tables.c: the report's sortable tables, drawn by table.c */

void html_memory_table(struct buf *b, const struct report *r);
/* One workload's groups; engine, tasks and mem: whether its engine,
 * task p99 and PSS columns are shown. */
void html_workload_table(struct buf *b, const struct report *r,
    const char *workload, int engine, int tasks, int mem);
/* The groups the noise warnings name, noisiest first. */
void html_noisy_table(struct buf *b, const struct report *r);

/* report-html.c and report-html-results.c: report.html; the first the
 * page, summary, machine, identities and warnings, the second the charts,
 * tables, memory, findings and metrics. charts_ok is 0 when gnuplot
 * failed. */

int report_html(const struct report *r, const char *dir, int charts_ok,
    const char *path);
void html_results(struct buf *b, const struct report *r, const char *dir,
    int charts_ok);

/* compare.c: the same workloads across result files */

enum compare_match { MATCH_AUTO, MATCH_ID, MATCH_LABEL, MATCH_KIND };

struct compare_row {
	size_t ia, ib; /* interpreter in the first file, in the second */
	const char *workload, *engine;
	int threads;
	struct summary a, b; /* each side's samples; no CI (stats_describe) */
	double ratio, lo, hi; /* median(b) / median(a), 95% bootstrap CI,
				 per unit of work when both files say it */
	int verdict;	      /* -1 faster, 0 within noise, 1 slower,
				 COMPARE_NOT_COMPARABLE */
	size_t seq;	      /* order of appearance in the first file */
	long units_a, units_b; /* units of n per worker and sample; 0: unknown */
	double unit_a, unit_b; /* median ns per unit; NAN when unknown */
	char *note; /* how the two files' work differs, or NULL */
};

#define COMPARE_NOT_COMPARABLE 2

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

/* compare-text.c: verdicts, changes and sentences, and the terminal
 * tables; compare-report.c: the report (HTML, CSV, Markdown, chart) */

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

/* compare.c: rows slower by more than pct percent with a CI above 1:
 * printed to f, counted. */
size_t compare_fail_above(const struct compare_pair *p, char tag, double pct,
    FILE *f);

/* compare-text.c: the words and the terminal's tables */
const char *compare_verdict(int verdict); /* "faster", ... */
char *compare_change_text(const struct compare_row *r);
/* one sentence per paired interpreter; NULL when it has no rows */
char *compare_sentence(const struct compare_pair *p, size_t ia, char tag);
/* every paired interpreter's sentences, times then memory and checks */
char **compare_sentences(const struct compare_pair *p, char tag, size_t *n);
char *compare_file_line(const struct compare_set *s, size_t k);
/* the files compared, A first, with their pre-flight warnings */
void compare_print_files(const struct compare_set *s);
/* pair k's table of times, its sentences, memory and checks */
void compare_print_pair(const struct compare_set *s, size_t k);

/* compare-run.c: a comparison from start to end, as compare's flags ask */

struct compare_opts {
	struct report_opts ro; /* the folder's formats and theme */
	enum compare_match match;
	const char *outdir;  /* NULL: print only */
	double fail_above;   /* percent; NAN: none */
	int by_machine;      /* a table of machines instead */
	char *command;       /* as typed, for the report (the caller's) */
};
/* Loads, pairs with the first, prints, writes o->outdir: 0, or 1 after
 * the messages (a load failed, no interpreter in common, a row slower
 * than fail_above). */
int compare_files(const char *const *paths, size_t n,
    const struct compare_opts *o);

/* compare-report.c: a comparison's folder (page, chart, exports) */
int compare_report(const struct compare_set *s, const char *dir,
    const struct report_opts *o);
/* compare-export.c: compare.csv (every row of every pair) and summary.md */
int compare_csv(const struct compare_set *s, const char *path);
int compare_md(const struct compare_set *s, const char *path);

/* compare-machine.c: compare --by machine, each machine's own overhead
 * and speedup side by side; -1 when no group is in every file */
int compare_by_machine(const struct compare_set *s);

/* compare-extras.c: memory and known-limitation checks, side by side */
void compare_extras_make(struct compare_pair *p, const struct report *ra,
    const struct report *rb);
void compare_extras_free(struct compare_pair *p);
char *compare_mem_change_text(const struct compare_mem_row *m);
/* one sentence per paired interpreter; NULL when it has nothing */
char *compare_extras_sentence(const struct compare_pair *p, size_t ia,
    char tag);
void compare_extras_print(const struct compare_pair *p, char tag);
/* A pair's rows in an HTML table of table.c (its ctx): row i at
 * rows + i * stride, whichever row type above it is, with the offsets of
 * who ran it and, where the type has them, its workload, engine and
 * threads, for the cells every table of a pair shares. */
struct compare_html_rows {
	const struct compare_set *s;
	const struct compare_pair *p;
	const char *rows;
	size_t stride, ia, workload, engine, threads;
};
#define COMPARE_HTML_ROWS(set, pair, type, array)                          \
	{(set), (pair), (const char *)(array), sizeof(type),               \
	    offsetof(type, ia), offsetof(type, workload),                  \
	    offsetof(type, engine), offsetof(type, threads)}
/* The interpreter as a <td> with its chart colour; the workload (arg 0)
 * or engine (1) as text; the threads as a sortable number. */
table_html_cell compare_cell_who, compare_cell_threads;
void compare_cell_text(struct buf *b, const void *ctx, size_t i, size_t arg);
/* The columns that say whose row it is, first in each of those tables,
 * and their HTML cells. */
#define COMPARE_KEY_COLS                                                   \
	{"Interpreter", NULL, 0, 0, 0},                                    \
	    {"Workload", compare_cell_text, 0, 0, 0},                      \
	    {"Engine", compare_cell_text, 1, 0, 0},                        \
	    {"Threads", NULL, 0, 1, 0}
#define COMPARE_KEY_HTML compare_cell_who, NULL, NULL, compare_cell_threads
void compare_extras_html(struct buf *b, const struct compare_set *s,
    size_t k);
void compare_extras_md(struct buf *b, const struct compare_pair *p, char tag);

/* catalog.c: the workloads under probes/workloads */

struct workload_info {
	char *name, *group, *description, *unit, *engines;
	char *measures;	  /* what a result means, e.g. "ns per call (wall)" */
	const char *kind; /* "timing", "c", "finding", "self-parallel" */
	char *load;	  /* LOAD: "import" (the default) or "main" */
	/* the user's workloads (workloads_dir, a path, --workloads) */
	int user;
	char *path; /* the module's file; NULL: in the catalog */
	char *dir;  /* the directory the probe imports it from */
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
/* The user's workloads in dirs (--workloads), then the catalog's. */
int catalog_load_dirs(struct catalog *cat, const char *const *dirs,
    size_t n);
void catalog_free(struct catalog *cat);
/* "Thread synchronisation: ..." for "sync"; the name when unknown. */
const char *catalog_group_title(const char *group);
/* The user's workload of that name first (the first added), else the
 * catalog's. */
const struct workload_info *catalog_find(const struct catalog *cat,
    const char *name);
const struct workload_info *catalog_find_user(const struct catalog *cat,
    const char *name);
const struct workload_info *catalog_find_builtin(const struct catalog *cat,
    const char *name);
/* A user's module: every NAME.py of dir (not _*.py, nor a name a user
 * workload already has), or one file. -1 and error() when unreadable. */
int catalog_add_dir(struct catalog *cat, const char *dir);
int catalog_add_file(struct catalog *cat, const char *name, const char *path);
void catalog_add_copy(struct catalog *cat, const struct workload_info *w);

/* workload-check.c: a user's module, checked without running it */

/* The modules as results.json records them: {name: {path, sha256,
 * text}}. */
char *workload_files_json(const struct workload_file *f, size_t n);
/* The sha256 recorded for a workload, 0 when there is one. */
int workload_file_sha256(const char *json, const char *name, char out[65]);

/* A module name the probe can import: lowercase letters, digits, _. */
int workload_name_valid(const char *s);
/* The file exists, the name is valid, DESCRIPTION, GROUP and UNIT are
 * str constants, run() (or its kind's function) is there, ENGINES names
 * engines; each problem printed as path:line:col. Returns how many. */
int workload_module_check(const char *path, const char *name);
/* The text and sha256 of each user's module the matrix names, as
 * results.json keeps them (matrix.workload_files); NULL: none. */
char *workload_files_record(const struct matrix *m);
/* On resume: -1, saying which, when a module is not the file the kept
 * cells measured. */
int workload_files_unchanged(const struct matrix *m, const char *old,
    const char *now, const char *results_path);

/* run.c: a matrix from provisioning to report */

struct run_opts {
	const char *outdir;
	const char *command; /* as typed, recorded for reproduction */
	int quiet, verbose;
	const char *affinity; /* --affinity: overrides the matrix */
	int strict;	      /* refuse to measure on a noisy machine */
	int retry_failed;     /* on resume, measure failed cells again */
	/* a matrix built or changed by the command line (matrix-cli.c):
	 * its text, and the options that changed a file's, as typed */
	const char *matrix_text;
	const char *overrides;
	const struct matrix_overrides *overrides_of; /* a file's */
	const char *const *workloads_dirs; /* --workloads */
	size_t nworkloads_dirs;
	int force;	      /* write into a directory that is not ours */
	struct provision_opts provision;
	/* precision: --fast, --rigorous (pyperf's sense: fewer or more
	 * probe processes) and --target-ci/--max-time override the matrix */
	enum { PRECISION_MATRIX, PRECISION_FAST, PRECISION_RIGOROUS } precision;
	double target_ci;  /* 0: the matrix's or the mode's */
	double max_time_s; /* 0: the matrix's or the mode's */
	struct shard shard;	 /* --shard K/N; count 0: the whole plan */
	const char *shard_costs; /* --shard-costs: a results file */
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

/* cell-run.c: one cell measured, recorded and saved */

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
	struct drift_refs refs; /* the fastest drift snippets so far */
};

/* One probe process. memory: a profile to fill, or NULL. */
struct probe_request {
	size_t workload, engine; /* indexes into the matrix */
	int threads, samples, warmup;
	long iterations;
	struct memory_profile *memory;
	/* the drift snippet: the fastest seen so far (0: none yet), and
	 * how many disturbed samples the probe may measure again */
	double drift_ref_ns;
	int extra_samples;
};

int run_probe(const struct run *r, const struct interp *in,
    const struct probe_request *q, struct proc_result *res);
/* Iterations per sample for a workload: the matrix's, or calibrated. */
long run_iterations(const struct run *r, size_t workload);
/* Saves results.json; -1 with a message saying nothing was lost. */
int run_save(struct run *r);
/* Measures one cell (replacing a probe process that never reached the
 * fast mode) and saves; 0, 1 when interrupted (the cell is not kept),
 * -1 when the results could not be saved. failed counts failed cells. */
int run_measure_cell(struct run *r, const struct cell *c, size_t *failed);
/* Cells of one kind (workload, engine, threads) take about as long: the
 * progress estimate's unit. */
size_t run_cell_class(const struct matrix *m, const struct cell *c);

/* refine.c: rounds added until the ratios meet the precision target */

/* planned_s: how long the planned rounds took, the default budget. 0,
 * -1 (results could not be saved), RUN_INTERRUPTED. */
int refine_all(struct run *r, double planned_s);
/* --fast, --rigorous, --target-ci and --max-time applied to a matrix. */
void refine_apply_opts(struct matrix *m, const struct run_opts *o);

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

/* merge.c: shards' results into one file */

/* Refuses (-1, every reason said) files from different matrices, files
 * that are not shards of one cut, a cell in two files, and an
 * interpreter that is another build in another file; else moves the
 * files' contents into out, cells in the order an unsharded run takes,
 * and one host per machine when the shards ran on different ones. */
int merge_results(struct resultset *in, const char *const *paths, size_t n,
    struct resultset *out);

/* cmd-*.c: subcommands, dispatched from main.c */

int cmd_run(int argc, char **argv);
int cmd_report(int argc, char **argv);
int cmd_validate(int argc, char **argv);
int cmd_publish(int argc, char **argv);
int cmd_interpreters(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_uv_bootstrap(int argc, char **argv);
int cmd_uv_mirror(int argc, char **argv);
int cmd_compare(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_merge(int argc, char **argv);
