#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static void
run_usage(FILE *f)
{
	fprintf(f,
	    "usage: ftmatrix run [MATRIX] [-o DIR] [-k] [--affinity CPUS] [--strict] [-q] [-v]\n"
	    "                    [--rebuild] [--retry-failed] [--trust-matrix] [--print-matrix] [--force]\n"
	    "                    [--fast | --rigorous] [--target-ci PCT] [--max-time S]\n"
	    "                    [--shard K/N [--shard-costs RESULTS.json]]\n"
	    "                    [--python [ID=]SPEC]... [-w WORKLOAD]... [--workloads DIR]...\n"
	    "                    [--threads LIST] [--repetitions N] [--samples N]\n"
	    "\n"
	    "  MATRIX           a matrix file or an http(s) URL of one; without\n"
	    "                   it, --python and -w make the matrix\n"
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
	    "  --target-ci PCT  add rounds of probe processes until every ratio's\n"
	    "                   95%% CI is within ±PCT (\"3%%\" or 0.03; overrides\n"
	    "                   the matrix's \"target_ci\")\n"
	    "  --max-time SECONDS  stop adding rounds after this long (default:\n"
	    "                   as long again as the planned rounds took)\n"
	    "  --fast           fewer probe processes, ±5%% target: a first look\n"
	    "  --rigorous       twice the probe processes, ±2%% target, up to\n"
	    "                   three times as long\n"
	    "  --trust-matrix   let a matrix from a URL use more than uv\n"
	    "                   requests and https tarballs with a sha256\n"
	    "                   (local programs, env, configure flags...)\n"
	    "  --shard K/N      measure only shard K of N: whole workloads, cut so\n"
	    "                   the shards' estimated times are even (ftmatrix\n"
	    "                   merge joins the shards' results files)\n"
	    "  --shard-costs F  cut by the measured times of the cells of F, a\n"
	    "                   results file every shard must be given\n"
	    "  --force          write into a -o DIR that holds other files\n"
	    "                   (only the files ftmatrix writes are replaced)\n"
	    "  -q, --quiet      print only the report's path\n"
	    "  -v, --verbose    say more\n"
	    "\n"
	    "The matrix from the command line (or these changes to MATRIX's):\n"
	    "  --python [ID=]SPEC  an interpreter (without MATRIX only): a path\n"
	    "                   or a name on PATH, uv:REQUEST, pyenv:VERSION,\n"
	    "                   source:debian:3.13.15 (3.13.15t: free-threaded),\n"
	    "                   or a bare version for uv (3.13t); the first is\n"
	    "                   the baseline\n"
	    "  -w, --workload W a catalog workload's name, or a module of yours\n"
	    "                   (./mybench.py); replaces the matrix's list\n"
	    "  --workloads DIR  your workload modules, searched before the\n"
	    "                   catalog\n"
	    "  --threads LIST   thread counts, \"1,2,4\"\n"
	    "  --repetitions N  probe processes per cell\n"
	    "  --samples N      measured samples per probe process\n"
	    "  --print-matrix   print the matrix as YAML (it loads back as the\n"
	    "                   same matrix) and measure nothing\n"
	    "\n"
	    "Ctrl-C stops after saving every finished cell (exit status 130);\n"
	    "running the same command again resumes with the missing cells.\n");
}

/* The flags that made or changed the matrix, as typed, for results.json */
struct typed {
	char **argv;
	int argc;
};

static void
typed_add(struct typed *t, const char *flag, const char *value)
{
	t->argv = xreallocarray(t->argv, (size_t)t->argc + 3, sizeof(char *));
	t->argv[t->argc++] = (char *)flag;
	if (value)
		t->argv[t->argc++] = (char *)value;
}

/* command_line's quoting, without its "ftmatrix " */
static char *
typed_text(const struct typed *t)
{
	char *line, *text;

	if (!t->argc)
		return NULL;
	line = command_line(t->argc, t->argv);
	text = xstrdup(line + strlen("ftmatrix "));
	free(line);
	return text;
}

/* The flags' own mistakes, named by flag rather than by a line of the
 * matrix they make */
static int
flags_check(const struct matrix_overrides *ov, int names_too)
{
	struct catalog cat;
	const char **names;
	long v;
	size_t i;
	int bad = 0, k;

	if (ov->repetitions && (parse_long(ov->repetitions, &v) < 0 || v < 1 ||
	                           v > 10000)) {
		error("--repetitions %s: expected a count from 1 to 10000",
		    ov->repetitions);
		bad = 1;
	}
	if (ov->samples &&
	    (parse_long(ov->samples, &v) < 0 || v < 1 || v > 100000)) {
		error("--samples %s: expected a count from 1 to 100000",
		    ov->samples);
		bad = 1;
	}
	if (ov->threads) {
		const char *p = ov->threads;

		while (*p && !bad) {
			size_t n = strcspn(p, ",");
			char *item = xstrndup(p, n);

			if (parse_long(item, &v) < 0 || v < 1 || v > 1024) {
				error("--threads %s: %s is not a thread count "
				      "from 1 to 1024 (give a list like 1,2,4)",
				    ov->threads, *item ? item : "an empty item");
				bad = 1;
			}
			free(item);
			p += n + (p[n] == ',');
		}
	}
	if (catalog_load_dirs(&cat, ov->workloads_dirs, ov->nworkloads_dirs) <
	    0)
		return -1;
	names = xcalloc(cat.n + 1, sizeof(*names));
	for (i = 0; i < cat.n; i++)
		names[i] = cat.items[i].name;
	for (i = 0; i < ov->nworkloads; i++) {
		const char *w = ov->workloads[i];
		size_t n = strlen(w);

		if (strchr(w, '/') || (n > 3 && !strcmp(w + n - 3, ".py"))) {
			if (!path_exists(w)) {
				error("-w %s: no such file", w);
				bad = 1;
			}
			continue;
		}
		if (!names_too || catalog_find(&cat, w))
			continue;
		k = name_suggest(w, names, cat.n);
		if (k >= 0)
			error("-w %s: unknown workload (did you mean %s?)", w,
			    names[k]);
		else
			error("-w %s: unknown workload (ftmatrix list shows "
			      "them; a file of yours is ./%s.py)",
			    w, w);
		bad = 1;
	}
	free(names);
	catalog_free(&cat);
	return bad ? -1 : 0;
}

static const char **
list_add(const char **list, size_t *n, const char *item)
{
	list = xreallocarray(list, *n + 1, sizeof(*list));
	list[(*n)++] = item;
	return list;
}

/* --print-matrix: the matrix run would measure, as YAML, on stdout */
static int
run_print_matrix(const char *matrix_path, const struct run_opts *opts)
{
	struct matrix_input mi = {.path = matrix_path,
	    .text = opts->matrix_text,
	    .workloads_dirs = opts->workloads_dirs,
	    .nworkloads_dirs = opts->nworkloads_dirs,
	    .overrides = opts->overrides_of};
	struct matrix m;
	int problems = matrix_open_input(&mi, &m);

	if (problems == 0)
		fputs(m.text, stdout);
	else
		fprintf(stderr, "ftmatrix: %s: %d problem%s\n", m.path,
		    problems, problems == 1 ? "" : "s");
	matrix_free(&m);
	return problems ? 1 : 0;
}

/* What run's command line says, gathered option by option. */
struct run_cli {
	struct run_opts opts;
	struct matrix_overrides ov;
	struct typed typed;
	const char **pythons, **workloads, **dirs;
	int print;
};

enum {
	O_PYTHON = 256,
	O_WORKLOADS,
	O_THREADS,
	O_REPETITIONS,
	O_SAMPLES,
	O_PRINT
};

static const char run_shortopts[] = "o:kqvw:h";
static const struct option run_longopts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "rebuild", no_argument, NULL, 'R' },
	{ "keep-going", no_argument, NULL, 'k' },
	{ "affinity", required_argument, NULL, 'A' },
	{ "strict", no_argument, NULL, 'S' },
	{ "retry-failed", no_argument, NULL, 'F' },
	{ "fast", no_argument, NULL, 'f' },
	{ "rigorous", no_argument, NULL, 'r' },
	{ "target-ci", required_argument, NULL, 'T' },
	{ "max-time", required_argument, NULL, 'M' },
	{ "trust-matrix", no_argument, NULL, 'U' },
	{ "shard", required_argument, NULL, 'D' },
	{ "shard-costs", required_argument, NULL, 'C' },
	{ "force", no_argument, NULL, 'Z' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "python", required_argument, NULL, O_PYTHON },
	{ "workload", required_argument, NULL, 'w' },
	{ "workloads", required_argument, NULL, O_WORKLOADS },
	{ "threads", required_argument, NULL, O_THREADS },
	{ "repetitions", required_argument, NULL, O_REPETITIONS },
	{ "samples", required_argument, NULL, O_SAMPLES },
	{ "print-matrix", no_argument, NULL, O_PRINT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* --fast, --rigorous, --target-ci and --max-time; -1 after the message
 * when a value is wrong. */
static int
run_cli_precision(struct run_cli *cli, int c, const char *arg)
{
	struct run_opts *opts = &cli->opts;

	switch (c) {
	case 'f':
	case 'r':
		if (opts->precision &&
		    opts->precision !=
		        (c == 'f' ? PRECISION_FAST : PRECISION_RIGOROUS)) {
			fprintf(stderr, "ftmatrix: --fast and --rigorous "
			                "contradict each other\n");
			return -1;
		}
		opts->precision = c == 'f' ? PRECISION_FAST : PRECISION_RIGOROUS;
		typed_add(&cli->typed, c == 'f' ? "--fast" : "--rigorous", NULL);
		return 0;
	case 'T':
		if (fraction_parse(arg, &opts->target_ci) < 0 ||
		    opts->target_ci <= 0) {
			fprintf(stderr,
			    "ftmatrix: --target-ci: expected a percentage such "
			    "as 3%% or a fraction such as 0.03, got \"%s\"\n",
			    arg);
			return -1;
		}
		typed_add(&cli->typed, "--target-ci", arg);
		return 0;
	default: /* 'M' */
		if (seconds_parse(arg, &opts->max_time_s) < 0 ||
		    opts->max_time_s <= 0) {
			fprintf(stderr,
			    "ftmatrix: --max-time: expected a number of "
			    "seconds, got \"%s\"\n",
			    arg);
			return -1;
		}
		typed_add(&cli->typed, "--max-time", arg);
		return 0;
	}
}

/* The flags that make or change the matrix: recorded as typed. */
static void
run_cli_matrix_flag(struct run_cli *cli, int c, const char *arg)
{
	struct matrix_overrides *ov = &cli->ov;

	switch (c) {
	case O_PYTHON:
		cli->pythons = list_add(cli->pythons, &ov->npythons, arg);
		typed_add(&cli->typed, "--python", arg);
		break;
	case 'w':
		cli->workloads = list_add(cli->workloads, &ov->nworkloads, arg);
		typed_add(&cli->typed, "-w", arg);
		break;
	case O_WORKLOADS:
		cli->dirs = list_add(cli->dirs, &ov->nworkloads_dirs, arg);
		typed_add(&cli->typed, "--workloads", arg);
		break;
	case O_THREADS:
		ov->threads = arg;
		typed_add(&cli->typed, "--threads", arg);
		break;
	case O_REPETITIONS:
		ov->repetitions = arg;
		typed_add(&cli->typed, "--repetitions", arg);
		break;
	default: /* O_SAMPLES */
		ov->samples = arg;
		typed_add(&cli->typed, "--samples", arg);
		break;
	}
}

/* One option other than --help; -1 after the message when its value is
 * wrong. */
static int
run_cli_option(struct run_cli *cli, int c, const char *arg)
{
	struct run_opts *opts = &cli->opts;
	struct cpus cpus;
	const char *why;

	switch (c) {
	case 'o':
		opts->outdir = arg;
		return 0;
	case 'R':
		opts->provision.rebuild = 1;
		return 0;
	case 'k':
		opts->provision.keep_going = 1;
		return 0;
	case 'A':
		if (cpus_parse(arg, &cpus, &why) < 0) {
			fprintf(stderr, "ftmatrix: --affinity %s: %s\n", arg, why);
			return -1;
		}
		opts->affinity = arg;
		return 0;
	case 'S':
		opts->strict = 1;
		return 0;
	case 'F':
		opts->retry_failed = 1;
		return 0;
	case 'f':
	case 'r':
	case 'T':
	case 'M':
		return run_cli_precision(cli, c, arg);
	case 'U':
		opts->provision.trust_matrix = 1;
		return 0;
	case 'D':
		if (shard_parse(arg, &opts->shard) < 0) {
			fprintf(stderr,
			    "ftmatrix: --shard %s: expected K/N with 1 <= K <= "
			    "N <= %d\n",
			    arg, SHARD_MAX);
			return -1;
		}
		return 0;
	case 'C':
		opts->shard_costs = arg;
		return 0;
	case 'Z':
		opts->force = 1;
		return 0;
	case 'q':
		opts->quiet = 1;
		return 0;
	case 'v':
		opts->verbose = opts->provision.verbose = 1;
		return 0;
	case O_PRINT:
		cli->print = 1;
		return 0;
	default:
		run_cli_matrix_flag(cli, c, arg);
		return 0;
	}
}

/* Where the matrix comes from: the file argv names (flags change it), or
 * the flags alone (*text is then the matrix they make). */
static int
run_cli_matrix(struct run_cli *cli, int argc, char **argv, int first,
    const char **matrix_path, char **text)
{
	struct matrix_overrides *ov = &cli->ov;

	if (cli->opts.shard_costs && !cli->opts.shard.count) {
		fprintf(stderr, "ftmatrix: --shard-costs needs --shard K/N\n");
		return -1;
	}
	ov->pythons = cli->pythons;
	ov->workloads = cli->workloads;
	ov->workloads_dirs = cli->dirs;
	/* with a file, its workloads_dir may hold a -w name: the parser
	 * checks those */
	if (flags_check(ov, first == argc) < 0)
		return -1;
	if (first < argc - 1) {
		fprintf(stderr, "ftmatrix run: one matrix at a time (got %s "
		                "and %s)\n", argv[first], argv[first + 1]);
		usage_synopsis("run", run_usage);
		return -1;
	}
	if (first == argc) {
		if (!ov->npythons || !ov->nworkloads) {
			fprintf(stderr,
			    "ftmatrix run: give a MATRIX file, or --python for "
			    "each interpreter and -w for each workload\n");
			usage_synopsis("run", run_usage);
			return -1;
		}
		*text = matrix_cli_text(ov);
		cli->opts.matrix_text = *text;
		*matrix_path = "command-line";
		return 0;
	}
	if (ov->npythons) {
		fprintf(stderr,
		    "ftmatrix run: --python makes a matrix without a file; "
		    "list the interpreters in %s instead\n",
		    argv[first]);
		return -1;
	}
	*matrix_path = argv[first];
	/* searched first, not written into the file's matrix */
	cli->opts.workloads_dirs = cli->dirs;
	cli->opts.nworkloads_dirs = ov->nworkloads_dirs;
	ov->nworkloads_dirs = 0;
	cli->opts.overrides_of = ov;
	return 0;
}

int
cmd_run(int argc, char **argv)
{
	struct run_cli cli = { 0 };
	const char *matrix_path;
	char *report = NULL, *command = NULL, *text = NULL, *overrides = NULL;
	int c, rc = 2;

	/* as typed: getopt_long reorders argv */
	command = command_line(argc, argv);
	while ((c = getopt_long(argc, argv, run_shortopts, run_longopts,
	            NULL)) != -1) {
		if (c == 'h') {
			run_usage(stdout);
			rc = 0;
			goto out;
		}
		if (c == '?') {
			rc = usage_bad_option(argv, run_shortopts, run_longopts,
			    run_usage);
			goto out;
		}
		if (run_cli_option(&cli, c, optarg) < 0)
			goto out;
	}
	if (run_cli_matrix(&cli, argc, argv, optind, &matrix_path, &text) < 0)
		goto out;
	overrides = typed_text(&cli.typed);
	cli.opts.overrides = overrides;
	if (cli.print) {
		rc = run_print_matrix(matrix_path, &cli.opts);
		goto out;
	}
	interrupt_install();
	cli.opts.command = command;
	rc = run_matrix(matrix_path, &cli.opts, &report);
	if (rc == 0) {
		if (!cli.opts.quiet)
			fprintf(stderr, "ftmatrix: report: ");
		printf("%s\n", report);
		free(report);
	}
out:
	free(command);
	free(text);
	free(overrides);
	free(cli.typed.argv);
	free(cli.pythons);
	free(cli.workloads);
	free(cli.dirs);
	return rc;
}
