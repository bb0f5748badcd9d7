#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"

/*
 * gnuplot, driven through one script file per chart (never a command line
 * built from data): chart.c holds the plumbing and the bar charts every
 * kind shares; chart-time.c and chart-memory.c say what is drawn.
 */

/* Colour-blind-safe (Okabe-Ito, then Tableau), one per interpreter index,
 * the same in every chart and in the report's tables. The dark theme uses
 * lighter versions of the same hues. */
static const char *const palette_light[] = {
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#505050",
    "#9c755f",
    "#76b7b2",
    "#b8860b",
};
static const char *const palette_dark[] = {
    "#4ba3e3",
    "#ff8a4c",
    "#34c79b",
    "#e391c4",
    "#f2b632",
    "#8fd3f7",
    "#c8c8c8",
    "#c9a48a",
    "#93d6d0",
    "#f0d264",
};
#define NPALETTE (sizeof(palette_light) / sizeof(palette_light[0]))

const char *
chart_colour(const struct chart_style *st, size_t series)
{
	return (st && st->theme == THEME_DARK
	        ? palette_dark
	        : palette_light)[series % NPALETTE];
}

const char *
chart_ink(const struct chart_style *st, enum chart_ink ink)
{
	static const char *const light[] = {
	    "#ffffff", "#202124", "#5f6368", "#e4e4e4", "#8c8c8c"};
	static const char *const dark[] = {
	    "#16181d", "#e8eaed", "#a0a4ab", "#30343b", "#8a8f98"};

	return (st && st->theme == THEME_DARK ? dark : light)[ink];
}

/* Chart names become file names: keep [A-Za-z0-9._-], map the rest to '_'. */
char *
chart_name(const char *kind, const char *what)
{
	char *s = what ? xasprintf("%s-%s", kind, what) : xstrdup(kind);

	for (char *p = s; *p; p++)
		if (!strchr(
		        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		        "0123456789._-",
		        *p))
			*p = '_';
	return s;
}

/* A gnuplot single-quoted string: no escapes are processed inside, a quote
 * is written twice; control characters would end the command. */
void
chart_quote(struct buf *b, const char *s)
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

void
chart_begin(struct chart *c, const struct chart_style *st, const char *name,
    const char *title)
{
	memset(c, 0, sizeof(*c));
	c->style = st;
	c->name = xstrdup(name);
	c->height = CHART_HEIGHT;
	buf_printf(&c->dat, "# ftmatrix chart data: %s\n", name);
	/* a label, not "set title": gnuplot centres titles over the plot
	 * area, which long category names push off the canvas's centre */
	buf_puts(&c->head, "set encoding utf8\nset label 1000 ");
	chart_quote(&c->head, title);
	buf_printf(&c->head,
	    " at screen 0.5, screen 1 center offset 0,-1.3 font ',19' tc rgb "
	    "'%s'\n"
	    "set tmargin 3.6\n"
	    "set grid ytics lc rgb '%s' lw 1 dt solid\n"
	    "set border 3 lc rgb '%s'\n"
	    "set tics nomirror tc rgb '%s'\n"
	    "set xlabel tc rgb '%s'\nset ylabel tc rgb '%s'\n"
	    "set key top left opaque box lc rgb '%s' tc rgb '%s'\n"
	    "set datafile missing 'nan'\n",
	    chart_ink(st, INK_TEXT), chart_ink(st, INK_GRID),
	    chart_ink(st, INK_MUTED), chart_ink(st, INK_TEXT),
	    chart_ink(st, INK_TEXT), chart_ink(st, INK_TEXT),
	    chart_ink(st, INK_GRID), chart_ink(st, INK_TEXT));
}

void
chart_set(struct chart *c, const char *what, const char *text)
{
	buf_printf(&c->head, "set %s ", what);
	chart_quote(&c->head, text);
	buf_puts(&c->head, "\n");
}

int
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

void
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

void
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
	char *argv[] = {"gnuplot", "-e", "set terminal", NULL};
	struct proc_opts o = {.argv = argv,
	    .capture_stdout = 1,
	    .capture_stderr = 1,
	    .timeout_s = 30};
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

static void
unlink_in(const char *dir, const char *name)
{
	char *path = path_join(dir, name);

	unlink(path);
	free(path);
}

/* Writes name.dat and name.gp into cdir and runs gnuplot there, which
 * writes name.svg and name.png. The PNG is the SVG's layout scaled to
 * CHART_PNG_WIDTH pixels (times the HiDPI scale), so both read alike. */
int
chart_render(struct chart *c, const char *cdir)
{
	const struct chart_style *st = c->style;
	char *dat = xasprintf("%s.dat", c->name),
	     *gp = xasprintf("%s.gp", c->name);
	char *svg = xasprintf("%s.svg", c->name),
	     *png = xasprintf("%s.png", c->name);
	char *datpath = path_join(cdir, dat), *gppath = path_join(cdir, gp);
	char *argv[] = {"gnuplot", gp, NULL};
	struct proc_opts o = {.argv = argv,
	    .cwd = cdir,
	    .capture_stdout = 1,
	    .capture_stderr = 1,
	    .timeout_s = 120};
	struct proc_result r;
	struct buf s = {0};
	int scale = st && st->scale > 1 ? st->scale : 1, rc = -1;
	double k = (double)CHART_PNG_WIDTH / CHART_WIDTH * scale;
	const char *bg = chart_ink(st, INK_BACKGROUND);

	buf_puts(&s, "# ftmatrix chart; rerun with: gnuplot ");
	buf_puts(&s, gp);
	buf_printf(&s,
	    "\nset terminal svg size %d,%d font 'sans,16' "
	    "background rgb '%s' noenhanced\nset output ",
	    CHART_WIDTH, c->height, bg);
	chart_quote(&s, svg);
	buf_puts(&s, "\ndat = ");
	chart_quote(&s, dat);
	buf_puts(&s, "\n");
	buf_puts(&s, buf_str(&c->head));
	buf_puts(&s, buf_str(&c->plot));
	if (!st || st->png) {
		buf_printf(&s,
		    "\nset terminal %s size %d,%d font 'sans,16' "
		    "fontscale %.3f linewidth %.3f background rgb '%s' "
		    "noenhanced\nset output ",
		    gnuplot_png_terminal(), (int)lround(CHART_WIDTH * k),
		    (int)lround(c->height * k), k, k, bg);
		chart_quote(&s, png);
		buf_puts(&s, "\nreplot");
	}
	buf_puts(&s, "\nunset output\n");

	if (file_write_atomic(datpath, c->dat.data, c->dat.len) < 0 ||
	    file_write_atomic(gppath, s.data, s.len) < 0)
		goto out;
	if (proc_run(&o, &r) < 0)
		goto out;
	if (r.exit_status != 0) {
		char *why = proc_describe(&r),
		     *tail = text_tail(buf_str(&r.err), 6);

		error("gnuplot failed on %s (%s): %s", gppath, why, tail);
		free(why);
		free(tail);
		/* what it left of them may be cut short */
		unlink_in(cdir, svg);
		unlink_in(cdir, png);
	} else {
		char *svgpath = path_join(cdir, svg);

		rc = svg_compact_file(svgpath);
		free(svgpath);
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

/* Labels on bars with the same decimals throughout, three digits for the
 * largest value. */
const char *
chart_value_format(double top)
{
	top = fabs(top);
	return top >= 99.95 ? "%.0f" : top >= 9.995 ? "%.1f" : "%.2f";
}

/* A legend under the plot, with room for it below the x label: gnuplot
 * does not always leave enough on its own. */
void
chart_key_below(struct chart *c, size_t nentries, int xlabel)
{
	buf_printf(&c->head,
	    "set key at screen 0.5, character 0.4 center bottom horizontal "
	    "maxcols 2\n"
	    "set bmargin %.1f\n",
	    (xlabel ? 4.3 : 2.8) + 1.3 * ((nentries + 1) / 2));
}

/* Engines keep one look in every chart: threads solid, processes
 * hatched, the executor pools lighter or hatched the other way (and the
 * same order of dash types in line charts). */
int
chart_engine_variant(const char *engine)
{
	static const char *const order[] = {
	    "threads", "processes", "executor-threads", "executor-processes"};

	for (int i = 0; i < 4; i++)
		if (engine && strcmp(engine, order[i]) == 0)
			return i;
	return 0;
}

/* How series sharing a colour (one interpreter, several engines) differ. */
static void
fill_style(struct buf *b, int variant, const char *colour)
{
	static const char *const fills[] = {"solid 0.85",
	    "transparent pattern 4", "solid 0.4", "transparent pattern 5"};

	buf_printf(b, "fs %s border lc rgb '%s' lc rgb '%s'",
	    fills[variant % 4], colour, colour);
}

/* A tick step of 1, 2, 2.5 or 5 times a power of ten that gives at most
 * about max ticks over span. */
static double
nice_step(double span, int max)
{
	double raw = span / max, p, steps[] = {1, 2, 2.5, 5, 10};

	if (!(raw > 0) || !isfinite(raw))
		return 1;
	p = pow(10, floor(log10(raw)));
	for (size_t i = 0; i < 5; i++)
		if (steps[i] * p >= raw)
			return steps[i] * p;
	return 10 * p;
}

/* The extent a bar and its whisker reach, for the axis range. */
static void
bar_extent(const struct bar *v, double *lo, double *hi)
{
	double a = v->has_ci ? v->lo : v->v, z = v->has_ci ? v->hi : v->v;

	*lo = fmin(*lo, fmin(a, v->v));
	*hi = fmax(*hi, fmax(z, v->v));
}

/*
 * Clustered bars: one cluster per category, one bar per series in it, each
 * from `base` to its value, with a 95% CI whisker and a value label. Bars
 * run up from the x axis, or right from the y axis when horizontal (long
 * category names, many categories).
 */
int
chart_bars(const struct chart_style *st, const struct bars *b, const char *cdir)
{
	struct chart c;
	double lo = b->base, hi = b->base, pad, w, gap = 0.8, axis_lo, axis_hi;
	size_t nseries = 0, slot = 0;
	int rc, any = 0, hz = b->horizontal;
	const char *val = hz ? "x" : "y", *cat = hz ? "y" : "x";

	for (size_t s = 0; s < b->nseries; s++) {
		int used = 0;

		for (size_t k = 0; k < b->ncats; k++) {
			const struct bar *v = &b->v[s * b->ncats + k];

			if (v->has) {
				bar_extent(v, &lo, &hi);
				used = any = 1;
			}
		}
		nseries += used;
	}
	if (!any)
		return 0;
	for (size_t k = 0; k < b->nref; k++)
		hi = fmax(hi, b->ref[k]);
	chart_begin(&c, st, b->name, b->title);
	w = fmin(gap / nseries, 0.42);
	pad = fmax((hi - lo) * 0.14, fabs(hi) * 1e-3);
	if (pad == 0)
		pad = 1;
	if (hz)
		c.height = (int)fmin(2400,
		    fmax(CHART_HEIGHT * 0.75,
		        140 + b->ncats * (nseries * 24 + 20)));
	chart_set(&c, hz ? "xlabel" : "ylabel", b->value_label);
	if (b->cat_label)
		chart_set(&c, hz ? "ylabel" : "xlabel", b->cat_label);
	/* room for the value labels beyond the longest bars */
	axis_lo = lo < b->base ? lo - pad * (hz ? 2.2 : 1.3) : b->base;
	axis_hi = hi > b->base ? hi + pad * (hz ? 2.2 : 1.3) : b->base;
	buf_printf(&c.head,
	    "set style fill solid 0.85 border -1\n"
	    "set grid no%stics %stics\n"
	    "set %srange [%g:%g]\n"
	    "set %srange [%g:%g]\n"
	    "set format %s '%s'\n",
	    cat, val, val, axis_lo, axis_hi, cat,
	    /* the first category on top when horizontal */
	    hz ? b->ncats - 0.4 : -0.6, hz ? -0.6 : b->ncats - 0.4, val,
	    b->axis_format ? b->axis_format : "%g");
	if (b->base_line && hz)
		buf_printf(&c.head,
		    "set arrow from first %g, graph 0 to first %g, graph 1 "
		    "nohead lc rgb '%s' lw 1.5 front\n",
		    b->base, b->base, chart_ink(st, INK_TEXT));
	else if (b->base_line)
		buf_printf(&c.head,
		    "set arrow from graph 0, first %g to graph 1, first %g "
		    "nohead lc rgb '%s' lw 1.5 front\n",
		    b->base, b->base, chart_ink(st, INK_TEXT));
	for (size_t k = 0; k < b->nref; k++) {
		buf_printf(&c.head,
		    hz ? "set arrow from first %g, graph 0 to first %g, graph "
		         "1 "
		         "nohead lc rgb '%s' dt 2 lw 1.5 back\n"
		       : "set arrow from graph 0, first %g to graph 1, first "
		         "%g "
		         "nohead lc rgb '%s' dt 2 lw 1.5 back\n",
		    b->ref[k], b->ref[k], chart_ink(st, INK_REFERENCE));
		if (b->ref_label[k]) {
			buf_printf(&c.head, hz ? "set label " : "set label ");
			chart_quote(&c.head, b->ref_label[k]);
			buf_printf(&c.head,
			    hz ? " at first %g, graph 1 center offset 0,0.7 "
			         "tc rgb '%s' font ',13'\n"
			       : " at graph 1, first %g right offset 0,0.6 "
			         "tc rgb '%s' font ',13'\n",
			    b->ref[k], chart_ink(st, INK_MUTED));
		}
		hi = fmax(hi, b->ref[k]);
	}
	buf_printf(&c.head, "set %stics %g\n", val,
	    nice_step(axis_hi - axis_lo, hz ? 5 : 8));
	buf_printf(&c.head, "set %stics (", cat);
	for (size_t k = 0; k < b->ncats; k++) {
		buf_puts(&c.head, k ? ", " : "");
		chart_quote(&c.head, b->cats[k]);
		buf_printf(&c.head, " %zu", k);
	}
	buf_puts(&c.head, ") scale 0\n");
	chart_key_below(&c, nseries, hz || b->cat_label);

	for (size_t s = 0; s < b->nseries; s++) {
		struct buf t = {0}, fs = {0};
		int blk = -1, pos = -1, neg = -1;

		for (size_t k = 0; k < b->ncats; k++) {
			const struct bar *v = &b->v[s * b->ncats + k];
			double at;

			if (!v->has)
				continue;
			if (blk < 0) {
				blk = chart_block(&c, b->series[s]);
				buf_puts(&c.dat,
				    "# position value ci_lo ci_hi "
				    "bar_lo bar_hi\n");
			}
			at = k + (slot - (nseries - 1) / 2.0) * w;
			buf_printf(&c.dat, "%.4f %.6g %.6g %.6g %.4f %.4f\n",
			    at, v->v, v->has_ci ? v->lo : NAN,
			    v->has_ci ? v->hi : NAN, at - w / 2 * 0.92,
			    at + w / 2 * 0.92);
		}
		if (blk < 0)
			continue;
		/* value labels beyond the whisker, on the side the bar grows */
		for (int side = 0; side < 2 && b->value_format; side++) {
			int *blkp = side ? &neg : &pos;

			for (size_t k = 0; k < b->ncats; k++) {
				const struct bar *v = &b->v[s * b->ncats + k];
				double at =
				    k + (slot - (nseries - 1) / 2.0) * w;
				double end;

				if (!v->has || (v->v < b->base) != side)
					continue;
				if (*blkp < 0) {
					*blkp = chart_block(&c, "labels");
					buf_puts(
					    &c.dat, "# position at value\n");
				}
				end = side
				    ? (v->has_ci ? fmin(v->lo, v->v) : v->v)
				    : (v->has_ci ? fmax(v->hi, v->v) : v->v);
				buf_printf(
				    &c.dat, "%.4f %.6g %.6g\n", at, end, v->v);
			}
		}
		slot++;
		chart_quote(&t, b->series[s]);
		fill_style(&fs, b->variant ? b->variant[s] : 0, b->colour[s]);
		if (hz)
			chart_clause(&c,
			    "dat index %d using (%g):1:(%g):2:5:6 with "
			    "boxxyerror %s title %s",
			    blk, b->base, b->base, fs.data, t.data);
		else
			chart_clause(&c,
			    "dat index %d using 1:(%g):5:6:(%g):2 with "
			    "boxxyerror %s title %s",
			    blk, b->base, b->base, fs.data, t.data);
		/* whiskers as capped vectors: error bars leave a gap where
		 * their point would be */
		chart_clause(&c,
		    "dat index %d using %s with vectors heads size screen "
		    "0.006,90 lw 1.5 lc rgb '%s' notitle",
		    blk, hz ? "3:1:($4-$3):(0)" : "1:3:(0):($4-$3)",
		    chart_ink(st, INK_TEXT));
		for (int side = 0; side < 2; side++) {
			int k = side ? neg : pos;

			if (k < 0)
				continue;
			if (hz)
				chart_clause(&c,
				    "dat index %d using 2:1:(sprintf('%s', "
				    "$3)) "
				    "with labels %s offset %s0.6,0 font ',13' "
				    "tc rgb '%s' notitle",
				    k, b->value_format, side ? "right" : "left",
				    side ? "-" : "", chart_ink(st, INK_TEXT));
			else
				chart_clause(&c,
				    "dat index %d using 1:2:(sprintf('%s', "
				    "$3)) "
				    "with labels center offset 0,%s0.8 font "
				    "',13' "
				    "tc rgb '%s' notitle",
				    k, b->value_format, side ? "-" : "",
				    chart_ink(st, INK_TEXT));
		}
		buf_free(&t);
		buf_free(&fs);
	}
	rc = chart_render(&c, cdir);
	chart_free(&c);
	return rc;
}

/* Draws into a stage that replaces dir/charts when done: an interrupted
 * render leaves the last whole set in place. A render that failed part way
 * still replaces it, as charts of an earlier render must not outlive
 * their data. */
int
charts_render(const struct report *r, const char *dir)
{
	char *cdir;
	int rc = 0;

	if (!gnuplot_png_terminal()) {
		cdir = path_join(dir, "charts");
		remove_tree(cdir);
		free(cdir);
		return -1;
	}
	if (!(cdir = charts_stage(dir)))
		return -1;
	if (chart_overhead(r, cdir) < 0 || chart_scaling_summary(r, cdir) < 0)
		rc = -1;
	for (size_t w = 0; w < r->a.nworkloads; w++) {
		if (!r->perf[w])
			continue;
		if (chart_scaling(r, r->a.workloads[w], cdir) < 0 ||
		    chart_engines(r, r->a.workloads[w], cdir) < 0 ||
		    chart_latency(r, r->a.workloads[w], cdir) < 0 ||
		    chart_memory(r, r->a.workloads[w], cdir) < 0 ||
		    chart_timeline(r, r->a.workloads[w], cdir) < 0)
			rc = -1;
	}
	if (charts_commit(dir, cdir) < 0)
		rc = -1;
	free(cdir);
	return rc;
}
