#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* compare.csv and summary.md: compare's rows as data and as text */

/* compare.csv's cells: row i is the i-th row of all pairs, B's first */

struct csv_table {
	const struct compare_set *s;
	size_t (*at)[2]; /* pair, row */
};

enum csv_col {
	F_FILE_A,
	F_FILE_B,
	F_ID_A,
	F_LABEL_A,
	F_ID_B,
	F_LABEL_B,
	F_WORKLOAD,
	F_ENGINE,
	F_THREADS,
	F_N_A,
	F_MEDIAN_A,
	F_N_B,
	F_MEDIAN_B,
	F_RATIO,
	F_LO,
	F_HI,
	F_UNITS_A,
	F_UNIT_A,
	F_UNITS_B,
	F_UNIT_B,
	F_NOTE,
	F_VERDICT
};

static void
csv_cell(struct buf *b, const void *ctx, size_t i, size_t col)
{
	const struct csv_table *t = ctx;
	size_t k = t->at[i][0];
	const struct compare_pair *p = &t->s->pair[k];
	const struct compare_row *row = &p->rows[t->at[i][1]];

	switch (col) {
	case F_FILE_A:
		buf_puts(b, t->s->path[0]);
		break;
	case F_FILE_B:
		buf_puts(b, t->s->path[k]);
		break;
	case F_ID_A:
		buf_puts(b, p->a->interps[row->ia].id);
		break;
	case F_LABEL_A:
		buf_puts(b, report_label(p->a, row->ia));
		break;
	case F_ID_B:
		buf_puts(b, p->b->interps[row->ib].id);
		break;
	case F_LABEL_B:
		buf_puts(b, report_label(p->b, row->ib));
		break;
	case F_WORKLOAD:
		buf_puts(b, row->workload);
		break;
	case F_ENGINE:
		buf_puts(b, row->engine);
		break;
	case F_THREADS:
		buf_printf(b, "%d", row->threads);
		break;
	case F_N_A:
		buf_printf(b, "%zu", row->a.n);
		break;
	case F_MEDIAN_A:
		buf_printf(b, "%.10g", row->a.median);
		break;
	case F_N_B:
		buf_printf(b, "%zu", row->b.n);
		break;
	case F_MEDIAN_B:
		buf_printf(b, "%.10g", row->b.median);
		break;
	case F_RATIO:
		buf_printf(b, "%.10g", row->ratio);
		break;
	case F_LO:
		buf_printf(b, "%.10g", row->lo);
		break;
	case F_HI:
		buf_printf(b, "%.10g", row->hi);
		break;
	/* units and ns per unit both empty when unknown */
	case F_UNITS_A:
		if (row->units_a > 0)
			buf_printf(b, "%ld", row->units_a);
		break;
	case F_UNIT_A:
		if (row->units_a > 0)
			buf_printf(b, "%.10g", row->unit_a);
		break;
	case F_UNITS_B:
		if (row->units_b > 0)
			buf_printf(b, "%ld", row->units_b);
		break;
	case F_UNIT_B:
		if (row->units_b > 0)
			buf_printf(b, "%.10g", row->unit_b);
		break;
	case F_NOTE:
		buf_puts(b, row->note ? row->note : "");
		break;
	case F_VERDICT:
		buf_puts(b,
		    row->verdict == COMPARE_NOT_COMPARABLE ? "not-comparable"
		        : row->verdict < 0                 ? "faster"
		        : row->verdict > 0                 ? "slower"
		                                           : "same");
		break;
	}
}

static const struct table_col csv_cols[] = {
    {"file_a", csv_cell, F_FILE_A, 0, 0},
    {"file_b", csv_cell, F_FILE_B, 0, 0},
    {"interpreter_a", csv_cell, F_ID_A, 0, 0},
    {"label_a", csv_cell, F_LABEL_A, 0, 0},
    {"interpreter_b", csv_cell, F_ID_B, 0, 0},
    {"label_b", csv_cell, F_LABEL_B, 0, 0},
    {"workload", csv_cell, F_WORKLOAD, 0, 0},
    {"engine", csv_cell, F_ENGINE, 0, 0},
    {"threads", csv_cell, F_THREADS, 0, 0},
    {"n_a", csv_cell, F_N_A, 0, 0},
    {"median_a_ns", csv_cell, F_MEDIAN_A, 0, 0},
    {"n_b", csv_cell, F_N_B, 0, 0},
    {"median_b_ns", csv_cell, F_MEDIAN_B, 0, 0},
    {"ratio", csv_cell, F_RATIO, 0, 0},
    {"ratio_lo", csv_cell, F_LO, 0, 0},
    {"ratio_hi", csv_cell, F_HI, 0, 0},
    {"units_a", csv_cell, F_UNITS_A, 0, 0},
    {"ns_per_unit_a", csv_cell, F_UNIT_A, 0, 0},
    {"units_b", csv_cell, F_UNITS_B, 0, 0},
    {"ns_per_unit_b", csv_cell, F_UNIT_B, 0, 0},
    {"note", csv_cell, F_NOTE, 0, 0},
    {"verdict", csv_cell, F_VERDICT, 0, 0},
};

int
compare_csv(const struct compare_set *s, const char *path)
{
	struct csv_table t = {s, NULL};
	struct buf b = {0};
	size_t n = 0;
	int rc;

	for (size_t k = 1; k < s->n; k++)
		n += s->pair[k].nrows;
	t.at = xcalloc(n + 1, sizeof(*t.at));
	n = 0;
	for (size_t k = 1; k < s->n; k++)
		for (size_t r = 0; r < s->pair[k].nrows; r++) {
			t.at[n][0] = k;
			t.at[n++][1] = r;
		}
	table_csv(&b, csv_cols, sizeof(csv_cols) / sizeof(*csv_cols), &t, n);
	rc = file_write_atomic(path, b.data, b.len);
	buf_free(&b);
	free(t.at);
	return rc;
}

/* summary.md's table of times: row i is the pair's row i */

enum md_col {
	D_WHO,
	D_WORKLOAD,
	D_THREADS,
	D_RUN_A,
	D_RUN_B,
	D_UNIT_A,
	D_UNIT_B,
	D_CHANGE,
	D_VERDICT
};

static void
md_cell(struct buf *b, const void *ctx, size_t i, size_t col)
{
	const struct compare_pair *p = ctx;
	const struct compare_row *row = &p->rows[i];
	char *t = NULL;

	switch (col) {
	case D_WHO:
		t = compare_series(p, row->ia);
		break;
	case D_WORKLOAD:
		buf_puts(b, row->workload);
		if (strcmp(row->engine, "threads") != 0)
			buf_printf(b, " (%s)", row->engine);
		break;
	case D_THREADS:
		buf_printf(b, "%d", row->threads);
		break;
	case D_RUN_A:
		t = format_duration(row->a.median, -1);
		break;
	case D_RUN_B:
		t = format_duration(row->b.median, -1);
		break;
	case D_UNIT_A:
		t = format_duration(row->unit_a, -1);
		break;
	case D_UNIT_B:
		t = format_duration(row->unit_b, -1);
		break;
	case D_CHANGE:
		t = compare_change_text(row);
		break;
	case D_VERDICT:
		buf_puts(b, compare_verdict(row->verdict));
		if (row->note)
			buf_printf(b, ": %s", row->note);
		break;
	}
	if (t)
		buf_puts(b, t);
	free(t);
}

static void
md_rows(struct buf *b, const struct compare_pair *p, char tag)
{
	char run_b[2] = {tag, 0}, unit_b[16];
	const struct table_col cols[] = {
	    {"interpreter", md_cell, D_WHO, 0, 0},
	    {"workload", md_cell, D_WORKLOAD, 0, 0},
	    {"threads", md_cell, D_THREADS, 1, 0},
	    {"A", md_cell, D_RUN_A, 1, 0},
	    {run_b, md_cell, D_RUN_B, 1, 0},
	    {"A per unit", md_cell, D_UNIT_A, 1, 0},
	    {unit_b, md_cell, D_UNIT_B, 1, 0},
	    {"change (95% CI)", md_cell, D_CHANGE, 1, 0},
	    {"", md_cell, D_VERDICT, 0, 0},
	};

	snprintf(unit_b, sizeof(unit_b), "%c per unit", tag);
	table_md(b, cols, sizeof(cols) / sizeof(*cols), p, p->nrows);
}

int
compare_md(const struct compare_set *s, const char *path)
{
	struct buf b = {0};
	int rc;

	buf_puts(&b, "# ftmatrix compare\n\n");
	for (size_t k = 0; k < s->n; k++) {
		char *line = compare_file_line(s, k);

		buf_printf(&b, "- **%c**: ", 'A' + (int)k);
		md_esc(&b, line);
		buf_puts(&b, "\n");
		free(line);
		for (size_t i = 0; i < s->rs[k].preflight.nwarnings; i++) {
			buf_puts(&b, "  - pre-flight: ");
			md_esc(&b, s->rs[k].preflight.warnings[i]);
			buf_puts(&b, "\n");
		}
	}
	for (size_t k = 1; k < s->n; k++) {
		const struct compare_pair *p = &s->pair[k];

		buf_printf(&b, "\n## %c against A\n\n", 'A' + (int)k);
		size_t n;
		char **sent = compare_sentences(p, 'A' + (int)k, &n);

		for (size_t i = 0; i < n; i++) {
			buf_puts(&b, "- ");
			md_esc(&b, sent[i]);
			buf_puts(&b, "\n");
			free(sent[i]);
		}
		free(sent);
		buf_puts(&b, "\n");
		md_rows(&b, p, 'A' + (int)k);
		compare_extras_md(&b, p, 'A' + (int)k);
	}
	buf_puts(&b, "\nReproduce with:\n\n```\n");
	buf_puts(&b, s->command);
	buf_puts(&b, "\n```\n");
	rc = file_write_atomic(path, b.data, b.len);
	buf_free(&b);
	return rc;
}
