#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static void
merge_usage(FILE *f)
{
	fprintf(f,
	    "usage: ftmatrix merge SHARD.json... -o DIR [-q]\n"
	    "\n"
	    "Joins the results files of ftmatrix run --shard K/N into one\n"
	    "results file and one report, measuring nothing. It refuses files\n"
	    "of different matrices, a cell in two files and an interpreter\n"
	    "that is another build in another file; a missing shard is\n"
	    "reported, and the merged results are incomplete. Shards run on\n"
	    "different machines keep one machine table each; every ratio is\n"
	    "computed within one shard, so within one machine.\n"
	    "\n"
	    "  -o, --output DIR  where to write results.json and the report\n"
	    "  -q, --quiet       print only the report's path\n");
}

int
cmd_merge(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"output", required_argument, NULL, 'o'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct report_opts ro = report_opts_default();
	struct resultset *in, out = {0};
	const char *outdir = NULL;
	char *results = NULL, *missing;
	int c, rc = 1, quiet = 0;
	size_t n, i;

	while ((c = getopt_long(argc, argv, "o:qh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			outdir = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			merge_usage(stdout);
			return 0;
		default:
			merge_usage(stderr);
			return 2;
		}
	}
	if (!outdir || optind >= argc) {
		merge_usage(stderr);
		return 2;
	}
	n = (size_t)(argc - optind);
	in = xcalloc(n, sizeof(*in));
	for (i = 0; i < n; i++)
		if (results_load(argv[optind + i], &in[i]) < 0)
			goto out;
	if (merge_results(in, (const char *const *)argv + optind, n, &out) <
	    0) {
		error("refusing to merge: nothing was written");
		goto out;
	}
	free(out.command);
	out.command = command_line(argc, argv);
	if ((missing = results_missing_shards(&out))) {
		warn("shard%s %s of %d missing: the merged results are "
		     "incomplete, and the report says so",
		    strchr(missing, ',') ? "s" : "", missing, out.shard.count);
		free(missing);
	}
	if (mkdir_p(outdir) < 0)
		goto out;
	results = path_join(outdir, "results.json");
	if (results_save(&out, results) < 0 ||
	    report_write(&out, outdir, &ro) < 0)
		goto out;
	if (!quiet)
		fprintf(stderr,
		    "ftmatrix: merged %zu shard%s of %d, %zu cells%s\n", n,
		    n == 1 ? "" : "s", out.shard.count, out.ncells,
		    out.nhosts ? " (machines differ: one table each)" : "");
	printf("%s/report.html\n", outdir);
	rc = 0;
out:
	for (i = 0; i < n; i++)
		results_free(&in[i]);
	free(in);
	results_free(&out);
	free(results);
	return rc;
}
