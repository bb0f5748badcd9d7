#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static void
validate_usage(FILE *f)
{
	fprintf(f,
	    "usage: ftmatrix validate [--trust-matrix] [--workloads DIR]...\n"
	    "                         [MATRIX|MODULE.py]...\n"
	    "\n"
	    "Checks each matrix (a file or an http(s) URL) without running\n"
	    "anything: YAML syntax, unknown keys, wrong types, duplicate ids,\n"
	    "missing fields and unknown workloads, every problem as\n"
	    "FILE:LINE:COL: message. A matrix from a URL may only use uv\n"
	    "requests and source tarballs over https with a sha256, unless\n"
	    "--trust-matrix is given. The workload modules of yours that a\n"
	    "matrix names (workloads_dir, path, --workloads), a MODULE.py\n"
	    "given alone and, without a matrix, every module of the\n"
	    "--workloads directories are checked too: the file, its name,\n"
	    "DESCRIPTION, GROUP and UNIT, a run(n), ENGINES.\n"
	    "Exit status 1 when any has problems.\n"
	    "\n"
	    "  --workloads DIR  your workload modules, searched before the\n"
	    "                   catalog (may be given more than once)\n"
	    "  --trust-matrix   let a matrix from a URL use local programs,\n"
	    "                   env, configure flags and local sources\n");
}

static int
module_name(const char *path, char **name)
{
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	size_t n = strlen(base);

	if (n < 4 || strcmp(base + n - 3, ".py") != 0)
		return -1;
	*name = xstrndup(base, n - 3);
	return 0;
}

static int
validate_module(const char *path)
{
	char *name;
	int problems;

	if (module_name(path, &name) < 0)
		return -1;
	problems = workload_module_check(path, name);
	if (problems == 0)
		printf("%s: ok (workload %s)\n", path, name);
	else
		fprintf(stderr, "ftmatrix: %s: %d problem%s\n", path, problems,
		    problems == 1 ? "" : "s");
	free(name);
	return problems > 0;
}

/* Without a matrix: every module of the --workloads directories */
static int
validate_dirs(const char *const *dirs, size_t n)
{
	struct catalog cat = {0};
	int bad = 0;
	size_t i;

	for (i = 0; i < n; i++)
		if (catalog_add_dir(&cat, dirs[i]) < 0)
			bad = 1;
	for (i = 0; i < cat.n; i++)
		bad |= validate_module(cat.items[i].path);
	if (!bad && !cat.n)
		printf("no workload modules in the --workloads directories\n");
	catalog_free(&cat);
	return bad;
}

int
cmd_validate(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"workloads", required_argument, NULL, 'W'},
	    {"trust-matrix", no_argument, NULL, 'T'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char **dirs = xcalloc((size_t)argc + 1, sizeof(*dirs));
	struct matrix_input in = {.workloads_dirs = dirs};
	struct matrix m;
	int problems, i, c, bad = 0, trusted = 0;
	size_t t;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'W':
			dirs[in.nworkloads_dirs++] = optarg;
			break;
		case 'T':
			trusted = 1;
			break;
		case 'h':
			validate_usage(stdout);
			free(dirs);
			return 0;
		default:
			free(dirs);
			return usage_bad_option(
			    argv, "h", longopts, validate_usage);
		}
	}
	if (optind == argc && !in.nworkloads_dirs) {
		free(dirs);
		validate_usage(stderr);
		return 2;
	}
	if (optind == argc)
		bad = validate_dirs(dirs, in.nworkloads_dirs);
	for (i = optind; i < argc; i++) {
		char *name;

		if (!url_is_remote(argv[i]) &&
		    module_name(argv[i], &name) == 0) {
			free(name);
			bad |= validate_module(argv[i]);
			continue;
		}
		in.path = argv[i];
		problems = matrix_open_input(&in, &m);
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
	free(dirs);
	return bad;
}
