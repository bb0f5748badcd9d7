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
			else if (ro.pyperf) {
				error("--format: pyperf is for report, not "
				      "compare (expected html, csv, md, png, "
				      "svg)");
				rc = 2;
			}
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
	compare_print_files(s);
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
		compare_print_pair(s, k);
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
