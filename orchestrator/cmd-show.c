#include <getopt.h>
#include <stdio.h>

#include "ftmatrix.h"

static void
show_usage(FILE *f)
{
	fprintf(f,
	    "usage: ftmatrix show RESULTS.json\n"
	    "\n"
	    "Prints what `run` prints at its end, for a finished or partial\n"
	    "run: per workload, time per unit of work on one thread with its\n"
	    "95%% CI, the change against the baseline (the matrix's, else the\n"
	    "first interpreter), the speedup at the most threads, then the\n"
	    "summary sentences.\n");
}

int
cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			show_usage(stdout);
			return 0;
		}
		show_usage(stderr);
		return 2;
	}
	if (optind != argc - 1) {
		show_usage(stderr);
		return 2;
	}
	return show_file(argv[optind], stdout) < 0 ? 1 : 0;
}
