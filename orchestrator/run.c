#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "ftmatrix.h"

#define NOISE_WARNINGS_SHOWN 3

static char *
default_outdir(const struct matrix *m)
{
	char *stamp = time_stamp();
	char *dir = xasprintf("results/%s-%s", m->name, stamp);

	free(stamp);
	return dir;
}

/* access(2) can say yes where a write fails (read-only bind mounts, some
 * network file systems), so try one. */
static int
outdir_writable(const char *dir)
{
	char *probe;
	int fd, saved;

	if (mkdir_p(dir) < 0) {
		error("%s: cannot create the output directory: %s", dir,
		    strerror(errno));
		return -1;
	}
	probe = xasprintf("%s/.ftmatrix-write-test.%ld", dir, (long)getpid());
	fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	saved = errno;
	if (fd >= 0) {
		close(fd);
		unlink(probe);
	}
	free(probe);
	if (fd < 0) {
		error("%s: cannot write to the output directory: %s", dir,
		    strerror(saved));
		return -1;
	}
	return 0;
}

/* One run per output directory: two would each rewrite results.json
 * with only their own cells. The lock goes with the process, however it
 * ends. */
static int
outdir_lock(const char *dir)
{
	char *path = path_join(dir, ".ftmatrix.lock");
	/* read-only: a descriptor open for writing would keep the file system
	 * from being remounted read-only under us */
	int fd = lock_file_open(path, O_RDONLY);

	if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EWOULDBLOCK)
			error("%s: another ftmatrix run is writing there; wait "
			      "for it to finish, or use another -o DIR",
			    dir);
		else
			error("%s: %s", path, strerror(errno));
		close(fd);
		fd = -1;
	}
	free(path);
	return fd;
}

static void
interps_record(struct resultset *rs, const struct matrix *m, struct interp *in)
{
	size_t i;

	rs->ninterps = m->ninterps;
	rs->interps = xcalloc(m->ninterps, sizeof(*rs->interps));
	for (i = 0; i < m->ninterps; i++) {
		const struct interp_spec *spec = &m->interps[i];
		struct result_interp *ri = &rs->interps[i];
		const char *req = spec->request ? spec->request
		    : spec->version             ? spec->version
		    : spec->path                ? spec->path
		    : spec->source              ? spec->source
		    : spec->variant_of          ? spec->variant_of
		                                : "";

		ri->id = xstrdup(spec->id);
		ri->label = xstrdup(in[i].label ? in[i].label : spec->id);
		ri->provider = xstrdup(provider_name(spec->provider));
		ri->request = xstrdup(req);
		ri->available = in[i].available;
		ri->error = in[i].error ? xstrdup(in[i].error) : NULL;
		ri->origin = in[i].origin ? xstrdup(in[i].origin) : NULL;
		ri->identity = in[i].identity;
		/* the result set owns the identity from here on */
		memset(&in[i].identity, 0, sizeof(in[i].identity));
	}
}

static void
cells_adopt(struct resultset *rs, struct resultset *old)
{
	rs->cells = old->cells;
	rs->ncells = old->ncells;
	rs->cells_cap = old->cells_cap;
	rs->created = old->created;
	rs->calibrations = old->calibrations;
	rs->ncalibrations = old->ncalibrations;
	old->cells = NULL;
	old->ncells = old->cells_cap = 0;
	old->created = NULL;
	old->calibrations = NULL;
	old->ncalibrations = 0;
}

static void
settings_make(
    struct run_settings *s, const struct matrix *m, const struct cpus *pinned)
{
	memset(s, 0, sizeof(*s));
	s->repetitions = m->repetitions;
	s->samples = m->samples;
	s->warmup = m->warmup;
	s->memory_interval_ms = m->memory_interval_ms;
	s->min_time_s = m->min_time_s;
	s->timeout_s = m->timeout_s;
	s->scaling = xstrdup(m->scaling);
	s->affinity = pinned ? xstrdup(pinned->text) : NULL;
	s->drift_threshold = m->drift_threshold;
	s->extra_samples =
	    m->extra_samples < 0 ? m->samples : m->extra_samples;
	s->target_ci = m->target_ci;
	s->max_time_s = m->max_time_s;
}

/* The CPUs to pin to: --affinity, else the matrix's; each must be one we
 * may run on. */
static int
affinity_resolve(const struct matrix *m, const struct run_opts *opts,
    struct cpus *c, int *pinned)
{
	const char *text = opts->affinity ? opts->affinity : m->affinity;
	struct cpus allowed;
	const char *why;
	int cpu;

	*pinned = 0;
	if (!text)
		return 0;
	if (cpus_parse(text, c, &why) < 0) {
		error("--affinity %s: %s", text, why);
		return -1;
	}
	if (cpus_allowed(&allowed) == 0)
		for (cpu = 0; cpu < CPUS_MAX; cpu++)
			if (cpus_has(c, cpu) && !cpus_has(&allowed, cpu)) {
				error("affinity %s: CPU %d is not available "
				      "(this process may use %s)",
				    c->text, cpu, allowed.text);
				return -1;
			}
	*pinned = 1;
	return 0;
}

static int
cell_todo(const struct run *r, const struct cell *c)
{
	char *key;
	int todo;

	if (!r->in[c->interp].available)
		return 0;
	key = cell_key(r->m, c);
	todo = results_find(r->rs, key) == NULL;
	free(key);
	return todo;
}

static int
measure_all(struct run *r)
{
	const struct matrix *m = r->m;
	struct plan p;
	size_t i, failed = 0;
	int rc = 0;

	plan_make(m, &p);
	for (i = 0; i < p.ncells; i++)
		if (cell_todo(r, &p.cells[i]))
			progress_plan(&r->progress, run_cell_class(m, &p.cells[i]));
	if (r->rs->ncells && !r->opts->quiet)
		progress_say(&r->progress,
		    "ftmatrix: resuming: %zu cells kept, %zu to run",
		    r->rs->ncells, r->progress.total);
	for (i = 0; i < p.ncells && !interrupted && rc == 0; i++) {
		if (cell_todo(r, &p.cells[i]))
			rc = run_measure_cell(r, &p.cells[i], &failed);
	}
	if (rc == 1)
		rc = 0;
	plan_free(&p);
	if (failed)
		progress_say(&r->progress,
		    "ftmatrix: warning: %zu cell%s failed; each is recorded "
		    "with its error and the report lists them",
		    failed, failed == 1 ? "" : "s");
	if (rc == 0 && interrupted)
		rc = RUN_INTERRUPTED;
	return rc;
}

/* From the analysis the results file holds, computed once at the end. */
static void
noise_report(struct run *r)
{
	const struct analysis *a = r->rs->analysis;
	size_t i, n = 0;

	for (i = 0; a && i < a->ngroups; i++) {
		const struct group *g = &a->groups[i];

		if (!g->warning)
			continue;
		if (n++ < NOISE_WARNINGS_SHOWN || r->opts->verbose)
			warn("noisy: %s %s %s x%d: %s",
			    r->rs->interps[g->interp].label, g->workload,
			    g->engine, g->threads, g->warning);
	}
	if (n > NOISE_WARNINGS_SHOWN && !r->opts->verbose)
		warn("%zu more noisy groups (-v lists them; the report shows "
		     "all)",
		    n - NOISE_WARNINGS_SHOWN);
}

/* Prints the pre-flight's findings and saves them in results.json;
 * -1 when they could not be saved, or with --strict on a noisy machine. */
static int
preflight(struct run *r)
{
	int noisy, i;

	preflight_free(&r->rs->preflight);
	noisy = preflight_run(&r->rs->preflight, &r->rs->machine, r->m,
	    r->pinned ? &r->cpus : NULL);
	for (i = 0; i < (int)r->rs->preflight.nwarnings; i++)
		if (!r->opts->quiet || r->opts->strict)
			warn("%s", r->rs->preflight.warnings[i]);
	if (r->opts->verbose) {
		const struct preflight *p = &r->rs->preflight;
		char *busy = p->others_busy < 0
		    ? xstrdup("unknown")
		    : xasprintf("%.0f%%", p->others_busy * 100);

		progress_say(&r->progress,
		    "ftmatrix: pre-flight: load %.2f on %d cores, governor %s, "
		    "CPU loop CV %.2f%%, other processes' CPU use %s",
		    p->loadavg1, p->cores, p->governor, p->spread_cv * 100,
		    busy);
		free(busy);
	}
	if (run_save(r) < 0)
		return -1;
	if (noisy && r->opts->strict) {
		/* the pre-flight's findings are in results.json */
		error("refusing to measure on a noisy machine (--strict): %d "
		      "problem%s above",
		    noisy, noisy == 1 ? "" : "s");
		return -1;
	}
	return 0;
}

static int
interrupted_exit(struct run *r, const char *matrix_path, const char *outdir)
{
	/* the cells kept, analysed once, for the report of a stopped run */
	r->rs->analysis = analysis_new(r->rs);
	run_save(r);
	/* a matrix from the command line needs the same flags again */
	if (!r->opts->quiet)
		fprintf(stderr,
		    "ftmatrix: interrupted; %zu cells kept in %s\n"
		    "ftmatrix: resume with: ftmatrix run %s%s%s -o %s\n",
		    r->rs->ncells, r->results_path,
		    r->opts->matrix_text ? "" : matrix_path,
		    r->opts->overrides && !r->opts->matrix_text ? " " : "",
		    r->opts->overrides ? r->opts->overrides : "", outdir);
	return RUN_INTERRUPTED;
}

/* What run_matrix holds from its output directory until it returns. */
struct run_files {
	char *outdir, *results_path;
	int lock;
	struct resultset old; /* what results.json held, when have_old */
	int have_old;
};

/* The matrix as this run measures it: trusted, cut to its shard, with the
 * command line's precision and pinning; sha its text's sha256. */
static int
matrix_prepare(
    struct run *r, struct matrix *m, const char *matrix_path, char sha[65])
{
	const struct run_opts *opts = r->opts;
	struct matrix_input mi = {.path = matrix_path,
	    .text = opts->matrix_text,
	    .workloads_dirs = opts->workloads_dirs,
	    .nworkloads_dirs = opts->nworkloads_dirs,
	    .overrides = opts->overrides_of};

	if (matrix_open_input(&mi, m) != 0)
		return -1;
	if (matrix_path &&
	    matrix_trust_check(m, matrix_path, opts->provision.trust_matrix))
		return -1;
	sha256_hex(m->text, strlen(m->text), sha);
	if (opts->shard.count && shard_cut(m, opts, &r->rs->shard) < 0)
		return -1;
	if (affinity_resolve(m, opts, &r->cpus, &r->pinned) < 0)
		return -1;
	refine_apply_opts(m, opts);
	settings_make(&r->rs->settings, m, r->pinned ? &r->cpus : NULL);
	return 0;
}

/* The output directory, writable and ours alone, and the results it
 * already holds when they may be resumed. */
static int
outdir_prepare(struct run *r, struct run_files *f)
{
	const struct run_opts *opts = r->opts;

	f->outdir = opts->outdir ? xstrdup(opts->outdir) : default_outdir(r->m);
	f->results_path = path_join(f->outdir, "results.json");
	if (outdir_writable(f->outdir) < 0 ||
	    (f->lock = outdir_lock(f->outdir)) < 0 ||
	    outdir_claim(f->outdir, f->results_path, opts->force) < 0)
		return -1;
	r->results_path = f->results_path;
	if (path_exists(f->results_path)) {
		if (results_load(f->results_path, &f->old) < 0)
			return -1;
		f->have_old = 1;
		if (shard_resume_check(
		        &f->old, &r->rs->shard, f->results_path) < 0 ||
		    resume_check(
		        &f->old, r->m, &r->rs->settings, f->results_path) < 0)
			return -1;
	}
	return 0;
}

/* What results.json says of the run before any cell: the matrix, the
 * machine, the interpreters provisioned. */
static void
results_begin(struct run *r, const char *sha)
{
	const struct matrix *m = r->m;
	const struct run_opts *opts = r->opts;
	struct resultset *rs = r->rs;

	rs->schema_version = RESULTS_SCHEMA_VERSION;
	rs->ftmatrix_version = xstrdup(FTMATRIX_VERSION);
	rs->command = xstrdup(opts->command ? opts->command : "");
	rs->matrix_name = xstrdup(m->name);
	rs->matrix_path = xstrdup(m->path); /* a URL without its password */
	rs->matrix_text = xstrdup(m->text);
	/* the names loading checks every cell's against, as the text has
	 * them (what older files' readers parse it for) */
	rs->workloads =
	    matrix_text_workloads(m->text, strlen(m->text), &rs->nworkloads);
	if (!rs->workloads)
		rs->workloads = xcalloc(1, sizeof(*rs->workloads));
	rs->matrix_sha256 = xstrdup(sha);
	rs->baseline = m->baseline ? xstrdup(m->baseline) : NULL;
	rs->workload_files = workload_files_record(m);
	rs->overrides = opts->overrides ? xstrdup(opts->overrides) : NULL;
	machine_capture(&rs->machine);
	interps_record(rs, m, r->in);
}

/* The old cells kept, once the interpreters and workload files are
 * known to be the same. */
static int
results_resume(struct run *r, struct run_files *f)
{
	const struct run_opts *opts = r->opts;
	struct resultset *rs = r->rs;

	if (resume_check_identities(&f->old, rs, f->results_path) < 0 ||
	    workload_files_unchanged(r->m, f->old.workload_files,
	        rs->workload_files, f->results_path) < 0)
		return -1;
	cells_adopt(rs, &f->old);
	if (opts->retry_failed) {
		size_t n = results_drop_failed(rs);

		if (!opts->quiet)
			fprintf(stderr,
			    "ftmatrix: --retry-failed: %zu failed cell%s to "
			    "measure again\n",
			    n, n == 1 ? "" : "s");
	}
	return 0;
}

/* Calibration, the planned rounds, then the precision rounds: 0, -1,
 * RUN_INTERRUPTED. */
static int
measure_phases(struct run *r)
{
	const struct matrix *m = r->m;
	double t0;
	int rc = calibrate_all(r);

	if (rc != 0)
		return rc;
	t0 = now_mono_s();
	progress_end(&r->progress);
	progress_begin(&r->progress, r->opts->quiet, r->opts->verbose,
	    m->nworkloads * m->nengines * m->nthreads);
	rc = measure_all(r);
	if (rc == 0)
		rc = refine_all(r, now_mono_s() - t0);
	return rc;
}

/* The complete results saved, the report written and summed up. */
static int
run_finish(struct run *r, const char *outdir, char **report_path)
{
	struct report_opts ro = report_opts_default();

	progress_end(&r->progress);
	r->rs->complete = 1;
	/* once, for results.json, the noise warnings, the report and show */
	r->rs->analysis = analysis_new(r->rs);
	if (run_save(r) < 0)
		return 1;
	if (!r->opts->quiet)
		noise_report(r);
	if (report_write(r->rs, outdir, &ro) < 0)
		return 1;
	if (!r->opts->quiet) {
		fprintf(stderr, "\n");
		show_print(stderr, r->rs);
		fprintf(stderr, "\n");
	}
	*report_path = path_join(outdir, "report.html");
	return 0;
}

int
run_matrix(
    const char *matrix_path, const struct run_opts *opts, char **report_path)
{
	struct matrix m;
	struct resultset rs = {0};
	struct run_files f = {.lock = -1};
	struct interp *in = NULL;
	struct run r = {.m = &m, .rs = &rs, .opts = opts};
	int rc = 1;
	char sha[65];

	progress_begin(&r.progress, opts->quiet, opts->verbose, 1);
	if (matrix_prepare(&r, &m, matrix_path, sha) < 0 ||
	    outdir_prepare(&r, &f) < 0)
		goto out;
	if (!opts->quiet)
		fprintf(stderr, "ftmatrix: provisioning %zu interpreters\n",
		    m.ninterps);
	if (provision_all(&m, &opts->provision, &in) < 0) {
		if (interrupted)
			rc = RUN_INTERRUPTED;
		goto out;
	}
	r.in = in;
	results_begin(&r, sha);
	if (f.have_old && results_resume(&r, &f) < 0)
		goto out;
	if (!rs.created)
		rs.created = time_iso8601();
	drift_refs_make(&rs, &r.refs);
	if (run_save(&r) < 0)
		goto out;
	if (interrupted) {
		rc = interrupted_exit(&r, matrix_path, f.outdir);
		goto out;
	}
	if (preflight(&r) < 0)
		goto out;
	rc = measure_phases(&r);
	if (rc == RUN_INTERRUPTED) {
		progress_end(&r.progress);
		rc = interrupted_exit(&r, matrix_path, f.outdir);
	} else {
		rc = rc != 0 ? 1 : run_finish(&r, f.outdir, report_path);
	}
out:
	progress_end(&r.progress);
	if (f.lock >= 0)
		close(f.lock);
	if (f.have_old)
		results_free(&f.old);
	drift_refs_free(&r.refs);
	results_free(&rs);
	interps_free(in, m.ninterps);
	matrix_free(&m);
	free(f.outdir);
	free(f.results_path);
	return rc;
}
