#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * A table is its columns: each names itself and fills its cell of a row,
 * so a header and the rows under it cannot drift apart. The renderer
 * escapes; a column writes plain text.
 */

void
table_csv(struct buf *b, const struct table_col *cols, size_t ncols,
    const void *ctx, size_t nrows)
{
	struct buf cell = {0};

	for (size_t c = 0; c < ncols; c++) {
		buf_puts(b, c ? "," : "");
		csv_esc(b, cols[c].name);
	}
	buf_puts(b, "\n");
	for (size_t r = 0; r < nrows; r++) {
		for (size_t c = 0; c < ncols; c++) {
			buf_reset(&cell);
			cols[c].fill(&cell, ctx, r, cols[c].arg);
			buf_puts(b, c ? "," : "");
			csv_esc(b, buf_str(&cell));
		}
		buf_puts(b, "\n");
	}
	buf_free(&cell);
}

void
table_num(struct buf *b, int has, double v)
{
	if (has && isfinite(v))
		buf_printf(b, "%.10g", v);
}

/* The cells of row i, filled; cells[c] owned by bufs[c]. */
static void
row_fill(struct buf *bufs, const struct table_col *cols, size_t ncols,
    const void *ctx, size_t i)
{
	for (size_t c = 0; c < ncols; c++) {
		buf_reset(&bufs[c]);
		cols[c].fill(&bufs[c], ctx, i, cols[c].arg);
	}
}

static void
text_cell(struct buf *b, const struct table_col *col, size_t width,
    const char *text, int last)
{
	size_t n = utf8_columns(text);

	for (size_t k = n; col->right && k < width; k++)
		buf_puts(b, " ");
	buf_puts(b, text);
	for (size_t k = n; !col->right && !last && k < width; k++)
		buf_puts(b, " ");
	buf_puts(b, last ? "\n" : "  ");
}

void
table_text(struct buf *b, const struct table_col *cols, size_t ncols,
    const void *ctx, size_t nrows, const char *(*note)(const void *, size_t))
{
	size_t *width = xcalloc(ncols, sizeof(*width));
	struct buf *bufs = xcalloc(ncols, sizeof(*bufs));
	const char *n;

	for (size_t c = 0; c < ncols; c++)
		width[c] = fmax(cols[c].min_width, utf8_columns(cols[c].name));
	for (size_t i = 0; i < nrows; i++) {
		row_fill(bufs, cols, ncols, ctx, i);
		for (size_t c = 0; c < ncols; c++)
			width[c] =
			    fmax(width[c], utf8_columns(buf_str(&bufs[c])));
	}
	for (size_t c = 0; c < ncols; c++)
		text_cell(b, &cols[c], width[c], cols[c].name, c + 1 == ncols);
	for (size_t i = 0; i < nrows; i++) {
		row_fill(bufs, cols, ncols, ctx, i);
		for (size_t c = 0; c < ncols; c++)
			text_cell(b, &cols[c], width[c], buf_str(&bufs[c]),
			    c + 1 == ncols);
		if (note && (n = note(ctx, i)))
			buf_printf(b, "    %s\n", n);
	}
	for (size_t c = 0; c < ncols; c++)
		buf_free(&bufs[c]);
	free(bufs);
	free(width);
}

/* A Markdown table: numbers aligned right; an empty header stays empty. */
void
table_md(struct buf *b, const struct table_col *cols, size_t ncols,
    const void *ctx, size_t nrows)
{
	struct buf *bufs = xcalloc(ncols, sizeof(*bufs));

	buf_puts(b, "|");
	for (size_t c = 0; c < ncols; c++) {
		buf_puts(b, " ");
		md_esc(b, cols[c].name);
		buf_puts(b, *cols[c].name ? " |" : "|");
	}
	buf_puts(b, "\n|");
	for (size_t c = 0; c < ncols; c++)
		buf_puts(b, cols[c].right ? "---:|" : "---|");
	buf_puts(b, "\n");
	for (size_t i = 0; i < nrows; i++) {
		row_fill(bufs, cols, ncols, ctx, i);
		buf_puts(b, "|");
		for (size_t c = 0; c < ncols; c++) {
			buf_puts(b, " ");
			md_esc(b, buf_str(&bufs[c]));
			buf_puts(b, " |");
		}
		buf_puts(b, "\n");
	}
	for (size_t c = 0; c < ncols; c++)
		buf_free(&bufs[c]);
	free(bufs);
}

/* An HTML table a reader can sort: html[c], when set, writes column c's
 * whole cell (a swatch, a sort value); else its text, escaped, in <td>
 * ("–" when empty), class "num" when aligned right. */
void
table_html(struct buf *b, const struct table_col *cols, size_t ncols,
    table_html_cell *const *html, const void *ctx, size_t nrows)
{
	struct buf cell = {0};

	buf_puts(b, "<div class=\"scroll\"><table class=\"sortable\">\n"
	            "<thead><tr>");
	for (size_t c = 0; c < ncols; c++) {
		buf_puts(b, cols[c].right ? "<th class=\"num\">" : "<th>");
		html_esc(b, cols[c].name);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < nrows; i++) {
		buf_puts(b, "<tr>");
		for (size_t c = 0; c < ncols; c++) {
			if (html[c]) {
				html[c](b, ctx, i, cols[c].arg);
				continue;
			}
			buf_reset(&cell);
			cols[c].fill(&cell, ctx, i, cols[c].arg);
			html_el(b, cols[c].right ? "td class=\"num\"" : "td",
			    buf_str(&cell));
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody></table></div>\n");
	buf_free(&cell);
}
