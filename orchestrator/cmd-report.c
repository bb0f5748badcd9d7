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
	    "\n"
	    "  -o, --output   where to write (default: the results file's directory)\n"
	    "  --format       comma-separated: html,csv,md,png,svg (default: all)\n");
}

static int
formats_parse(const char *list, struct report_opts *o)
{
	char *copy = xstrdup(list), *f, *save = NULL;
	int rc = 0;

	memset(o, 0, sizeof(*o));
	for (f = strtok_r(copy, ",", &save); f; f = strtok_r(NULL, ",", &save)) {
		if (strcmp(f, "html") == 0)
			o->html = 1;
		else if (strcmp(f, "csv") == 0)
			o->csv = 1;
		else if (strcmp(f, "md") == 0)
			o->md = 1;
		else if (strcmp(f, "png") == 0)
			o->png = 1;
		else if (strcmp(f, "svg") == 0)
			o->svg = 1;
		else {
			error("--format: unknown format \"%s\" (expected html, csv, "
			      "md, png, svg)", f);
			rc = -1;
		}
	}
	free(copy);
	return rc;
}

int
cmd_report(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct report_opts ro = { 1, 1, 1, 1, 1 };
	struct resultset rs = { 0 };
	const char *outdir = NULL;
	char *dir = NULL;
	int c, rc = 1;

	while ((c = getopt_long(argc, argv, "o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 'f':
			if (formats_parse(optarg, &ro) < 0)
				return 2;
			break;
		case 'h':
			report_usage(stdout);
			return 0;
		default:
			report_usage(stderr);
			return 2;
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
	if (mkdir_p(dir) == 0 && report_write(&rs, dir, &ro) == 0) {
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
