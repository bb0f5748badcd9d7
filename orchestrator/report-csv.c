#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* results.csv and cells.csv: every number behind the report, for a
 * spreadsheet */

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
		stats_describe(
		    rs->cells[i].wall_ns, rs->cells[i].nwall, &t.s[i]);
	table_csv(&b, cells_cols, sizeof(cells_cols) / sizeof(*cells_cols), &t,
	    rs->ncells);
	rc = file_write_atomic(path, b.data, b.len);
	buf_free(&b);
	free(t.s);
	return rc;
}
