#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

#define MAX_ENGINES 8

/* Horizontal bars: one row per workload of the kind perf (1 Python code,
 * 2 C-level probes), one bar per interpreter, the percentage by which one
 * thread is slower than the baseline. */
static int
overhead_chart(
    const struct report *r, const char *cdir, const char *name, char perf)
{
	const struct resultset *rs = r->rs;
	const struct analysis *a = &r->a;
	const char **cats = xcalloc(a->nworkloads + 1, sizeof(*cats));
	const char **series = xcalloc(rs->ninterps + 1, sizeof(*series));
	const char **colour = xcalloc(rs->ninterps + 1, sizeof(*colour));
	struct bar *v;
	size_t ncats = 0, nseries = 0;
	char *title;
	int rc;

	if (a->baseline == SIZE_MAX) {
		free(cats);
		free(series);
		free(colour);
		return 0;
	}
	for (size_t w = 0; w < a->nworkloads; w++)
		if (r->perf[w] == perf)
			cats[ncats++] = a->workloads[w];
	v = xcalloc(ncats * rs->ninterps + 1, sizeof(*v));
	for (size_t i = 0; i < rs->ninterps; i++) {
		if (i == a->baseline)
			continue;
		for (size_t k = 0; k < ncats; k++) {
			const char *e = report_engine(a, cats[k]);
			const struct group *g =
			    e ? analysis_find(a, i, cats[k], e, 1) : NULL;
			struct bar *b = &v[nseries * ncats + k];

			if (!g || !g->has_overhead)
				continue;
			b->has = b->has_ci = 1;
			b->v = (g->overhead - 1) * 100;
			b->lo = (g->overhead_lo - 1) * 100;
			b->hi = (g->overhead_hi - 1) * 100;
		}
		series[nseries] = report_label(rs, i);
		colour[nseries++] = chart_colour(&r->style, i);
	}
	title = xasprintf("%s overhead vs %s (lower is better)",
	    perf == 1 ? "Single-thread" : "C-level probes, single-thread",
	    report_label(rs, a->baseline));
	rc = chart_bars(&r->style,
	    &(struct bars){.name = name,
	        .title = title,
	        .value_label = "time per run vs baseline, 1 thread (%)",
	        .axis_format = "%+g%%",
	        .value_format = "%+.1f%%",
	        .cats = cats,
	        .ncats = ncats,
	        .series = series,
	        .colour = colour,
	        .nseries = nseries,
	        .v = v,
	        .base = 0,
	        .base_line = 1,
	        .horizontal = 1},
	    cdir);
	free(title);
	free(cats);
	free(series);
	free(colour);
	free(v);
	return rc;
}

/* Python code and the C-level probes apart: a C API call several times
 * slower would squash every workload's bar into a sliver. */
int
chart_overhead(const struct report *r, const char *cdir)
{
	if (overhead_chart(r, cdir, "overhead", 1) < 0 ||
	    overhead_chart(r, cdir, "overhead-cprobes", 2) < 0)
		return -1;
	return 0;
}

/* Horizontal bars: every timed workload's speedup at the highest thread
 * count, per interpreter, against the no-speedup and ideal lines. */
int
chart_scaling_summary(const struct report *r, const char *cdir)
{
	const struct resultset *rs = r->rs;
	const struct analysis *a = &r->a;
	int top = a->nthreads ? a->threads[a->nthreads - 1] : 0, rc;
	const char **cats = xcalloc(a->nworkloads + 1, sizeof(*cats));
	const char **series = xcalloc(rs->ninterps + 1, sizeof(*series));
	const char **colour = xcalloc(rs->ninterps + 1, sizeof(*colour));
	struct bar *v;
	size_t ncats = 0, nseries = 0;
	char *title, *ideal;

	for (size_t w = 0; w < a->nworkloads; w++)
		if (r->perf[w])
			cats[ncats++] = a->workloads[w];
	v = xcalloc(ncats * rs->ninterps + 1, sizeof(*v));
	for (size_t i = 0; top > 1 && i < rs->ninterps; i++) {
		int any = 0;

		for (size_t k = 0; k < ncats; k++) {
			const char *e = report_engine(a, cats[k]);
			const struct group *g =
			    e ? analysis_find(a, i, cats[k], e, top) : NULL;
			struct bar *b = &v[nseries * ncats + k];

			if (!g || !g->has_speedup)
				continue;
			b->has = b->has_ci = any = 1;
			b->v = g->speedup;
			b->lo = g->speedup_lo;
			b->hi = g->speedup_hi;
		}
		if (!any)
			continue;
		series[nseries] = report_label(rs, i);
		colour[nseries++] = chart_colour(&r->style, i);
	}
	title = xasprintf("Speedup on %d threads (higher is better)", top);
	ideal = xasprintf("ideal %dx", top);
	/* one workload says no more than its own chart */
	rc = ncats < 2 ? 0
	               : chart_bars(&r->style,
	                     &(struct bars){.name = "scaling-summary",
	                         .title = title,
	                         .value_label = "speedup vs 1 thread (x)",
	                         .axis_format = "%gx",
	                         .value_format = "%.2fx",
	                         .cats = cats,
	                         .ncats = ncats,
	                         .series = series,
	                         .colour = colour,
	                         .nseries = nseries,
	                         .v = v,
	                         .base = 0,
	                         .horizontal = 1,
	                         .ref = {1, top},
	                         .ref_label = {"1x", ideal},
	                         .nref = 2},
	                     cdir);
	free(title);
	free(ideal);
	free(cats);
	free(series);
	free(colour);
	free(v);
	return rc;
}

struct series_set {
	const char **label, **colour, **engine;
	int *variant;
	char **owned;
	size_t n;
};

/* One series per interpreter and engine of the workload that has data;
 * returns the engines through out. */
static void
series_make(const struct report *r, const char *workload, struct series_set *s,
    const char **engines, size_t nengines, size_t *interp, size_t *engine)
{
	size_t max = r->rs->ninterps * nengines + 1;

	s->label = xcalloc(max, sizeof(*s->label));
	s->colour = xcalloc(max, sizeof(*s->colour));
	s->variant = xcalloc(max, sizeof(*s->variant));
	s->engine = xcalloc(max, sizeof(*s->engine));
	s->owned = xcalloc(max, sizeof(*s->owned));
	s->n = 0;
	for (size_t i = 0; i < r->rs->ninterps; i++)
		for (size_t e = 0; e < nengines; e++) {
			int has = 0;

			for (size_t k = 0; k < r->a.nthreads; k++)
				has |= analysis_find(&r->a, i, workload,
				           engines[e], r->a.threads[k]) != NULL;
			if (!has)
				continue;
			s->owned[s->n] =
			    chart_series_label(r, i, engines[e], nengines);
			s->label[s->n] = s->owned[s->n];
			s->colour[s->n] = chart_colour(&r->style, i);
			s->variant[s->n] = chart_engine_variant(engines[e]);
			s->engine[s->n] = engines[e];
			interp[s->n] = i;
			engine[s->n++] = e;
		}
}

static void
series_free(struct series_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->owned[i]);
	free(s->owned);
	free(s->label);
	free(s->colour);
	free(s->variant);
	free(s->engine);
}

/* Threads against processes (and executors) at equal worker counts: time
 * per run, one cluster per worker count. */
int
chart_engines(const struct report *r, const char *workload, const char *cdir)
{
	const char *engines[MAX_ENGINES];
	size_t nengines = report_engines(&r->a, workload, engines, MAX_ENGINES);
	size_t *si, *se, ncats = r->a.nthreads;
	struct series_set s;
	const char **cats;
	char **catbuf;
	struct bar *v;
	double unit = 0, top;
	const char *u;
	char *name, *title, *ylabel;
	int rc;

	if (nengines < 2)
		return 0;
	si = xcalloc(r->rs->ninterps * nengines + 1, sizeof(*si));
	se = xcalloc(r->rs->ninterps * nengines + 1, sizeof(*se));
	series_make(r, workload, &s, engines, nengines, si, se);
	v = xcalloc(s.n * ncats + 1, sizeof(*v));
	cats = xcalloc(ncats + 1, sizeof(*cats));
	catbuf = xcalloc(ncats + 1, sizeof(*catbuf));
	for (size_t k = 0; k < ncats; k++) {
		catbuf[k] = xasprintf("%d", r->a.threads[k]);
		cats[k] = catbuf[k];
		for (size_t j = 0; j < s.n; j++) {
			const struct group *g = analysis_find(&r->a, si[j],
			    workload, engines[se[j]], r->a.threads[k]);

			if (g && g->wall.n)
				unit = fmax(unit, g->wall.median);
		}
	}
	/* one unit for the axis: the one the largest median reads best in */
	top = unit;
	unit = format_time_unit(unit, &u);
	for (size_t j = 0; j < s.n; j++)
		for (size_t k = 0; k < ncats; k++) {
			const struct group *g = analysis_find(&r->a, si[j],
			    workload, engines[se[j]], r->a.threads[k]);
			struct bar *b = &v[j * ncats + k];

			if (!g || !g->wall.n)
				continue;
			b->has = 1;
			b->has_ci = g->wall.n > 1;
			b->v = g->wall.median / unit;
			b->lo = g->wall.ci_lo / unit;
			b->hi = g->wall.ci_hi / unit;
		}
	name = chart_name("engines", workload);
	title =
	    xasprintf("Threads vs processes: %s (lower is better)", workload);
	ylabel = xasprintf("time per run, median (%s)", u);
	rc = chart_bars_by_interp(r,
	    &(struct bars){.name = name,
	        .title = title,
	        .value_label = ylabel,
	        .cat_label = "workers",
	        .cats = cats,
	        .ncats = ncats,
	        .series = s.label,
	        .colour = s.colour,
	        .variant = s.variant,
	        .nseries = s.n,
	        .v = v,
	        .value_format = chart_value_format(top / unit)},
	    si, s.engine, cdir);
	for (size_t k = 0; k < ncats; k++)
		free(catbuf[k]);
	free(catbuf);
	free(cats);
	free(v);
	free(si);
	free(se);
	free(name);
	free(title);
	free(ylabel);
	series_free(&s);
	return rc;
}

/* p50/p95/p99 of per-task times (per-run times when the probe did not time
 * tasks), at the highest worker count every series reached. */
int
chart_latency(const struct report *r, const char *workload, const char *cdir)
{
	static const char *const cats[] = {"p50", "p95", "p99"};
	const char *engines[MAX_ENGINES];
	size_t nengines = report_engines(&r->a, workload, engines, MAX_ENGINES);
	size_t *si, *se;
	struct series_set s;
	struct bar *v;
	int threads = 0, tasks = 0, rc;
	double top = 0, unit;
	const char *u;
	char *name, *title, *ylabel;

	si = xcalloc(r->rs->ninterps * nengines + 1, sizeof(*si));
	se = xcalloc(r->rs->ninterps * nengines + 1, sizeof(*se));
	series_make(r, workload, &s, engines, nengines, si, se);
	for (size_t k = r->a.nthreads; k-- > 0 && !threads;) {
		size_t have = 0;

		for (size_t j = 0; j < s.n; j++) {
			const struct group *g = analysis_find(&r->a, si[j],
			    workload, engines[se[j]], r->a.threads[k]);

			have += g && report_gx(r, g)->latency.n > 0;
		}
		if (have == s.n && have)
			threads = r->a.threads[k];
	}
	v = xcalloc(s.n * 3 + 1, sizeof(*v));
	for (size_t j = 0; threads && j < s.n; j++) {
		const struct group *g = analysis_find(
		    &r->a, si[j], workload, engines[se[j]], threads);
		const struct summary *l = &report_gx(r, g)->latency;
		double p[] = {l->p50, l->p95, l->p99};

		tasks |= report_gx(r, g)->latency_tasks;
		for (size_t k = 0; k < 3; k++) {
			v[j * 3 + k].has = 1;
			v[j * 3 + k].v = p[k];
			top = fmax(top, p[k]);
		}
	}
	if (!threads || top <= 0) {
		free(si);
		free(se);
		free(v);
		series_free(&s);
		return 0;
	}
	unit = format_time_unit(top, &u);
	for (size_t j = 0; j < s.n * 3; j++)
		v[j].v /= unit;
	name = chart_name("latency", workload);
	title =
	    xasprintf("Latency: %s, %d %s (lower is better)", workload, threads,
	        nengines > 1 || strcmp(engines[0], "threads") != 0
	            ? (threads == 1 ? "worker" : "workers")
	            : (threads == 1 ? "thread" : "threads"));
	ylabel =
	    xasprintf("%s (%s)", tasks ? "time per task" : "time per run", u);
	rc = chart_bars_by_interp(r,
	    &(struct bars){.name = name,
	        .title = title,
	        .value_label = ylabel,
	        .cat_label = "percentile",
	        .cats = cats,
	        .ncats = 3,
	        .series = s.label,
	        .colour = s.colour,
	        .variant = s.variant,
	        .nseries = s.n,
	        .v = v,
	        .value_format =
	            s.n <= 4 ? chart_value_format(top / unit) : NULL},
	    si, s.engine, cdir);
	free(si);
	free(se);
	free(v);
	free(name);
	free(title);
	free(ylabel);
	series_free(&s);
	return rc;
}
