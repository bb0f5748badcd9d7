#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* chart-bars.c: clustered bars, the chart every kind but scaling and
 * timelines is drawn as */

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
 * category names, many categories). Drawn in four steps: where the bars
 * go, the axes, the data blocks and the plot clauses.
 */
struct bars_layout {
	/* each category's row; SIZE_MAX: no series has a bar in it */
	size_t *row;
	size_t nseries, ncats; /* series and categories with a bar */
	double w;              /* a bar's width, in rows */
	double axis_lo, axis_hi;
	const char *value_format; /* of the labels on bars; NULL: none */
	int font;                 /* of the labels on bars, in px */
};

/* The height of a horizontal bar chart: bars 22 px apart while it stays
 * under 2400 px, closer when there are many but never closer than their
 * value labels are tall. Returns the labels' font size. */
static int
bars_height(
    struct chart *c, size_t nseries, size_t ncats, double w, size_t longest)
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

/* Where the bars of b go, and the value axis's range; 0 when nothing has
 * a value. A horizontal chart on its own grows to fit its bars. */
static int
bars_layout(
    struct chart *c, const struct bars *b, int panel, struct bars_layout *l)
{
	double lo = b->base, hi = b->base, pad;
	int hz = b->horizontal;

	memset(l, 0, sizeof(*l));
	l->row = xcalloc(b->ncats + 1, sizeof(*l->row));
	l->value_format = b->value_format;
	l->font = 13;
	for (size_t k = 0; k < b->ncats; k++)
		l->row[k] = SIZE_MAX;
	for (size_t s = 0; s < b->nseries; s++) {
		int used = 0;

		for (size_t k = 0; k < b->ncats; k++) {
			const struct bar *v = &b->v[s * b->ncats + k];

			if (v->has) {
				bar_extent(v, &lo, &hi);
				used = 1;
				l->row[k] = 0;
			}
		}
		l->nseries += used;
	}
	if (!l->nseries)
		return 0;
	for (size_t k = 0; k < b->ncats; k++)
		if (l->row[k] == 0)
			l->row[k] = l->ncats++;
	for (size_t k = 0; k < b->nref; k++)
		hi = fmax(hi, b->ref[k]);
	/* panels of a grid share one scale */
	if (b->span_lo < b->span_hi) {
		lo = fmin(lo, b->span_lo);
		hi = fmax(hi, b->span_hi);
	}
	l->w = fmin(0.8 / l->nseries, 0.42);
	/* upright bars narrower than a value label (three digits at 13 px)
	 * go without: the labels would run into each other */
	if (!hz && 820.0 * l->w / (l->ncats + 0.2) < 28)
		l->value_format = NULL;
	pad = fmax((hi - lo) * 0.14, fabs(hi) * 1e-3);
	if (pad == 0)
		pad = 1;
	if (hz && !panel)
		l->font = bars_height(c, l->nseries, l->ncats, l->w,
		    chart_text_width(b->series, b->nseries));
	/* room for the value labels beyond the longest bars */
	l->axis_lo = lo < b->base ? lo - pad * (hz ? 2.2 : 1.3) : b->base;
	l->axis_hi = hi > b->base ? hi + pad * (hz ? 2.2 : 1.3) : b->base;
	if (!(l->axis_hi > l->axis_lo)) {
		/* every bar at the base (a file against itself): gnuplot
		 * refuses an empty range */
		l->axis_lo = b->base - pad;
		l->axis_hi = b->base + pad;
	}
	return 1;
}

/* The axes, the base and reference lines and, for a chart on its own,
 * the legend, into h (the chart's head, or a panel's settings). */
static void
bars_axes(struct chart *c, struct buf *h, const struct bars *b, int panel,
    const struct bars_layout *l)
{
	const struct chart_style *st = c->style;
	int hz = b->horizontal;
	const char *val = hz ? "x" : "y", *cat = hz ? "y" : "x";

	if (panel)
		chart_set(h, "title", b->title);
	chart_set(h, hz ? "xlabel" : "ylabel", b->value_label);
	if (b->cat_label)
		chart_set(h, hz ? "ylabel" : "xlabel", b->cat_label);
	buf_printf(h,
	    "set style fill solid 0.85 border -1\n"
	    "set grid no%stics %stics\n"
	    "set %srange [%g:%g]\n"
	    "set %srange [%g:%g]\n"
	    "set format %s '%s'\n",
	    cat, val, val, l->axis_lo, l->axis_hi, cat,
	    /* the first category on top when horizontal */
	    hz ? l->ncats - 0.4 : -0.6, hz ? -0.6 : l->ncats - 0.4, val,
	    b->axis_format ? b->axis_format : "%g");
	if (b->base_line)
		chart_value_line(
		    h, hz, b->base, chart_ink(st, INK_TEXT), "lw 1.5 front");
	for (size_t k = 0; k < b->nref; k++) {
		chart_value_line(h, hz, b->ref[k], chart_ink(st, INK_REFERENCE),
		    "dt 2 lw 1.5 back");
		if (!b->ref_label[k])
			continue;
		buf_puts(h, "set label ");
		chart_quote(h, b->ref_label[k]);
		buf_printf(h,
		    hz ? " at first %g, graph 1 center offset 0,0.7"
		       : " at graph 1, first %g right offset 0,0.6",
		    b->ref[k]);
		buf_printf(
		    h, " tc rgb '%s' font ',13'\n", chart_ink(st, INK_MUTED));
	}
	buf_printf(h, "set %stics %g\n", val,
	    nice_step(l->axis_hi - l->axis_lo, hz ? 5 : 8));
	buf_printf(h, "set %stics (", cat);
	for (size_t k = 0, n = 0; k < b->ncats; k++) {
		if (l->row[k] == SIZE_MAX)
			continue;
		buf_puts(h, n++ ? ", " : "");
		chart_quote(h, b->cats[k]);
		buf_printf(h, " %zu", l->row[k]);
	}
	buf_puts(h, ") scale 0\n");
	if (!panel)
		chart_key_below(c, l->nseries,
		    chart_text_width(b->series, b->nseries),
		    hz || b->cat_label);
}

/* Series s's bars, the slot-th in each cluster, as data blocks: the bars
 * (returned; -1 when s has none), then the value labels of the bars that
 * grow up or right (labels[0]) and down or left (labels[1]), each placed
 * beyond its whisker. */
static int
bars_data(struct chart *c, const struct bars *b, const struct bars_layout *l,
    size_t s, size_t slot, int labels[2])
{
	const struct bar *row = &b->v[s * b->ncats];
	double off = (slot - (l->nseries - 1) / 2.0) * l->w;
	int blk = -1;

	labels[0] = labels[1] = -1;
	for (size_t k = 0; k < b->ncats; k++) {
		const struct bar *v = &row[k];
		double at = l->row[k] + off;

		if (!v->has)
			continue;
		if (blk < 0) {
			blk = chart_block(c, b->series[s]);
			buf_puts(&c->dat,
			    "# position value ci_lo ci_hi "
			    "bar_lo bar_hi\n");
		}
		buf_printf(&c->dat, "%.4f %.6g %.6g %.6g %.4f %.4f\n", at, v->v,
		    v->has_ci ? v->lo : NAN, v->has_ci ? v->hi : NAN,
		    at - l->w / 2 * 0.92, at + l->w / 2 * 0.92);
	}
	for (int side = 0; blk >= 0 && side < 2 && l->value_format; side++)
		for (size_t k = 0; k < b->ncats; k++) {
			const struct bar *v = &row[k];
			double end;

			if (!v->has || (v->v < b->base) != side)
				continue;
			if (labels[side] < 0) {
				labels[side] = chart_block(c, "labels");
				buf_puts(&c->dat, "# position at value\n");
			}
			end = side ? (v->has_ci ? fmin(v->lo, v->v) : v->v)
			           : (v->has_ci ? fmax(v->hi, v->v) : v->v);
			buf_printf(&c->dat, "%.4f %.6g %.6g\n", l->row[k] + off,
			    end, v->v);
		}
	return blk;
}

/* Series s's clauses: its bars from block blk, their whiskers, and the
 * value labels from the blocks bars_data made. In a panel the bars carry
 * no titles: the grid's key says what the fills mean. */
static void
bars_clauses(struct chart *c, const struct bars *b, const struct bars_layout *l,
    size_t s, int blk, const int labels[2], int panel)
{
	const char *text = chart_ink(c->style, INK_TEXT);
	char base[64];
	struct buf u = {0}, fs = {0}, t = {0};
	int hz = b->horizontal;

	/* boxxyerror: x:y:xlow:xhigh:ylow:yhigh */
	snprintf(base, sizeof(base), "(%g)", b->base);
	chart_columns(&u, hz, base, "1");
	buf_puts(&u, ":");
	buf_printf(&fs, "%s:2", base);
	chart_columns(&u, hz, buf_str(&fs), "5:6");
	buf_free(&fs);
	chart_fill_style(&fs, b->variant ? b->variant[s] : 0, b->colour[s]);
	chart_quote(&t, panel ? "" : b->series[s]);
	chart_clause(c, "dat index %d using %s with boxxyerror %s title %s",
	    blk, u.data, fs.data, t.data);
	/* whiskers as capped vectors: error bars leave a gap where their
	 * point would be */
	buf_free(&u);
	chart_columns(&u, hz, "3", "1");
	buf_puts(&u, ":");
	chart_columns(&u, hz, "($4-$3)", "(0)");
	chart_clause(c,
	    "dat index %d using %s with vectors heads size screen 0.006,90 "
	    "lw 1.5 lc rgb '%s' notitle",
	    blk, u.data, text);
	buf_free(&u);
	chart_columns(&u, hz, "2", "1");
	for (int side = 0; side < 2; side++) {
		char place[64];

		if (labels[side] < 0)
			continue;
		if (hz)
			snprintf(place, sizeof(place), "%s offset %s0.6,0",
			    side ? "right" : "left", side ? "-" : "");
		else
			snprintf(place, sizeof(place), "center offset 0,%s0.8",
			    side ? "-" : "");
		chart_clause(c,
		    "dat index %d using %s:(sprintf('%s', $3)) with labels "
		    "%s font ',%d' tc rgb '%s' notitle",
		    labels[side], u.data, l->value_format, place, l->font,
		    text);
	}
	buf_free(&u);
	buf_free(&fs);
	buf_free(&t);
}

/* The bars of b into c: settings into h (the chart's head, or a panel's),
 * clauses into c's plot. Returns 0 when nothing has a value. */
static int
bars_draw(struct chart *c, struct buf *h, const struct bars *b, int panel)
{
	struct bars_layout l;
	size_t slot = 0;

	if (!bars_layout(c, b, panel, &l)) {
		free(l.row);
		return 0;
	}
	bars_axes(c, h, b, panel, &l);
	for (size_t s = 0; s < b->nseries; s++) {
		int labels[2], blk = bars_data(c, b, &l, s, slot, labels);

		if (blk < 0)
			continue;
		bars_clauses(c, b, &l, s, blk, labels, panel);
		slot++;
	}
	free(l.row);
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
		if (drawn == 0)
			chart_key_fills(&c, key, key_variant, nkey);
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
