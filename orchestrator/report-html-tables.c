#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * The report's sortable tables, drawn by table.c: the memory table, the
 * table of each workload and the noisy groups. Each row is a group of the
 * analysis.
 */

#define CV_WARN 0.05

/* The rows of a table: groups of the analysis, by index. */
struct group_rows {
	const struct report *r;
	size_t *group;
	size_t n;
};

static const struct group *
row_group(const void *ctx, size_t i, const struct group_extra **x)
{
	const struct group_rows *t = ctx;

	if (x)
		*x = &t->r->gx[t->group[i]];
	return &t->r->a.groups[t->group[i]];
}

/* The group's interpreter, with its colour; it does not sort. */
static void
row_interp(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	buf_puts(b, "<td data-v=\"\">");
	html_swatch(b, ((const struct group_rows *)ctx)->r,
	    row_group(ctx, i, NULL)->interp);
	buf_puts(b, "</td>");
}

/* arg 0: the workload, 1: the engine */
static void
row_text(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct group *g = row_group(ctx, i, NULL);

	buf_puts(b, arg ? g->engine : g->workload);
}

static void
row_threads(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct group *g = row_group(ctx, i, NULL);

	buf_printf(b, "<td class=\"num\" data-v=\"%d\">%d</td>", g->threads,
	    g->threads);
}

/* The memory table: the groups that have memory samples. */
enum { MEM_RSS_MEAN, MEM_RSS_PEAK, MEM_USS_MEAN, MEM_PSS_MEAN, MEM_PSS_PEAK };

static void
mem_size(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct group_extra *x;
	const struct mem_stat *m;
	int peak = arg == MEM_RSS_PEAK || arg == MEM_PSS_PEAK;
	char *s;
	double v;

	row_group(ctx, i, &x);
	m = arg <= MEM_RSS_PEAK   ? &x->rss
	    : arg == MEM_USS_MEAN ? &x->uss
	                          : &x->pss;
	v = peak ? m->max : m->avg;
	s = m->present ? format_kib(v) : xstrdup("–");
	buf_printf(
	    b, "<td class=\"num\" data-v=\"%.0f\">", m->present ? v : NAN);
	html_esc(b, s);
	buf_puts(b, "</td>");
	free(s);
}

static const struct table_col mem_cols[] = {
    {"Interpreter", NULL, 0, 0, 0},
    {"Workload", row_text, 0, 0, 0},
    {"Engine", row_text, 1, 0, 0},
    {"Workers", NULL, 0, 1, 0},
    {"RSS mean", NULL, MEM_RSS_MEAN, 1, 0},
    {"RSS peak", NULL, MEM_RSS_PEAK, 1, 0},
    {"USS mean", NULL, MEM_USS_MEAN, 1, 0},
    {"PSS mean", NULL, MEM_PSS_MEAN, 1, 0},
    {"PSS peak", NULL, MEM_PSS_PEAK, 1, 0},
};
static table_html_cell *const mem_html[] = {row_interp, NULL, NULL,
    row_threads, mem_size, mem_size, mem_size, mem_size, mem_size};

void
html_memory_table(struct buf *b, const struct report *r)
{
	struct group_rows t = {
	    r, xcalloc(r->a.ngroups + 1, sizeof(size_t)), 0};

	for (size_t i = 0; i < r->a.ngroups; i++)
		if (r->gx[i].has_memory)
			t.group[t.n++] = i;
	table_html(b, mem_cols, sizeof(mem_cols) / sizeof(*mem_cols), mem_html,
	    &t, t.n);
	free(t.group);
}

/* The table of one workload: a row per group, its optional columns
 * (engine, task p99, PSS) left out when nothing fills them. */
enum {
	WL_INTERP,
	WL_ENGINE,
	WL_THREADS,
	WL_N,
	WL_MEDIAN,
	WL_PER_UNIT,
	WL_CI,
	WL_CV,
	WL_SPEEDUP,
	WL_OVERHEAD,
	WL_TASKS,
	WL_PSS,
	WL_FAILED,
	WL_NCOLS
};

static void
wl_samples(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct group *g = row_group(ctx, i, NULL);

	html_num_cell(b, g->wall.n, NULL, xasprintf("%zu", g->wall.n));
}

/* The median, per unit, its interval and CV: nothing without a sample. */
static void
wl_time(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct group *g = row_group(ctx, i, NULL);
	const struct summary *s = &g->wall;
	double per = group_per_unit(g, s->median);
	char *lo, *hi;

	if (!s->n) {
		html_num_cell(b, NAN, NULL, NULL);
		return;
	}
	switch (arg) {
	case WL_MEDIAN:
		html_num_cell(
		    b, s->median, NULL, format_duration(s->median, -1));
		break;
	case WL_PER_UNIT:
		html_num_cell(b, per, NULL,
		    isfinite(per) ? format_duration(per, -1) : NULL);
		break;
	case WL_CI:
		lo = format_duration(s->ci_lo, s->median);
		hi = format_duration(s->ci_hi, s->median);
		html_num_cell(b, s->ci_hi - s->ci_lo, NULL,
		    xasprintf("%.*s – %s", (int)strcspn(lo, " "), lo, hi));
		free(lo);
		free(hi);
		break;
	default:
		html_num_cell(b, s->cv * 100, s->cv > CV_WARN ? "hi" : NULL,
		    xasprintf("%.1f%%", s->cv * 100));
	}
}

static void
wl_ratio(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct group *g = row_group(ctx, i, NULL);
	const struct report *r = ((const struct group_rows *)ctx)->r;

	if (arg == WL_SPEEDUP && g->threads == 1)
		html_el(b, "td class=\"num muted\"", "reference");
	else if (arg == WL_SPEEDUP)
		html_num_cell(b, g->has_speedup ? g->speedup : NAN, NULL,
		    format_ratio_ci(g->has_speedup, g->speedup, g->speedup_lo,
		        g->speedup_hi, 0));
	else if (g->interp == r->a.baseline)
		html_el(b, "td class=\"num muted\"", "baseline");
	else
		html_num_cell(b, g->has_overhead ? g->overhead : NAN, NULL,
		    format_ratio_ci(g->has_overhead, g->overhead,
		        g->overhead_lo, g->overhead_hi, 1));
}

static void
wl_extra(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct group_extra *x;
	const struct group *g = row_group(ctx, i, &x);

	if (arg == WL_TASKS)
		html_num_cell(b, x->latency_tasks ? x->latency.p99 : NAN, NULL,
		    x->latency_tasks ? format_duration(x->latency.p99, -1)
		                     : NULL);
	else if (arg == WL_PSS)
		html_num_cell(b, x->pss.present ? x->pss.avg : NAN, NULL,
		    x->pss.present ? format_kib(x->pss.avg) : NULL);
	else if (g->nfailed)
		html_num_cell(b, g->nfailed, "hi",
		    xasprintf("%zu of %zu", g->nfailed, g->ncells));
	else
		html_el(b, "td class=\"num muted\"", "none");
}

static const struct table_col wl_cols[WL_NCOLS] = {
    {"Interpreter", NULL, WL_INTERP, 0, 0},
    {"Engine", row_text, 1, 0, 0},
    {"Threads", NULL, WL_THREADS, 1, 0},
    {"n", NULL, WL_N, 1, 0},
    {"Median", NULL, WL_MEDIAN, 1, 0},
    {"Per unit", NULL, WL_PER_UNIT, 1, 0},
    {"95% CI", NULL, WL_CI, 1, 0},
    {"CV", NULL, WL_CV, 1, 0},
    {"Speedup", NULL, WL_SPEEDUP, 1, 0},
    {"vs baseline", NULL, WL_OVERHEAD, 1, 0},
    {"Task p99", NULL, WL_TASKS, 1, 0},
    {"PSS mean", NULL, WL_PSS, 1, 0},
    {"Failed runs", NULL, WL_FAILED, 1, 0},
};
static table_html_cell *const wl_html[WL_NCOLS] = {row_interp, NULL,
    row_threads, wl_samples, wl_time, wl_time, wl_time, wl_time, wl_ratio,
    wl_ratio, wl_extra, wl_extra, wl_extra};

void
html_workload_table(struct buf *b, const struct report *r,
    const char *workload, int engine, int tasks, int mem)
{
	const struct analysis *a = &r->a;
	struct group_rows t = {r, xcalloc(a->ngroups + 1, sizeof(size_t)), 0};
	struct table_col cols[WL_NCOLS];
	table_html_cell *html[WL_NCOLS];
	size_t n = 0;

	for (size_t i = 0; i < a->ngroups; i++)
		if (strcmp(a->groups[i].workload, workload) == 0)
			t.group[t.n++] = i;
	for (size_t c = 0; c < WL_NCOLS; c++) {
		if ((c == WL_ENGINE && !engine) ||
		    (c == WL_TASKS && !tasks) || (c == WL_PSS && !mem))
			continue;
		cols[n] = wl_cols[c];
		html[n++] = wl_html[c];
	}
	table_html(b, cols, n, html, &t, t.n);
	free(t.group);
}

/* The noisy groups, in the warnings' order (noisiest first). */

/* arg 0: the CV, 1: the interval's half width */
static void
noisy_number(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct group *g = row_group(ctx, i, NULL);
	double ci = stats_ci_halfwidth(&g->wall) * 100;

	if (arg == 0)
		buf_printf(b, "<td class=\"num\" data-v=\"%.4g\">%.1f%%</td>",
		    g->wall.cv * 100, g->wall.cv * 100);
	else
		buf_printf(b, "<td class=\"num\" data-v=\"%.4g\">±%.1f%%</td>",
		    ci, ci);
}

static void
noisy_advice(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct group *g = row_group(ctx, i, NULL);
	const char *try = strstr(g->warning, "; try ");

	html_el(b, "td class=\"advice\"", try ? try + 2 : g->warning);
}

void
html_noisy_table(struct buf *b, const struct report *r)
{
	static const struct table_col cols[] = {
	    {"Interpreter", NULL, 0, 0, 0},
	    {"Workload", row_text, 0, 0, 0},
	    {"Engine", row_text, 1, 0, 0},
	    {"Threads", NULL, 0, 1, 0},
	    {"CV", NULL, 0, 1, 0},
	    {"95% CI", NULL, 1, 1, 0},
	    {"What to try", NULL, 0, 0, 0},
	};
	static table_html_cell *const html[] = {row_interp, NULL, NULL,
	    row_threads, noisy_number, noisy_number, noisy_advice};
	struct group_rows t = {
	    r, xcalloc(r->nwarnings + 1, sizeof(*t.group)), 0};

	/* a noise warning's group is one of the analysis' */
	for (size_t k = 0; k < r->nwarnings; k++)
		if (r->warnings[k].kind == WARN_NOISY)
			t.group[t.n++] = r->warnings[k].group - r->a.groups;
	table_html(b, cols, sizeof(cols) / sizeof(*cols), html, &t, t.n);
	free(t.group);
}
