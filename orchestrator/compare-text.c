#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * compare's words: the verdicts, changes and sentences that the terminal,
 * the CSV, the Markdown and the HTML all say the same way, and the
 * terminal's tables.
 */

const char *
compare_verdict(int v)
{
	return v == COMPARE_NOT_COMPARABLE ? "not comparable"
	    : v < 0                        ? "faster"
	    : v > 0                        ? "slower"
	                                   : "within noise";
}

char *
compare_change_text(const struct compare_row *r)
{
	return xasprintf("%+.1f%% [%+.1f%%, %+.1f%%]", (r->ratio - 1) * 100,
	    (r->lo - 1) * 100, (r->hi - 1) * 100);
}

char *
compare_file_line(const struct compare_set *s, size_t k)
{
	const struct resultset *rs = &s->rs[k];

	return xasprintf("%s: %s, %s, %d cores, %s", s->path[k],
	    rs->matrix_name ? rs->matrix_name : "results",
	    rs->machine.cpu_model ? rs->machine.cpu_model : "unknown CPU",
	    rs->machine.cores,
	    rs->updated       ? rs->updated
	        : rs->created ? rs->created
	                      : "undated");
}

/* "3.13.15t → 3.13.16t: 3 faster, 1 slower, 4 within noise; median change
 * -3.1% over 8 comparisons." */
char *
compare_sentence(const struct compare_pair *p, size_t ia, char tag)
{
	size_t n = 0, cnt[4] = {0};
	double *x = xcalloc(p->nrows + 1, sizeof(*x));
	char *who = compare_series(p, ia), *s;

	for (size_t k = 0; k < p->nrows; k++)
		if (p->rows[k].ia == ia) {
			cnt[p->rows[k].verdict + 1]++;
			if (p->rows[k].verdict != COMPARE_NOT_COMPARABLE)
				x[n++] = p->rows[k].ratio;
		}
	if (n) {
		char *bad = cnt[3] ? xasprintf("; %zu not comparable (no "
		                               "verdict)",
		                         cnt[3])
		                   : xstrdup("");

		s = xasprintf("%s (%c against A): %zu faster, %zu slower, %zu "
		              "within noise; median change %+.1f%% over %zu "
		              "comparison%s%s.",
		    who, tag, cnt[0], cnt[2], cnt[1],
		    (stats_percentile(x, n, 50) - 1) * 100, n,
		    n == 1 ? "" : "s", bad);
		free(bad);
	} else if (cnt[3])
		s = xasprintf("%s (%c against A): %zu row%s not comparable "
		              "(no verdict).",
		    who, tag, cnt[3], cnt[3] == 1 ? "" : "s");
	else
		s = NULL;
	free(x);
	free(who);
	return s;
}

/* Every paired interpreter's sentences: its times, then its memory and
 * checks. */
char **
compare_sentences(const struct compare_pair *p, char tag, size_t *n)
{
	char **out = xcalloc(2 * p->a->ninterps + 1, sizeof(*out));

	*n = 0;
	for (size_t i = 0; i < 2 * p->a->ninterps; i++) {
		size_t ia = i / 2;
		char *sent = p->b_of_a[ia] == SIZE_MAX ? NULL
		    : i % 2 ? compare_extras_sentence(p, ia, tag)
		            : compare_sentence(p, ia, tag);

		if (sent)
			out[(*n)++] = sent;
	}
	return out;
}

/* the times table's cells: row i is the pair's row i */

enum row_col {
	R_WHO,
	R_WORKLOAD,
	R_ENGINE,
	R_THREADS,
	R_UNIT_A,
	R_UNIT_B,
	R_RUN_A,
	R_RUN_B,
	R_CHANGE,
	R_VERDICT
};

static void
row_cell(struct buf *b, const void *ctx, size_t i, size_t col)
{
	const struct compare_pair *p = ctx;
	const struct compare_row *row = &p->rows[i];
	char *t = NULL;

	switch (col) {
	case R_WHO:
		t = compare_series(p, row->ia);
		break;
	case R_WORKLOAD:
		buf_puts(b, row->workload);
		break;
	case R_ENGINE:
		buf_puts(b, row->engine);
		break;
	case R_THREADS:
		buf_printf(b, "%d", row->threads);
		break;
	case R_UNIT_A:
		t = format_duration(row->unit_a, -1);
		break;
	case R_UNIT_B:
		t = format_duration(row->unit_b, -1);
		break;
	case R_RUN_A:
		t = format_duration(row->a.median, -1);
		break;
	case R_RUN_B:
		t = format_duration(row->b.median, -1);
		break;
	case R_CHANGE:
		t = compare_change_text(row);
		break;
	case R_VERDICT:
		buf_puts(b, compare_verdict(row->verdict));
		break;
	}
	if (t)
		buf_puts(b, t);
	free(t);
}

static const char *
row_note(const void *ctx, size_t i)
{
	return ((const struct compare_pair *)ctx)->rows[i].note;
}

/* time per unit and per run of every row, tag's beside A's */
static void
compare_table_print(const struct compare_pair *p, char tag)
{
	char unit_b[8], run_b[8];
	const struct table_col cols[] = {
	    {"interpreter", row_cell, R_WHO, 0, 11},
	    {"workload", row_cell, R_WORKLOAD, 0, 8},
	    {"engine", row_cell, R_ENGINE, 0, 6},
	    {"threads", row_cell, R_THREADS, 1, 7},
	    {"A/unit", row_cell, R_UNIT_A, 1, 10},
	    {unit_b, row_cell, R_UNIT_B, 1, 10},
	    {"A/run", row_cell, R_RUN_A, 1, 10},
	    {run_b, row_cell, R_RUN_B, 1, 10},
	    {"change", row_cell, R_CHANGE, 0, 26},
	    {"verdict", row_cell, R_VERDICT, 0, 0},
	};
	struct buf b = {0};

	snprintf(unit_b, sizeof(unit_b), "%c/unit", tag);
	snprintf(run_b, sizeof(run_b), "%c/run", tag);
	table_text(
	    &b, cols, sizeof(cols) / sizeof(*cols), p, p->nrows, row_note);
	term_printf("%s", buf_str(&b));
	buf_free(&b);
}

void
compare_print_pair(const struct compare_set *s, size_t k)
{
	const struct compare_pair *p = &s->pair[k];

	term_printf(
	    "\n%c against A (time per unit of work: median of %c / median "
	    "of A, 95%% CI; per run beside it)\n",
	    'A' + (int)k, 'A' + (int)k);
	term_printf(
	    "interpreters paired by %s\n\n", compare_match_name(p->match));
	compare_table_print(p, 'A' + (int)k);
	term_printf("\n");
	{
		size_t n;
		char **sent = compare_sentences(p, 'A' + (int)k, &n);

		for (size_t i = 0; i < n; i++) {
			term_printf("%s\n", sent[i]);
			free(sent[i]);
		}
		free(sent);
	}
	compare_extras_print(p, 'A' + (int)k);
	for (size_t i = 0; i < p->a->ninterps; i++)
		if (p->a->interps[i].available && p->b_of_a[i] == SIZE_MAX)
			term_printf("%s: no counterpart in %c\n",
			    report_label(p->a, i), 'A' + (int)k);
}

void
compare_print_files(const struct compare_set *s)
{
	term_printf("ftmatrix compare\n");
	for (size_t k = 0; k < s->n; k++) {
		char *line = compare_file_line(s, k);

		term_printf("  %c  %s\n", 'A' + (int)k, line);
		free(line);
		for (size_t i = 0; i < s->rs[k].preflight.nwarnings; i++)
			term_printf("     pre-flight: %s\n",
			    s->rs[k].preflight.warnings[i]);
	}
}
