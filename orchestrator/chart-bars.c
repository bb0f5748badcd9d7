#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* chart-bars.c: clustered bars, the chart every kind but scaling and
 * timelines is drawn as */

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
/* The height of a horizontal bar chart: bars 22 px apart while it stays
 * under 2400 px, closer when there are many but never closer than their
 * value labels are tall. Returns the labels' font size. */
static int
bars_height(struct chart *c, size_t nseries, size_t ncats, double w,
    size_t longest)
{
	/* title and top margin; x axis, its label and the legend below */
	double margins =
	    64 + 19 * (4.3 + 1.3 * chart_key_rows(nseries, longest));
	double per_pitch = (ncats + 0.2) / w; /* plot px per px of pitch */
	double pitch = fmax(14, fmin(22, (2400 - margins) / per_pitch));

	/* a few bars still get a plot as tall as its margins together */
	c->height = (int)fmax(fmax(CHART_HEIGHT * 0.75, 3.0 * margins),
	    margins + pitch * per_pitch);
	return pitch < 18 ? 11 : 13;
}

static void
set_text(struct buf *h, const char *what, const char *text)
{
	buf_printf(h, "set %s ", what);
	chart_quote(h, text);
	buf_puts(h, "\n");
}

/* The bars of b into c: settings into h (the chart's head, or a panel's),
 * clauses into c's plot. In a panel the bars carry no titles: the grid's
 * key says what the fills mean. Returns 0 when nothing has a value. */
static int
bars_draw(struct chart *c, struct buf *h, const struct bars *b, int panel)
{
	const struct chart_style *st = c->style;
	double lo = b->base, hi = b->base, pad, w, gap = 0.8, axis_lo, axis_hi;
	size_t nseries = 0, slot = 0, ncats = 0;
	/* where each category sits: one no series has a bar in gets no row */
	size_t *row = xcalloc(b->ncats + 1, sizeof(*row));
	int any = 0, hz = b->horizontal, font = 13;
	const char *vf = b->value_format;
	const char *val = hz ? "x" : "y", *cat = hz ? "y" : "x";

	for (size_t k = 0; k < b->ncats; k++)
		row[k] = SIZE_MAX;
	for (size_t s = 0; s < b->nseries; s++) {
		int used = 0;

		for (size_t k = 0; k < b->ncats; k++) {
			const struct bar *v = &b->v[s * b->ncats + k];

			if (v->has) {
				bar_extent(v, &lo, &hi);
				used = any = 1;
				row[k] = 0;
			}
		}
		nseries += used;
	}
	if (!any) {
		free(row);
		return 0;
	}
	if (panel)
		set_text(h, "title", b->title);
	for (size_t k = 0; k < b->ncats; k++)
		if (row[k] == 0)
			row[k] = ncats++;
	for (size_t k = 0; k < b->nref; k++)
		hi = fmax(hi, b->ref[k]);
	/* panels of a grid share one scale */
	if (b->span_lo < b->span_hi) {
		lo = fmin(lo, b->span_lo);
		hi = fmax(hi, b->span_hi);
	}
	w = fmin(gap / nseries, 0.42);
	/* upright bars narrower than a value label (three digits at 13 px)
	 * go without: the labels would run into each other */
	if (!hz && 820.0 * w / (ncats + 0.2) < 28)
		vf = NULL;
	pad = fmax((hi - lo) * 0.14, fabs(hi) * 1e-3);
	if (pad == 0)
		pad = 1;
	if (hz && !panel)
		font = bars_height(c, nseries, ncats, w,
		    chart_text_width(b->series, b->nseries));
	set_text(h, hz ? "xlabel" : "ylabel", b->value_label);
	if (b->cat_label)
		set_text(h, hz ? "ylabel" : "xlabel", b->cat_label);
	/* room for the value labels beyond the longest bars */
	axis_lo = lo < b->base ? lo - pad * (hz ? 2.2 : 1.3) : b->base;
	axis_hi = hi > b->base ? hi + pad * (hz ? 2.2 : 1.3) : b->base;
	if (!(axis_hi > axis_lo)) {
		/* every bar at the base (a file against itself): gnuplot
		 * refuses an empty range */
		axis_lo = b->base - pad;
		axis_hi = b->base + pad;
	}
	buf_printf(h,
	    "set style fill solid 0.85 border -1\n"
	    "set grid no%stics %stics\n"
	    "set %srange [%g:%g]\n"
	    "set %srange [%g:%g]\n"
	    "set format %s '%s'\n",
	    cat, val, val, axis_lo, axis_hi, cat,
	    /* the first category on top when horizontal */
	    hz ? ncats - 0.4 : -0.6, hz ? -0.6 : ncats - 0.4, val,
	    b->axis_format ? b->axis_format : "%g");
	if (b->base_line && hz)
		buf_printf(h,
		    "set arrow from first %g, graph 0 to first %g, graph 1 "
		    "nohead lc rgb '%s' lw 1.5 front\n",
		    b->base, b->base, chart_ink(st, INK_TEXT));
	else if (b->base_line)
		buf_printf(h,
		    "set arrow from graph 0, first %g to graph 1, first %g "
		    "nohead lc rgb '%s' lw 1.5 front\n",
		    b->base, b->base, chart_ink(st, INK_TEXT));
	for (size_t k = 0; k < b->nref; k++) {
		buf_printf(h,
		    hz ? "set arrow from first %g, graph 0 to first %g, graph "
		         "1 "
		         "nohead lc rgb '%s' dt 2 lw 1.5 back\n"
		       : "set arrow from graph 0, first %g to graph 1, first "
		         "%g "
		         "nohead lc rgb '%s' dt 2 lw 1.5 back\n",
		    b->ref[k], b->ref[k], chart_ink(st, INK_REFERENCE));
		if (b->ref_label[k]) {
			buf_puts(h, "set label ");
			chart_quote(h, b->ref_label[k]);
			buf_printf(h,
			    hz ? " at first %g, graph 1 center offset 0,0.7 "
			         "tc rgb '%s' font ',13'\n"
			       : " at graph 1, first %g right offset 0,0.6 "
			         "tc rgb '%s' font ',13'\n",
			    b->ref[k], chart_ink(st, INK_MUTED));
		}
		hi = fmax(hi, b->ref[k]);
	}
	buf_printf(h, "set %stics %g\n", val,
	    nice_step(axis_hi - axis_lo, hz ? 5 : 8));
	buf_printf(h, "set %stics (", cat);
	for (size_t k = 0, n = 0; k < b->ncats; k++) {
		if (row[k] == SIZE_MAX)
			continue;
		buf_puts(h, n++ ? ", " : "");
		chart_quote(h, b->cats[k]);
		buf_printf(h, " %zu", row[k]);
	}
	buf_puts(h, ") scale 0\n");
	if (!panel)
		chart_key_below(c, nseries,
		    chart_text_width(b->series, b->nseries),
		    hz || b->cat_label);

	for (size_t s = 0; s < b->nseries; s++) {
		struct buf t = {0}, fs = {0};
		int blk = -1, pos = -1, neg = -1;

		for (size_t k = 0; k < b->ncats; k++) {
			const struct bar *v = &b->v[s * b->ncats + k];
			double at;

			if (!v->has)
				continue;
			if (blk < 0) {
				blk = chart_block(c, b->series[s]);
				buf_puts(&c->dat,
				    "# position value ci_lo ci_hi "
				    "bar_lo bar_hi\n");
			}
			at = row[k] + (slot - (nseries - 1) / 2.0) * w;
			buf_printf(&c->dat, "%.4f %.6g %.6g %.6g %.4f %.4f\n",
			    at, v->v, v->has_ci ? v->lo : NAN,
			    v->has_ci ? v->hi : NAN, at - w / 2 * 0.92,
			    at + w / 2 * 0.92);
		}
		if (blk < 0)
			continue;
		/* value labels beyond the whisker, on the side the bar grows */
		for (int side = 0; side < 2 && vf; side++) {
			int *blkp = side ? &neg : &pos;

			for (size_t k = 0; k < b->ncats; k++) {
				const struct bar *v = &b->v[s * b->ncats + k];
				double at =
				    row[k] + (slot - (nseries - 1) / 2.0) * w;
				double end;

				if (!v->has || (v->v < b->base) != side)
					continue;
				if (*blkp < 0) {
					*blkp = chart_block(c, "labels");
					buf_puts(
					    &c->dat, "# position at value\n");
				}
				end = side
				    ? (v->has_ci ? fmin(v->lo, v->v) : v->v)
				    : (v->has_ci ? fmax(v->hi, v->v) : v->v);
				buf_printf(
				    &c->dat, "%.4f %.6g %.6g\n", at, end, v->v);
			}
		}
		slot++;
		chart_quote(&t, b->series[s]);
		fill_style(&fs, b->variant ? b->variant[s] : 0, b->colour[s]);
		if (hz)
			chart_clause(c,
			    "dat index %d using (%g):1:(%g):2:5:6 with "
			    "boxxyerror %s title %s",
			    blk, b->base, b->base, fs.data,
			    panel ? "''" : t.data);
		else
			chart_clause(c,
			    "dat index %d using 1:(%g):5:6:(%g):2 with "
			    "boxxyerror %s title %s",
			    blk, b->base, b->base, fs.data,
			    panel ? "''" : t.data);
		/* whiskers as capped vectors: error bars leave a gap where
		 * their point would be */
		chart_clause(c,
		    "dat index %d using %s with vectors heads size screen "
		    "0.006,90 lw 1.5 lc rgb '%s' notitle",
		    blk, hz ? "3:1:($4-$3):(0)" : "1:3:(0):($4-$3)",
		    chart_ink(st, INK_TEXT));
		for (int side = 0; side < 2; side++) {
			int k = side ? neg : pos;

			if (k < 0)
				continue;
			if (hz)
				chart_clause(c,
				    "dat index %d using 2:1:(sprintf('%s', "
				    "$3)) "
				    "with labels %s offset %s0.6,0 font ',%d' "
				    "tc rgb '%s' notitle",
				    k, vf, side ? "right" : "left",
				    side ? "-" : "", font,
				    chart_ink(st, INK_TEXT));
			else
				chart_clause(c,
				    "dat index %d using 1:2:(sprintf('%s', "
				    "$3)) "
				    "with labels center offset 0,%s0.8 font "
				    "',13' "
				    "tc rgb '%s' notitle",
				    k, vf, side ? "-" : "",
				    chart_ink(st, INK_TEXT));
		}
		buf_free(&t);
		buf_free(&fs);
	}
	free(row);
	return 1;
}

int
chart_bars(const struct chart_style *st, const struct bars *b, const char *cdir)
{
	struct chart c;
	int rc = 0;

	chart_begin(&c, st, b->name, b->title);
	if (bars_draw(&c, &c.head, b, 0))
		rc = chart_render(&c, cdir);
	chart_free(&c);
	return rc;
}

int
chart_bars_grid(const struct chart_style *st, const char *name,
    const char *title, const struct bars *panels, size_t n,
    const char *const *key, const int *key_variant, size_t nkey,
    const char *cdir)
{
	struct chart c;
	size_t drawn = 0;
	int rc = 0;

	chart_begin(&c, st, name, title);
	chart_grid(&c, (int)n, 0, 0, nkey, chart_text_width(key, nkey));
	for (size_t i = 0; i < n; i++) {
		struct buf h = {0};

		if (!bars_draw(&c, &h, &panels[i], 1)) {
			buf_free(&c.plot);
			c.nclauses = 0;
			buf_free(&h);
			continue;
		}
		/* the key, once: what each fill means */
		for (size_t k = 0; drawn == 0 && k < nkey; k++) {
			struct buf fs = {0}, t = {0};

			fill_style(&fs, key_variant ? key_variant[k] : 0,
			    chart_ink(st, INK_MUTED));
			chart_quote(&t, key[k]);
			chart_clause(&c, "NaN with boxes %s title %s", fs.data,
			    t.data);
			buf_free(&fs);
			buf_free(&t);
		}
		chart_panel(&c, buf_str(&h));
		buf_free(&h);
		drawn++;
	}
	if (drawn) {
		/* the grid as drawn, without the panels that had nothing */
		chart_grid(&c, (int)drawn, 0, 0, nkey,
		    chart_text_width(key, nkey));
		rc = chart_render(&c, cdir);
	}
	chart_free(&c);
	return rc;
}

int
chart_bars_split(const struct chart_style *st, const struct bars *b,
    const size_t *group, const char *const *group_label, size_t ngroups,
    const char *const *short_label, const char *cdir)
{
	struct bars *panels;
	const char *key[4];
	int key_variant[4];
	size_t nkey = 0, npanels = 0;
	double lo = b->base, hi = b->base;
	int rc;

	if (b->nseries <= CHART_SERIES_MAX || ngroups < 2)
		return chart_bars(st, b, cdir);
	for (size_t s = 0; s < b->nseries; s++) {
		int v = b->variant ? b->variant[s] % 4 : 0, seen = 0;

		for (size_t k = 0; k < nkey; k++)
			seen |= key_variant[k] == v;
		if (!seen) {
			key[nkey] = short_label[s];
			key_variant[nkey++] = v;
		}
		for (size_t k = 0; k < b->ncats; k++)
			if (b->v[s * b->ncats + k].has)
				bar_extent(&b->v[s * b->ncats + k], &lo, &hi);
	}
	panels = xcalloc(ngroups, sizeof(*panels));
	for (size_t g = 0; g < ngroups; g++) {
		struct bars *p = &panels[npanels];
		size_t n = 0;
		const char **series = xcalloc(b->nseries, sizeof(*series));
		const char **colour = xcalloc(b->nseries, sizeof(*colour));
		int *variant = xcalloc(b->nseries, sizeof(*variant));
		struct bar *v = xcalloc(b->nseries * b->ncats, sizeof(*v));

		for (size_t s = 0; s < b->nseries; s++) {
			if (group[s] != g)
				continue;
			series[n] = short_label[s];
			colour[n] = b->colour[s];
			variant[n] = b->variant ? b->variant[s] : 0;
			memcpy(&v[n * b->ncats], &b->v[s * b->ncats],
			    b->ncats * sizeof(*v));
			n++;
		}
		*p = *b;
		p->title = group_label[g];
		p->series = series;
		p->colour = colour;
		p->variant = variant;
		p->nseries = n;
		p->v = v;
		p->span_lo = lo;
		p->span_hi = hi;
		/* values on bars crowd a small panel */
		p->value_format = NULL;
		npanels += n > 0;
		if (!n) {
			free(series);
			free(colour);
			free(variant);
			free(v);
		}
	}
	rc = chart_bars_grid(st, b->name, b->title, panels, npanels, key,
	    key_variant, nkey, cdir);
	for (size_t g = 0; g < npanels; g++) {
		free((void *)panels[g].series);
		free((void *)panels[g].colour);
		free((void *)panels[g].variant);
		free((void *)panels[g].v);
	}
	free(panels);
	return rc;
}
