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

long
run_iterations(const struct run *r, size_t workload)
{
	const struct workload_spec *w = &r->m->workloads[workload];
	const struct calibration *c;

	if (w->iterations)
		return w->iterations;
	c = results_calibration(r->rs, w->name);
	return c ? c->iterations : r->m->iterations;
}

/* The probe's command line, from probe_argv: it reads the matrix, so it
 * gets a view of it where samples, warmup and the workload's iterations
 * are this request's. */
static char **
request_argv(
    const struct run *r, const struct interp *in, const struct probe_request *q)
{
	const struct matrix *m = r->m;
	struct matrix view = *m;
	struct workload_spec *ws = xcalloc(m->nworkloads, sizeof(*ws));
	struct cell c = {.workload = q->workload,
	    .engine = q->engine,
	    .threads = q->threads};
	char **argv;

	memcpy(ws, m->workloads, m->nworkloads * sizeof(*ws));
	ws[q->workload].iterations = q->iterations;
	view.workloads = ws;
	view.samples = q->samples;
	view.warmup = q->warmup;
	argv = probe_argv(&view, in, &c);
	free(ws);
	return probe_argv_drift(argv, m->drift_threshold, q->drift_ref_ns,
	    q->extra_samples);
}

int
run_probe(const struct run *r, const struct interp *in,
    const struct probe_request *q, struct proc_result *res)
{
	char **argv = request_argv(r, in, q);
	struct proc_opts o = {.argv = argv,
	    .env_extra = in->env,
	    .capture_stdout = 1,
	    .capture_stderr = 1,
	    .timeout_s = r->m->timeout_s,
	    .affinity = r->pinned ? &r->cpus : NULL};
	int rc;

	if (q->memory && q->memory->interval_ms > 0) {
		o.tick = memory_tick;
		o.tick_arg = q->memory;
		o.tick_ms = q->memory->interval_ms;
	}
	rc = proc_run(&o, res);
	probe_argv_free(argv);
	return rc;
}

static void
cell_measure_once(struct run *r, const struct interp *in, const struct cell *c,
    struct result_cell *rc)
{
	const struct matrix *m = r->m;
	struct memory_profile mp;
	struct probe_request q = {.workload = c->workload,
	    .engine = c->engine,
	    .threads = c->threads,
	    .samples = m->samples,
	    .warmup = m->warmup,
	    .iterations = run_iterations(r, c->workload),
	    .memory = &mp,
	    .drift_ref_ns =
	        drift_refs_get(&r->refs, in->spec->id, c->threads),
	    .extra_samples = r->rs->settings.extra_samples};
	struct proc_result res;

	rc->interp = xstrdup(in->spec->id);
	rc->workload = xstrdup(m->workloads[c->workload].name);
	rc->engine = xstrdup(m->engines[c->engine]);
	rc->threads = c->threads;
	rc->rep = c->rep;
	rc->key = cell_key(m, c);
	memory_begin(&mp, m->memory_interval_ms);
	if (run_probe(r, in, &q, &res) < 0) {
		rc->status = xstrdup("failed");
		rc->error = xstrdup("cannot start the probe");
		return;
	}
	rc->exit_status = res.exit_status;
	rc->elapsed_s = res.wall_s;
	rc->stderr_tail = text_tail(buf_str(&res.err), 20);
	rc->rusage = (struct cell_rusage){1, res.user_s, res.sys_s,
	    res.maxrss_kib, res.voluntary_switches, res.involuntary_switches};
	if (mp.nsamples)
		rc->memory_json = memory_profile_json(&mp);
	memory_free(&mp);
	if (res.timed_out || res.signal || res.interrupted) {
		rc->status = xstrdup(res.timed_out ? "timeout"
		        : res.interrupted          ? "interrupted"
		                                   : "crashed");
		rc->error = proc_describe(&res);
	} else if (result_cell_parse_probe(rc, buf_str(&res.out)) < 0) {
		char *e = rc->error;

		rc->error = xasprintf("%s (%s)", e,
		    res.exit_status ? "exit status non-zero" : "exit status 0");
		free(e);
	} else if (!rc->status) {
		rc->status = xstrdup(res.exit_status == 0 ? "ok" : "failed");
		if (res.exit_status != 0 && !rc->error)
			rc->error = proc_describe(&res);
	}
	proc_result_free(&res);
}

/* A probe process that never reached the fast mode (no sample counted
 * against the fastest drift snippet seen) is replaced by a fresh one, at
 * most this many times per cell. */
#define REPLACE_MAX 2

static const char *
replace_reason(const struct run *r, const struct result_cell *rc)
{
	size_t slow = 0, desched = 0;

	if (!rc->status || strcmp(rc->status, "ok") != 0 || !rc->disturbed ||
	    drift_cell_kept(&r->refs, rc, NULL) > 0)
		return NULL;
	for (size_t i = 0; i < rc->nwall; i++) {
		int st = drift_sample_state(&r->refs, rc, i);

		slow += st == DISTURBED_SLOW_PHASE;
		desched += st == DISTURBED_DESCHEDULED;
	}
	return slow >= desched ? "never reached the fast mode"
	                       : "descheduled in every sample";
}

static void
cell_measure(struct run *r, const struct interp *in, const struct cell *c,
    struct result_cell *rc)
{
	struct buf replaced = {0};
	const char *why;
	int n = 0;

	for (;;) {
		cell_measure_once(r, in, c, rc);
		drift_refs_add_cell(&r->refs, rc);
		why = replace_reason(r, rc);
		if (!why || n == REPLACE_MAX || interrupted)
			break;
		{
			struct summary s;

			stats_summarize(rc->wall_ns, rc->nwall, &s);
			buf_printf(&replaced,
			    "%s{\"reason\": \"%s\", \"samples\": %zu, "
			    "\"median_ns\": %.0f, \"drift_reference_ns\": "
			    "%.0f}",
			    n ? ", " : "{\"processes\": [", why, rc->nwall,
			    s.median,
			    drift_refs_get(&r->refs, rc->interp, rc->threads));
		}
		n++;
		result_cell_clear(rc);
	}
	if (n) {
		buf_puts(&replaced, "]}");
		rc->replaced_json = xstrdup(buf_str(&replaced));
	}
	buf_free(&replaced);
}

int
run_save(struct run *r)
{
	free(r->rs->updated);
	r->rs->updated = time_iso8601();
	if (results_save(r->rs, r->results_path) == 0)
		return 0;
	error("%s: results could not be saved; what it already held is "
	      "intact. Fix the cause above (space, permissions), then resume "
	      "with the same command",
	    r->results_path);
	return -1;
}

/* "3.13t cpu_loop threads x2 rep 2/3" */
static char *
cell_what(const struct run *r, const struct cell *c)
{
	return xasprintf("%s %s %s x%d rep %d/%d", r->in[c->interp].label,
	    r->m->workloads[c->workload].name, r->m->engines[c->engine],
	    c->threads, c->rep + 1, r->m->repetitions);
}

static char *
cell_summary(const struct result_cell *c)
{
	struct summary s;

	if (strcmp(c->status, "ok") != 0)
		return xasprintf("%s: %s", c->status, c->error ? c->error : "");
	stats_summarize(c->wall_ns, c->nwall, &s);
	return xasprintf(
	    "median %.3f ms, CV %.1f%%", s.median / 1e6, s.cv * 100);
}

/* Cells of one kind (workload, engine, threads) take about as long: the
 * ETA's unit. */
size_t
run_cell_class(const struct matrix *m, const struct cell *c)
{
	size_t t = 0;

	while (t < m->nthreads && m->threads[t] != c->threads)
		t++;
	return (c->workload * m->nengines + c->engine) * m->nthreads + t;
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

int
run_measure_cell(struct run *r, const struct cell *c, size_t *failed)
{
	struct result_cell *cell;
	char *what, *summary;
	double t;

	what = cell_what(r, c);
	progress_start(&r->progress, what);
	free(what);
	t = now_mono_s();
	cell = results_add_cell(r->rs);
	cell_measure(r, &r->in[c->interp], c, cell);
	if (strcmp(cell->status, "interrupted") == 0) {
		/* not data: the cell is measured again on resume */
		results_drop_last(r->rs);
		return 1;
	}
	if (strcmp(cell->status, "ok") != 0)
		(*failed)++;
	if (run_save(r) < 0)
		return -1;
	summary = cell_summary(cell);
	progress_done(&r->progress, run_cell_class(r->m, c), now_mono_s() - t,
	    strcmp(cell->status, "ok") != 0, summary);
	free(summary);
	return 0;
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

static void
noise_report(struct run *r)
{
	struct analysis a;
	size_t i, n = 0;

	analysis_make(r->rs, &a);
	for (i = 0; i < a.ngroups; i++) {
		const struct group *g = &a.groups[i];

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
	analysis_free(&a);
}

/* Returns how many noise problems were found, all of them printed. */
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
	return noisy;
}

static int
interrupted_exit(struct run *r, const char *matrix_path, const char *outdir)
{
	r->rs->with_analysis = 1;
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

int
run_matrix(
    const char *matrix_path, const struct run_opts *opts, char **report_path)
{
	struct matrix m;
	struct resultset rs = {0}, old = {0};
	struct interp *in = NULL;
	struct run r = {.m = &m, .rs = &rs, .opts = opts};
	char *outdir = NULL, *results_path = NULL;
	int have_old = 0, rc = 1, noisy, lock = -1;
	char sha[65];

	progress_begin(&r.progress, opts->quiet, opts->verbose, 1);
	{
		struct matrix_input mi = {.path = matrix_path,
		    .text = opts->matrix_text,
		    .workloads_dirs = opts->workloads_dirs,
		    .nworkloads_dirs = opts->nworkloads_dirs,
		    .overrides = opts->overrides_of};

		if (matrix_open_input(&mi, &m) != 0)
			goto out;
	}
	if (matrix_path &&
	    matrix_trust_check(&m, matrix_path, opts->provision.trust_matrix))
		goto out;
	sha256_hex(m.text, strlen(m.text), sha);
	if (opts->shard.count && shard_cut(&m, opts, &rs.shard) < 0)
		goto out;
	if (affinity_resolve(&m, opts, &r.cpus, &r.pinned) < 0)
		goto out;
	refine_apply_opts(&m, opts);
	settings_make(&rs.settings, &m, r.pinned ? &r.cpus : NULL);
	outdir = opts->outdir ? xstrdup(opts->outdir) : default_outdir(&m);
	results_path = path_join(outdir, "results.json");
	if (outdir_writable(outdir) < 0 || (lock = outdir_lock(outdir)) < 0 ||
	    outdir_claim(outdir, results_path, opts->force) < 0)
		goto out;
	r.results_path = results_path;
	if (path_exists(results_path)) {
		if (results_load(results_path, &old) < 0 ||
		    shard_resume_check(&old, &rs.shard, results_path) < 0 ||
		    resume_check(&old, &m, &rs.settings, results_path) < 0)
			goto out;
		have_old = 1;
	}
	if (!opts->quiet)
		fprintf(stderr, "ftmatrix: provisioning %zu interpreters\n",
		    m.ninterps);
	if (provision_all(&m, &opts->provision, &in) < 0) {
		if (interrupted)
			rc = RUN_INTERRUPTED;
		goto out;
	}
	r.in = in;

	rs.schema_version = RESULTS_SCHEMA_VERSION;
	rs.ftmatrix_version = xstrdup(FTMATRIX_VERSION);
	rs.command = xstrdup(opts->command ? opts->command : "");
	rs.matrix_name = xstrdup(m.name);
	rs.matrix_path = xstrdup(m.path); /* a URL without its password */
	rs.matrix_text = xstrdup(m.text);
	rs.matrix_sha256 = xstrdup(sha);
	rs.baseline = m.baseline ? xstrdup(m.baseline) : NULL;
	rs.workload_files = workload_files_record(&m);
	rs.overrides = opts->overrides ? xstrdup(opts->overrides) : NULL;
	machine_capture(&rs.machine);
	interps_record(&rs, &m, in);
	if (have_old) {
		if (resume_check_identities(&old, &rs, results_path) < 0 ||
		    workload_files_unchanged(&m, old.workload_files,
		        rs.workload_files, results_path) < 0)
			goto out;
		cells_adopt(&rs, &old);
		if (opts->retry_failed) {
			size_t n = results_drop_failed(&rs);

			if (!opts->quiet)
				fprintf(stderr,
				    "ftmatrix: --retry-failed: %zu failed "
				    "cell%s to measure again\n",
				    n, n == 1 ? "" : "s");
		}
	}
	if (!rs.created)
		rs.created = time_iso8601();
	drift_refs_make(&rs, &r.refs);
	if (run_save(&r) < 0)
		goto out;
	if (interrupted) {
		rc = interrupted_exit(&r, matrix_path, outdir);
		goto out;
	}
	noisy = preflight(&r);
	if (run_save(&r) < 0)
		goto out;
	if (noisy && opts->strict) {
		/* the pre-flight's findings are in results.json */
		error("refusing to measure on a noisy machine (--strict): %d "
		      "problem%s above",
		    noisy, noisy == 1 ? "" : "s");
		goto out;
	}
	rc = calibrate_all(&r);
	if (rc == 0) {
		double t0 = now_mono_s();

		progress_end(&r.progress);
		progress_begin(&r.progress, opts->quiet, opts->verbose,
		    m.nworkloads * m.nengines * m.nthreads);
		rc = measure_all(&r);
		if (rc == 0)
			rc = refine_all(&r, now_mono_s() - t0);
	}
	if (rc == RUN_INTERRUPTED) {
		progress_end(&r.progress);
		rc = interrupted_exit(&r, matrix_path, outdir);
		goto out;
	}
	if (rc != 0) {
		rc = 1;
		goto out;
	}
	progress_end(&r.progress);
	rs.complete = 1;
	rs.with_analysis = 1;
	if (run_save(&r) < 0) {
		rc = 1;
		goto out;
	}
	if (!opts->quiet)
		noise_report(&r);
	{
		struct report_opts ro = report_opts_default();

		if (report_write(&rs, outdir, &ro) < 0) {
			rc = 1;
			goto out;
		}
	}
	if (!opts->quiet) {
		fprintf(stderr, "\n");
		show_print(stderr, &rs);
		fprintf(stderr, "\n");
	}
	*report_path = path_join(outdir, "report.html");
	rc = 0;
out:
	progress_end(&r.progress);
	if (lock >= 0)
		close(lock);
	if (have_old)
		results_free(&old);
	drift_refs_free(&r.refs);
	results_free(&rs);
	interps_free(in, m.ninterps);
	matrix_free(&m);
	free(outdir);
	free(results_path);
	return rc;
}
