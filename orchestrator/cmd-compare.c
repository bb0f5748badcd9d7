#include <getopt.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static void
compare_usage(FILE *f)
{
	fprintf(f,
	    "usage: ftmatrix compare A.json B.json [C.json ...] [-o DIR]\n"
	    "                        [--match auto|id|label|kind] "
	    "[--format LIST]\n"
	    "                        [--theme light|dark] [--hidpi] "
	    "[--fail-above PCT]\n"
	    "                        [--force]\n"
	    "       ftmatrix compare --by machine A.json B.json [C.json ...]\n"
	    "\n"
	    "Compares the same workloads across result files: every file "
	    "after the\nfirst against the first (time per unit of work, "
	    "ratio of medians,\n95%% CI). A row whose work differs says how; "
	    "one whose work is not\ncomparable (another scaling mode on "
	    "several threads) gets no verdict.\n"
	    "\n"
	    "  -o, --output DIR  also write a report there (report.html, "
	    "charts/,\n"
	    "                    compare.csv, summary.md)\n"
	    "  --match HOW       pair interpreters by matrix id, label or "
	    "kind\n"
	    "                    (free-threaded or not); auto: whichever "
	    "pairs the most\n"
	    "  --format LIST     with -o: html,csv,md,png,svg (default: "
	    "all)\n"
	    "  --theme THEME     light (default) or dark\n"
	    "  --hidpi           PNG charts at twice the size\n"
	    "  --fail-above PCT  exit 1 when a workload is slower by more "
	    "than PCT\n"
	    "                    percent with a 95%% CI that excludes no "
	    "change\n"
	    "  --by machine      the same matrix on different machines: each\n"
	    "                    machine's overhead and speedup side by side,\n"
	    "                    never a time of one divided by another's\n"
	    "  --force           write into a -o DIR that holds other files "
	    "(only the\n"
	    "                    files ftmatrix writes are replaced)\n");
}

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

static void
print_table(const struct compare_set *s, size_t k)
{
	const struct compare_pair *p = &s->pair[k];
	size_t wi = 11, ww = 8, we = 6;

	term_printf("\n%c against A (time per unit of work: median of %c / median "
	       "of A, 95%% CI; per run beside it)\n",
	    'A' + (int)k, 'A' + (int)k);
	term_printf("interpreters paired by %s\n\n", compare_match_name(p->match));
	for (size_t r = 0; r < p->nrows; r++) {
		char *who = compare_series(p, p->rows[r].ia);

		wi = fmax(wi, utf8_columns(who));
		ww = fmax(ww, strlen(p->rows[r].workload));
		we = fmax(we, strlen(p->rows[r].engine));
		free(who);
	}
	term_printf("%-*s  %-*s  %-*s  %7s  %10s  %5c/unit  %10s  %6c/run  %-26s  "
	       "%s\n",
	    (int)wi, "interpreter", (int)ww, "workload", (int)we, "engine",
	    "threads", "A/unit", 'A' + (int)k, "A/run", 'A' + (int)k, "change",
	    "verdict");
	for (size_t r = 0; r < p->nrows; r++) {
		const struct compare_row *row = &p->rows[r];
		char *who = compare_series(p, row->ia);
		char *ma = format_duration(row->a.median, -1);
		char *mb = format_duration(row->b.median, -1);
		char *ua = format_duration(row->unit_a, -1);
		char *ub = format_duration(row->unit_b, -1);
		char *ch = compare_change_text(row);

		term_printf("%-*s  %-*s  %-*s  %7d  %*s  %*s  %10s  %10s  %-26s  "
		       "%s\n",
		    utf8_field(who, wi), who, (int)ww, row->workload, (int)we,
		    row->engine, row->threads, utf8_field(ua, 10), ua,
		    utf8_field(ub, 10), ub, ma, mb, ch,
		    compare_verdict(row->verdict));
		if (row->note)
			term_printf("    %s\n", row->note);
		free(ua);
		free(ub);
		free(who);
		free(ma);
		free(mb);
		free(ch);
	}
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

static enum compare_match
match_parse(const char *s)
{
	static const char *const names[] = {"auto", "id", "label", "kind"};

	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return (enum compare_match)i;
	error("--match: unknown way \"%s\" (expected auto, id, label or kind)",
	    s);
	return (enum compare_match) - 1;
}

int
cmd_compare(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, 'f'},
	    {"theme", required_argument, NULL, 't'},
	    {"match", required_argument, NULL, 'm'},
	    {"hidpi", no_argument, NULL, 'H'},
	    {"fail-above", required_argument, NULL, 'F'},
	    {"by", required_argument, NULL, 'b'},
	    {"force", no_argument, NULL, 'Z'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct report_opts ro = report_opts_default();
	struct compare_set *s = xcalloc(1, sizeof(*s));
	enum compare_match match = MATCH_AUTO;
	const char *outdir = NULL;
	double fail_above = NAN;
	size_t nfail = 0;
	int c, rc = 1, by_machine = 0;

	s->command = command_line(argc, argv);
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 'f':
			if (report_formats_parse(optarg, &ro) < 0)
				rc = 2;
			break;
		case 't':
			if (report_theme_parse(optarg, &ro) < 0)
				rc = 2;
			break;
		case 'm':
			if ((int)(match = match_parse(optarg)) < 0)
				rc = 2;
			break;
		case 'H':
			ro.scale = 2;
			break;
		case 'F':
			if (parse_double(optarg, &fail_above) < 0 ||
			    !(fail_above >= 0)) {
				error("--fail-above: \"%s\" is not a "
				      "percentage (expected a number >= 0)",
				    optarg);
				rc = 2;
			}
			break;
		case 'b':
			if (strcmp(optarg, "machine") != 0) {
				error("--by: unknown \"%s\" (expected machine)",
				    optarg);
				rc = 2;
			}
			by_machine = 1;
			break;
		case 'Z':
			ro.force = 1;
			break;
		case 'h':
			compare_usage(stdout);
			rc = 0;
			goto out;
		default:
			rc = usage_bad_option(
			    argv, "o:h", longopts, compare_usage);
			goto out;
		}
	}
	if (rc == 2)
		goto usage;
	if (argc - optind < 2 || argc - optind > COMPARE_MAX_FILES) {
		if (argc - optind > COMPARE_MAX_FILES)
			error("compare: at most %d files", COMPARE_MAX_FILES);
		goto usage;
	}
	if (by_machine && outdir) {
		error("--by machine prints a table: -o is not for it");
		goto usage;
	}
	if (outdir && outdir_claim(outdir, NULL, ro.force) < 0)
		goto out;
	s->style = (struct chart_style){ro.theme, ro.scale, ro.png};
	for (int i = optind; i < argc; i++) {
		s->path[s->n] = argv[i];
		if (results_load(argv[i], &s->rs[s->n]) < 0)
			goto out;
		report_make(&s->rs[s->n], NULL, &s->rep[s->n]);
		s->n++;
	}
	if (by_machine) {
		rc = compare_by_machine(s) < 0 ? 1 : 0;
		goto out;
	}
	term_printf("ftmatrix compare\n");
	for (size_t k = 0; k < s->n; k++) {
		char *line = compare_file_line(s, k);

		term_printf("  %c  %s\n", 'A' + (int)k, line);
		free(line);
		for (size_t i = 0; i < s->rs[k].preflight.nwarnings; i++)
			term_printf("     pre-flight: %s\n",
			    s->rs[k].preflight.warnings[i]);
	}
	for (size_t k = 1; k < s->n; k++) {
		if (compare_make(&s->rs[0], &s->rs[k], match, &s->pair[k]) <
		    0) {
			error(
			    "%s and %s have no interpreter in common (by %s); "
			    "try --match label or --match kind",
			    s->path[0], s->path[k],
			    match == MATCH_AUTO ? "id, label or kind"
			                        : compare_match_name(match));
			goto out;
		}
		compare_extras_make(&s->pair[k], &s->rep[0], &s->rep[k]);
		print_table(s, k);
		if (!isnan(fail_above))
			nfail += compare_fail_above(
			    &s->pair[k], 'A' + (int)k, fail_above, stderr);
	}
	rc = nfail ? 1 : 0;
	if (outdir) {
		if (compare_report(s, outdir, &ro) < 0)
			rc = 1;
		else
			term_printf(
			    "\n%s/%s\n", outdir, ro.html ? "report.html" : "");
	}
	goto out;
usage:
	compare_usage(stderr);
	rc = 2;
out:
	for (size_t k = 0; k < s->n; k++) {
		compare_extras_free(&s->pair[k]);
		compare_free(&s->pair[k]);
		report_free(&s->rep[k]);
		results_free(&s->rs[k]);
	}
	free(s->command);
	free(s);
	return rc;
}
