#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static char *
category(const struct compare_row *row)
{
	const char *e = row->engine;
	int n = row->threads;

	if (strcmp(e, "threads") == 0)
		return xasprintf(
		    "%s, %d thread%s", row->workload, n, n == 1 ? "" : "s");
	if (strcmp(e, "processes") == 0)
		return xasprintf(
		    "%s, %d process%s", row->workload, n, n == 1 ? "" : "es");
	return xasprintf("%s, %d × %s", row->workload, n, e);
}

/* The change of every row, one bar per paired interpreter. */
static int
compare_chart(const struct compare_set *s, size_t k, const char *cdir)
{
	const struct compare_pair *p = &s->pair[k];
	const struct resultset *a = p->a;
	char **catbuf = xcalloc(p->nrows + 1, sizeof(*catbuf));
	const char **cats = xcalloc(p->nrows + 1, sizeof(*cats));
	char **series = xcalloc(a->ninterps + 1, sizeof(*series));
	const char **colour = xcalloc(a->ninterps + 1, sizeof(*colour));
	struct bar *v = xcalloc(p->nrows * a->ninterps + 1, sizeof(*v));
	size_t ncats = 0, nseries = 0;
	char name[32], *title;
	int rc;

	/* categories: workload and thread count (and engine), in order */
	for (size_t r = 0; r < p->nrows; r++) {
		const struct compare_row *row = &p->rows[r];
		char *cat = category(row);
		size_t c;

		for (c = 0; c < ncats && strcmp(catbuf[c], cat) != 0; c++)
			;
		if (c == ncats)
			catbuf[ncats++] = cat;
		else
			free(cat);
	}
	for (size_t i = 0; i < a->ninterps; i++) {
		int any = 0;

		for (size_t r = 0; r < p->nrows; r++) {
			const struct compare_row *row = &p->rows[r];
			char *cat;
			size_t c;

			if (row->ia != i)
				continue;
			cat = category(row);
			for (c = 0; c < ncats && strcmp(catbuf[c], cat); c++)
				;
			free(cat);
			v[nseries * ncats + c] = (struct bar){
			    .has = row->verdict != COMPARE_NOT_COMPARABLE,
			    .has_ci = 1,
			    .v = (row->ratio - 1) * 100,
			    .lo = (row->lo - 1) * 100,
			    .hi = (row->hi - 1) * 100};
			any = 1;
		}
		if (!any)
			continue;
		series[nseries] = compare_series(p, i);
		colour[nseries++] = chart_colour(&s->style, i);
	}
	for (size_t c = 0; c < ncats; c++)
		cats[c] = catbuf[c];
	snprintf(name, sizeof(name), "compare-%c", 'A' + (int)k);
	title = xasprintf("%c against A: change in time per run (lower is "
	                  "faster)",
	    'A' + (int)k);
	rc = chart_bars(&s->style,
	    &(struct bars){.name = name,
	        .title = title,
	        .value_label = "time per run vs A (%)",
	        .axis_format = "%+g%%",
	        .value_format = "%+.1f%%",
	        .cats = cats,
	        .ncats = ncats,
	        .series = (const char *const *)series,
	        .colour = colour,
	        .nseries = nseries,
	        .v = v,
	        .base = 0,
	        .base_line = 1,
	        .horizontal = 1},
	    cdir);
	for (size_t c = 0; c < ncats; c++)
		free(catbuf[c]);
	for (size_t i = 0; i < nseries; i++)
		free(series[i]);
	free(catbuf);
	free(cats);
	free(series);
	free(colour);
	free(v);
	free(title);
	return rc;
}


/* A pair's table of times in HTML: one row per paired cell. */
static const struct compare_row *
times_row(const void *ctx, size_t i)
{
	return &((const struct compare_html_rows *)ctx)->p->rows[i];
}

/* arg 0, 1: the medians in A and in the other; 2, 3: per unit */
static void
times_duration(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct compare_row *row = times_row(ctx, i);
	double v = arg == 0 ? row->a.median
	    : arg == 1      ? row->b.median
	    : arg == 2      ? row->unit_a
	                    : row->unit_b;

	buf_printf(b, "<td class=\"num\" data-v=\"%.6g\">", v);
	html_el_own(b, "span", format_duration(v, -1));
	buf_puts(b, "</td>");
}

static void
times_change(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct compare_row *row = times_row(ctx, i);

	buf_printf(b, "<td class=\"num%s\" data-v=\"%.6g\">",
	    row->verdict == 1      ? " worse"
	        : row->verdict < 0 ? " better"
	                           : "",
	    (row->ratio - 1) * 100);
	html_el_own(b, "span", compare_change_text(row));
	buf_puts(b, "</td>");
}

static void
times_verdict(struct buf *b, const void *ctx, size_t i, size_t arg)
{
	const struct compare_row *row = times_row(ctx, i);

	if (row->note)
		html_el_own(b, "td",
		    xasprintf("%s: %s", compare_verdict(row->verdict),
		        row->note));
	else
		html_el(b, "td", compare_verdict(row->verdict));
}

static void
times_html(struct buf *b, const struct compare_set *s, size_t k)
{
	const struct compare_html_rows t = COMPARE_HTML_ROWS(
	    s, &s->pair[k], struct compare_row, s->pair[k].rows);
	char median[16], unit[16];
	const struct table_col cols[] = {
	    COMPARE_KEY_COLS,
	    {"A median", NULL, 0, 1, 0},
	    {median, NULL, 1, 1, 0},
	    {"A per unit", NULL, 2, 1, 0},
	    {unit, NULL, 3, 1, 0},
	    {"Change [95% CI]", NULL, 0, 1, 0},
	    {"Verdict", NULL, 0, 0, 0},
	};
	table_html_cell *const html[] = {COMPARE_KEY_HTML, times_duration,
	    times_duration, times_duration, times_duration, times_change,
	    times_verdict};

	snprintf(median, sizeof(median), "%c median", 'A' + (int)k);
	snprintf(unit, sizeof(unit), "%c per unit", 'A' + (int)k);
	table_html(b, cols, sizeof(cols) / sizeof(*cols), html, &t,
	    t.p->nrows);
}

static void
pair_html(struct buf *b, const struct compare_set *s, size_t k, const char *dir)
{
	const struct compare_pair *p = &s->pair[k];
	char id[16], title[64], name[32], *cap, **sent;
	size_t n;

	snprintf(id, sizeof(id), "pair-%c", 'A' + (int)k);
	snprintf(title, sizeof(title), "%c against A", 'A' + (int)k);
	html_section(b, id, title);
	buf_printf(b,
	    "<p>Interpreters paired by %s. Change is the median "
	    "time per run in %c over the median in A, with a 95%% "
	    "bootstrap confidence interval; it is significant when "
	    "the interval excludes 0%%.</p>\n<ul class=\"headlines\">\n",
	    compare_match_name(p->match), 'A' + (int)k);
	sent = compare_sentences(p, 'A' + (int)k, &n);
	for (size_t i = 0; i < n; i++)
		html_el_own(b, "li", sent[i]);
	free(sent);
	buf_puts(b, "</ul>\n");
	snprintf(name, sizeof(name), "compare-%c", 'A' + (int)k);
	cap = xasprintf("Change in time per run of %c against A; negative is "
	                "faster. Whiskers are 95%% confidence intervals.",
	    'A' + (int)k);
	html_figure(b, dir, name, cap);
	free(cap);
	times_html(b, s, k);
	compare_extras_html(b, s, k);
	buf_puts(b, "</section>\n");
}

static int
compare_html(const struct compare_set *s, const char *dir, const char *path)
{
	struct buf b = {0};
	int rc;

	buf_puts(&b, "<header>\n<h1>ftmatrix compare</h1>\n<p class=\"meta\">");
	buf_printf(&b,
	    "%zu result files, each against the first</p>\n"
	    "</header>\n",
	    s->n);
	html_section(&b, "files", "Files");
	buf_puts(&b,
	    "<div class=\"scroll\"><table>\n<thead><tr><th></th>"
	    "<th>File</th><th>Matrix</th><th>Machine</th>"
	    "<th>Interpreters</th><th>Updated</th></tr></thead>\n"
	    "<tbody>\n");
	for (size_t k = 0; k < s->n; k++) {
		const struct resultset *rs = &s->rs[k];
		struct buf who = {0};

		for (size_t i = 0; i < rs->ninterps; i++)
			if (rs->interps[i].available)
				buf_printf(&who, "%s%s", who.len ? ", " : "",
				    report_label(rs, i));
		buf_printf(&b, "<tr><th>%c</th>", 'A' + (int)k);
		html_el(&b, "td class=\"wrap\"", s->path[k]);
		html_el(&b, "td", rs->matrix_name);
		html_el_own(&b, "td",
		    xasprintf("%s, %d cores, %s",
		        rs->machine.cpu_model ? rs->machine.cpu_model : "?",
		        rs->machine.cores,
		        rs->machine.kernel ? rs->machine.kernel : "?"));
		html_el(&b, "td", buf_str(&who));
		html_el(&b, "td", rs->updated ? rs->updated : rs->created);
		buf_puts(&b, "</tr>\n");
		buf_free(&who);
	}
	buf_puts(&b, "</tbody></table></div>\n");
	for (size_t k = 0; k < s->n; k++) {
		const struct preflight *pf = &s->rs[k].preflight;

		for (size_t i = 0; i < pf->nwarnings; i++)
			html_el_own(&b, "p class=\"notice\"",
			    xasprintf("%c: pre-flight: %s", 'A' + (int)k,
			        pf->warnings[i]));
	}
	buf_puts(&b, "</section>\n");
	for (size_t k = 1; k < s->n; k++)
		pair_html(&b, s, k, dir);
	html_section(&b, "reproduce", "Reproduce");
	buf_puts(&b, "<pre><code>");
	html_esc(&b, s->command);
	buf_puts(&b, "</code></pre>\n</section>\n");
	rc = html_page(path, "ftmatrix compare", buf_str(&b), s->style.theme);
	buf_free(&b);
	return rc;
}

int
compare_report(
    const struct compare_set *s, const char *dir, const struct report_opts *o)
{
	char *stage, *path;
	struct manifest m;
	int rc = 0;

	if (mkdir_p(dir) < 0 || manifest_load(&m, dir) < 0)
		return -1;
	/* drawn aside and swapped in whole, as report does */
	if (o->html || o->png || o->svg) {
		if (!(stage = charts_stage(dir)))
			rc = -1;
		for (size_t k = 1; rc == 0 && k < s->n; k++)
			if (compare_chart(s, k, stage) < 0)
				rc = -1;
		/* a chart that failed keeps the last whole set */
		if (stage && rc < 0)
			charts_discard(stage);
		else if (stage && charts_commit(dir, stage, &m) < 0)
			rc = -1;
		free(stage);
	}
	if (o->html) {
		path = path_join(dir, "report.html");
		if (compare_html(s, dir, path) < 0)
			rc = -1;
		free(path);
		manifest_add(&m, "report.html");
	}
	if (o->csv) {
		path = path_join(dir, "compare.csv");
		if (compare_csv(s, path) < 0)
			rc = -1;
		free(path);
		manifest_add(&m, "compare.csv");
	}
	if (o->md) {
		path = path_join(dir, "summary.md");
		if (compare_md(s, path) < 0)
			rc = -1;
		free(path);
		manifest_add(&m, "summary.md");
	}
	if (!o->svg && (o->html || o->png))
		report_drop_charts(&m, ".svg");
	if (manifest_save(&m) < 0)
		rc = -1;
	manifest_free(&m);
	return rc;
}
