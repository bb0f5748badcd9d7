#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* chart-scaling.c: speedup against threads, per workload and for all of
 * them at a glance */

#define MAX_ENGINES 8

static int
label_near(
    const double *x, const double *y, size_t n, double px, double py, double dy)
{
	for (size_t i = 0; i < n; i++)
		if (x[i] == px && fabs(y[i] - py) < dy)
			return 1;
	return 0;
}

/* The axes of a scaling chart or panel, into h. */
static void
scaling_axes(struct buf *h, const struct analysis *a, int maxt, double ymax,
    int weak)
{
	buf_puts(h, "set xlabel 'threads'\n");
	buf_printf(h, "set ylabel '%s'\n",
	    weak ? "speedup vs 1 thread (T1·N/TN)"
	         : "speedup vs 1 thread (T1/TN)");
	/* linear axes keep the ideal line straight; only wide thread
	 * ranges need a log axis to separate the low counts */
	if (maxt > 16)
		buf_puts(h, "set logscale x 2\n");
	ymax = fmax(ymax, maxt);
	buf_printf(h, "set xrange [%g:%g]\nset yrange [0:%g]\n",
	    maxt > 16 ? 0.9 : 0.75,
	    maxt > 16 ? maxt * 1.15 : maxt + 0.25 + maxt / 16.0, ymax * 1.12);
	buf_puts(h, "set xtics (");
	for (size_t t = 0; t < a->nthreads; t++)
		buf_printf(h, "%s%d", t ? ", " : "", a->threads[t]);
	buf_puts(h, ")\nset format y '%gx'\n");
}

/* The lines of one engine (or every engine, e_count of them from e_first)
 * into c, value labels into h; titled: each line names itself in the key. */
static void
scaling_lines(struct chart *c, struct buf *h, const struct report *r,
    const char *workload, const char **engines, size_t e_first,
    size_t e_count, size_t nengines, double ymax, int titled)
{
	const struct analysis *a = &r->a;
	double lx[64], ly[64];
	size_t nlabels = 0;

	chart_clause(c, "x title %s lc rgb '%s' dt 2 lw 1.5",
	    titled ? "'ideal (linear)'" : "''",
	    chart_ink(&r->style, INK_REFERENCE));
	for (size_t i = 0; i < r->rs->ninterps; i++) {
		for (size_t e = e_first; e < e_first + e_count; e++) {
			struct buf t = {0};
			const struct group *last = NULL;
			char *lbl = chart_series_label(r, i, engines[e], nengines);
			int blk = -1;

			for (size_t k = 0; k < a->nthreads; k++) {
				const struct group *g = analysis_find(
				    a, i, workload, engines[e], a->threads[k]);

				if (!g || !g->has_speedup)
					continue;
				if (blk < 0) {
					blk = chart_block(c, lbl);
					buf_puts(&c->dat,
					    "# threads speedup "
					    "ci_lo ci_hi\n");
				}
				buf_printf(&c->dat, "%d %.6g %.6g %.6g\n",
				    g->threads, g->speedup, g->speedup_lo,
				    g->speedup_hi);
				last = g;
			}
			if (blk >= 0) {
				chart_quote(&t, titled ? lbl : "");
				chart_clause(c,
				    "dat index %d using 1:2:3:4 with "
				    "yerrorlines title %s lc rgb '%s' dt %d "
				    "lw 2.5 pt 7 ps 1.2",
				    blk, t.data, chart_colour(&r->style, i),
				    chart_engine_variant(engines[e]) + 1);
			}
			/* a panel is too narrow for them */
			if (titled && last && last->threads > 1 &&
			    nlabels < 64 &&
			    !label_near(lx, ly, nlabels, last->threads,
			        last->speedup, ymax * 0.04)) {
				/* the value at the highest thread count,
				 * unless another series says about the same */
				buf_printf(h,
				    "set label '%.2fx' at %d, %.6g left "
				    "offset 0.8,0 tc rgb '%s' front\n",
				    last->speedup, last->threads, last->speedup,
				    chart_colour(&r->style, i));
				lx[nlabels] = last->threads;
				ly[nlabels++] = last->speedup;
			}
			free(lbl);
			buf_free(&t);
		}
	}
}

/* Speedup against one thread, per interpreter (and engine), with the
 * ideal line and 95% CI bars; with many interpreters and engines, a panel
 * per engine. */
int
chart_scaling(const struct report *r, const char *workload, const char *cdir)
{
	const struct resultset *rs = r->rs;
	const struct analysis *a = &r->a;
	const char *engines[MAX_ENGINES],
	    *scaling = report_scaling(r, workload);
	int weak = strcmp(scaling, "strong") != 0, maxt = 1, any = 0, rc;
	size_t nengines = report_engines(a, workload, engines, MAX_ENGINES);
	size_t nseries = 0;
	double ymax = 1;
	struct chart c;
	char *name = chart_name("scaling", workload), *title;

	for (size_t i = 0; i < a->ngroups; i++) {
		const struct group *g = &a->groups[i];

		if (strcmp(g->workload, workload) == 0 && g->has_speedup &&
		    g->threads > 1) {
			any = 1;
			if (g->threads > maxt)
				maxt = g->threads;
			ymax = fmax(ymax, g->speedup_hi);
		}
	}
	if (!any) {
		free(name);
		return 0;
	}
	for (size_t i = 0; i < rs->ninterps; i++)
		for (size_t e = 0; e < nengines; e++)
			for (size_t k = 0; k < a->nthreads; k++) {
				const struct group *g = analysis_find(
				    a, i, workload, engines[e], a->threads[k]);

				if (g && g->has_speedup) {
					nseries++;
					break;
				}
			}
	title = xasprintf("Scaling: %s (%s scaling, higher is better)",
	    workload, weak ? "weak" : "strong");
	chart_begin(&c, &r->style, name, title);
	free(title);
	if (nseries > CHART_SERIES_MAX && nengines > 1) {
		const char **key = chart_interp_labels(r);

		chart_grid(&c, (int)nengines, 0, 0, rs->ninterps,
		    chart_text_width(key, rs->ninterps));
		for (size_t e = 0; e < nengines; e++) {
			struct buf h = {0};

			chart_set(&h, "title", engines[e]);
			scaling_axes(&h, a, maxt, ymax, weak);
			scaling_lines(&c, &h, r, workload, engines, e, 1,
			    nengines, ymax, 0);
			/* the key, in the first panel: one colour per
			 * interpreter in every panel */
			if (e == 0)
				chart_key_lines(&c, key, rs->ninterps);
			chart_panel(&c, buf_str(&h));
			buf_free(&h);
		}
		free(key);
	} else {
		const char **key = xcalloc(nseries + 1, sizeof(*key));
		char **owned = xcalloc(nseries + 1, sizeof(*owned));
		size_t n = 0;

		for (size_t i = 0; i < rs->ninterps; i++)
			for (size_t e = 0; e < nengines && n < nseries; e++)
				key[n] = owned[n] =
				    chart_series_label(r, i, engines[e], nengines),
				n++;
		chart_key_below(
		    &c, nseries + 1, chart_text_width(key, n), 1);
		scaling_axes(&c.head, a, maxt, ymax, weak);
		scaling_lines(&c, &c.head, r, workload, engines, 0, nengines,
		    nengines, ymax, 1);
		for (size_t k = 0; k < n; k++)
			free(owned[k]);
		free(owned);
		free(key);
	}
	rc = chart_render(&c, cdir);
	chart_free(&c);
	free(name);
	return rc;
}


/* The engine a workload's overview panel shows, when it has speedups. */
static const char *
overview_engine(const struct report *r, const char *workload)
{
	const char *e = report_engine(&r->a, workload);

	for (size_t i = 0; e && i < r->a.ngroups; i++) {
		const struct group *g = &r->a.groups[i];

		if (g->has_speedup && g->threads > 1 &&
		    strcmp(g->workload, workload) == 0 &&
		    strcmp(g->engine, e) == 0)
			return e;
	}
	return NULL;
}

/* Small multiples: a panel per timed workload, speedup against threads on
 * the engine its summaries use, a line per interpreter, all on the same
 * axes, so that a glance tells which scale and which do not. */
int
chart_scaling_overview(const struct report *r, const char *cdir)
{
	const struct resultset *rs = r->rs;
	const struct analysis *a = &r->a;
	const char **key = xcalloc(rs->ninterps + 2, sizeof(*key));
	int maxt = a->nthreads ? a->threads[a->nthreads - 1] : 1, n = 0, rc;
	/* interpreters with a speedup somewhere: the key's entries */
	char *has = xcalloc(rs->ninterps + 1, 1);
	size_t nkey = 0;
	struct chart c;

	double ymax = maxt;

	for (size_t i = 0; i < a->ngroups; i++) {
		const struct group *g = &a->groups[i];

		has[g->interp] |= g->has_speedup && g->threads > 1;
		/* one scale for all, the fastest line included */
		if (g->has_speedup && report_timed(r, g->workload) &&
		    overview_engine(r, g->workload) &&
		    strcmp(g->engine, overview_engine(r, g->workload)) == 0)
			ymax = fmax(ymax, g->speedup);
	}

	for (size_t w = 0; w < a->nworkloads; w++)
		n += r->perf[w] && overview_engine(r, a->workloads[w]);
	if (n < 2 || maxt < 2) {
		free(key);
		free(has);
		return 0;
	}
	for (size_t i = 0; i < rs->ninterps; i++)
		if (has[i])
			key[nkey++] = report_label(rs, i);
	key[nkey] = "ideal";
	chart_begin(&c, &r->style, "scaling-overview",
	    "Scaling of every workload: speedup against threads");
	chart_grid(&c, n, n > 6 ? 4 : 3, 290, nkey + 1,
	    chart_text_width(key, nkey + 1));
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *wl = a->workloads[w], *e = overview_engine(r, wl);
		struct buf h = {0};
		char *title;

		if (!r->perf[w] || !e)
			continue;
		title = strcmp(e, "threads") == 0 ? xstrdup(wl)
		                                  : xasprintf("%s (%s)", wl, e);
		buf_puts(&h, "set title ");
		chart_quote(&h, title);
		buf_puts(&h, " font ',14'\n");
		free(title);
		if (maxt > 16)
			buf_puts(&h, "set logscale x 2\n");
		buf_printf(&h,
		    "set xrange [%g:%g]\nset yrange [0:%g]\n"
		    "set format y '%%gx'\nset ytics %d\n",
		    maxt > 16 ? 0.9 : 0.75,
		    maxt > 16 ? maxt * 1.15 : maxt + 0.25, ymax * 1.12,
		    ymax >= 8 ? (int)ceil(ymax / 4) : 1);
		buf_puts(&h, "set xtics (");
		for (size_t t = 0; t < a->nthreads; t++)
			buf_printf(&h, "%s%d", t ? ", " : "", a->threads[t]);
		buf_puts(&h, ")\n");
		chart_clause(&c, "x title %s lc rgb '%s' dt 2 lw 1.5",
		    c.npanels ? "''" : "'ideal'",
		    chart_ink(&r->style, INK_REFERENCE));
		for (size_t i = 0; i < rs->ninterps; i++) {
			int blk = -1;

			for (size_t k = 0; k < a->nthreads; k++) {
				const struct group *g = analysis_find(
				    a, i, wl, e, a->threads[k]);

				if (!g || !g->has_speedup)
					continue;
				if (blk < 0) {
					blk = chart_block(&c, report_label(rs, i));
					buf_puts(&c.dat, "# threads speedup\n");
				}
				buf_printf(&c.dat, "%d %.6g\n", g->threads,
				    g->speedup);
			}
			if (blk >= 0)
				chart_clause(&c,
				    "dat index %d using 1:2 with linespoints "
				    "title '' lc rgb '%s' lw 2 pt 7 ps 0.8",
				    blk, chart_colour(&r->style, i));
		}
		/* the key, in the first panel */
		for (size_t i = 0; !c.npanels && i < rs->ninterps; i++) {
			struct buf t = {0};

			if (!has[i])
				continue;
			chart_quote(&t, report_label(rs, i));
			chart_clause(&c,
			    "NaN with linespoints title %s lc rgb '%s' lw 2 "
			    "pt 7",
			    t.data, chart_colour(&r->style, i));
			buf_free(&t);
		}
		chart_panel(&c, buf_str(&h));
		buf_free(&h);
	}
	rc = chart_render(&c, cdir);
	chart_free(&c);
	free(key);
	free(has);
	return rc;
}
