#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
} commands[] = {
	{ "run", cmd_run, "measure a matrix and write results and a report" },
	{ "report", cmd_report, "render a report from a results file" },
	{ "show", cmd_show,
	    "print a results file's summary table in the terminal" },
	{ "compare", cmd_compare,
	    "compare the same workloads across result files" },
	{ "merge", cmd_merge, "join the results of shards into one report" },
	{ "interpreters", cmd_interpreters,
	    "provision a matrix's interpreters and show their identities" },
	{ "validate", cmd_validate, "check a matrix without running it" },
	{ "publish", cmd_publish,
	    "POST a results file to a server (token from the environment)" },
	{ "list", cmd_list, "list the workload catalog" },
	{ "doctor", cmd_doctor,
	    "check the toolchain, uv and the machine, and say what to fix" },
	{ "uv-bootstrap", cmd_uv_bootstrap,
	    "install the pinned uv from PyPI (sha256 checked) into the cache" },
	{ "uv-mirror", cmd_uv_mirror,
	    "pack interpreters built here as an offline uv mirror" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: ftmatrix <command> [options]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'ftmatrix help <command>' shows a command's options;\n"
	           "'man ftmatrix' says more.\n");
}

static int
command_index(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(name, commands[i].name) == 0)
			return (int)i;
	return -1;
}

/* "unknown command", with the one it likely was */
static int
unknown_command(const char *name)
{
	const char *names[sizeof(commands) / sizeof(commands[0])];
	size_t i;
	int k;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		names[i] = commands[i].name;
	k = name_suggest(name, names, i);
	if (k >= 0)
		fprintf(stderr,
		    "ftmatrix: unknown command \"%s\" (did you mean \"%s\"?)\n",
		    name, names[k]);
	else
		fprintf(stderr, "ftmatrix: unknown command \"%s\"\n", name);
	fprintf(stderr, "usage: ftmatrix <command> [options]\n"
	                "See 'ftmatrix help' for the commands.\n");
	return 2;
}

/* `ftmatrix help CMD` is `ftmatrix CMD --help` */
static int
help(int argc, char **argv)
{
	char *args[] = {NULL, "--help", NULL};
	int k;

	if (argc < 3) {
		usage(stdout);
		return 0;
	}
	if ((k = command_index(argv[2])) < 0)
		return unknown_command(argv[2]);
	args[0] = argv[2];
	return commands[k].fn(2, args);
}

int
main(int argc, char **argv)
{
	int k;

	/* usage_bad_option says what was wrong, once */
	opterr = 0;
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0)
		return help(argc, argv);
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("ftmatrix %s\n", FTMATRIX_VERSION);
		return 0;
	}
	proc_signals_install();
	if ((k = command_index(argv[1])) >= 0)
		return commands[k].fn(argc - 1, argv + 1);
	return unknown_command(argv[1]);
}
