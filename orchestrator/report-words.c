#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* report-words.c: the sentences every format's summary opens with,
 * computed from the report model: one headline per interpreter, memory,
 * known-limitation checks, and how loading a workload changes it */

/* "12%", "4.5%": whole percents once they are large enough to need no
 * decimals. */
static void
pct(struct buf *b, double v)
{
	buf_printf(b, fabs(v) >= 9.95 ? "%.0f%%" : "%.1f%%", v);
}

static int
holds_one(double lo, double hi)
{
	return lo <= 1 && hi >= 1;
}

/* " Speedup 95% CIs: 3.60–3.75x for 3.13.15t, 0.98–1.04x for 3.13.15;
 * 3.13.15's is within noise of 1x.": the speedups' intervals, and which
 * cannot be told from none. */
static void
speedup_ci_text(struct buf *s, const struct headline *h, const char *who,
    const char *base)
{
	int ft = holds_one(h->speedup_lo, h->speedup_hi);
	int bs = h->has_base_speedup &&
	    holds_one(h->base_speedup_lo, h->base_speedup_hi);

	if (h->speed_no_ci) {
		buf_puts(s, " Speedups: one value per interpreter on some "
		            "workload, so no confidence interval.");
		return;
	}
	if (h->has_base_speedup)
		buf_printf(s,
		    " Speedup 95%% CIs: %.2f–%.2fx for %s, %.2f–%.2fx for %s",
		    h->speedup_lo, h->speedup_hi, who, h->base_speedup_lo,
		    h->base_speedup_hi, base);
	else
		buf_printf(s, " Speedup 95%% CI: %.2f–%.2fx", h->speedup_lo,
		    h->speedup_hi);
	if (ft && bs)
		buf_puts(s, "; neither differs from 1x beyond noise");
	else if (ft)
		buf_printf(s, "; %s's is within noise of 1x", who);
	else if (bs)
		buf_printf(s, "; %s's is within noise of 1x", base);
	buf_puts(s, ".");
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
	} else if (h->nover && rs->settings.target_ci > 0 &&
	    !(precision_of(h->over, h->over_lo, h->over_hi) <=
	        rs->settings.target_ci)) {
		/* a number the run could not pin down is not given as one */
		buf_printf(s,
		    "%s against %s on one thread: not resolved at ±%.3g%%",
		    who, base, rs->settings.target_ci * 100);
		buf_puts(s, " (the 95% CI is ±");
		pct(s, pm);
		buf_printf(s, "; median over %zu workload%s)", h->nover,
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
	if (h->nover_unresolved && !h->nover)
		buf_printf(s, "%s%s overhead on one thread is not resolved",
		    s->len ? "; its" : who, s->len ? "" : "'s");
	if (h->nspeed_unresolved)
		buf_printf(s,
		    "%s%s speedup on %d threads is not resolved on %zu "
		    "workload%s: every sample was disturbed (descheduled or "
		    "in a slow phase: the machine, not the interpreter; "
		    "measure again on a quieter machine)",
		    s->len ? "; its" : who, s->len ? "" : "'s",
		    h->unresolved_threads, h->nspeed_unresolved,
		    h->nspeed_unresolved == 1 ? "" : "s");
	else if (h->nover_unresolved && !h->nover)
		buf_puts(s,
		    ": every sample was disturbed (the machine, not the "
		    "interpreter; measure again on a quieter machine)");
	buf_puts(s, ".");
	if (h->nspeed)
		speedup_ci_text(s, h, who, base);
}

static double
median_or_nan(double *v, size_t n)
{
	return n ? stats_percentile(v, n, 50) : NAN;
}

/* The PSS averages of a group's cells, one per probe process; 0 when a
 * cell has no memory profile or too few samples for a claim. */
static size_t
mem_values(const struct report *r, size_t interp, const char *wl,
    const char *engine, int threads, double **v)
{
	const struct resultset *rs = r->rs;
	size_t n = 0;

	*v = xcalloc(rs->ncells + 1, sizeof(**v));
	for (size_t c = 0; c < rs->ncells; c++) {
		const struct result_cell *cell = &rs->cells[c];
		const struct cell_memory *m = &r->extras[c].memory;

		if (strcmp(cell->workload, wl) != 0 ||
		    strcmp(cell->engine, engine) != 0 ||
		    cell->threads != threads ||
		    report_interp_index(rs, cell->interp) != interp ||
		    strcmp(cell->status, "ok") != 0)
			continue;
		if (!m->present || !m->pss.present ||
		    m->nsamples < MEMORY_MIN_SAMPLES)
			return 0;
		(*v)[n++] = m->pss.avg;
	}
	return n;
}

/* One workload's ratio of mean PSS (what the tables show) with the
 * bootstrap CI of the ratio of medians over probe processes; 0 when
 * either side has no claimable memory. */
static int
mem_ratio(const struct report *r, size_t i, size_t j, const char *wl,
    const char *ei, const char *ej, int ti, int tj, double out[3], int *one)
{
	const struct group_extra *gi =
	    report_gx(r, analysis_find(&r->a, i, wl, ei, ti));
	const struct group_extra *gj =
	    report_gx(r, analysis_find(&r->a, j, wl, ej, tj));
	double *x, *y;
	size_t nx, ny;
	int ok = 0;

	if (!gi || !gj || !gi->pss.present || !gj->pss.present ||
	    gj->pss.avg <= 0)
		return 0;
	nx = mem_values(r, i, wl, ei, ti, &x);
	ny = mem_values(r, j, wl, ej, tj, &y);
	if (nx && ny) {
		double ratio;

		stats_ratio(x, nx, y, ny, &ratio, &out[1], &out[2]);
		out[0] = gi->pss.avg / gj->pss.avg;
		*one |= nx < 2 || ny < 2;
		ok = 1;
	}
	free(x);
	free(y);
	return ok;
}

/* "(median over 4 workloads), 95% CI 1.15–1.25x." */
static char *
mem_claim(const char *head, double *lo, double *hi, size_t n, int one)
{
	double l = median_or_nan(lo, n), h = median_or_nan(hi, n);

	if (one)
		return xasprintf("%s (median over %zu workload%s; one value "
		                 "per interpreter on some workload, so no "
		                 "confidence interval).",
		    head, n, n == 1 ? "" : "s");
	if (l <= 1 && h >= 1)
		return xasprintf("%s (median over %zu workload%s), within "
		                 "noise (95%% CI %.2f–%.2fx).",
		    head, n, n == 1 ? "" : "s", l, h);
	return xasprintf("%s (median over %zu workload%s), 95%% CI "
	                 "%.2f–%.2fx.",
	    head, n, n == 1 ? "" : "s", l, h);
}

/* Memory in two sentences per interpreter, medians over timed workloads:
 * PSS on one thread against the baseline's (what free threading costs in
 * memory), and worker processes against threads at the highest worker
 * count both engines ran (what seed 001 compares). Every interpreter's
 * first sentence comes before any second one, so alike read together.
 * A cell with fewer than MEMORY_MIN_SAMPLES memory samples backs no
 * claim. */
static void
memory_sentences(const struct report *r, char ***out, size_t *n)
{
	const struct analysis *a = &r->a;
	size_t nw = a->nworkloads + 1;
	double *x = xcalloc(nw, sizeof(*x)), *xl = xcalloc(nw, sizeof(*x)),
	       *xh = xcalloc(nw, sizeof(*x));
	double *y = xcalloc(nw, sizeof(*y)), *yl = xcalloc(nw, sizeof(*y)),
	       *yh = xcalloc(nw, sizeof(*y));
	char **procs = NULL;
	size_t nprocs = 0;

	for (size_t i = 0; r->any_memory && i < r->rs->ninterps; i++) {
		const char *who = report_label(r->rs, i);
		size_t nx = 0, ny = 0;
		int workers = 0, onex = 0, oney = 0;

		for (size_t w = 0; w < a->nworkloads; w++) {
			const char *wl = a->workloads[w],
			           *e = report_engine(a, wl);
			double v[3];

			if (!e || r->perf[w] != 1)
				continue;
			if (a->baseline != SIZE_MAX && a->baseline != i &&
			    mem_ratio(r, i, a->baseline, wl, e, e, 1, 1, v,
			        &onex)) {
				x[nx] = v[0];
				xl[nx] = v[1];
				xh[nx++] = v[2];
			}
			for (size_t k = a->nthreads; k-- > 1;) {
				if (!mem_ratio(r, i, i, wl, "processes",
				        "threads", a->threads[k],
				        a->threads[k], v, &oney))
					continue;
				y[ny] = v[0];
				yl[ny] = v[1];
				yh[ny++] = v[2];
				if (!workers || a->threads[k] < workers)
					workers = a->threads[k];
				break;
			}
		}
		if (nx) {
			char *head = xasprintf(
			    "%s uses %.2fx the memory (PSS) of %s on one "
			    "thread",
			    who, median_or_nan(x, nx),
			    report_label(r->rs, a->baseline));

			strv_push(out, n, mem_claim(head, xl, xh, nx, onex));
			free(head);
		}
		if (ny) {
			char *head = xasprintf(
			    "With %s%d worker processes instead of threads, "
			    "%s uses %.2fx the memory (PSS)",
			    ny > 1 ? "at least " : "", workers, who,
			    median_or_nan(y, ny));

			strv_push(&procs, &nprocs,
			    mem_claim(head, yl, yh, ny, oney));
			free(head);
		}
	}
	for (size_t k = 0; k < nprocs; k++)
		strv_push(out, n, procs[k]);
	free(procs);
	free(x);
	free(xl);
	free(xh);
	free(y);
	free(yl);
	free(yh);
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
		strv_push(out, n, buf_detach(&s));
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
		strv_push(&out, n, buf_detach(&s));
	}
	memory_sentences(r, &out, n);
	findings_sentences(r, &out, n);
	load_sentences(r, &out, n);
	return out;
}
