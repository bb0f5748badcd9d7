#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"

/*
 * gnuplot, driven through one script file per chart (never a command line
 * built from data). chart.c holds its vocabulary: the terminals, colours,
 * quoting, styles, lines, keys and the grid of small multiples. The other
 * chart files say what is drawn: chart-bars.c the bars every kind shares,
 * chart-time.c, chart-scaling.c and chart-memory.c each chart, chart-set.c
 * which charts a report gets.
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
			/* NAME@main apart from a module named NAME_main */
			*p = *p == WORKLOAD_LOAD_SEP ? '.' : '_';
	return s;
}

/*
 * A gnuplot string in single quotes, where no escapes, backquotes or
 * macros are processed: a quote inside is written twice, and control
 * characters, which would end the command, become spaces. gnuplot reads
 * a string that starts with a doubled quote as an empty one ('''fast'
 * fails), so leading quotes are each a "'" of their own, concatenated:
 * ("'".'fast'' build').
 */
void
chart_quote(struct buf *b, const char *s)
{
	size_t lead = s ? strspn(s, "'") : 0;

	if (lead)
		buf_puts(b, "(");
	for (size_t i = 0; i < lead; i++)
		buf_puts(b, i ? ".\"'\"" : "\"'\"");
	s = s ? s + lead : "";
	if (lead && !*s) {
		buf_puts(b, ")");
		return;
	}
	buf_puts(b, lead ? ".'" : "'");
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(b, "''");
		else
			buf_add(b, (unsigned char)*s < 0x20 ? " " : s, 1);
	}
	buf_puts(b, lead ? "')" : "'");
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
chart_set(struct buf *h, const char *what, const char *text)
{
	buf_printf(h, "set %s ", what);
	chart_quote(h, text);
	buf_puts(h, "\n");
}

/* Two columns in the order gnuplot wants them, x before y, of which one
 * is on the value axis: the y axis of upright bars, the x axis of
 * horizontal ones. */
void
chart_columns(
    struct buf *b, int horizontal, const char *value, const char *category)
{
	buf_printf(b, "%s:%s", horizontal ? value : category,
	    horizontal ? category : value);
}

/* A line across the plot at a value (style: "lw 1.5 front"). */
void
chart_value_line(struct buf *h, int horizontal, double value,
    const char *colour, const char *style)
{
	if (horizontal)
		buf_printf(h,
		    "set arrow from first %g, graph 0 to first %g, graph 1 ",
		    value, value);
	else
		buf_printf(h,
		    "set arrow from graph 0, first %g to graph 1, first %g ",
		    value, value);
	buf_printf(h, "nohead lc rgb '%s' %s\n", colour, style);
}

/* How series sharing a colour (one interpreter, several engines) differ:
 * 0 solid, 1 hatched, 2 lighter, 3 hatched the other way. */
void
chart_fill_style(struct buf *b, int variant, const char *colour)
{
	static const char *const fills[] = {"solid 0.85",
	    "transparent pattern 4", "solid 0.4", "transparent pattern 5"};

	buf_printf(b, "fs %s border lc rgb '%s' lc rgb '%s'",
	    fills[variant % 4], colour, colour);
}

/* A key entry with nothing drawn ("lines", then "lc rgb ..."): in small
 * multiples, the first panel says once what every panel's lines or fills
 * mean. */
static void
key_entry(
    struct chart *c, const char *with, const char *label, const char *style)
{
	struct buf t = {0};

	chart_quote(&t, label);
	chart_clause(c, "NaN with %s title %s%s", with, t.data, style);
	buf_free(&t);
}

/* The key of line panels: label i in interpreter i's colour. */
void
chart_key_lines(struct chart *c, const char *const *label, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *style =
		    xasprintf(" lc rgb '%s' lw 2.5", chart_colour(c->style, i));

		key_entry(c, "lines", label[i], style);
		free(style);
	}
}

/* The key of bar panels: label i in fill variant[i] (NULL: all solid),
 * in a muted ink, as the fills mean the same in every colour. */
void
chart_key_fills(
    struct chart *c, const char *const *label, const int *variant, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct buf with = {0};

		buf_puts(&with, "boxes ");
		chart_fill_style(&with, variant ? variant[i] : 0,
		    chart_ink(c->style, INK_MUTED));
		key_entry(c, buf_str(&with), label[i], "");
		buf_free(&with);
	}
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

	buf_puts(&c->plot, c->nclauses++ ? ", \\\n     " : "plot ");
	va_start(ap, fmt);
	buf_vprintf(&c->plot, fmt, ap);
	va_end(ap);
}

void
chart_free(struct chart *c)
{
	buf_free(&c->panels);
	free(c->name);
	buf_free(&c->dat);
	buf_free(&c->head);
	buf_free(&c->plot);
}

const char *
chart_png_terminal(void)
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

/* The multiplot: the grid leaves the title's and the shared key's room,
 * in screen fractions of the canvas. */
static void
grid_body(struct chart *c, struct buf *s)
{
	double top = 1 - 100.0 / c->height,
	       /* the last row's tick labels and x label, then the key */
	       bottom = (c->key_px + 70.0) / c->height;

	/* the settings again: the previous pass's panels unset some */
	buf_puts(s, buf_str(&c->head));
	buf_printf(s,
	    "# layout %d %d\n"
	    "set multiplot layout %d,%d margins 0.09,0.97,%.4f,%.4f "
	    "spacing 0.12,%.4f\n",
	    c->cols, c->rows, c->rows, c->cols, bottom, top,
	    135.0 / c->height);
	buf_puts(s, buf_str(&c->panels));
	buf_puts(s, "unset multiplot\n");
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
	if (c->npanels) {
		grid_body(c, &s);
	} else {
		buf_puts(&s, buf_str(&c->head));
		buf_puts(&s, buf_str(&c->plot));
	}
	if (!st || st->png) {
		buf_printf(&s,
		    "\nset terminal %s size %d,%d font 'sans,16' "
		    "fontscale %.3f linewidth %.3f background rgb '%s' "
		    "noenhanced\nset output ",
		    chart_png_terminal(), (int)lround(CHART_WIDTH * k),
		    (int)lround(c->height * k), k, k, bg);
		chart_quote(&s, png);
		/* a multiplot cannot be replotted: draw it again */
		if (c->npanels) {
			buf_puts(&s, "\n");
			grid_body(c, &s);
		} else {
			buf_puts(&s, "\nreplot");
		}
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

		char *pngpath = path_join(cdir, png);

		rc = svg_compact_file(svgpath);
		if (rc == 0 && (!chart_file_whole(svgpath) ||
		                   ((!st || st->png) &&
		                       !chart_file_whole(pngpath)))) {
			error("%s: gnuplot left a chart cut short (is the disk "
			      "full?)",
			    gppath);
			rc = -1;
		}
		free(svgpath);
		free(pngpath);
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

size_t
chart_text_width(const char *const *labels, size_t n)
{
	size_t most = 0;

	for (size_t i = 0; i < n; i++) {
		size_t w = 0;

		/* characters, not bytes: count all but continuation bytes */
		for (const char *p = labels[i]; p && *p; p++)
			w += ((unsigned char)*p & 0xc0) != 0x80;
		most = w > most ? w : most;
	}
	return most;
}

/* Columns of a legend: an entry is its sample line and its text, which
 * gnuplot sizes at about 14 px a character (sans at 16 px; it cannot
 * measure), within the chart's width. */
static int
key_cols(size_t nentries, size_t longest)
{
	int cols = (int)((CHART_WIDTH - 40) / (80 + 14.0 * (double)longest));

	cols = cols < 1 ? 1 : cols > 4 ? 4 : cols;
	return nentries < (size_t)cols ? (int)(nentries ? nentries : 1) : cols;
}

int
chart_key_rows(size_t nentries, size_t longest)
{
	int cols = key_cols(nentries, longest);

	return (int)((nentries + (size_t)cols - 1) / (size_t)cols);
}

/* A legend under the plot, with room for it below the x label: gnuplot
 * does not always leave enough on its own. A tall legend makes the canvas
 * taller, so the plot keeps more of it than the margins do. */
void
chart_key_below(struct chart *c, size_t nentries, size_t longest, int xlabel)
{
	int rows = chart_key_rows(nentries, longest);
	double bmargin = (xlabel ? 4.3 : 2.8) + 1.3 * rows;
	/* gnuplot's character cell in the SVG is about 24 px tall; the
	 * title takes 3.6 of them */
	double margins = 24 * (3.6 + bmargin);
	double plot = fmax(CHART_HEIGHT - 24 * (3.6 + 4.3 + 2.6), 1.25 * margins);

	buf_printf(&c->head,
	    "set key at screen 0.5, character 0.4 center bottom horizontal "
	    "maxcols %d\n"
	    "set bmargin %.1f\n",
	    key_cols(nentries, longest), bmargin);
	c->height = (int)fmax(c->height, lround(margins + plot));
}

void
chart_grid(struct chart *c, int npanels, int cols, int panel_px, size_t nkey,
    size_t longest)
{
	int rows;

	/* two columns leave panel titles of 30 characters room */
	c->cols = cols > 0 ? cols : npanels > 8 ? 3 : 2;
	c->cols = npanels < c->cols ? (npanels > 0 ? npanels : 1) : c->cols;
	c->rows = (npanels + c->cols - 1) / c->cols;
	rows = chart_key_rows(nkey, longest);
	c->key_px = (int)lround(19 * 1.3 * rows + 10);
	/* panels about 330 px tall, plus the title and the key */
	panel_px = panel_px > 0 ? panel_px : 380;
	/* a tall key over few rows: taller panels keep the plots most of
	 * the picture */
	if (c->rows * panel_px < 1.6 * (160 + c->key_px))
		panel_px = (int)(1.6 * (160 + c->key_px) / c->rows);
	c->height = 160 + c->rows * panel_px + c->key_px;
	/* vertical with a row limit: a horizontal key would take only the
	 * columns one panel's width allows */
	buf_printf(&c->head,
	    "set key at screen 0.5, screen %.4f center bottom vertical "
	    "maxrows %d\n",
	    4.0 / c->height, rows);
}

void
chart_panel(struct chart *c, const char *settings)
{
	/* the chart's title and the previous panel's marks are drawn once */
	if (c->npanels)
		buf_puts(&c->panels, "unset label\nunset arrow\nunset key\n");
	buf_puts(&c->panels, settings);
	buf_puts(&c->panels, buf_str(&c->plot));
	buf_puts(&c->panels, "\n");
	buf_free(&c->plot);
	c->nclauses = 0;
	c->npanels++;
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
