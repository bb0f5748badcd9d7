#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ftmatrix.h"

/* A comparison from start to end: every file loaded and made a report
 * model, each paired with the first, printed, and written to a folder. */

/* Pairs file k with the first; -1 after the message when they share no
 * interpreter. */
static int
pair_make(struct compare_set *s, size_t k, enum compare_match match)
{
	if (compare_make(&s->rs[0], &s->rs[k], match, &s->pair[k]) < 0) {
		error("%s and %s have no interpreter in common (by %s); try "
		      "--match label or --match kind",
		    s->path[0], s->path[k],
		    match == MATCH_AUTO ? "id, label or kind"
		                        : compare_match_name(match));
		return -1;
	}
	compare_extras_make(&s->pair[k], &s->rep[0], &s->rep[k]);
	return 0;
}

/* File i loaded and made a report model (its report's rs stays NULL
 * when it cannot be read). */
static void
file_load(void *ctx, size_t i)
{
	struct compare_set *s = ctx;

	if (results_load(s->path[i], &s->rs[i]) == 0)
		report_make(&s->rs[i], NULL, &s->rep[i]);
}

/* Every file read, side by side; 0 when all were, else -1 after each
 * one's message, with none kept. */
static int
files_load(struct compare_set *s, const char *const *paths, size_t n)
{
	size_t nread = 0;

	for (size_t i = 0; i < n; i++)
		s->path[i] = paths[i];
	parallel_for(n, file_load, s);
	for (size_t i = 0; i < n; i++)
		nread += s->rep[i].rs != NULL;
	if (nread == n) {
		s->n = n;
		return 0;
	}
	for (size_t i = 0; i < n; i++) {
		if (s->rep[i].rs) {
			report_free(&s->rep[i]);
			results_free(&s->rs[i]);
		}
	}
	return -1;
}

static int
set_run(struct compare_set *s, const char *const *paths, size_t n,
    const struct compare_opts *o)
{
	const struct report_opts *ro = &o->ro;
	size_t nfail = 0;
	int rc;

	if (o->outdir && outdir_claim(o->outdir, NULL, ro->force) < 0)
		return 1;
	s->style = (struct chart_style){ro->theme, ro->scale, ro->png};
	if (files_load(s, paths, n) < 0)
		return 1;
	if (o->by_machine)
		return compare_by_machine(s) < 0 ? 1 : 0;
	compare_print_files(s);
	for (size_t k = 1; k < s->n; k++) {
		if (pair_make(s, k, o->match) < 0)
			return 1;
		compare_print_pair(s, k);
		if (!isnan(o->fail_above))
			nfail += compare_fail_above(
			    &s->pair[k], 'A' + (int)k, o->fail_above, stderr);
	}
	rc = nfail ? 1 : 0;
	if (o->outdir) {
		if (compare_report(s, o->outdir, ro) < 0)
			rc = 1;
		else
			term_printf("\n%s/%s\n", o->outdir,
			    ro->html ? "report.html" : "");
	}
	return rc;
}

int
compare_files(const char *const *paths, size_t n, const struct compare_opts *o)
{
	struct compare_set *s = xcalloc(1, sizeof(*s));
	int rc;

	s->command = o->command;
	rc = set_run(s, paths, n, o);
	for (size_t k = 0; k < s->n; k++) {
		compare_extras_free(&s->pair[k]);
		compare_free(&s->pair[k]);
		report_free(&s->rep[k]);
		results_free(&s->rs[k]);
	}
	free(s);
	return rc;
}
