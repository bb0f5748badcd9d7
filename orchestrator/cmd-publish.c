#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* The token, checked; NULL and *bad set when it cannot be sent. */
static const char *
token_get(const char *env, int explicit, int *bad)
{
	const char *t = getenv(env), *p;

	*bad = 0;
	if (!t || !*t) {
		if (explicit) {
			error("--token-env %s: the variable is not set", env);
			*bad = 1;
		}
		return NULL;
	}
	for (p = t; *p; p++)
		if (*p < 0x21 || *p > 0x7e) {
			error("the token in $%s has a space or a character "
			      "that cannot go in an HTTP header",
			    env);
			*bad = 1;
			return NULL;
		}
	return t;
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
	const char *env = TOKEN_ENV_DEFAULT, *path, *url;
	struct publish_opts po = {.retries = 3};
	struct resultset rs = {0};
	struct buf text = {0};
	char key[65], *location = NULL, *shown = NULL;
	int c, explicit = 0, partial = 0, bad, rc = 1;
	long retries, status = 0;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			env = optarg;
			explicit = 1;
			break;
		case 'r':
			if (parse_long(optarg, &retries) < 0 || retries < 0 ||
			    retries > 10) {
				error("--retries: expected 0 to 10, not \"%s\"",
				    optarg);
				return 2;
			}
			po.retries = (int)retries;
			break;
		case 'p':
			partial = 1;
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
	path = argv[optind];
	url = argv[optind + 1];
	if (!url_is_http(url)) {
		char *u = url_display(url);

		error("%s: not an http or https URL", u);
		free(u);
		return 2;
	}
	po.token = token_get(env, explicit, &bad);
	if (bad)
		return 1;
	/* nothing we start ever sees it */
	proc_env_hide(env);
	shown = url_display(url);
	if (po.token && url_is_plain_http(url) && !url_is_loopback(url)) {
		error("refusing to send the token in $%s over plain http to "
		      "%s; use https",
		    env, shown);
		goto out;
	}
	/* what is sent is the file as it is, once it reads as results */
	if (results_load(path, &rs) < 0)
		goto out;
	if (!rs.complete && !partial) {
		error("%s is the results of an unfinished run; finish it "
		      "with ftmatrix run, or publish it anyway with --partial",
		    path);
		goto out;
	}
	if (file_read(path, &text) < 0)
		goto out;
	sha256_hex(buf_str(&text), text.len, key);
	po.idempotency_key = key;
	if (publish_json(
	        url, buf_str(&text), text.len, &po, &status, &location) < 0) {
		if ((status == 401 || status == 403) && po.token)
			error("the server refused the token in $%s", env);
		else if (status == 401 || status == 403)
			error("the server wants a token: put it in $%s (or "
			      "name another variable with --token-env)",
			    env);
		goto out;
	}
	fprintf(stderr, "ftmatrix: published %s (%zu cells) to %s: HTTP %ld\n",
	    path, rs.ncells, shown, status);
	if (location) {
		char *safe = term_safe(location); /* the server's text */

		printf("%s\n", safe);
		free(safe);
	}
	rc = 0;
out:
	results_free(&rs);
	buf_free(&text);
	free(location);
	free(shown);
	return rc;
}
