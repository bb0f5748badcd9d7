#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static void
report_usage(FILE *f)
{
	fprintf(f,
	    "usage: ftmatrix report RESULTS.json [-o DIR] [--format LIST]\n"
	    "                       [--theme light|dark] [--hidpi] [--force]\n"
	    "\n"
	    "Draws the report again from a results file, measuring nothing.\n"
	    "\n"
	    "  -o, --output DIR  where to write (default: the results file's "
	    "directory)\n"
	    "  --format LIST     comma-separated: html,csv,md,png,svg "
	    "(default: all\n"
	    "                    five), pyperf (pyperf-ID.json per "
	    "interpreter, for\n"
	    "                    python -m pyperf stats, hist, compare_to)\n"
	    "  --theme THEME     light (default) or dark, for charts and "
	    "page\n"
	    "  --hidpi           PNG charts at twice the size (2400 px "
	    "wide)\n"
	    "  --force           write into a DIR that holds other files "
	    "(only the\n"
	    "                    files ftmatrix writes are replaced)\n");
}

int
cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"format", required_argument, NULL, 'f'},
	    {"theme", required_argument, NULL, 't'},
	    {"hidpi", no_argument, NULL, 'H'},
	    {"force", no_argument, NULL, 'F'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct report_opts ro = report_opts_default();
	struct resultset rs = {0};
	const char *outdir = NULL;
	char *dir = NULL;
	int c, rc = 1;

	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 'f':
			if (report_formats_parse(optarg, &ro) < 0)
				return 2;
			break;
		case 't':
			if (report_theme_parse(optarg, &ro) < 0)
				return 2;
			break;
		case 'H':
			ro.scale = 2;
			break;
		case 'F':
			ro.force = 1;
			break;
		case 'h':
			report_usage(stdout);
			return 0;
		default:
			return usage_bad_option(
			    argv, "o:h", longopts, report_usage);
		}
	}
	if (optind != argc - 1) {
		report_usage(stderr);
		return 2;
	}
	if (results_load(argv[optind], &rs) < 0)
		return 1;
	if (outdir) {
		dir = xstrdup(outdir);
	} else {
		char *copy = xstrdup(argv[optind]);

		dir = xstrdup(dirname(copy));
		free(copy);
	}
	if (outdir_claim(dir, argv[optind], ro.force) == 0 &&
	    report_write(&rs, dir, &ro) == 0) {
		if (ro.html)
			printf("%s/report.html\n", dir);
		else
			printf("%s\n", dir);
		rc = 0;
	}
	free(dir);
	results_free(&rs);
	return rc;
}
