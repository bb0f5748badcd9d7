#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"

const char *
report_label(const struct resultset *rs, size_t interp)
{
	const struct result_interp *ri = &rs->interps[interp];

	return ri->label ? ri->label : ri->id;
}

double
report_time_unit(double ns, const char **name)
{
	static const char *const units[] = {"ns", "µs", "ms", "s"};
	double div = 1, ref = fabs(ns);
	int u = 0;

	while (u < 3 && isfinite(ref) && ref >= 1000) {
		ref /= 1000;
		div *= 1000;
		u++;
	}
	*name = units[u];
	return div;
}

static char *
three_digits(double v, const char *unit)
{
	return xasprintf(fabs(v) < 10 ? "%.2f %s"
	        : fabs(v) < 100       ? "%.1f %s"
	                              : "%.0f %s",
	    v, unit);
}

/* "4.03 ms": three significant digits in a unit that keeps the value in
 * [1, 1000). With unit_of >= 0, uses that value's unit instead, so a
 * median and its interval read alike. */
char *
report_duration(double ns, double unit_of)
{
	const char *name;
	double div = report_time_unit(unit_of >= 0 ? unit_of : ns, &name);

	if (!isfinite(ns))
		return xstrdup("–");
	return three_digits(ns / div, name);
}

char *
report_kib(double kib)
{
	if (!isfinite(kib))
		return xstrdup("–");
	if (kib >= 1024 * 1024)
		return three_digits(kib / 1024 / 1024, "GiB");
	if (kib >= 1024)
		return three_digits(kib / 1024, "MiB");
	return three_digits(kib, "KiB");
}

char *
report_metric_value(double v, const char *unit)
{
	if (!isfinite(v))
		return xstrdup("–");
	if (unit && strcmp(unit, "ns") == 0)
		return report_duration(v, -1);
	if (unit && strcmp(unit, "bytes") == 0 && fabs(v) >= 1024)
		return report_kib(v / 1024);
	if (unit && strcmp(unit, "bytes") == 0)
		return xasprintf("%.0f B", v);
	if (v == floor(v) && fabs(v) < 1e15)
		return xasprintf("%.0f%s%s", v,
		    unit && strcmp(unit, "count") ? " " : "",
		    unit && strcmp(unit, "count") ? unit : "");
	return xasprintf("%.4g%s%s", v, unit ? " " : "", unit ? unit : "");
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

/* "12%", "4.5%": whole percents once they are large enough to need no
 * decimals. */
static void
pct(struct buf *b, double v)
{
	buf_printf(b, fabs(v) >= 9.95 ? "%.0f%%" : "%.1f%%", v);
}

static void
headline_text(struct buf *s, const struct report *r, const struct headline *h)
{
	const struct resultset *rs = r->rs;
	const char *who = report_label(rs, h->interp);
	const char *base =
	    r->a.baseline != SIZE_MAX ? report_label(rs, r->a.baseline) : NULL;
	double p = (h->over - 1) * 100;
	double pm = (h->over_hi - h->over_lo) / 2 * 100;

	if (h->nover && h->no_ci) {
		buf_printf(s, "%s is ", who);
		pct(s, fabs(p));
		buf_printf(s,
		    " %s than %s on one thread (one value per "
		    "interpreter on some workload, so no confidence "
		    "interval; median over %zu workload%s)",
		    p > 0 ? "slower" : "faster", base, h->nover,
		    h->nover == 1 ? "" : "s");
	} else if (h->nover) {
		if (h->over_lo <= 1 && h->over_hi >= 1) {
			buf_printf(s,
			    "%s and %s cannot be told apart on one thread "
			    "(%+.1f%% ± ",
			    who, base, p);
			pct(s, pm);
			buf_puts(s, ", within noise;");
		} else {
			buf_printf(s, "%s is ", who);
			pct(s, fabs(p));
			buf_puts(s, " ± ");
			pct(s, pm);
			buf_printf(s, " %s than %s on one thread (",
			    p > 0 ? "slower" : "faster", base);
		}
		buf_printf(s, "%smedian over %zu workload%s",
		    s->data[s->len - 1] == '(' ? "" : " ", h->nover,
		    h->nover == 1 ? "" : "s");
		if (h->nover > 1)
			buf_printf(s, "; from %+.1f%% on %s to %+.1f%% on %s",
			    (h->over_min - 1) * 100, h->over_min_w,
			    (h->over_max - 1) * 100, h->over_max_w);
		buf_puts(s, ")");
	}
	if (h->nspeed && h->nover)
		buf_printf(s, "; it scales %.2fx on %d threads", h->speedup,
		    h->threads);
	else if (h->nspeed)
		buf_printf(s,
		    "%s scales %.2fx on %d threads (median over %zu "
		    "workload%s)",
		    who, h->speedup, h->threads, h->nspeed,
		    h->nspeed == 1 ? "" : "s");
	if (h->nspeed && h->has_base_speedup)
		buf_printf(s, " where %s %s %.2fx", base,
		    h->base_speedup < 1.2 ? "stays at" : "reaches",
		    h->base_speedup);
	buf_puts(s, ".");
}

static void
push(char ***out, size_t *n, char *s)
{
	*out = xreallocarray(*out, *n + 1, sizeof(**out));
	(*out)[(*n)++] = s;
}

static double
median_or_nan(double *v, size_t n)
{
	return n ? stats_percentile(v, n, 50) : NAN;
}

/* Memory in two sentences per interpreter, medians over timed workloads:
 * PSS on one thread against the baseline's (what free threading costs in
 * memory), and worker processes against threads at the highest worker
 * count both engines ran (what seed 001 compares). Every interpreter's
 * first sentence comes before any second one, so alike read together. */
static void
memory_sentences(const struct report *r, char ***out, size_t *n)
{
	const struct analysis *a = &r->a;
	double *x = xcalloc(a->nworkloads + 1, sizeof(*x));
	double *y = xcalloc(a->nworkloads + 1, sizeof(*y));
	char **procs = NULL;
	size_t nprocs = 0;

	for (size_t i = 0; r->any_memory && i < r->rs->ninterps; i++) {
		const char *who = report_label(r->rs, i);
		size_t nx = 0, ny = 0;
		int workers = 0;

		for (size_t w = 0; w < a->nworkloads; w++) {
			const char *wl = a->workloads[w],
			           *e = report_engine(a, wl);
			const struct group_extra *g = e && r->perf[w] == 1
			    ? report_gx(r, analysis_find(a, i, wl, e, 1))
			    : NULL;
			const struct group_extra *b =
			    e && a->baseline != SIZE_MAX && a->baseline != i
			    ? report_gx(
			          r, analysis_find(a, a->baseline, wl, e, 1))
			    : NULL;

			if (g && b && g->pss.present && b->pss.present &&
			    b->pss.avg > 0)
				x[nx++] = g->pss.avg / b->pss.avg;
			for (size_t k = a->nthreads;
			     r->perf[w] == 1 && k-- > 1;) {
				const struct group_extra *t = report_gx(r,
				    analysis_find(
				        a, i, wl, "threads", a->threads[k]));
				const struct group_extra *p = report_gx(r,
				    analysis_find(
				        a, i, wl, "processes", a->threads[k]));

				if (!t || !p || !t->pss.present ||
				    !p->pss.present || t->pss.avg <= 0)
					continue;
				y[ny++] = p->pss.avg / t->pss.avg;
				if (!workers || a->threads[k] < workers)
					workers = a->threads[k];
				break;
			}
		}
		if (nx)
			push(out, n,
			    xasprintf(
			        "%s uses %.2fx the memory (PSS) of %s on "
			        "one thread (median over %zu workload%s).",
			        who, median_or_nan(x, nx),
			        report_label(r->rs, a->baseline), nx,
			        nx == 1 ? "" : "s"));
		if (ny)
			push(&procs, &nprocs,
			    xasprintf("With %s%d worker processes instead of "
			              "threads, %s uses %.2fx the memory (PSS) "
			              "(median over %zu workload%s).",
			        ny > 1 ? "at least " : "", workers, who,
			        median_or_nan(y, ny), ny, ny == 1 ? "" : "s"));
	}
	for (size_t k = 0; k < nprocs; k++)
		push(out, n, procs[k]);
	free(procs);
	free(x);
	free(y);
}

static void
findings_sentences(const struct report *r, char ***out, size_t *n)
{
	for (size_t i = 0; r->nfindings && i < r->rs->ninterps; i++) {
		struct buf s = {0}, bad = {0};
		size_t runs = 0, nbad = 0;

		for (size_t k = 0; k < r->nfindings; k++) {
			const struct finding_cell *fc =
			    &r->findings[k].per_interp[i];

			if (!fc->outcome)
				continue;
			runs++;
			if (strcmp(fc->outcome, "issue") == 0 ||
			    strcmp(fc->outcome, "crash") == 0) {
				buf_printf(&bad, "%s%s (%s)", nbad ? ", " : "",
				    r->findings[k].id, fc->outcome);
				nbad++;
			}
		}
		if (!runs)
			continue;
		if (nbad)
			buf_printf(&s,
			    "%s: %zu of %zu known-limitation "
			    "check%s found a problem: %s.",
			    report_label(r->rs, i), nbad, runs,
			    runs == 1 ? "" : "s", bad.data);
		else
			buf_printf(&s,
			    "%s: no problem in %zu known-limitation "
			    "check%s.",
			    report_label(r->rs, i), runs, runs == 1 ? "" : "s");
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[(*n)++] = buf_detach(&s);
		buf_free(&bad);
	}
}

/* Sentences computed from the data, e.g. "3.13.15t is 12% ± 2% slower
 * than 3.13.15 on one thread (median over 20 workloads); it scales 1.9x
 * on 2 threads where 3.13.15 stays at 1x." */
char **
report_headlines(const struct report *r, size_t *n)
{
	char **out = NULL;

	*n = 0;
	for (size_t k = 0; k < r->nheadlines; k++) {
		const struct headline *h = &r->headlines[k];
		struct buf s = {0};

		/* the baseline speaks through the others' sentences */
		if (h->interp == r->a.baseline && r->nheadlines > 1)
			continue;
		headline_text(&s, r, h);
		out = xreallocarray(out, *n + 1, sizeof(*out));
		out[(*n)++] = buf_detach(&s);
	}
	memory_sentences(r, &out, n);
	findings_sentences(r, &out, n);
	return out;
}

/* Without --format svg the SVGs only fed the page: gnuplot writes both
 * kinds in one go, so the unwanted one goes afterwards. */
void
report_drop_charts(struct manifest *m, const char *ext)
{
	manifest_drop(m, "charts/", ext);
}

static int
write_one(const struct report *r, const char *dir, const char *file,
    int (*fn)(const struct report *, const char *))
{
	char *path = path_join(dir, file);
	int rc = fn(r, path);

	free(path);
	return rc;
}

int
report_write(
    const struct resultset *rs, const char *dir, const struct report_opts *opts)
{
	struct report r;
	struct manifest m;
	char *path;
	int rc = 0, charts_ok = 1;

	if (mkdir_p(dir) < 0 || manifest_load(&m, dir) < 0)
		return -1;
	report_make(rs, opts, &r);
	if (opts->html || opts->png || opts->svg) {
		if (charts_render(&r, dir, &m) < 0) {
			/* the tables are still worth writing */
			charts_ok = 0;
			rc = -1;
		}
	}
	if (opts->html) {
		path = path_join(dir, "report.html");
		if (report_html(&r, dir, charts_ok, path) < 0)
			rc = -1;
		free(path);
		manifest_add(&m, "report.html");
	}
	if (opts->csv) {
		if (write_one(&r, dir, "results.csv", report_csv) < 0 ||
		    write_one(&r, dir, "cells.csv", report_cells_csv) < 0)
			rc = -1;
		manifest_add(&m, "results.csv");
		manifest_add(&m, "cells.csv");
	}
	if (opts->md) {
		if (write_one(&r, dir, "summary.md", report_md) < 0)
			rc = -1;
		manifest_add(&m, "summary.md");
	}
	if (!opts->svg && (opts->html || opts->png))
		report_drop_charts(&m, ".svg");
	if (manifest_save(&m) < 0)
		rc = -1;
	manifest_free(&m);
	report_free(&r);
	return rc;
}
