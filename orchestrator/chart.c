#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* Colour-blind-safe (Okabe-Ito, then Tableau), one per interpreter index,
 * the same in every chart and in the report's tables. */
static const char *const palette[] = {
	"#0072b2", "#d55e00", "#009e73", "#cc79a7", "#e69f00", "#56b4e9",
	"#000000", "#9c755f", "#76b7b2", "#edc948",
};

const char *
chart_colour(size_t interp)
{
	return palette[interp % (sizeof(palette) / sizeof(palette[0]))];
}

/* Chart names become file names: keep [A-Za-z0-9._-], map the rest to '_'. */
char *
chart_name(const char *kind, const char *what)
{
	char *s = what ? xasprintf("%s-%s", kind, what) : xstrdup(kind);

	for (char *p = s; *p; p++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
			    "0123456789._-",
			*p))
			*p = '_';
	return s;
}

/* A gnuplot single-quoted string: no escapes are processed inside, a quote
 * is written twice; control characters would end the command. */
static void
gp_quote(struct buf *b, const char *s)
{
	buf_puts(b, "'");
	for (; s && *s; s++) {
		if (*s == '\'')
			buf_puts(b, "''");
		else if ((unsigned char)*s < 0x20)
			buf_puts(b, " ");
		else
			buf_add(b, s, 1);
	}
	buf_puts(b, "'");
}

struct chart {
	char *name;
	struct buf dat;	 /* data blocks, addressed with "index N" */
	struct buf head; /* settings */
	struct buf plot; /* the plot clauses */
	int nblocks;
	int nclauses;
};

static void
chart_begin(struct chart *c, const char *name, const char *title)
{
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	buf_printf(&c->dat, "# ftmatrix chart data: %s\n", name);
	buf_puts(&c->head, "set encoding utf8\nset title ");
	gp_quote(&c->head, title);
	buf_puts(&c->head,
	    " font ',15'\n"
	    "set grid ytics lc rgb '#e4e4e4' lw 1 dt solid\n"
	    "set border 3 lc rgb '#404040'\n"
	    "set tics nomirror\n"
	    "set key top left opaque box lc rgb '#c0c0c0'\n"
	    "set datafile missing 'nan'\n");
}

static void
chart_set(struct chart *c, const char *what, const char *text)
{
	buf_printf(&c->head, "set %s ", what);
	gp_quote(&c->head, text);
	buf_puts(&c->head, "\n");
}

/* Starts a data block; returns its index. */
static int
chart_block(struct chart *c, const char *comment)
{
	if (c->nblocks)
		buf_puts(&c->dat, "\n\n");
	buf_printf(&c->dat, "# %d: ", c->nblocks);
	for (const char *p = comment; *p; p++)
		buf_add(&c->dat, *p == '\n' ? " " : p, 1);
	buf_puts(&c->dat, "\n");
	return c->nblocks++;
}

static void
chart_clause(struct chart *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
chart_clause(struct chart *c, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	buf_puts(&c->plot, c->nclauses++ ? ", \\\n     " : "plot ");
	buf_puts(&c->plot, s);
	free(s);
}

static void
chart_free(struct chart *c)
{
	free(c->name);
	buf_free(&c->dat);
	buf_free(&c->head);
	buf_free(&c->plot);
}

/* The PNG terminal to use, "pngcairo" when built in; NULL when gnuplot
 * cannot be run at all. */
static const char *
gnuplot_png_terminal(void)
{
	static const char *term;
	char *argv[] = { "gnuplot", "-e", "set terminal", NULL };
	struct proc_opts o = { .argv = argv, .capture_stdout = 1,
		.capture_stderr = 1, .timeout_s = 30 };
	struct proc_result r;

	if (term)
		return term;
	if (proc_run(&o, &r) < 0) {
		error("gnuplot is needed to draw charts; install it (Debian: "
		      "apt-get install gnuplot-nox)");
		return NULL;
	}
	/* the list goes to stderr, but do not depend on it */
	term = strstr(buf_str(&r.err), "pngcairo") ||
		strstr(buf_str(&r.out), "pngcairo")
	    ? "pngcairo"
	    : "png";
	proc_result_free(&r);
	return term;
}

/* Writes name.dat and name.gp into cdir and runs gnuplot there, which
 * writes name.svg and name.png. */
static int
chart_render(struct chart *c, const char *cdir)
{
	char *dat = xasprintf("%s.dat", c->name), *gp = xasprintf("%s.gp", c->name);
	char *svg = xasprintf("%s.svg", c->name), *png = xasprintf("%s.png", c->name);
	char *datpath = path_join(cdir, dat), *gppath = path_join(cdir, gp);
	char *argv[] = { "gnuplot", gp, NULL };
	struct proc_opts o = { .argv = argv, .cwd = cdir, .capture_stdout = 1,
		.capture_stderr = 1, .timeout_s = 120 };
	struct proc_result r;
	struct buf s = { 0 };
	int rc = -1;

	buf_puts(&s, "# ftmatrix chart; rerun with: gnuplot ");
	buf_puts(&s, gp);
	buf_puts(&s, "\nset terminal svg size 820,500 font 'sans,14' "
		     "background rgb 'white' noenhanced\nset output ");
	gp_quote(&s, svg);
	buf_puts(&s, "\ndat = ");
	gp_quote(&s, dat);
	buf_puts(&s, "\n");
	buf_puts(&s, buf_str(&c->head));
	buf_puts(&s, buf_str(&c->plot));
	buf_printf(&s, "\nset terminal %s size 1200,700 font 'sans,12' "
		       "background rgb 'white' noenhanced\nset output ",
	    gnuplot_png_terminal());
	gp_quote(&s, png);
	buf_puts(&s, "\nreplot\nunset output\n");

	if (file_write_atomic(datpath, c->dat.data, c->dat.len) < 0 ||
	    file_write_atomic(gppath, s.data, s.len) < 0)
		goto out;
	if (proc_run(&o, &r) < 0)
		goto out;
	if (r.exit_status != 0) {
		char *why = proc_describe(&r), *tail = text_tail(buf_str(&r.err), 6);

		error("gnuplot failed on %s (%s): %s", gppath, why, tail);
		free(why);
		free(tail);
	} else {
		rc = 0;
	}
	proc_result_free(&r);
out:
	buf_free(&s);
	free(dat);
	free(gp);
	free(svg);
	free(png);
	free(datpath);
	free(gppath);
	return rc;
}

/* Engines that have groups for this workload, in first-seen order. */
static size_t
workload_engines(const struct analysis *a, const char *workload,
    const char **out, size_t max)
{
	size_t n = 0, k;

	for (size_t i = 0; i < a->ngroups; i++) {
		if (strcmp(a->groups[i].workload, workload) != 0)
			continue;
		for (k = 0; k < n && strcmp(out[k], a->groups[i].engine); k++)
			;
		if (k == n && n < max)
			out[n++] = a->groups[i].engine;
	}
	return n;
}

static int
label_near(const double *x, const double *y, size_t n, double px, double py,
    double dy)
{
	for (size_t i = 0; i < n; i++)
		if (x[i] == px && fabs(y[i] - py) < dy)
			return 1;
	return 0;
}

static int
scaling_chart(const struct resultset *rs, const struct analysis *a,
    const char *workload, const char *cdir)
{
	const char *engines[16], *scaling = report_scaling(rs, workload);
	int weak = strcmp(scaling, "strong") != 0, maxt = 1, any = 0, rc;
	size_t nengines = workload_engines(a, workload, engines, 16);
	double ymax = 1, lx[64], ly[64];
	size_t nlabels = 0;
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
	title = xasprintf("Scaling: %s (%s scaling, higher is better)",
	    workload, weak ? "weak" : "strong");
	chart_begin(&c, name, title);
	free(title);
	chart_set(&c, "xlabel", "threads");
	chart_set(&c, "ylabel",
	    weak ? "speedup (weak scaling: T1·N/TN)"
		 : "speedup (strong scaling: T1/TN)");
	/* linear axes keep the ideal line straight; only wide thread
	 * ranges need a log axis to separate the low counts */
	if (maxt > 16)
		buf_puts(&c.head, "set logscale x 2\n");
	buf_printf(&c.head, "set xrange [%g:%g]\nset yrange [0:*]\n",
	    maxt > 16 ? 0.9 : 0.75, maxt > 16 ? maxt * 1.15 : maxt + 0.25 + maxt / 16.0);
	ymax = fmax(ymax, maxt);
	buf_puts(&c.head, "set xtics (");
	for (size_t t = 0; t < a->nthreads; t++)
		buf_printf(&c.head, "%s%d", t ? ", " : "", a->threads[t]);
	buf_puts(&c.head, ")\nset format y '%gx'\n");
	chart_clause(&c, "x title 'ideal (linear)' lc rgb '#909090' dt 2 lw 1.5");

	for (size_t i = 0; i < rs->ninterps; i++) {
		for (size_t e = 0; e < nengines; e++) {
			struct buf lbl = { 0 }, t = { 0 };
			const struct group *last = NULL;
			int blk = -1;

			for (size_t k = 0; k < a->nthreads; k++) {
				const struct group *g = analysis_find(a, i,
				    workload, engines[e], a->threads[k]);

				if (!g || !g->has_speedup)
					continue;
				if (blk < 0) {
					buf_printf(&lbl, "%s%s%s%s",
					    report_label(rs, i),
					    nengines > 1 ? " (" : "",
					    nengines > 1 ? engines[e] : "",
					    nengines > 1 ? ")" : "");
					blk = chart_block(&c, lbl.data);
					buf_puts(&c.dat, "# threads speedup "
							 "ci_lo ci_hi\n");
				}
				buf_printf(&c.dat, "%d %.6g %.6g %.6g\n",
				    g->threads, g->speedup, g->speedup_lo,
				    g->speedup_hi);
				last = g;
			}
			if (blk < 0)
				continue;
			gp_quote(&t, lbl.data);
			chart_clause(&c,
			    "dat index %d using 1:2:3:4 with yerrorlines "
			    "title %s lc rgb '%s' dt %zu lw 2.5 pt 7 ps 1.2",
			    blk, t.data, chart_colour(i), e + 1);
			if (last && last->threads > 1 && nlabels < 64 &&
			    !label_near(lx, ly, nlabels, last->threads,
				last->speedup, ymax * 0.05)) {
				/* the value at the highest thread count, unless
				 * another series already says about the same */
				buf_printf(&c.head,
				    "set label '%.2fx' at %d, %.6g center "
				    "offset 0,0.9 tc rgb '%s' front\n",
				    last->speedup, last->threads,
				    last->speedup_hi, chart_colour(i));
				lx[nlabels] = last->threads;
				ly[nlabels++] = last->speedup;
			}
			buf_free(&lbl);
			buf_free(&t);
		}
	}
	rc = chart_render(&c, cdir);
	chart_free(&c);
	free(name);
	return rc;
}

static int
overhead_chart(const struct resultset *rs, const struct analysis *a,
    const char *cdir)
{
	struct chart c;
	size_t nothers = 0, slot = 0;
	double ymin = 0, ymax = 0, pad, bw;
	char *title;
	int rc, any = 0;

	if (a->baseline == SIZE_MAX)
		return 0;
	for (size_t i = 0; i < rs->ninterps; i++)
		nothers += i != a->baseline;
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *e = report_engine(a, a->workloads[w]);

		for (size_t i = 0; e && i < rs->ninterps; i++) {
			const struct group *g =
			    analysis_find(a, i, a->workloads[w], e, 1);

			if (i != a->baseline && g && g->has_overhead) {
				any = 1;
				ymax = fmax(ymax, (g->overhead_hi - 1) * 100);
				ymin = fmin(ymin, (g->overhead_lo - 1) * 100);
			}
		}
	}
	if (!any)
		return 0;
	title = xasprintf("Single-thread overhead vs %s (lower is better)",
	    report_label(rs, a->baseline));
	chart_begin(&c, "overhead", title);
	free(title);
	chart_set(&c, "ylabel", "time per run vs baseline, 1 thread (%)");
	chart_set(&c, "xlabel", "workload");
	/* bars grow from 0, so the axis must show it: a range that starts
	 * at +14% would make 15% and 17% look twice apart */
	pad = fmax(1, (ymax - ymin) * 0.12);
	bw = fmin(0.8 / nothers, 0.45);
	buf_printf(&c.head,
	    "set boxwidth %g absolute\nset style fill solid 0.85 border -1\n"
	    "set errorbars front lw 1.5 lc rgb '#202020'\n"
	    "set xzeroaxis lt -1 lw 1.5\nset format y '%%+g%%%%'\n"
	    "set xrange [-0.5:%zu.5]\nset yrange [%g:%g]\n"
	    "set key bmargin center horizontal\nset bmargin 5\nset grid noxtics\nset xtics (",
	    bw, a->nworkloads - 1, ymin < 0 ? ymin - pad : 0, ymax + pad);
	for (size_t w = 0; w < a->nworkloads; w++) {
		buf_puts(&c.head, w ? ", " : "");
		gp_quote(&c.head, a->workloads[w]);
		buf_printf(&c.head, " %zu", w);
	}
	buf_puts(&c.head, ") scale 0\n");

	for (size_t i = 0; i < rs->ninterps; i++) {
		struct buf t = { 0 };
		int blk = -1;

		if (i == a->baseline)
			continue;
		for (size_t w = 0; w < a->nworkloads; w++) {
			const char *e = report_engine(a, a->workloads[w]);
			const struct group *g =
			    e ? analysis_find(a, i, a->workloads[w], e, 1) : NULL;
			double pct, lo, hi, x;

			if (!g || !g->has_overhead)
				continue;
			if (blk < 0) {
				blk = chart_block(&c, report_label(rs, i));
				buf_puts(&c.dat, "# x overhead_pct ci_lo ci_hi "
						 "label_y\n");
			}
			pct = (g->overhead - 1) * 100;
			lo = (g->overhead_lo - 1) * 100;
			hi = (g->overhead_hi - 1) * 100;
			x = w + (slot - (nothers - 1) / 2.0) * bw;
			buf_printf(&c.dat, "%.4f %.6g %.6g %.6g %.6g\n", x, pct,
			    lo, hi, pct >= 0 ? hi + pad * 0.3 : lo - pad * 0.3);
		}
		slot++;
		if (blk < 0)
			continue;
		gp_quote(&t, report_label(rs, i));
		chart_clause(&c,
		    "dat index %d using 1:2:3:4:(%g) with boxerrorbars title %s "
		    "lc rgb '%s'",
		    blk, bw, t.data, chart_colour(i));
		chart_clause(&c,
		    "dat index %d using 1:5:(sprintf('%%+.1f%%%%', $2)) with "
		    "labels font ',11' notitle",
		    blk);
		buf_free(&t);
	}
	rc = chart_render(&c, cdir);
	chart_free(&c);
	return rc;
}

int
charts_render(const struct resultset *rs, const struct analysis *a,
    const char *dir)
{
	char *cdir = path_join(dir, "charts");
	int rc = 0;

	/* charts of an earlier render must not outlive their data */
	if (remove_tree(cdir) < 0 || !gnuplot_png_terminal() ||
	    mkdir_p(cdir) < 0) {
		free(cdir);
		return -1;
	}
	for (size_t w = 0; w < a->nworkloads && rc == 0; w++)
		rc = scaling_chart(rs, a, a->workloads[w], cdir);
	if (rc == 0)
		rc = overhead_chart(rs, a, cdir);
	free(cdir);
	return rc;
}
