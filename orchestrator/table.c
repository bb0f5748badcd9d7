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
			cell.len = 0;
			if (cell.data)
				cell.data[0] = '\0';
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
