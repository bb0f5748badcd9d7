#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * The answer in the terminal: per workload, time per unit of work for
 * each interpreter with its 95% CI, against the baseline, and the speedup
 * at the highest thread count; then the report's headline sentences. What
 * `run` prints at its end and `show` prints for any results file.
 */

#define SHOW_COLS 5

struct table {
	char *(*cell)[SHOW_COLS];
	size_t n;
};

static void
table_add(struct table *t, char *c0, char *c1, char *c2, char *c3, char *c4)
{
	t->cell = xreallocarray(t->cell, t->n + 1, sizeof(*t->cell));
	t->cell[t->n][0] = c0;
	t->cell[t->n][1] = c1;
	t->cell[t->n][2] = c2;
	t->cell[t->n][3] = c3;
	t->cell[t->n][4] = c4;
	t->n++;
}

static void
table_print(FILE *f, struct table *t)
{
	size_t w[SHOW_COLS] = {0};

	for (size_t r = 0; r < t->n; r++)
		for (size_t c = 0; c < SHOW_COLS; c++)
			if (utf8_columns(t->cell[r][c]) > w[c])
				w[c] = utf8_columns(t->cell[r][c]);
	for (size_t r = 0; r < t->n; r++) {
		struct buf line = {0};

		for (size_t c = 0; c < SHOW_COLS; c++) {
			const char *s = t->cell[r][c];

			if (c == SHOW_COLS - 1)
				buf_puts(&line, s);
			else
				buf_printf(
				    &line, "%-*s  ", utf8_field(s, w[c]), s);
			free(t->cell[r][c]);
		}
		while (line.len && line.data[line.len - 1] == ' ')
			line.data[--line.len] = 0;
		{
			/* labels and names come from the results file */
			char *safe = term_safe(buf_str(&line));

			fprintf(f, "%s\n", safe);
			free(safe);
		}
		buf_free(&line);
	}
	free(t->cell);
	t->cell = NULL;
	t->n = 0;
}

/* "iteration" from "iterations", "pair" from "acquire/release pairs",
 * "chunk of 1000 loop iterations": the first plural word made singular. */
char *
show_unit_singular(const char *unit)
{
	struct buf b = {0};
	const char *p = unit;
	int done = 0;

	while (*p) {
		size_t n = strcspn(p, " ");
		int stop = memchr(p, '(', n) != NULL;

		if (!done && !stop && n > 1 && p[n - 1] == 's' &&
		    p[n - 2] != 's') {
			if (n > 3 && strncmp(p + n - 3, "ies", 3) == 0) {
				buf_add(&b, p, n - 3);
				buf_puts(&b, "y");
			} else if (n > 4 &&
			    (strncmp(p + n - 4, "ches", 4) == 0 ||
			        strncmp(p + n - 4, "shes", 4) == 0 ||
			        strncmp(p + n - 4, "sses", 4) == 0)) {
				buf_add(&b, p, n - 2);
			} else {
				buf_add(&b, p, n - 1);
			}
			done = 1;
		} else {
			buf_add(&b, p, n);
		}
		done |= stop;
		p += n;
		if (*p)
			buf_add(&b, p++, 1);
	}
	return buf_detach(&b);
}

/* A duration and its interval in the median's unit: "41.2 ns [41.0,
 * 41.5]"; without an interval (one value) the median alone. */
static char *
duration_ci(double v, double lo, double hi, int has_ci)
{
	const char *name;
	double div = format_time_unit(v, &name);
	const char *fmt = fabs(v / div) < 10 ? "%.2f"
	    : fabs(v / div) < 100            ? "%.1f"
	                                     : "%.0f";
	struct buf b = {0};

	if (!isfinite(v))
		return xstrdup("–");
	buf_printf(&b, fmt, v / div);
	buf_printf(&b, " %s", name);
	if (has_ci && isfinite(lo) && isfinite(hi)) {
		buf_puts(&b, " [");
		buf_printf(&b, fmt, lo / div);
		buf_puts(&b, ", ");
		buf_printf(&b, fmt, hi / div);
		buf_puts(&b, "]");
	}
	return buf_detach(&b);
}

char *
show_ratio_text(double v, double lo, double hi, int has_ci)
{
	if (!has_ci)
		return xasprintf("%+.1f%% (one value, no CI)", (v - 1) * 100);
	return xasprintf("%+.1f%% [%+.1f%%, %+.1f%%] %s", (v - 1) * 100,
	    (lo - 1) * 100, (hi - 1) * 100,
	    lo > 1       ? "slower"
	        : hi < 1 ? "faster"
	                 : "within noise");
}

static char *
speedup_text(const struct group *g)
{
	if (g && g->speedup_unresolved)
		return xasprintf("%d threads: not resolved (every sample "
		                 "disturbed)",
		    g->threads);
	if (!g || !g->has_speedup)
		return xstrdup("–");
	if (g->wall.n < 2)
		return xasprintf("%d threads: %.2fx (one value, no CI)",
		    g->threads, g->speedup);
	return xasprintf("%d threads: %.2fx [%.2f, %.2f]%s", g->threads,
	    g->speedup, g->speedup_lo, g->speedup_hi,
	    g->speedup_lo <= 1 && g->speedup_hi >= 1 ? " within noise" : "");
}

/* The highest thread count above 1 the workload's groups have speedups
 * at, for any interpreter; 0 when none. */
static int
workload_top_threads(const struct analysis *a, const char *wl, const char *e)
{
	int top = 0;

	for (size_t i = 0; i < a->ngroups; i++) {
		const struct group *g = &a->groups[i];

		if (g->threads > top && g->threads > 1 &&
		    (g->has_speedup || g->speedup_unresolved) &&
		    strcmp(g->workload, wl) == 0 && strcmp(g->engine, e) == 0)
			top = g->threads;
	}
	return top;
}

static void
workload_rows(const struct report *r, size_t w, struct table *t)
{
	const struct analysis *a = &r->a;
	const struct resultset *rs = r->rs;
	const char *wl = a->workloads[w], *e = report_engine(a, wl);
	const char *unit = report_unit(r, wl);
	char *one = unit ? show_unit_singular(unit) : NULL;
	int top = e ? workload_top_threads(a, wl, e) : 0;
	int first = 1;

	for (size_t i = 0; e && i < rs->ninterps; i++) {
		const struct group *g = analysis_find(a, i, wl, e, 1);
		const struct group *gn =
		    top ? analysis_find(a, i, wl, e, top) : NULL;
		char *time, *over;

		if (!g || g->wall.n == 0)
			continue;
		if (g->units > 0)
			time = duration_ci(group_per_unit(g, g->wall.median),
			    group_per_unit(g, g->wall.ci_lo),
			    group_per_unit(g, g->wall.ci_hi), g->wall.n > 1);
		else {
			char *run = duration_ci(g->wall.median, g->wall.ci_lo,
			    g->wall.ci_hi, g->wall.n > 1);

			time = xasprintf("%s per run", run);
			free(run);
		}
		if (i == a->baseline)
			over = xstrdup("baseline");
		else if (g->has_overhead) {
			const struct group *b =
			    analysis_find(a, a->baseline, wl, e, 1);

			over = show_ratio_text(g->overhead, g->overhead_lo,
			    g->overhead_hi,
			    g->wall.n > 1 && b && b->wall.n > 1);
		} else if (g->overhead_unresolved)
			over = xstrdup("not resolved (every sample disturbed)");
		else
			over = xstrdup("–");
		table_add(t,
		    first ? xasprintf("%s%s%s", wl, one ? " per " : "",
		                one ? one : "")
		          : xstrdup(""),
		    xstrdup(report_label(rs, i)), time, over,
		    top ? speedup_text(gn) : xstrdup("–"));
		first = 0;
	}
	free(one);
}

/* The interpreter overheads are measured against, and why it is that
 * one: the matrix's baseline, else the first available interpreter. */
static size_t
show_baseline(const struct resultset *rs, int *by_default)
{
	size_t b = report_interp_index(rs, rs->baseline);

	*by_default = 0;
	if (b != SIZE_MAX)
		return b;
	for (size_t i = 0; i < rs->ninterps; i++)
		if (rs->interps[i].available) {
			*by_default = 1;
			return i;
		}
	return SIZE_MAX;
}

/* Prints and frees sentences made of results-file text, made safe for a
 * terminal. */
static void
show_sentences(FILE *f, char **s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *safe = term_safe(s[i]);

		fprintf(f, "%s\n", safe);
		free(safe);
		free(s[i]);
	}
	free(s);
}

void
show_print(FILE *f, const struct resultset *rs)
{
	struct resultset view = *rs;
	struct report r;
	struct table t = {0};
	size_t b, nh, ntimed = 0;
	int by_default, top = 0;
	char **h;

	b = show_baseline(rs, &by_default);
	if (b != SIZE_MAX)
		view.baseline = rs->interps[b].id;
	report_make(&view, NULL, &r);
	fprintf(f, "%s: %zu interpreter%s, %zu workload%s, %zu cells%s\n",
	    rs->matrix_name ? rs->matrix_name : "results", rs->ninterps,
	    rs->ninterps == 1 ? "" : "s", r.a.nworkloads,
	    r.a.nworkloads == 1 ? "" : "s", rs->ncells,
	    rs->complete ? "" : " (incomplete run)");
	if (b == SIZE_MAX)
		fprintf(f, "no interpreter was available\n");
	else if (by_default)
		fprintf(f,
		    "baseline: %s (the first interpreter: the matrix names "
		    "no baseline)\n",
		    report_label(rs, b));
	else
		fprintf(f, "baseline: %s\n", report_label(rs, b));
	for (size_t w = 0; w < r.a.nworkloads; w++) {
		const char *e = report_engine(&r.a, r.a.workloads[w]);
		int n = e ? workload_top_threads(&r.a, r.a.workloads[w], e) : 0;

		if (r.perf[w] == 1)
			ntimed++;
		if (r.perf[w] == 1 && n > top)
			top = n;
	}
	if (ntimed) {
		fprintf(f, "\n");
		table_add(&t, xstrdup("workload"), xstrdup("interpreter"),
		    xstrdup("time per unit, 1 thread [95% CI]"),
		    xasprintf("vs %s",
		        b == SIZE_MAX ? "baseline" : report_label(rs, b)),
		    xstrdup(top ? "speedup at the most threads [95% CI]"
		                : "speedup"));
		for (size_t w = 0; w < r.a.nworkloads; w++)
			if (r.perf[w] == 1)
				workload_rows(&r, w, &t);
		table_print(f, &t);
	}
	h = report_headlines(&r, &nh);
	if (nh)
		fprintf(f, "\n");
	show_sentences(f, h, nh);
	/* what the run left out and the precision it reached, then why the
	 * workloads that do not scale do not, as the report says them */
	h = report_method_sentences(&r, &nh);
	if (nh)
		fprintf(f, "\n");
	show_sentences(f, h, nh);
	h = diagnosis_sentences(&r, &nh);
	if (nh)
		fprintf(f, "\nwhy these do not scale:\n");
	show_sentences(f, h, nh);
	if (r.nwarnings) {
		char *brief = report_warnings_brief(&r);

		fprintf(f, "\nwarnings: %s (the report lists them)\n", brief);
		free(brief);
	}
	report_free(&r);
}

int
show_file(const char *path, FILE *f)
{
	struct resultset rs;

	if (results_load(path, &rs) < 0)
		return -1;
	show_print(f, &rs);
	results_free(&rs);
	return 0;
}
