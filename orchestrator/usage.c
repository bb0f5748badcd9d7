/* What a command says about a bad command line: the error, the usage
 * synopsis and where the rest is, not the whole help. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

void
usage_synopsis(const char *cmd, void (*usage)(FILE *))
{
	char *text = NULL, *end;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	if (f) {
		usage(f);
		fclose(f);
	}
	if (text) {
		end = strstr(text, "\n\n");
		if (end)
			end[1] = '\0';
		fputs(text, stderr);
		if (!end && len && text[len - 1] != '\n')
			fputc('\n', stderr);
	}
	free(text);
	fprintf(stderr, "See 'ftmatrix help %s'.\n", cmd);
}

int
usage_bad_option(char **argv, const char *shortopts,
    const struct option *longopts, void (*usage)(FILE *))
{
	const char *cmd = argv[0], *arg = optind > 0 ? argv[optind - 1] : "";
	const char **names;
	char *word;
	size_t n = 0, i;
	int k;

	if (arg && strncmp(arg, "--", 2) == 0) {
		word = xstrndup(arg + 2, strcspn(arg + 2, "="));
		for (n = 0; longopts[n].name; n++)
			;
		names = xcalloc(n + 1, sizeof(*names));
		for (i = 0; i < n; i++)
			names[i] = longopts[i].name;
		if (name_index_exact(word, names, n) >= 0)
			fprintf(stderr,
			    "ftmatrix %s: option --%s needs a value\n", cmd,
			    word);
		else if ((k = name_suggest(word, names, n)) >= 0)
			fprintf(stderr,
			    "ftmatrix %s: unknown option --%s (did you mean "
			    "--%s?)\n",
			    cmd, word, names[k]);
		else
			fprintf(stderr, "ftmatrix %s: unknown option --%s\n",
			    cmd, word);
		free(names);
		free(word);
	} else if (optopt > 0 && optopt < 128 && strchr(shortopts, optopt))
		fprintf(stderr, "ftmatrix %s: option -%c needs a value\n", cmd,
		    optopt);
	else if (optopt > 0 && optopt < 128)
		fprintf(
		    stderr, "ftmatrix %s: unknown option -%c\n", cmd, optopt);
	else
		fprintf(stderr, "ftmatrix %s: unknown option %s\n", cmd, arg);
	usage_synopsis(cmd, usage);
	return 2;
}
