#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"

static char *
default_outdir(const struct matrix *m)
{
	char *stamp = time_stamp();
	char *dir = xasprintf("results/%s-%s", m->name, stamp);

	free(stamp);
	return dir;
}

static void
interps_record(struct resultset *rs, const struct matrix *m,
    struct interp *in)
{
	size_t i;

	rs->ninterps = m->ninterps;
	rs->interps = xcalloc(m->ninterps, sizeof(*rs->interps));
	for (i = 0; i < m->ninterps; i++) {
		const struct interp_spec *spec = &m->interps[i];
		struct result_interp *ri = &rs->interps[i];
		const char *req = spec->request ? spec->request
		    : spec->version ? spec->version
		    : spec->path ? spec->path
		    : spec->source ? spec->source
		    : spec->variant_of ? spec->variant_of : "";

		ri->id = xstrdup(spec->id);
		ri->label = xstrdup(in[i].label ? in[i].label : spec->id);
		ri->provider = xstrdup(provider_name(spec->provider));
		ri->request = xstrdup(req);
		ri->available = in[i].available;
		ri->error = in[i].error ? xstrdup(in[i].error) : NULL;
		ri->identity = in[i].identity;
		/* the result set owns the identity from here on */
		memset(&in[i].identity, 0, sizeof(in[i].identity));
	}
}

/* Old cells can be kept only if they measured the same thing. */
static int
resume_check(const struct resultset *old, const struct matrix *m,
    const char *path)
{
	if (!old->matrix_text || strcmp(old->matrix_text, m->text) != 0) {
		error("%s was written for a different matrix; resuming would "
		      "mix incomparable cells (use another -o DIR)", path);
		return -1;
	}
	return 0;
}

static int
resume_check_interps(const struct resultset *old, const struct resultset *rs,
    const char *path)
{
	size_t i;

	for (i = 0; i < rs->ninterps; i++) {
		const struct result_interp *a = results_interp(old, rs->interps[i].id);
		const struct identity *now = &rs->interps[i].identity;

		if (!a || !a->available || !rs->interps[i].available)
			continue;
		if (strcmp(a->identity.version ? a->identity.version : "",
			now->version ? now->version : "") != 0 ||
		    a->identity.gil_disabled_build != now->gil_disabled_build) {
			error("%s: interpreter %s is now %s, the old cells measured %s",
			    path, rs->interps[i].id, rs->interps[i].label, a->label);
			return -1;
		}
	}
	return 0;
}

static void
cells_adopt(struct resultset *rs, struct resultset *old)
{
	rs->cells = old->cells;
	rs->ncells = old->ncells;
	rs->cells_cap = old->cells_cap;
	rs->created = old->created;
	old->cells = NULL;
	old->ncells = old->cells_cap = 0;
	old->created = NULL;
}

static void
cell_measure(const struct matrix *m, const struct interp *in,
    const struct cell *c, struct result_cell *rc)
{
	const struct workload_spec *w = &m->workloads[c->workload];
	char **argv = probe_argv(m, in, c);
	struct proc_opts o = { .argv = argv, .env_extra = in->env,
		.capture_stdout = 1, .capture_stderr = 1,
		.timeout_s = m->timeout_s };
	struct proc_result r;

	rc->interp = xstrdup(in->spec->id);
	rc->workload = xstrdup(w->name);
	rc->engine = xstrdup(m->engines[c->engine]);
	rc->threads = c->threads;
	rc->rep = c->rep;
	rc->key = cell_key(m, c);
	if (proc_run(&o, &r) < 0) {
		rc->status = xstrdup("failed");
		rc->error = xstrdup("cannot start the probe");
		probe_argv_free(argv);
		return;
	}
	rc->exit_status = r.exit_status;
	rc->elapsed_s = r.wall_s;
	rc->stderr_tail = text_tail(buf_str(&r.err), 20);
	if (r.timed_out || r.signal || r.interrupted) {
		rc->status = xstrdup(r.timed_out ? "timeout"
			: r.interrupted		 ? "interrupted"
						 : "crashed");
		rc->error = proc_describe(&r);
	} else if (result_cell_parse_probe(rc, buf_str(&r.out)) < 0) {
		free(rc->error);
		rc->error = xasprintf("the probe printed no valid JSON (%s)",
		    r.exit_status ? "exit status non-zero" : "exit status 0");
	} else if (!rc->status) {
		rc->status = xstrdup(r.exit_status == 0 ? "ok" : "failed");
		if (r.exit_status != 0 && !rc->error)
			rc->error = proc_describe(&r);
	}
	proc_result_free(&r);
	probe_argv_free(argv);
}

static double
median_ms(const struct result_cell *c)
{
	struct summary s;

	if (c->nwall == 0)
		return 0;
	stats_summarize(c->wall_ns, c->nwall, &s);
	return s.median / 1e6;
}

static void
progress(const struct run_opts *opts, size_t i, size_t n,
    const struct interp *in, const struct result_cell *c)
{
	if (opts->quiet)
		return;
	if (strcmp(c->status, "ok") == 0)
		fprintf(stderr, "[%zu/%zu] %-14s %-16s %s x%d rep %d: median %.2f ms\n",
		    i, n, in->label, c->workload, c->engine, c->threads, c->rep + 1,
		    median_ms(c));
	else
		fprintf(stderr, "[%zu/%zu] %-14s %-16s %s x%d rep %d: %s: %s\n", i,
		    n, in->label, c->workload, c->engine, c->threads, c->rep + 1,
		    c->status, c->error ? c->error : "");
}

static int
measure_all(const struct matrix *m, struct interp *in, struct resultset *rs,
    const char *results_path, const struct run_opts *opts)
{
	struct plan p;
	size_t i, todo = 0, done = 0, failed = 0;
	int rc = 0;

	plan_make(m, &p);
	for (i = 0; i < p.ncells; i++) {
		char *key = cell_key(m, &p.cells[i]);

		if (in[p.cells[i].interp].available && !results_find(rs, key))
			todo++;
		free(key);
	}
	if (rs->ncells && !opts->quiet)
		fprintf(stderr, "ftmatrix: resuming: %zu cells kept, %zu to run\n",
		    rs->ncells, todo);
	for (i = 0; i < p.ncells && !interrupted; i++) {
		const struct cell *c = &p.cells[i];
		char *key = cell_key(m, c);
		struct result_cell *cell;
		int found = results_find(rs, key) != NULL;

		free(key);
		if (!in[c->interp].available || found)
			continue;
		cell = results_add_cell(rs);
		cell_measure(m, &in[c->interp], c, cell);
		if (strcmp(cell->status, "interrupted") == 0) {
			/* not data: the cell is measured again on resume */
			results_drop_last(rs);
			break;
		}
		if (strcmp(cell->status, "ok") != 0)
			failed++;
		free(rs->updated);
		rs->updated = time_iso8601();
		if (results_save(rs, results_path) < 0) {
			plan_free(&p);
			return -1;
		}
		progress(opts, ++done, todo, &in[c->interp], cell);
	}
	plan_free(&p);
	if (failed)
		warn("%zu cell%s failed; see the report's warnings", failed,
		    failed == 1 ? "" : "s");
	if (interrupted)
		rc = 130;
	return rc;
}

int
run_matrix(const char *matrix_path, const struct run_opts *opts,
    char **report_path)
{
	struct matrix m;
	struct resultset rs = { 0 }, old = { 0 };
	struct interp *in = NULL;
	char *outdir = NULL, *results_path = NULL;
	int have_old = 0, rc = 1;

	if (matrix_open(matrix_path, &m) != 0)
		goto out;
	outdir = opts->outdir ? xstrdup(opts->outdir) : default_outdir(&m);
	if (mkdir_p(outdir) < 0 || access(outdir, W_OK) < 0) {
		error("%s: output directory is not writable", outdir);
		goto out;
	}
	results_path = path_join(outdir, "results.json");
	if (path_exists(results_path)) {
		if (results_load(results_path, &old) < 0 ||
		    resume_check(&old, &m, results_path) < 0)
			goto out;
		have_old = 1;
	}
	if (!opts->quiet)
		fprintf(stderr, "ftmatrix: provisioning %zu interpreters\n",
		    m.ninterps);
	if (provision_all(&m, &opts->provision, &in) < 0)
		goto out;

	rs.schema_version = RESULTS_SCHEMA_VERSION;
	rs.ftmatrix_version = xstrdup(FTMATRIX_VERSION);
	rs.command = xstrdup(opts->command ? opts->command : "");
	rs.matrix_name = xstrdup(m.name);
	rs.matrix_path = xstrdup(matrix_path);
	rs.matrix_text = xstrdup(m.text);
	rs.baseline = m.baseline ? xstrdup(m.baseline) : NULL;
	machine_capture(&rs.machine);
	interps_record(&rs, &m, in);
	if (have_old) {
		if (resume_check_interps(&old, &rs, results_path) < 0)
			goto out;
		cells_adopt(&rs, &old);
	}
	if (!rs.created)
		rs.created = time_iso8601();
	rs.updated = time_iso8601();
	if (results_save(&rs, results_path) < 0)
		goto out;
	rc = measure_all(&m, in, &rs, results_path, opts);
	if (rc == 130) {
		fprintf(stderr,
		    "ftmatrix: interrupted; %zu cells kept in %s\n"
		    "ftmatrix: resume with: ftmatrix run %s -o %s\n",
		    rs.ncells, results_path, matrix_path, outdir);
		goto out;
	}
	if (rc != 0)
		goto out;
	rs.complete = 1;
	if (results_save(&rs, results_path) < 0) {
		rc = 1;
		goto out;
	}
	{
		struct report_opts ro = { .html = 1, .csv = 1, .md = 1, .png = 1,
			.svg = 1 };

		if (report_write(&rs, outdir, &ro) < 0) {
			rc = 1;
			goto out;
		}
	}
	*report_path = path_join(outdir, "report.html");
	rc = 0;
out:
	if (have_old)
		results_free(&old);
	results_free(&rs);
	interps_free(in, m.ninterps);
	matrix_free(&m);
	free(outdir);
	free(results_path);
	return rc;
}
