#include <stdio.h>
#include <string.h>

#include "ftmatrix.h"

static void
validate_usage(FILE *f)
{
	fprintf(f,
	    "usage: ftmatrix validate [--trust-matrix] MATRIX...\n"
	    "\n"
	    "Checks each matrix (a file or an http(s) URL) without running\n"
	    "anything: YAML syntax, unknown keys, wrong types, duplicate ids,\n"
	    "missing fields and unknown workloads, every problem as\n"
	    "FILE:LINE:COL: message. A matrix from a URL may only use uv\n"
	    "requests and source tarballs over https with a sha256, unless\n"
	    "--trust-matrix is given. Exit status 1 when any has problems.\n");
}

int
cmd_validate(int argc, char **argv)
{
	struct matrix m;
	int problems, i, bad = 0, trusted = 0;
	size_t t;

	if (argc < 2) {
		validate_usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
		validate_usage(stdout);
		return 0;
	}
	for (i = 1; i < argc; i++)
		if (!strcmp(argv[i], "--trust-matrix"))
			trusted++;
	if (trusted == argc - 1) {
		validate_usage(stderr);
		return 2;
	}
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--trust-matrix"))
			continue;
		problems = matrix_open(argv[i], &m);
		if (problems == 0)
			problems = matrix_trust_check(&m, argv[i], trusted);
		if (problems == 0) {
			printf("%s: ok (%zu interpreters, %zu workloads, "
			       "threads",
			    m.path, m.ninterps, m.nworkloads);
			for (t = 0; t < m.nthreads; t++)
				printf(" %d", m.threads[t]);
			printf(")\n");
		} else {
			fprintf(stderr, "ftmatrix: %s: %d problem%s\n", m.path,
			    problems, problems == 1 ? "" : "s");
			bad = 1;
		}
		matrix_free(&m);
	}
	return bad;
}
