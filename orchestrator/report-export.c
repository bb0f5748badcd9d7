#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static const char *
tristate(int v)
{
	return v < 0 ? "" : v ? "true" : "false";
}

/* results.csv's cells: row i is analysis group i; arg picks the member */

enum group_word { W_ID, W_LABEL, W_WORKLOAD, W_ENGINE, W_LATENCY_OF, W_GIL };
enum group_count {
	N_THREADS,
	N_CELLS,
	N_FAILED,
	N_SAMPLES,
	N_LATENCY,
	N_UNITS
};

static void
group_word(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct report *r = ctx;
	const struct group *g = &r->a.groups[i];
	const struct group_extra *x = &r->gx[i];

	switch (arg) {
	case W_ID:
		buf_puts(b, r->rs->interps[g->interp].id);
		break;
	case W_LABEL:
		buf_puts(b, report_label(r->rs, g->interp));
		break;
	case W_WORKLOAD:
		buf_puts(b, g->workload);
		break;
	case W_ENGINE:
		buf_puts(b, g->engine);
		break;
	case W_LATENCY_OF:
		buf_puts(b,
		    !x->latency.n          ? ""
		        : x->latency_tasks ? "task"
		                           : "run");
		break;
	case W_GIL:
		buf_puts(b, tristate(g->gil_enabled));
		break;
	}
}

static void
group_count(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct report *r = ctx;
	const struct group *g = &r->a.groups[i];

	switch (arg) {
	case N_THREADS:
		buf_printf(b, "%d", g->threads);
		break;
	case N_CELLS:
		buf_printf(b, "%zu", g->ncells);
		break;
	case N_FAILED:
		buf_printf(b, "%zu", g->nfailed);
		break;
	case N_SAMPLES:
		buf_printf(b, "%zu", g->wall.n);
		break;
	case N_LATENCY:
		buf_printf(b, "%zu", r->gx[i].latency.n);
		break;
	case N_UNITS:
		if (g->wall.n > 0 && g->units > 0)
			buf_printf(b, "%ld", g->units);
		break;
	}
}

#define MEMBER(base, off) (*(const double *)((const char *)(base) + (off)))

/* a member of the wall-time summary */
static void
group_wall(struct buf *b, const void *ctx, size_t i, size_t off)
{
	const struct group *g = &((const struct report *)ctx)->a.groups[i];

	table_num(b, g->wall.n > 0, MEMBER(&g->wall, off));
}

/* the same, per unit of work */
static void
group_wall_per_unit(struct buf *b, const void *ctx, size_t i, size_t off)
{
	const struct group *g = &((const struct report *)ctx)->a.groups[i];

	table_num(b, g->wall.n > 0 && g->units > 0,
	    group_per_unit(g, MEMBER(&g->wall, off)));
}

static void
group_speedup(struct buf *b, const void *ctx, size_t i, size_t off)
{
	const struct group *g = &((const struct report *)ctx)->a.groups[i];

	table_num(b, g->has_speedup, MEMBER(g, off));
}

static void
group_overhead(struct buf *b, const void *ctx, size_t i, size_t off)
{
	const struct group *g = &((const struct report *)ctx)->a.groups[i];

	table_num(b, g->has_overhead, MEMBER(g, off));
}

static void
group_latency(struct buf *b, const void *ctx, size_t i, size_t off)
{
	const struct group_extra *x = &((const struct report *)ctx)->gx[i];

	table_num(b, x->latency.n > 0, MEMBER(&x->latency, off));
}

/* off: the mem_stat in group_extra; avg and max are its columns */
static void
group_mem_avg(struct buf *b, const void *ctx, size_t i, size_t off)
{
	const struct mem_stat *m = (const struct mem_stat
	        *)((const char *)&((const struct report *)ctx)->gx[i] + off);

	table_num(b, m->present, m->avg);
}

static void
group_mem_max(struct buf *b, const void *ctx, size_t i, size_t off)
{
	const struct mem_stat *m = (const struct mem_stat
	        *)((const char *)&((const struct report *)ctx)->gx[i] + off);

	table_num(b, m->present, m->max);
}

#define S(m) offsetof(struct summary, m)
#define G(m) offsetof(struct group, m)
#define X(m) offsetof(struct group_extra, m)

static const struct table_col results_cols[] = {
    {"interpreter", group_word, W_ID, 0, 0},
    {"label", group_word, W_LABEL, 0, 0},
    {"workload", group_word, W_WORKLOAD, 0, 0},
    {"engine", group_word, W_ENGINE, 0, 0},
    {"threads", group_count, N_THREADS, 0, 0},
    {"cells", group_count, N_CELLS, 0, 0},
    {"failed", group_count, N_FAILED, 0, 0},
    {"n", group_count, N_SAMPLES, 0, 0},
    {"mean_ns", group_wall, S(mean), 0, 0},
    {"median_ns", group_wall, S(median), 0, 0},
    {"stdev_ns", group_wall, S(stdev), 0, 0},
    {"mad_ns", group_wall, S(mad), 0, 0},
    {"min_ns", group_wall, S(min), 0, 0},
    {"max_ns", group_wall, S(max), 0, 0},
    {"p95_ns", group_wall, S(p95), 0, 0},
    {"p99_ns", group_wall, S(p99), 0, 0},
    {"ci_lo_ns", group_wall, S(ci_lo), 0, 0},
    {"ci_hi_ns", group_wall, S(ci_hi), 0, 0},
    {"cv", group_wall, S(cv), 0, 0},
    {"speedup", group_speedup, G(speedup), 0, 0},
    {"speedup_lo", group_speedup, G(speedup_lo), 0, 0},
    {"speedup_hi", group_speedup, G(speedup_hi), 0, 0},
    {"efficiency", group_speedup, G(efficiency), 0, 0},
    {"overhead", group_overhead, G(overhead), 0, 0},
    {"overhead_lo", group_overhead, G(overhead_lo), 0, 0},
    {"overhead_hi", group_overhead, G(overhead_hi), 0, 0},
    {"latency_of", group_word, W_LATENCY_OF, 0, 0},
    {"latency_n", group_count, N_LATENCY, 0, 0},
    {"latency_p50_ns", group_latency, S(p50), 0, 0},
    {"latency_p95_ns", group_latency, S(p95), 0, 0},
    {"latency_p99_ns", group_latency, S(p99), 0, 0},
    {"rss_avg_kib", group_mem_avg, X(rss), 0, 0},
    {"rss_max_kib", group_mem_max, X(rss), 0, 0},
    {"uss_avg_kib", group_mem_avg, X(uss), 0, 0},
    {"uss_max_kib", group_mem_max, X(uss), 0, 0},
    {"pss_avg_kib", group_mem_avg, X(pss), 0, 0},
    {"pss_max_kib", group_mem_max, X(pss), 0, 0},
    {"gil_enabled", group_word, W_GIL, 0, 0},
    {"units", group_count, N_UNITS, 0, 0},
    {"median_ns_per_unit", group_wall_per_unit, S(median), 0, 0},
    {"ci_lo_ns_per_unit", group_wall_per_unit, S(ci_lo), 0, 0},
    {"ci_hi_ns_per_unit", group_wall_per_unit, S(ci_hi), 0, 0},
};

/* One row per interpreter, workload, engine and thread count: every
 * repetition pooled, as the report's tables show them. */
int
report_csv(const struct report *r, const char *path)
{
	struct buf b = {0};
	int rc;

	table_csv(&b, results_cols,
	    sizeof(results_cols) / sizeof(*results_cols), r, r->a.ngroups);
	rc = file_write_atomic(path, b.data, b.len);
	buf_free(&b);
	return rc;
}

/* cells.csv's cells: row i is result cell i, its summary computed once */

struct cells_table {
	const struct report *r;
	struct summary *s;
};

enum cell_word {
	C_KEY,
	C_INTERP,
	C_WORKLOAD,
	C_ENGINE,
	C_STATUS,
	C_ERROR,
	C_GIL_BEFORE,
	C_GIL_AFTER
};
enum cell_count { C_THREADS, C_REP, C_N, C_UNITS };

static void
cell_word(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct result_cell *c =
	    &((const struct cells_table *)ctx)->r->rs->cells[i];
	const char *w[] = {c->key, c->interp, c->workload, c->engine, c->status,
	    c->error, tristate(c->gil_enabled_before),
	    tristate(c->gil_enabled_after)};

	buf_puts(b, w[arg] ? w[arg] : "");
}

static void
cell_count(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct result_cell *c =
	    &((const struct cells_table *)ctx)->r->rs->cells[i];

	if (arg == C_THREADS)
		buf_printf(b, "%d", c->threads);
	else if (arg == C_REP)
		buf_printf(b, "%d", c->rep);
	else if (arg == C_N)
		buf_printf(b, "%zu", c->nwall);
	else if (cell_units(c) > 0)
		buf_printf(b, "%ld", cell_units(c));
}

static void
cell_wall(struct buf *b, const void *ctx, size_t i, size_t off)
{
	const struct cells_table *t = ctx;

	table_num(b, t->r->rs->cells[i].nwall, MEMBER(&t->s[i], off));
}

static void
cell_wall_per_unit(struct buf *b, const void *ctx, size_t i, size_t off)
{
	const struct cells_table *t = ctx;
	const struct result_cell *c = &t->r->rs->cells[i];

	table_num(b, c->nwall && cell_units(c) > 0,
	    MEMBER(&t->s[i], off) /
	        (double)(cell_units(c) ? cell_units(c) : 1));
}

/* off: the mem_stat in cell_memory; its max is the column */
static void
cell_mem_max(struct buf *b, const void *ctx, size_t i, size_t off)
{
	const struct mem_stat *m =
	    (const struct mem_stat *)((const char *)&(
	                                  (const struct cells_table *)ctx)
	                                  ->r->extras[i]
	                                  .memory +
	        off);

	table_num(b, m->present, m->max);
}

static void
cell_elapsed(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	table_num(
	    b, 1, ((const struct cells_table *)ctx)->r->rs->cells[i].elapsed_s);
}

#define M(m) offsetof(struct cell_memory, m)

static const struct table_col cells_cols[] = {
    {"key", cell_word, C_KEY, 0, 0},
    {"interpreter", cell_word, C_INTERP, 0, 0},
    {"workload", cell_word, C_WORKLOAD, 0, 0},
    {"engine", cell_word, C_ENGINE, 0, 0},
    {"threads", cell_count, C_THREADS, 0, 0},
    {"rep", cell_count, C_REP, 0, 0},
    {"status", cell_word, C_STATUS, 0, 0},
    {"error", cell_word, C_ERROR, 0, 0},
    {"n", cell_count, C_N, 0, 0},
    {"median_ns", cell_wall, S(median), 0, 0},
    {"mean_ns", cell_wall, S(mean), 0, 0},
    {"stdev_ns", cell_wall, S(stdev), 0, 0},
    {"min_ns", cell_wall, S(min), 0, 0},
    {"max_ns", cell_wall, S(max), 0, 0},
    {"cv", cell_wall, S(cv), 0, 0},
    {"gil_enabled_before", cell_word, C_GIL_BEFORE, 0, 0},
    {"gil_enabled_after", cell_word, C_GIL_AFTER, 0, 0},
    {"rss_max_kib", cell_mem_max, M(rss), 0, 0},
    {"uss_max_kib", cell_mem_max, M(uss), 0, 0},
    {"pss_max_kib", cell_mem_max, M(pss), 0, 0},
    {"elapsed_s", cell_elapsed, 0, 0, 0},
    {"units", cell_count, C_UNITS, 0, 0},
    {"median_ns_per_unit", cell_wall_per_unit, S(median), 0, 0},
};

/* One row per cell as results.json holds it: each repetition alone, with
 * its status and error. */
int
report_cells_csv(const struct report *r, const char *path)
{
	const struct resultset *rs = r->rs;
	struct cells_table t = {r, xcalloc(rs->ncells + 1, sizeof(*t.s))};
	struct buf b = {0};
	int rc;

	for (size_t i = 0; i < rs->ncells; i++)
		stats_summarize(
		    rs->cells[i].wall_ns, rs->cells[i].nwall, &t.s[i]);
	table_csv(&b, cells_cols, sizeof(cells_cols) / sizeof(*cells_cols), &t,
	    rs->ncells);
	rc = file_write_atomic(path, b.data, b.len);
	buf_free(&b);
	free(t.s);
	return rc;
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

/* A table header naming every interpreter with results, except skip. */
static void
md_header(struct buf *b, const struct report *r, const char *first,
    const char *align, size_t skip)
{
	buf_printf(b, "| %s |", first);
	for (size_t i = 0; i < r->rs->ninterps; i++) {
		if (i == skip || !has_groups(&r->a, i))
			continue;
		buf_puts(b, " ");
		md_esc(b, report_label(r->rs, i));
		buf_puts(b, " |");
	}
	buf_printf(b, "\n|%s", align);
	for (size_t i = 0; i < r->rs->ninterps; i++)
		if (i != skip && has_groups(&r->a, i))
			buf_puts(b, "---:|");
}

/* Whether any interpreter but skip has a group of workload at threads
 * with an overhead (what 0) or a speedup (what 1): a row of nothing but
 * dashes says nothing. */
static int
md_row_has(const struct report *r, const char *workload, const char *engine,
    int threads, size_t skip, int what)
{
	for (size_t i = 0; engine && i < r->rs->ninterps; i++) {
		const struct group *g =
		    analysis_find(&r->a, i, workload, engine, threads);

		if (i != skip && g && (what ? g->has_speedup : g->has_overhead))
			return 1;
	}
	return 0;
}

static void
md_overhead(struct buf *b, const struct report *r)
{
	const struct analysis *a = &r->a;
	size_t bl = a->baseline;

	buf_puts(b, "\n## Single-thread overhead vs ");
	md_esc(b, report_label(r->rs, bl));
	buf_puts(b,
	    "\n\nTime per run relative to the baseline on one "
	    "thread, with its 95% confidence interval; lower is "
	    "better.\n\n");
	md_header(b, r, "workload", "---|", bl);
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *e = report_engine(a, a->workloads[w]);

		if (!r->perf[w] || !md_row_has(r, a->workloads[w], e, 1, bl, 0))
			continue;
		buf_puts(b, "\n| ");
		md_esc(b, a->workloads[w]);
		buf_puts(b, " |");
		for (size_t i = 0; i < r->rs->ninterps; i++) {
			const struct group *g = e
			    ? analysis_find(a, i, a->workloads[w], e, 1)
			    : NULL;

			if (i == bl || !has_groups(a, i))
				continue;
			if (!g || !g->has_overhead)
				buf_puts(b, " – |");
			else
				buf_printf(b, " %+.1f%% (%+.1f%% to %+.1f%%) |",
				    (g->overhead - 1) * 100,
				    (g->overhead_lo - 1) * 100,
				    (g->overhead_hi - 1) * 100);
		}
	}
	buf_puts(b, "\n");
}

static void
md_speedups(struct buf *b, const struct report *r)
{
	const struct analysis *a = &r->a;

	buf_puts(b,
	    "\n## Speedup\n\nAgainst the same interpreter on one "
	    "thread (weak scaling: T1·N/TN, strong: T1/TN); higher "
	    "is better.\n\n");
	md_header(b, r, "workload | threads", "---|---:|", SIZE_MAX);
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *wl = a->workloads[w], *e = report_engine(a, wl);

		for (size_t k = 0; e && r->perf[w] && k < a->nthreads; k++) {
			if (a->threads[k] < 2 ||
			    !md_row_has(r, wl, e, a->threads[k], SIZE_MAX, 1))
				continue;
			buf_puts(b, "\n| ");
			md_esc(b, wl);
			buf_printf(b, " (%s) | %d |", report_scaling(r->rs, wl),
			    a->threads[k]);
			for (size_t i = 0; i < r->rs->ninterps; i++) {
				const struct group *g =
				    analysis_find(a, i, wl, e, a->threads[k]);

				if (!has_groups(a, i))
					continue;
				if (g && g->has_speedup)
					buf_printf(b, " %.2fx |", g->speedup);
				else
					buf_puts(b, " – |");
			}
		}
	}
	buf_puts(b, "\n");
}

static void
md_memory(struct buf *b, const struct report *r)
{
	const struct analysis *a = &r->a;

	buf_puts(b,
	    "\n## Memory\n\nPSS of the whole process tree, mean "
	    "over the run (peak in brackets).\n\n");
	md_header(
	    b, r, "workload | engine | workers", "---|---|---:|", SIZE_MAX);
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *engines[8];
		size_t ne = report_engines(a, a->workloads[w], engines, 8);

		for (size_t e = 0; r->perf[w] && e < ne; e++)
			for (size_t k = 0; k < a->nthreads; k++) {
				int any = 0;

				for (size_t i = 0; i < r->rs->ninterps; i++) {
					const struct group_extra *x = report_gx(
					    r,
					    analysis_find(a, i, a->workloads[w],
					        engines[e], a->threads[k]));

					any |= x && x->pss.present;
				}
				if (!any)
					continue;
				buf_puts(b, "\n| ");
				md_esc(b, a->workloads[w]);
				buf_printf(b, " | %s | %d |", engines[e],
				    a->threads[k]);
				for (size_t i = 0; i < r->rs->ninterps; i++) {
					const struct group_extra *x = report_gx(
					    r,
					    analysis_find(a, i, a->workloads[w],
					        engines[e], a->threads[k]));
					char *avg, *max;

					if (!has_groups(a, i))
						continue;
					if (!x || !x->pss.present) {
						buf_puts(b, " – |");
						continue;
					}
					avg = format_kib(x->pss.avg);
					max = format_kib(x->pss.max);
					buf_printf(b, " %s (%s) |", avg, max);
					free(avg);
					free(max);
				}
			}
	}
	buf_puts(b, "\n");
}

static void
md_findings(struct buf *b, const struct report *r)
{
	buf_puts(b, "\n## Known limitations\n\n");
	md_header(b, r, "check", "---|", SIZE_MAX);
	for (size_t k = 0; k < r->nfindings; k++) {
		const struct finding_row *f = &r->findings[k];

		buf_puts(b, "\n| ");
		md_esc(b, f->title ? f->title : f->id);
		buf_puts(b, " |");
		for (size_t i = 0; i < r->rs->ninterps; i++) {
			const struct finding_cell *fc = &f->per_interp[i];

			if (!has_groups(&r->a, i))
				continue;
			buf_puts(b, " ");
			md_esc(b, fc->outcome ? fc->outcome : "–");
			buf_puts(b, " |");
		}
	}
	buf_puts(b, "\n");
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
	if (r->nwarnings) {
		char *brief = report_warnings_brief(r);

		buf_puts(&b, "\n**Warnings:** ");
		md_esc(&b, brief);
		buf_puts(&b,
		    ". The report lists each; read them before "
		    "relying on these numbers.\n");
		free(brief);
	}
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
