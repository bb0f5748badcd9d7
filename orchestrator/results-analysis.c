/*
 * The derived analysis as data: groups found by workload through an
 * index (a report looks groups up per workload and per cell, so a scan
 * per lookup would make a 100,000-cell file quadratic), copied, freed,
 * written to results.json and read back from it whole, so that a report
 * of a finished run need not bootstrap every group again. analysis.c
 * computes it; this file only holds it.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ftmatrix.h"
#include "results-json.h"

/* Groups come ordered by workload (analysis.c sorts them so): the groups
 * of workload w are [workload_groups[w], workload_groups[w + 1]). -1 when
 * they are not in that order. */
int
analysis_index(struct analysis *a)
{
	size_t w = 0, i;

	strset_free(&a->workload_index);
	free(a->workload_groups);
	a->workload_groups =
	    xcalloc(a->nworkloads + 1, sizeof(*a->workload_groups));
	for (i = 0; i < a->nworkloads; i++)
		if (strset_add(&a->workload_index, a->workloads[i], i, NULL))
			return -1; /* a workload named twice */
	for (i = 0; i < a->ngroups; i++) {
		while (w < a->nworkloads &&
		    strcmp(a->groups[i].workload, a->workloads[w]) != 0)
			a->workload_groups[++w] = i;
		if (w == a->nworkloads)
			return -1;
	}
	while (w < a->nworkloads)
		a->workload_groups[++w] = a->ngroups;
	return 0;
}

size_t
analysis_workload(const struct analysis *a, const char *workload)
{
	size_t w;

	return workload && strset_find(&a->workload_index, workload, &w)
	    ? w
	    : SIZE_MAX;
}

const struct group *
analysis_groups_of(const struct analysis *a, const char *workload, size_t *n)
{
	size_t w = analysis_workload(a, workload);

	*n = 0;
	if (w == SIZE_MAX)
		return NULL;
	*n = a->workload_groups[w + 1] - a->workload_groups[w];
	return &a->groups[a->workload_groups[w]];
}

const struct group *
analysis_find(const struct analysis *a, size_t interp, const char *workload,
    const char *engine, int threads)
{
	size_t n;
	const struct group *g = analysis_groups_of(a, workload, &n);

	for (size_t i = 0; i < n; i++)
		if (g[i].interp == interp && g[i].threads == threads &&
		    strcmp(g[i].engine, engine) == 0)
			return &g[i];
	return NULL;
}

void
analysis_copy(struct analysis *dst, const struct analysis *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->ngroups = src->ngroups;
	dst->groups = xcalloc(src->ngroups + 1, sizeof(*dst->groups));
	for (size_t i = 0; i < src->ngroups; i++) {
		dst->groups[i] = src->groups[i];
		if (src->groups[i].warning)
			dst->groups[i].warning = xstrdup(src->groups[i].warning);
	}
	dst->baseline = src->baseline;
	dst->nworkloads = src->nworkloads;
	dst->workloads = xcalloc(src->nworkloads + 1, sizeof(*dst->workloads));
	memcpy(dst->workloads, src->workloads,
	    src->nworkloads * sizeof(*dst->workloads));
	dst->nthreads = src->nthreads;
	dst->threads = xcalloc(src->nthreads + 1, sizeof(*dst->threads));
	memcpy(dst->threads, src->threads,
	    src->nthreads * sizeof(*dst->threads));
	analysis_index(dst);
}

void
analysis_free(struct analysis *a)
{
	size_t i;

	for (i = 0; i < a->ngroups; i++)
		free(a->groups[i].warning);
	free(a->groups);
	free((void *)a->workloads);
	free(a->threads);
	free(a->workload_groups);
	strset_free(&a->workload_index);
	memset(a, 0, sizeof *a);
	a->baseline = SIZE_MAX;
}

int
analysis_fits(const struct analysis *a, const struct resultset *rs)
{
	size_t base = SIZE_MAX, ncells = 0, placed = 0;
	struct strset ids = {0};

	for (size_t i = 0; rs->baseline && i < rs->ninterps; i++)
		if (rs->interps[i].id &&
		    strcmp(rs->interps[i].id, rs->baseline) == 0) {
			base = i;
			break;
		}
	if (a->baseline != base)
		return 0;
	for (size_t i = 0; i < rs->ninterps; i++)
		if (rs->interps[i].id)
			strset_add(&ids, rs->interps[i].id, i, NULL);
	for (size_t i = 0; i < rs->ncells; i++)
		placed += rs->cells[i].interp &&
		    strset_find(&ids, rs->cells[i].interp, NULL);
	strset_free(&ids);
	for (size_t i = 0; i < a->ngroups; i++)
		ncells += a->groups[i].ncells;
	return ncells == placed;
}

/* The analysis's numbers exactly: a NaN is null, an infinity (a ratio
 * over a median of 0) "inf" or "-inf", so that reading it back gives the
 * same report. */
static json_t *
exact(double v)
{
	if (isinf(v))
		return json_string(v > 0 ? "inf" : "-inf");
	return jv_real(v);
}

static json_t *
estimate_to_json(int has, double value, double lo, double hi)
{
	if (!has)
		return json_null();
	/* precision: half the CI's width as a fraction of the value */
	return json_pack("{s:o, s:o, s:o, s:o}", "value", exact(value),
	    "ci_lo", exact(lo), "ci_hi", exact(hi), "precision",
	    jv_real(precision_of(value, lo, hi)));
}

static json_t *
summary_to_json(const struct summary *s)
{
	return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, "
	                 "s:o, s:o, s:o, s:o, s:o, s:o, s:I}",
	    "n", (json_int_t)s->n, "processes", (json_int_t)s->nclusters,
	    "mean_ns", exact(s->mean), "median_ns", exact(s->median),
	    "stdev_ns", exact(s->stdev), "mad_ns", exact(s->mad), "min_ns",
	    exact(s->min), "max_ns", exact(s->max), "p95_ns", exact(s->p95),
	    "p99_ns", exact(s->p99), "ci_lo_ns", exact(s->ci_lo), "ci_hi_ns",
	    exact(s->ci_hi), "ci_halfwidth", jv_real(stats_ci_halfwidth(s)),
	    "cv", exact(s->cv), "cv_between", exact(s->cv_between),
	    "cv_within", exact(s->cv_within), "outliers",
	    (json_int_t)s->outliers);
}

static json_t *
group_to_json(const struct resultset *rs, const struct group *g)
{
	json_t *sp = estimate_to_json(
	    g->has_speedup, g->speedup, g->speedup_lo, g->speedup_hi);
	json_t *o;

	if (json_is_object(sp))
		json_object_set_new(sp, "efficiency", exact(g->efficiency));
	o = json_pack("{s:s, s:s, s:s, s:i, s:I, s:I, s:o, s:o, s:o, s:o, "
	              "s:o}",
	    "interpreter", rs->interps[g->interp].id, "workload", g->workload,
	    "engine", g->engine, "threads", g->threads, "cells",
	    (json_int_t)g->ncells, "failed", (json_int_t)g->nfailed, "wall",
	    summary_to_json(&g->wall), "speedup", sp, "overhead",
	    estimate_to_json(g->has_overhead, g->overhead, g->overhead_lo,
		g->overhead_hi),
	    "vs_processes",
	    estimate_to_json(g->has_vs_processes, g->vs_processes,
		g->vs_processes_lo, g->vs_processes_hi),
	    "warning", jv_str(g->warning));
	json_object_set_new(o, "overhead_paired",
	    estimate_to_json(g->has_overhead_paired, g->overhead_paired,
		g->overhead_paired_lo, g->overhead_paired_hi));
	json_object_set_new(o, "samples",
	    json_pack("{s:I, s:I, s:I, s:I, s:I, s:b}", "measured",
		(json_int_t)g->nsamples, "slow_phase", (json_int_t)g->nslow,
		"descheduled", (json_int_t)g->ndescheduled,
		"processes_replaced", (json_int_t)g->nreplaced,
		"processes_left_out", (json_int_t)g->nleft_out,
		"all_disturbed", g->all_disturbed));
	json_object_set_new(o, "speedup_unresolved",
	    json_boolean(g->speedup_unresolved));
	json_object_set_new(o, "overhead_unresolved",
	    json_boolean(g->overhead_unresolved));
	json_object_set_new(o, "gil_changed", json_boolean(g->gil_changed));
	json_object_set_new(o, "gil_enabled", jv_tristate(g->gil_enabled));
	json_object_set_new(o, "units", json_integer(g->units));
	return o;
}

/* Derived numbers, for readers that do not recompute them (jq, scripts)
 * and for reports of this file; the cells stay the truth. */
json_t *
analysis_to_json(const struct analysis *a, const struct resultset *rs)
{
	json_t *groups = json_array(), *names = json_array(),
	       *threads = json_array();
	size_t i;

	for (i = 0; i < a->ngroups; i++)
		json_array_append_new(groups, group_to_json(rs, &a->groups[i]));
	for (i = 0; i < a->nworkloads; i++)
		json_array_append_new(names, json_string(a->workloads[i]));
	for (i = 0; i < a->nthreads; i++)
		json_array_append_new(threads, json_integer(a->threads[i]));
	return json_pack("{s:{s:i, s:I, s:s}, s:{s:f, s:f}, s:o, s:o, s:o, "
	                 "s:o}",
	    "bootstrap", "rounds", STATS_BOOTSTRAP_ROUNDS, "seed",
	    (json_int_t)STATS_SEED, "method",
	    "two-stage: probe processes, then values within each",
	    "thresholds", "cv", STATS_CV_MAX, "ci_halfwidth", STATS_CI_MAX,
	    "baseline",
	    jv_str(a->baseline < rs->ninterps ? rs->interps[a->baseline].id
					      : NULL),
	    "workloads", names, "threads", threads, "groups", groups);
}

/*
 * Reading it back. Anything that does not fit the file's cells (a member
 * missing or of another type, a name no cell has, other bootstrap
 * settings) makes it unusable, not the file unreadable: the report then
 * computes it again from the cells.
 */
struct areader {
	int bad;
	struct strset names; /* workload and engine names of the cells */
	struct strset ids;   /* interpreter ids */
};

static double
num(struct areader *r, json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);
	const char *s = json_string_value(v);

	if (json_is_number(v))
		return json_number_value(v);
	if (json_is_null(v))
		return NAN;
	if (s && strcmp(s, "inf") == 0)
		return HUGE_VAL;
	if (s && strcmp(s, "-inf") == 0)
		return -HUGE_VAL;
	r->bad = 1;
	return NAN;
}

static long
integer(struct areader *r, json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_integer(v) || json_integer_value(v) < 0) {
		r->bad = 1;
		return 0;
	}
	return (long)json_integer_value(v);
}

static int
flag(struct areader *r, json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	if (!json_is_boolean(v))
		r->bad = 1;
	return json_is_true(v);
}

/* The cells' own copy of a name, so the analysis points where a made one
 * does. */
static const char *
name_of(struct areader *r, const struct resultset *rs, json_t *v)
{
	size_t i;

	if (!json_is_string(v) ||
	    !strset_find(&r->names, json_string_value(v), &i)) {
		r->bad = 1;
		return "";
	}
	return (i & 1) ? rs->cells[i >> 1].engine : rs->cells[i >> 1].workload;
}

static int
estimate_from_json(struct areader *r, json_t *o, const char *name,
    double *value, double *lo, double *hi)
{
	json_t *e = json_object_get(o, name);

	if (json_is_null(e))
		return 0;
	if (!json_is_object(e)) {
		r->bad = 1;
		return 0;
	}
	*value = num(r, e, "value");
	*lo = num(r, e, "ci_lo");
	*hi = num(r, e, "ci_hi");
	return 1;
}

static void
summary_from_json(struct areader *r, json_t *o, struct summary *s)
{
	if (!json_is_object(o)) {
		r->bad = 1;
		return;
	}
	s->n = (size_t)integer(r, o, "n");
	s->nclusters = (size_t)integer(r, o, "processes");
	s->mean = num(r, o, "mean_ns");
	s->median = s->p50 = num(r, o, "median_ns");
	s->stdev = num(r, o, "stdev_ns");
	s->mad = num(r, o, "mad_ns");
	s->min = num(r, o, "min_ns");
	s->max = num(r, o, "max_ns");
	s->p95 = num(r, o, "p95_ns");
	s->p99 = num(r, o, "p99_ns");
	s->ci_lo = num(r, o, "ci_lo_ns");
	s->ci_hi = num(r, o, "ci_hi_ns");
	s->cv = num(r, o, "cv");
	s->cv_between = num(r, o, "cv_between");
	s->cv_within = num(r, o, "cv_within");
	s->outliers = (size_t)integer(r, o, "outliers");
}

static void
group_from_json(struct areader *r, const struct resultset *rs, json_t *o,
    struct group *g)
{
	json_t *smp = json_object_get(o, "samples"), *v;
	size_t in;
	long t;

	if (!json_is_object(o) || !json_is_object(smp) ||
	    !json_is_string(json_object_get(o, "interpreter")) ||
	    !strset_find(&r->ids,
		json_string_value(json_object_get(o, "interpreter")), &in)) {
		r->bad = 1;
		return;
	}
	g->interp = in;
	g->workload = name_of(r, rs, json_object_get(o, "workload"));
	g->engine = name_of(r, rs, json_object_get(o, "engine"));
	v = json_object_get(o, "threads");
	t = json_is_integer(v) ? (long)json_integer_value(v) : 0;
	if (t < 1 || t > INT32_MAX)
		r->bad = 1;
	g->threads = (int)t;
	g->ncells = (size_t)integer(r, o, "cells");
	g->nfailed = (size_t)integer(r, o, "failed");
	summary_from_json(r, json_object_get(o, "wall"), &g->wall);
	g->has_speedup = estimate_from_json(
	    r, o, "speedup", &g->speedup, &g->speedup_lo, &g->speedup_hi);
	if (g->has_speedup)
		g->efficiency = num(r, json_object_get(o, "speedup"),
		    "efficiency");
	g->has_overhead = estimate_from_json(
	    r, o, "overhead", &g->overhead, &g->overhead_lo, &g->overhead_hi);
	g->has_overhead_paired = estimate_from_json(r, o, "overhead_paired",
	    &g->overhead_paired, &g->overhead_paired_lo,
	    &g->overhead_paired_hi);
	g->has_vs_processes = estimate_from_json(r, o, "vs_processes",
	    &g->vs_processes, &g->vs_processes_lo, &g->vs_processes_hi);
	v = json_object_get(o, "warning");
	if (json_is_string(v))
		g->warning = xstrdup(json_string_value(v));
	else if (!json_is_null(v))
		r->bad = 1;
	g->nsamples = (size_t)integer(r, smp, "measured");
	g->nslow = (size_t)integer(r, smp, "slow_phase");
	g->ndescheduled = (size_t)integer(r, smp, "descheduled");
	g->nreplaced = (size_t)integer(r, smp, "processes_replaced");
	g->nleft_out = (size_t)integer(r, smp, "processes_left_out");
	g->all_disturbed = flag(r, smp, "all_disturbed");
	g->speedup_unresolved = flag(r, o, "speedup_unresolved");
	g->overhead_unresolved = flag(r, o, "overhead_unresolved");
	g->gil_changed = flag(r, o, "gil_changed");
	v = json_object_get(o, "gil_enabled");
	if (json_is_boolean(v))
		g->gil_enabled = json_is_true(v);
	else if (json_is_null(v))
		g->gil_enabled = -1;
	else
		r->bad = 1;
	v = json_object_get(o, "units");
	if (json_is_integer(v))
		g->units = (long)json_integer_value(v);
	else
		r->bad = 1;
}

/* Made with other bootstrap settings, it would not be what this ftmatrix
 * computes. */
static int
same_method(json_t *o)
{
	json_t *b = json_object_get(o, "bootstrap");
	json_t *t = json_object_get(o, "thresholds");

	return json_integer_value(json_object_get(b, "rounds")) ==
	    STATS_BOOTSTRAP_ROUNDS &&
	    json_integer_value(json_object_get(b, "seed")) == STATS_SEED &&
	    json_real_value(json_object_get(t, "cv")) == STATS_CV_MAX &&
	    json_real_value(json_object_get(t, "ci_halfwidth")) == STATS_CI_MAX;
}

struct analysis *
analysis_from_json(json_t *o, const struct resultset *rs)
{
	struct areader r = {0};
	struct analysis *a;
	json_t *groups = json_object_get(o, "groups"), *v;
	json_t *names = json_object_get(o, "workloads");
	json_t *threads = json_object_get(o, "threads");
	json_t *base = json_object_get(o, "baseline");
	size_t i;

	if (!json_is_object(o) || !json_is_array(groups) ||
	    !json_is_array(names) || !json_is_array(threads) ||
	    !same_method(o))
		return NULL;
	/* value 2i: cell i's workload, 2i + 1: its engine */
	for (i = 0; i < rs->ncells; i++) {
		strset_add(&r.names, rs->cells[i].workload, 2 * i, NULL);
		strset_add(&r.names, rs->cells[i].engine, 2 * i + 1, NULL);
	}
	for (i = 0; i < rs->ninterps; i++)
		strset_add(&r.ids, rs->interps[i].id, i, NULL);
	a = xcalloc(1, sizeof(*a));
	a->baseline = SIZE_MAX;
	if (json_is_string(base) &&
	    !strset_find(&r.ids, json_string_value(base), &a->baseline))
		r.bad = 1;
	a->ngroups = json_array_size(groups);
	a->groups = xcalloc(a->ngroups + 1, sizeof(*a->groups));
	for (i = 0; !r.bad && i < a->ngroups; i++)
		group_from_json(&r, rs, json_array_get(groups, i), &a->groups[i]);
	a->nworkloads = json_array_size(names);
	a->workloads = xcalloc(a->nworkloads + 1, sizeof(*a->workloads));
	json_array_foreach(names, i, v) a->workloads[i] = name_of(&r, rs, v);
	a->nthreads = json_array_size(threads);
	a->threads = xcalloc(a->nthreads + 1, sizeof(*a->threads));
	json_array_foreach(threads, i, v)
	{
		if (!json_is_integer(v))
			r.bad = 1;
		a->threads[i] = (int)json_integer_value(v);
	}
	strset_free(&r.names);
	strset_free(&r.ids);
	if (r.bad || analysis_index(a) < 0 || !analysis_fits(a, rs)) {
		analysis_free(a);
		free(a);
		return NULL;
	}
	return a;
}
