#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * summary.md's tables: a row per workload (and engine and threads, or per
 * check), a column per interpreter with results, drawn by table.c. Each
 * table picks its rows and says how one interpreter's cell is written.
 */
struct md_row {
	size_t w; /* workload of the analysis, or finding */
	const char *engine;
	int threads;
};

struct md_table {
	const struct report *r;
	struct md_row *rows;
	size_t nrows;
};

static void
md_row_add(struct md_table *t, size_t w, const char *engine, int threads)
{
	t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof(*t->rows));
	t->rows[t->nrows++] = (struct md_row){w, engine, threads};
}

static const struct group *
md_group(const struct md_table *t, size_t i, size_t interp, int threads)
{
	const struct md_row *row = &t->rows[i];

	return analysis_find(&t->r->a, interp, t->r->a.workloads[row->w],
	    row->engine, threads);
}

/* arg 1: with its scaling, "name (weak)" */
static void
md_workload(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct md_table *t = ctx;
	const char *wl = t->r->a.workloads[t->rows[i].w];

	buf_puts(b, wl);
	if (arg)
		buf_printf(b, " (%s)", report_scaling(t->r, wl));
}

static void
md_engine(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	buf_puts(b, ((const struct md_table *)ctx)->rows[i].engine);
}

static void
md_threads(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	buf_printf(b, "%d", ((const struct md_table *)ctx)->rows[i].threads);
}

static void
md_overhead_cell(struct buf *b, const void *ctx, size_t i, size_t interp)
{
	const struct group *g = md_group(ctx, i, interp, 1);

	if (!g || !g->has_overhead)
		buf_puts(b, "–");
	else
		buf_printf(b, "%+.1f%% (%+.1f%% to %+.1f%%)",
		    (g->overhead - 1) * 100, (g->overhead_lo - 1) * 100,
		    (g->overhead_hi - 1) * 100);
}

static void
md_speedup_cell(struct buf *b, const void *ctx, size_t i, size_t interp)
{
	const struct md_table *t = ctx;
	const struct group *g = md_group(t, i, interp, t->rows[i].threads);

	if (g && g->has_speedup)
		buf_printf(b, "%.2fx", g->speedup);
	else
		buf_puts(b, "–");
}

static void
md_memory_cell(struct buf *b, const void *ctx, size_t i, size_t interp)
{
	const struct md_table *t = ctx;
	const struct group_extra *x =
	    report_gx(t->r, md_group(t, i, interp, t->rows[i].threads));
	char *avg, *max;

	if (!x || !x->pss.present) {
		buf_puts(b, "–");
		return;
	}
	avg = format_kib(x->pss.avg);
	max = format_kib(x->pss.max);
	buf_printf(b, "%s (%s)", avg, max);
	free(avg);
	free(max);
}

static void
md_check(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct md_table *t = ctx;
	const struct finding_row *f = &t->r->findings[t->rows[i].w];

	buf_puts(b, f->title ? f->title : f->id);
}

static void
md_outcome_cell(struct buf *b, const void *ctx, size_t i, size_t interp)
{
	const struct md_table *t = ctx;
	const struct finding_cell *fc =
	    &t->r->findings[t->rows[i].w].per_interp[interp];

	buf_puts(b, fc->outcome ? fc->outcome : "–");
}

/* Interpreters with at least one group: unavailable ones get no column. */
static int
has_groups(const struct analysis *a, size_t interp)
{
	for (size_t i = 0; i < a->ngroups; i++)
		if (a->groups[i].interp == interp)
			return 1;
	return 0;
}

/* t's rows under the columns first[0..nfirst) and one per interpreter with
 * results but skip, each filled by cell; t's rows are freed. */
static void
md_table_draw(struct buf *b, struct md_table *t,
    const struct table_col *first, size_t nfirst, size_t skip,
    void (*cell)(struct buf *, const void *, size_t, size_t))
{
	const struct report *r = t->r;
	struct table_col *cols =
	    xcalloc(nfirst + r->rs->ninterps, sizeof(*cols));
	size_t n = nfirst;

	memcpy(cols, first, nfirst * sizeof(*cols));
	for (size_t i = 0; i < r->rs->ninterps; i++)
		if (i != skip && has_groups(&r->a, i))
			cols[n++] = (struct table_col){
			    report_label(r->rs, i), cell, i, 1, 0};
	table_md(b, cols, n, t, t->nrows);
	free(cols);
	free(t->rows);
}

/* What a row of a summary.md table shows of its groups. */
enum md_shows { MD_OVERHEAD, MD_SPEEDUP, MD_MEMORY };

/* Whether any interpreter but skip has a group of the row with what the
 * table shows: a row of nothing but dashes says nothing. */
static int
md_row_has(const struct report *r, const char *workload, const char *engine,
    int threads, size_t skip, enum md_shows what)
{
	for (size_t i = 0; engine && i < r->rs->ninterps; i++) {
		const struct group *g =
		    analysis_find(&r->a, i, workload, engine, threads);
		const struct group_extra *x = report_gx(r, g);

		if (i == skip || !g)
			continue;
		if (what == MD_OVERHEAD ? g->has_overhead
		    : what == MD_SPEEDUP ? g->has_speedup
		                         : x->pss.present)
			return 1;
	}
	return 0;
}

static void
md_overhead(struct buf *b, const struct report *r)
{
	static const struct table_col first[] = {
	    {"workload", md_workload, 0, 0, 0}};
	const struct analysis *a = &r->a;
	struct md_table t = {r, NULL, 0};

	buf_puts(b, "\n## Single-thread overhead vs ");
	md_esc(b, report_label(r->rs, a->baseline));
	buf_puts(b,
	    "\n\nTime per run relative to the baseline on one "
	    "thread, with its 95% confidence interval; lower is "
	    "better.\n\n");
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *e = report_engine(a, a->workloads[w]);

		if (r->perf[w] &&
		    md_row_has(
		        r, a->workloads[w], e, 1, a->baseline, MD_OVERHEAD))
			md_row_add(&t, w, e, 1);
	}
	md_table_draw(b, &t, first, 1, a->baseline, md_overhead_cell);
}

static void
md_speedups(struct buf *b, const struct report *r)
{
	static const struct table_col first[] = {
	    {"workload", md_workload, 1, 0, 0},
	    {"threads", md_threads, 0, 1, 0}};
	const struct analysis *a = &r->a;
	struct md_table t = {r, NULL, 0};

	buf_puts(b,
	    "\n## Speedup\n\nAgainst the same interpreter on one "
	    "thread (weak scaling: T1·N/TN, strong: T1/TN); higher "
	    "is better.\n\n");
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *wl = a->workloads[w], *e = report_engine(a, wl);

		for (size_t k = 0; e && r->perf[w] && k < a->nthreads; k++)
			if (a->threads[k] >= 2 &&
			    md_row_has(r, wl, e, a->threads[k], SIZE_MAX,
			        MD_SPEEDUP))
				md_row_add(&t, w, e, a->threads[k]);
	}
	md_table_draw(b, &t, first, 2, SIZE_MAX, md_speedup_cell);
}

static void
md_memory(struct buf *b, const struct report *r)
{
	static const struct table_col first[] = {
	    {"workload", md_workload, 0, 0, 0},
	    {"engine", md_engine, 0, 0, 0},
	    {"workers", md_threads, 0, 1, 0}};
	const struct analysis *a = &r->a;
	struct md_table t = {r, NULL, 0};

	buf_puts(b,
	    "\n## Memory\n\nPSS of the whole process tree, mean "
	    "over the run (peak in brackets).\n\n");
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *engines[8];
		size_t ne = report_engines(a, a->workloads[w], engines, 8);

		for (size_t e = 0; r->perf[w] && e < ne; e++)
			for (size_t k = 0; k < a->nthreads; k++)
				if (md_row_has(r, a->workloads[w], engines[e],
				        a->threads[k], SIZE_MAX, MD_MEMORY))
					md_row_add(
					    &t, w, engines[e], a->threads[k]);
	}
	md_table_draw(b, &t, first, 3, SIZE_MAX, md_memory_cell);
}

static void
md_findings(struct buf *b, const struct report *r)
{
	static const struct table_col first[] = {
	    {"check", md_check, 0, 0, 0}};
	struct md_table t = {r, NULL, 0};

	buf_puts(b, "\n## Known limitations\n\n");
	for (size_t k = 0; k < r->nfindings; k++)
		md_row_add(&t, k, NULL, 0);
	md_table_draw(b, &t, first, 1, SIZE_MAX, md_outcome_cell);
}

static void
md_why(struct buf *b, const struct report *r)
{
	size_t n;
	char **why = diagnosis_sentences(r, &n);

	if (n)
		buf_puts(b, "\n## Why these do not scale\n\n");
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, "- ");
		md_esc(b, why[i]);
		buf_puts(b, "\n");
		free(why[i]);
	}
	free(why);
}

int
report_md(const struct report *r, const char *path)
{
	const struct resultset *rs = r->rs;
	struct buf b = {0};
	size_t nh;
	char **h = report_headlines(r, &nh);
	int rc;

	buf_puts(&b, "# ftmatrix: ");
	md_esc(&b, rs->matrix_name ? rs->matrix_name : "results");
	buf_puts(&b, "\n\n");
	for (size_t i = 0; i < nh; i++) {
		buf_puts(&b, "- ");
		md_esc(&b, h[i]);
		buf_puts(&b, "\n");
		free(h[i]);
	}
	free(h);
	h = report_method_sentences(r, &nh);
	for (size_t i = 0; i < nh; i++) {
		buf_puts(&b, i ? " " : "\n");
		md_esc(&b, h[i]);
		free(h[i]);
	}
	if (nh)
		buf_puts(&b, "\n");
	free(h);
	report_warnings_notice(&b, r, md_esc, "\n**Warnings:** ",
	    ". The report lists each; read them before relying on these "
	    "numbers.\n");
	if (!r->a.ngroups)
		buf_puts(&b, "No measurements yet.\n");
	if (r->a.ngroups && r->a.baseline != SIZE_MAX)
		md_overhead(&b, r);
	if (r->a.ngroups && r->a.nthreads > 1)
		md_speedups(&b, r);
	if (r->a.ngroups && r->a.nthreads > 1)
		md_why(&b, r);
	if (r->any_memory)
		md_memory(&b, r);
	if (r->nfindings)
		md_findings(&b, r);
	buf_puts(&b, "\nMachine: ");
	md_esc(&b, rs->machine.cpu_model ? rs->machine.cpu_model : "unknown");
	buf_printf(&b, ", %d cores, ", rs->machine.cores);
	md_esc(&b, rs->machine.kernel ? rs->machine.kernel : "unknown");
	buf_puts(&b, ". Interpreters: ");
	for (size_t i = 0; i < rs->ninterps; i++) {
		const struct identity *id = &rs->interps[i].identity;

		if (!rs->interps[i].available)
			continue;
		buf_puts(&b, i ? "; " : "");
		md_esc(&b, report_label(rs, i));
		buf_puts(&b, " (");
		md_esc(&b, id->compiler ? id->compiler : "compiler unknown");
		buf_printf(&b, "%s)",
		    id->gil_disabled_build ? ", free-threaded build" : "");
	}
	buf_puts(&b, ".\n\nReproduce with:\n\n```\n");
	buf_puts(&b,
	    rs->command && *rs->command ? rs->command
	                                : "ftmatrix run <matrix>");
	buf_puts(&b, "\n```\n");
	rc = file_write_atomic(path, b.data, b.len);
	buf_free(&b);
	return rc;
}
