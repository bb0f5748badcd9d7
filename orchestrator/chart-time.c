#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

#define MAX_ENGINES 8

/* A bar per workload and interpreter: the workloads of the kind perf (1
 * Python code, 2 C-level probes, 0 either), the first ninterps
 * interpreters but skip, each from its group on the workload's summary
 * engine at threads that fill takes a bar from. An interpreter without
 * any bar is left out unless keep_empty. */
struct workload_bars {
	const char **cats, **series, **colour;
	struct bar *v;
	size_t ncats, nseries;
};

static void
workload_bars_make(const struct report *r, char perf, int threads,
    size_t ninterps, size_t skip, int keep_empty,
    int (*fill)(const struct group *, struct bar *), struct workload_bars *wb)
{
	const struct analysis *a = &r->a;

	wb->cats = xcalloc(a->nworkloads + 1, sizeof(*wb->cats));
	wb->series = xcalloc(r->rs->ninterps + 1, sizeof(*wb->series));
	wb->colour = xcalloc(r->rs->ninterps + 1, sizeof(*wb->colour));
	wb->ncats = wb->nseries = 0;
	for (size_t w = 0; w < a->nworkloads; w++)
		if (perf ? r->perf[w] == perf : r->perf[w] != 0)
			wb->cats[wb->ncats++] = a->workloads[w];
	wb->v = xcalloc(wb->ncats * r->rs->ninterps + 1, sizeof(*wb->v));
	for (size_t i = 0; i < ninterps; i++) {
		int any = 0;

		if (i == skip)
			continue;
		for (size_t k = 0; k < wb->ncats; k++) {
			const char *e = report_engine(a, wb->cats[k]);
			const struct group *g = e
			    ? analysis_find(a, i, wb->cats[k], e, threads)
			    : NULL;

			if (g)
				any |= fill(
				    g, &wb->v[wb->nseries * wb->ncats + k]);
		}
		if (!any && !keep_empty)
			continue;
		wb->series[wb->nseries] = report_label(r->rs, i);
		wb->colour[wb->nseries++] = chart_colour(&r->style, i);
	}
}

/* b with wb's categories, series and bars */
static struct bars
workload_bars_of(const struct workload_bars *wb, struct bars b)
{
	b.cats = wb->cats;
	b.ncats = wb->ncats;
	b.series = wb->series;
	b.colour = wb->colour;
	b.nseries = wb->nseries;
	b.v = wb->v;
	return b;
}

static void
workload_bars_free(struct workload_bars *wb)
{
	free(wb->cats);
	free(wb->series);
	free(wb->colour);
	free(wb->v);
}

/* The percentage by which one thread is slower than the baseline. */
static int
overhead_bar(const struct group *g, struct bar *b)
{
	if (!g->has_overhead)
		return 0;
	b->has = b->has_ci = 1;
	b->v = (g->overhead - 1) * 100;
	b->lo = (g->overhead_lo - 1) * 100;
	b->hi = (g->overhead_hi - 1) * 100;
	return 1;
}

static int
speedup_bar(const struct group *g, struct bar *b)
{
	if (!g->has_speedup)
		return 0;
	b->has = b->has_ci = 1;
	b->v = g->speedup;
	b->lo = g->speedup_lo;
	b->hi = g->speedup_hi;
	return 1;
}

/* Horizontal bars: one row per workload of the kind perf, one bar per
 * interpreter but the baseline, its overhead. */
static int
overhead_chart(
    const struct report *r, const char *cdir, const char *name, char perf)
{
	const struct analysis *a = &r->a;
	struct workload_bars wb;
	struct bars b;
	char *title;
	int rc;

	if (a->baseline == SIZE_MAX)
		return 0;
	workload_bars_make(
	    r, perf, 1, r->rs->ninterps, a->baseline, 1, overhead_bar, &wb);
	title = xasprintf("%s overhead vs %s (lower is better)",
	    perf == 1 ? "Single-thread" : "C-level probes, single-thread",
	    report_label(r->rs, a->baseline));
	b = workload_bars_of(&wb,
	    (struct bars){.name = name,
	        .title = title,
	        .value_label = "time per run vs baseline, 1 thread (%)",
	        .axis_format = "%+g%%",
	        .value_format = "%+.1f%%",
	        .base = 0,
	        .base_line = 1,
	        .horizontal = 1});
	rc = chart_bars(&r->style, &b, cdir);
	free(title);
	workload_bars_free(&wb);
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
	const struct analysis *a = &r->a;
	int top = a->nthreads ? a->threads[a->nthreads - 1] : 0, rc;
	struct workload_bars wb;
	struct bars b;
	char *title, *ideal;

	workload_bars_make(r, 0, top, top > 1 ? r->rs->ninterps : 0,
	    SIZE_MAX, 0, speedup_bar, &wb);
	title = xasprintf("Speedup on %d threads (higher is better)", top);
	ideal = xasprintf("ideal %dx", top);
	b = workload_bars_of(&wb,
	    (struct bars){.name = "scaling-summary",
	        .title = title,
	        .value_label = "speedup vs 1 thread (x)",
	        .axis_format = "%gx",
	        .value_format = "%.2fx",
	        .base = 0,
	        .horizontal = 1,
	        .ref = {1, top},
	        .ref_label = {"1x", ideal},
	        .nref = 2});
	/* one workload says no more than its own chart */
	rc = wb.ncats < 2 ? 0 : chart_bars(&r->style, &b, cdir);
	free(title);
	free(ideal);
	workload_bars_free(&wb);
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
