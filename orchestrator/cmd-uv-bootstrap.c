#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static const char usage_text[] =
    "usage: ftmatrix uv-bootstrap [--url URL] [--sha256 HEX] [--force]\n"
    "\n"
    "Downloads the uv pinned in scripts/uv-pin (its PyPI wheel, which\n"
    "carries the uv binary) with pip, from the index pip is set up to use,\n"
    "checks the wheel against the sha256 kept in scripts/uv-pin, never\n"
    "against one a server offers, and unpacks uv into the cache\n"
    "(tools/uv-VERSION/uv), where the uv provider finds it.\n"
    "  --url URL     another copy of a uv wheel (https or file URL; plain\n"
    "                http is refused); the pinned sha256 applies when it is\n"
    "                the pinned wheel, else --sha256 must be given\n"
    "  --sha256 HEX  the sha256 the wheel must have (pip's or --url's)\n"
    "  --force       download again even if that uv is already there\n";

static void
uv_bootstrap_usage(FILE *f)
{
	fputs(usage_text, f);
}

/* A sha256 as given by the user, lowercased; NULL when it is not one. */
static char *
sha256_arg(const char *s)
{
	char *h;
	size_t i;

	if (strlen(s) != 64 || strspn(s, "0123456789abcdefABCDEF") != 64)
		return NULL;
	h = xstrdup(s);
	for (i = 0; i < 64; i++)
		if (h[i] >= 'A' && h[i] <= 'F')
			h[i] += 'a' - 'A';
	return h;
}

int
cmd_uv_bootstrap(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"url", required_argument, NULL, 'u'},
	    {"sha256", required_argument, NULL, 's'},
	    {"force", no_argument, NULL, 'f'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char *url = getenv("FTMATRIX_UV_URL");
	char *sha = NULL, *exe;
	int force = 0, c, rc;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			force = 1;
			break;
		case 'u':
			url = optarg;
			break;
		case 's':
			free(sha);
			if (!(sha = sha256_arg(optarg))) {
				fprintf(stderr,
				    "ftmatrix: --sha256 %s: not a sha256 (64 "
				    "hex digits)\n",
				    optarg);
				return 2;
			}
			break;
		case 'h':
			free(sha);
			uv_bootstrap_usage(stdout);
			return 0;
		default:
			free(sha);
			return usage_bad_option(
			    argv, "h", longopts, uv_bootstrap_usage);
		}
	}
	if (optind != argc) {
		free(sha);
		fprintf(stderr,
		    "ftmatrix uv-bootstrap: unexpected argument %s\n",
		    argv[optind]);
		usage_synopsis("uv-bootstrap", uv_bootstrap_usage);
		return 2;
	}
	rc = uv_bootstrap(url, sha, force, &exe);
	free(sha);
	if (rc < 0)
		return 1;
	printf("%s\n", exe);
	free(exe);
	return 0;
}
