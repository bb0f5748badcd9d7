#include <stdio.h>
#include <string.h>

#include "ftmatrix.h"

/* Problems a parser cannot see: names that must exist in the catalog. */
static int
matrix_check_catalog(const struct matrix *m)
{
	struct catalog cat;
	int problems = 0;
	size_t i;

	if (catalog_load(&cat) < 0)
		return 1;
	for (i = 0; i < m->nworkloads; i++) {
		const struct workload_spec *w = &m->workloads[i];

		if (!catalog_find(&cat, w->name)) {
			error("%s:%d:%d: unknown workload \"%s\" (see ftmatrix list)",
			    m->path, w->line, w->col, w->name);
			problems++;
		}
	}
	catalog_free(&cat);
	return problems;
}

int
cmd_validate(int argc, char **argv)
{
	struct matrix m;
	int problems, i, bad = 0;

	if (argc < 2 || strcmp(argv[1], "-h") == 0) {
		fprintf(argc < 2 ? stderr : stdout,
		    "usage: ftmatrix validate MATRIX...\n");
		return argc < 2 ? 2 : 0;
	}
	for (i = 1; i < argc; i++) {
		problems = matrix_load(argv[i], &m);
		if (problems == 0)
			problems = matrix_check_catalog(&m);
		if (problems == 0)
			printf("%s: ok (%zu interpreters, %zu workloads, threads",
			    argv[i], m.ninterps, m.nworkloads);
		if (problems == 0) {
			size_t t;

			for (t = 0; t < m.nthreads; t++)
				printf(" %d", m.threads[t]);
			printf(")\n");
		} else {
			fprintf(stderr, "ftmatrix: %s: %d problem%s\n", argv[i],
			    problems, problems == 1 ? "" : "s");
			bad = 1;
		}
		matrix_free(&m);
	}
	return bad;
}
