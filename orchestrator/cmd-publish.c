#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "ftmatrix.h"

#define TOKEN_ENV_DEFAULT "FTMATRIX_TOKEN"

static void
publish_usage(FILE *f)
{
	fprintf(f,
	    "usage: ftmatrix publish RESULTS.json URL [--token-env NAME]\n"
	    "                        [--retries N] [--partial]\n"
	    "\n"
	    "POSTs a results file as JSON to URL (http or https). The bearer\n"
	    "token is read from an environment variable, never from the\n"
	    "command line, where every user of the machine could see it.\n"
	    "\n"
	    "  --token-env NAME  the variable holding the token (default "
	    "%s;\n"
	    "                    unset: no Authorization header)\n"
	    "  --retries N       tries again after connection failures, "
	    "timeouts,\n"
	    "                    408, 429 and 5xx, N times (default 3)\n"
	    "  --partial         publish the results of an unfinished run\n"
	    "\n"
	    "Prints the Location the server answers with, if any. "
	    "$FTMATRIX_FETCH_TIMEOUT\n"
	    "bounds each attempt (seconds, default 60).\n",
	    TOKEN_ENV_DEFAULT);
}

int
cmd_publish(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"token-env", required_argument, NULL, 'e'},
	    {"retries", required_argument, NULL, 'r'},
	    {"partial", no_argument, NULL, 'p'},
	    {"token", required_argument, NULL, 'T'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	struct publish_request pr = {.token_env = TOKEN_ENV_DEFAULT,
	    .retries = 3};
	const char *url;
	long retries;
	int c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			pr.token_env = optarg;
			pr.token_env_given = 1;
			break;
		case 'r':
			if (parse_long(optarg, &retries) < 0 || retries < 0 ||
			    retries > 10) {
				error("--retries: expected 0 to 10, not \"%s\"",
				    optarg);
				return 2;
			}
			pr.retries = (int)retries;
			break;
		case 'p':
			pr.partial = 1;
			break;
		case 'T':
			error("--token is not accepted: a token on the command "
			      "line is visible to every user of the machine; "
			      "put it in $%s (or name another variable with "
			      "--token-env)",
			    TOKEN_ENV_DEFAULT);
			return 2;
		case 'h':
			publish_usage(stdout);
			return 0;
		default:
			return usage_bad_option(
			    argv, "h", longopts, publish_usage);
		}
	}
	if (optind != argc - 2) {
		publish_usage(stderr);
		return 2;
	}
	url = argv[optind + 1];
	if (!url_is_http(url)) {
		char *u = url_display(url);

		error("%s: not an http or https URL", u);
		free(u);
		return 2;
	}
	pr.path = argv[optind];
	pr.url = url;
	return publish_file(&pr) < 0 ? 1 : 0;
}
