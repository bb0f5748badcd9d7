#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "ftmatrix.h"

static void
run_usage(FILE *f)
{
	fprintf(f,
	    "usage: ftmatrix run MATRIX [-o DIR] [-k] [--affinity CPUS] [--strict]\n"
	    "                    [--rebuild] [--retry-failed] [--force] [-q] [-v]\n"
	    "\n"
	    "  MATRIX           a matrix file or an http(s) URL of one\n"
	    "  -o, --output     results directory (default results/NAME-TIMESTAMP);\n"
	    "                   an existing partial results.json there is resumed\n"
	    "  -k, --keep-going an interpreter that cannot be provisioned is\n"
	    "                   recorded as unavailable, with why, and the\n"
	    "                   others are measured (without it, the run stops\n"
	    "                   before measuring anything)\n"
	    "  --affinity CPUS  pin the probes to these CPUs (\"0-3,6\"; overrides\n"
	    "                   the matrix's \"affinity\")\n"
	    "  --strict         refuse to measure when the pre-flight finds the\n"
	    "                   machine noisy (load, governor, boost, jitter)\n"
	    "  --rebuild        rebuild interpreters built from source\n"
	    "  --retry-failed   on resume, measure again the cells that failed\n"
	    "                   (crashed, timed out, bad output) instead of\n"
	    "                   keeping them as data\n"
	    "  --force          write into a -o DIR that holds other files\n"
	    "                   (only the files ftmatrix writes are replaced)\n"
	    "  -q, --quiet      print only the report's path\n"
	    "  -v, --verbose    say more\n"
	    "\n"
	    "Ctrl-C stops after saving every finished cell (exit status 130);\n"
	    "running the same command again resumes with the missing cells.\n");
}

int
cmd_run(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "rebuild", no_argument, NULL, 'R' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "affinity", required_argument, NULL, 'A' },
		{ "strict", no_argument, NULL, 'S' },
		{ "retry-failed", no_argument, NULL, 'F' },
		{ "force", no_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_opts opts = { 0 };
	char *report = NULL, *command;
	int c, rc;

	while ((c = getopt_long(argc, argv, "o:kqvh", longopts, NULL)) != -1) {
		switch (c) {
		case 'o':
			opts.outdir = optarg;
			break;
		case 'R':
			opts.provision.rebuild = 1;
			break;
		case 'k':
			opts.provision.keep_going = 1;
			break;
		case 'A': {
			struct cpus cpus;
			const char *why;

			if (cpus_parse(optarg, &cpus, &why) < 0) {
				fprintf(stderr, "ftmatrix: --affinity %s: %s\n",
				    optarg, why);
				return 2;
			}
			opts.affinity = optarg;
			break;
		}
		case 'S':
			opts.strict = 1;
			break;
		case 'F':
			opts.retry_failed = 1;
			break;
		case 'f':
			opts.force = 1;
			break;
		case 'q':
			opts.quiet = 1;
			break;
		case 'v':
			opts.verbose = opts.provision.verbose = 1;
			break;
		case 'h':
			run_usage(stdout);
			return 0;
		default:
			run_usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		run_usage(stderr);
		return 2;
	}
	interrupt_install();
	command = command_line(argc, argv);
	opts.command = command;
	rc = run_matrix(argv[optind], &opts, &report);
	free(command);
	if (rc == 0) {
		if (!opts.quiet)
			fprintf(stderr, "ftmatrix: report: ");
		printf("%s\n", report);
		free(report);
	}
	return rc;
}
