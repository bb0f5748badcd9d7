#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

const char *
report_label(const struct resultset *rs, size_t interp)
{
	const struct result_interp *ri = &rs->interps[interp];

	return ri->label ? ri->label : ri->id;
}

/* "4.03 ms": three significant digits in a unit that keeps the value in
 * [1, 1000). With unit_of >= 0, uses that value's unit instead, so a
 * median and its interval read alike. */
char *
report_duration(double ns, double unit_of)
{
	static const char *const units[] = { "ns", "µs", "ms", "s" };
	double ref = fabs(unit_of >= 0 ? unit_of : ns), v = ns;
	int u = 0;

	if (!isfinite(ns))
		return xstrdup("–");
	while (u < 3 && ref >= 1000) {
		ref /= 1000;
		v /= 1000;
		u++;
	}
	return xasprintf(fabs(v) < 10 ? "%.2f %s" : fabs(v) < 100 ? "%.1f %s"
								   : "%.0f %s",
	    v, units[u]);
}

const char *
report_scaling(const struct resultset *rs, const char *workload)
{
	for (size_t i = 0; i < rs->ncells; i++)
		if (rs->cells[i].scaling &&
		    strcmp(rs->cells[i].workload, workload) == 0)
			return rs->cells[i].scaling;
	return "weak";
}

/* The engine whose groups stand for the workload in summaries: threads
 * when measured, else the first one seen. */
const char *
report_engine(const struct analysis *a, const char *workload)
{
	const char *first = NULL;

	for (size_t i = 0; i < a->ngroups; i++) {
		const struct group *g = &a->groups[i];

		if (strcmp(g->workload, workload) != 0)
			continue;
		if (strcmp(g->engine, "threads") == 0)
			return g->engine;
		if (!first)
			first = g->engine;
	}
	return first;
}

/* The highest thread count at which both interpreters have a speedup. */
static const struct group *
top_speedup(const struct analysis *a, size_t interp, size_t other,
    const char *workload, const char *engine, const struct group **og)
{
	for (size_t k = a->nthreads; k-- > 0;) {
		const struct group *g = analysis_find(a, interp, workload,
		    engine, a->threads[k]);
		const struct group *o = other == SIZE_MAX ? NULL
		    : analysis_find(a, other, workload, engine, a->threads[k]);

		if (a->threads[k] < 2 || !g || !g->has_speedup)
			continue;
		if (other != SIZE_MAX && (!o || !o->has_speedup))
			continue;
		*og = o;
		return g;
	}
	return NULL;
}

/* One plain-text sentence per workload and interpreter (other than the
 * baseline): single-thread overhead, then scaling at the highest thread
 * count, e.g. "3.13.15t is 15% slower than 3.13.15 on one thread on
 * cpu_loop; it scales 1.95x on 2 threads where 3.13.15 stays at 0.99x". */
char **
report_headlines(const struct resultset *rs, const struct analysis *a,
    size_t *n)
{
	char **out = NULL;
	size_t b = a->baseline;

	*n = 0;
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *wl = a->workloads[w], *e = report_engine(a, wl);

		for (size_t i = 0; e && i < rs->ninterps; i++) {
			const struct group *g1 = analysis_find(a, i, wl, e, 1);
			const struct group *gn, *bn = NULL;
			struct buf s = { 0 };
			int named;

			if (i == b)
				continue;
			if (g1 && g1->has_overhead && b != SIZE_MAX) {
				double pct = (g1->overhead - 1) * 100;

				if (g1->overhead_lo <= 1 && g1->overhead_hi >= 1)
					buf_printf(&s, "%s is as fast as %s on one thread on %s (%+.0f%%, within noise)",
					    report_label(rs, i), report_label(rs, b), wl, pct);
				else
					buf_printf(&s, "%s is %.0f%% %s than %s on one thread on %s",
					    report_label(rs, i), fabs(pct),
					    pct > 0 ? "slower" : "faster", report_label(rs, b), wl);
			}
			named = s.len > 0;
			gn = top_speedup(a, i, b, wl, e, &bn);
			if (!gn && b != SIZE_MAX)
				gn = top_speedup(a, i, SIZE_MAX, wl, e, &bn);
			if (gn) {
				if (s.len)
					buf_puts(&s, "; it scales");
				else
					buf_printf(&s, "%s scales", report_label(rs, i));
				buf_printf(&s, " %.2fx on %d threads", gn->speedup, gn->threads);
				if (!named)
					buf_printf(&s, " on %s", wl);
				if (bn)
					buf_printf(&s, " where %s %s %.2fx", report_label(rs, b),
					    bn->speedup < 1.2 ? "stays at" : "reaches", bn->speedup);
			}
			if (!s.len)
				continue;
			buf_puts(&s, ".");
			out = xreallocarray(out, *n + 1, sizeof(*out));
			out[(*n)++] = buf_detach(&s);
		}
	}
	return out;
}

static void
csv_field(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "\"");
	for (; *s; s++)
		buf_add(b, *s == '"' ? "\"\"" : s, *s == '"' ? 2 : 1);
	buf_puts(b, "\"");
}

static void
csv_num(struct buf *b, int has, double v)
{
	if (has && isfinite(v))
		buf_printf(b, ",%.10g", v);
	else
		buf_puts(b, ",");
}

static int
write_csv(const struct resultset *rs, const struct analysis *a,
    const char *path)
{
	struct buf b = { 0 };
	int rc;

	buf_puts(&b, "interpreter,label,workload,engine,threads,n,mean_ns,"
		     "median_ns,stdev_ns,ci_lo_ns,ci_hi_ns,cv,speedup,"
		     "speedup_lo,speedup_hi,overhead,overhead_lo,overhead_hi,"
		     "failed\n");
	for (size_t i = 0; i < a->ngroups; i++) {
		const struct group *g = &a->groups[i];
		int has = g->wall.n > 0;

		csv_field(&b, rs->interps[g->interp].id);
		buf_puts(&b, ",");
		csv_field(&b, report_label(rs, g->interp));
		buf_puts(&b, ",");
		csv_field(&b, g->workload);
		buf_puts(&b, ",");
		csv_field(&b, g->engine);
		buf_printf(&b, ",%d,%zu", g->threads, g->wall.n);
		csv_num(&b, has, g->wall.mean);
		csv_num(&b, has, g->wall.median);
		csv_num(&b, has, g->wall.stdev);
		csv_num(&b, has, g->wall.ci_lo);
		csv_num(&b, has, g->wall.ci_hi);
		csv_num(&b, has, g->wall.cv);
		csv_num(&b, g->has_speedup, g->speedup);
		csv_num(&b, g->has_speedup, g->speedup_lo);
		csv_num(&b, g->has_speedup, g->speedup_hi);
		csv_num(&b, g->has_overhead, g->overhead);
		csv_num(&b, g->has_overhead, g->overhead_lo);
		csv_num(&b, g->has_overhead, g->overhead_hi);
		buf_printf(&b, ",%zu\n", g->nfailed);
	}
	rc = file_write_atomic(path, b.data, b.len);
	buf_free(&b);
	return rc;
}

/* Markdown table cells: a pipe would end the cell, a newline the row. */
static void
md_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		if (*s == '|')
			buf_puts(b, "\\|");
		else
			buf_add(b, *s == '\n' ? " " : s, 1);
	}
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
md_header(struct buf *b, const struct resultset *rs, const struct analysis *a,
    const char *first, const char *align, size_t skip)
{
	buf_printf(b, "| %s |", first);
	for (size_t i = 0; i < rs->ninterps; i++) {
		if (i == skip || !has_groups(a, i))
			continue;
		buf_puts(b, " ");
		md_text(b, report_label(rs, i));
		buf_puts(b, " |");
	}
	buf_printf(b, "\n|%s", align);
	for (size_t i = 0; i < rs->ninterps; i++)
		if (i != skip && has_groups(a, i))
			buf_puts(b, "---:|");
}

static void
md_overhead(struct buf *b, const struct resultset *rs,
    const struct analysis *a)
{
	size_t bl = a->baseline;

	buf_puts(b, "\n## Single-thread overhead vs ");
	md_text(b, report_label(rs, bl));
	buf_puts(b, "\n\nTime per run relative to the baseline on one "
		    "thread (95% CI); lower is better.\n\n");
	md_header(b, rs, a, "workload", "---|", bl);
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *e = report_engine(a, a->workloads[w]);

		buf_puts(b, "\n| ");
		md_text(b, a->workloads[w]);
		buf_puts(b, " |");
		for (size_t i = 0; i < rs->ninterps; i++) {
			const struct group *g = e ? analysis_find(a, i,
			    a->workloads[w], e, 1) : NULL;

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
md_speedups(struct buf *b, const struct resultset *rs,
    const struct analysis *a)
{
	buf_puts(b, "\n## Speedup\n\nSpeedup against the same interpreter "
		    "on one thread (weak scaling: T1·N/TN, strong: T1/TN); "
		    "higher is better.\n\n");
	md_header(b, rs, a, "workload | threads", "---|---:|", SIZE_MAX);
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *wl = a->workloads[w], *e = report_engine(a, wl);

		for (size_t k = 0; e && k < a->nthreads; k++) {
			if (a->threads[k] < 2)
				continue;
			buf_puts(b, "\n| ");
			md_text(b, wl);
			buf_printf(b, " (%s) | %d |", report_scaling(rs, wl),
			    a->threads[k]);
			for (size_t i = 0; i < rs->ninterps; i++) {
				const struct group *g = analysis_find(a, i, wl,
				    e, a->threads[k]);

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

static int
write_md(const struct resultset *rs, const struct analysis *a,
    const char *path)
{
	struct buf b = { 0 };
	size_t nh;
	char **h = report_headlines(rs, a, &nh);
	int rc;

	buf_puts(&b, "# ftmatrix: ");
	md_text(&b, rs->matrix_name ? rs->matrix_name : "results");
	buf_puts(&b, "\n\n");
	for (size_t i = 0; i < nh; i++) {
		buf_puts(&b, "- ");
		md_text(&b, h[i]);
		buf_puts(&b, "\n");
		free(h[i]);
	}
	free(h);
	if (!a->ngroups)
		buf_puts(&b, "No measurements yet.\n");
	if (a->ngroups && a->baseline != SIZE_MAX)
		md_overhead(&b, rs, a);
	if (a->ngroups && a->nthreads > 1)
		md_speedups(&b, rs, a);
	buf_puts(&b, "\nMachine: ");
	md_text(&b, rs->machine.cpu_model ? rs->machine.cpu_model : "unknown");
	buf_printf(&b, ", %d cores, ", rs->machine.cores);
	md_text(&b, rs->machine.kernel ? rs->machine.kernel : "unknown");
	buf_puts(&b, ".\n\nReproduce with:\n\n```\n");
	buf_puts(&b, rs->command ? rs->command : "ftmatrix run <matrix>");
	buf_puts(&b, "\n```\n");
	rc = file_write_atomic(path, b.data, b.len);
	buf_free(&b);
	return rc;
}

int
report_write(const struct resultset *rs, const char *dir,
    const struct report_opts *opts)
{
	struct analysis a;
	char *path;
	int rc = 0, charts_ok = 1;

	if (mkdir_p(dir) < 0)
		return -1;
	analysis_make(rs, &a);
	if (opts->html || opts->png || opts->svg) {
		if (charts_render(rs, &a, dir) < 0) {
			/* the tables are still worth writing */
			charts_ok = 0;
			rc = -1;
		}
	}
	if (opts->html) {
		path = path_join(dir, "report.html");
		if (report_html(rs, &a, dir, charts_ok, path) < 0)
			rc = -1;
		free(path);
	}
	if (opts->csv) {
		path = path_join(dir, "results.csv");
		if (write_csv(rs, &a, path) < 0)
			rc = -1;
		free(path);
	}
	if (opts->md) {
		path = path_join(dir, "summary.md");
		if (write_md(rs, &a, path) < 0)
			rc = -1;
		free(path);
	}
	analysis_free(&a);
	return rc;
}
