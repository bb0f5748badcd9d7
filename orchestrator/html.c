#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * HTML's building blocks, shared by the report and compare: elements with
 * escaped text, sections, a name with its colour, an inlined chart and the
 * page shell around a body.
 */

void
html_el(struct buf *b, const char *tag, const char *text)
{
	size_t n = strcspn(tag, " ");

	buf_printf(b, "<%s>", tag);
	html_esc(b, text && *text ? text : "–");
	buf_printf(b, "</%.*s>", (int)n, tag);
}

void
html_el_own(struct buf *b, const char *tag, char *text)
{
	html_el(b, tag, text);
	free(text);
}

void
html_section(struct buf *b, const char *id, const char *title)
{
	buf_printf(b, "\n<section id=\"%s\">\n<h2>", id);
	html_esc(b, title);
	buf_puts(b, "</h2>\n");
}

void
html_who(struct buf *b, const char *colour, const char *text)
{
	buf_printf(b,
	    "<span class=\"who\"><span class=\"swatch\" "
	    "style=\"background:%s\"></span>",
	    colour);
	html_esc(b, text);
	buf_puts(b, "</span>");
}

void
html_swatch(struct buf *b, const struct report *r, size_t i)
{
	html_who(b, chart_colour(&r->style, i), report_label(r->rs, i));
}

/* Inlines dir/charts/<name>.svg; its ids get a per-chart prefix because
 * every gnuplot SVG uses the same ones. */
int
html_figure(
    struct buf *b, const char *dir, const char *name, const char *caption)
{
	static int nfig;
	char *rel = xasprintf("charts/%s.svg", name),
	     *path = path_join(dir, rel);
	struct buf svg = {0};
	const char *p, *start;

	free(rel);
	if (!path_exists(path) || file_read(path, &svg) < 0) {
		free(path);
		return 0;
	}
	free(path);
	start = strstr(buf_str(&svg), "<svg");
	if (!start) {
		buf_free(&svg);
		return 0;
	}
	nfig++;
	buf_printf(b, "<figure id=\"chart-%s\">\n<div class=\"chart\">", name);
	for (p = start; *p;) {
		if (strncmp(p, "<title>Gnuplot</title>", 22) == 0) {
			buf_puts(b, "<title>");
			html_esc(b, caption);
			buf_puts(b, "</title>");
			p += 22;
		} else if (strncmp(p, "url(#", 5) == 0 ||
		    (strchr(" \t\n:", p[-1]) &&
		        (strncmp(p, "id='", 4) == 0 ||
		            strncmp(p, "id=\"", 4) == 0 ||
		            strncmp(p, "href='#", 7) == 0 ||
		            strncmp(p, "href=\"#", 7) == 0))) {
			size_t n = strchr(p, '#') && strchr(p, '#') - p < 7
			    ? (size_t)(strchr(p, '#') - p + 1)
			    : 4;

			buf_add(b, p, n);
			buf_printf(b, "f%d-", nfig);
			p += n;
		} else {
			buf_add(b, p++, 1);
		}
	}
	buf_puts(b, "</div>\n<figcaption>");
	html_esc(b, caption);
	buf_puts(b, "</figcaption>\n</figure>\n");
	buf_free(&svg);
	return 1;
}

/* Fills {{name}} markers of the shell; the values are already HTML. */
static char *
fill_template(const char *tpl, const char *const *vars)
{
	struct buf out = {0};
	const char *p = tpl, *q;

	while ((q = strstr(p, "{{"))) {
		const char *end = strstr(q, "}}");
		size_t i;

		buf_add(&out, p, q - p);
		for (i = 0; end && vars[i]; i += 2)
			if (strlen(vars[i]) == (size_t)(end - q - 2) &&
			    strncmp(q + 2, vars[i], end - q - 2) == 0)
				break;
		if (end && vars[i]) {
			buf_puts(&out, vars[i + 1]);
			p = end + 2;
		} else {
			buf_add(&out, q, 2);
			p = q + 2;
		}
	}
	buf_puts(&out, p);
	return buf_detach(&out);
}

int
html_page(const char *path, const char *title, const char *body,
    enum chart_theme theme)
{
	char *tpl_path = path_join(data_dir(), "reports/report.html");
	char *css_path = path_join(data_dir(), "reports/style.css");
	struct buf tpl = {0}, css = {0}, t = {0};
	char *html;
	int rc = -1;

	if (file_read(tpl_path, &tpl) < 0 || file_read(css_path, &css) < 0) {
		error("report templates not found under %s; set "
		      "FTMATRIX_DATADIR to the directory holding reports/",
		    data_dir());
		goto out;
	}
	html_esc(&t, title);
	{
		const char *vars[] = {"title", buf_str(&t), "style",
		    buf_str(&css), "body", body, "theme",
		    theme == THEME_DARK ? "dark" : "light", "version",
		    FTMATRIX_VERSION, NULL};

		html = fill_template(buf_str(&tpl), vars);
	}
	rc = file_write_atomic(path, html, strlen(html));
	free(html);
out:
	buf_free(&tpl);
	buf_free(&css);
	buf_free(&t);
	free(tpl_path);
	free(css_path);
	return rc;
}

/* A numeric cell that sorts by its value; takes text, "–" when
 * NULL or empty. */
void
html_num_cell(struct buf *b, double sort, const char *cls, char *text)
{
	if (isfinite(sort))
		buf_printf(b, "<td class=\"num%s%s\" data-v=\"%.6g\">",
		    cls ? " " : "", cls ? cls : "", sort);
	else
		buf_printf(b, "<td class=\"num%s%s\">", cls ? " " : "",
		    cls ? cls : "");
	html_esc(b, text && *text ? text : "–");
	buf_puts(b, "</td>");
	free(text);
}
