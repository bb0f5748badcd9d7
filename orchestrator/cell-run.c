/* One cell of a run: its probe process started, measured (a process that
 * never reached the fast mode replaced), recorded and saved. The planned
 * rounds (run.c), calibration and the precision rounds all measure
 * through here. */
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

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
	return probe_argv_drift(
	    argv, m->drift_threshold, q->drift_ref_ns, q->extra_samples);
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
	    .drift_ref_ns = drift_refs_get(&r->refs, in->spec->id, c->threads),
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

	if (!cell_ok(rc) || !rc->disturbed ||
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
