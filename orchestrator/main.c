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
	    "download uv's release (checksum verified) into the cache" },
};

static void
usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: ftmatrix <command> [options]\n\ncommands:\n");
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(f, "  %-13s %s\n", commands[i].name, commands[i].summary);
	fprintf(f, "\n'ftmatrix <command> -h' shows a command's options.\n");
}

int
main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "version") == 0) {
		printf("ftmatrix %s\n", FTMATRIX_VERSION);
		return 0;
	}
	proc_signals_install();
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0)
			return commands[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "ftmatrix: unknown command \"%s\"\n", argv[1]);
	usage(stderr);
	return 2;
}
