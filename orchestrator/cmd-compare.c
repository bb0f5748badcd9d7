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
	struct compare_opts o = {.ro = report_opts_default(),
	    .match = MATCH_AUTO,
	    .fail_above = NAN};
	int c, rc = 1;

	o.command = command_line(argc, argv);
	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			o.outdir = optarg;
			break;
		case 'f':
			if (report_formats_parse(optarg, &o.ro) < 0)
				rc = 2;
			else if (o.ro.pyperf) {
				error("--format: pyperf is for report, not "
				      "compare (expected html, csv, md, png, "
				      "svg)");
				rc = 2;
			}
			break;
		case 't':
			if (report_theme_parse(optarg, &o.ro) < 0)
				rc = 2;
			break;
		case 'm':
			if ((int)(o.match = match_parse(optarg)) < 0)
				rc = 2;
			break;
		case 'H':
			o.ro.scale = 2;
			break;
		case 'F':
			if (parse_double(optarg, &o.fail_above) < 0 ||
			    !(o.fail_above >= 0)) {
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
			o.by_machine = 1;
			break;
		case 'Z':
			o.ro.force = 1;
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
	if (o.by_machine && o.outdir) {
		error("--by machine prints a table: -o is not for it");
		goto usage;
	}
	rc = compare_files(
	    (const char *const *)argv + optind, argc - optind, &o);
	goto out;
usage:
	compare_usage(stderr);
	rc = 2;
out:
	free(o.command);
	return rc;
}
