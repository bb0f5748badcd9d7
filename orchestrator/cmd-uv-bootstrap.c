#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ftmatrix.h"

#define UV_SELF_INSTALL                                                        \
	"install uv yourself: pipx install uv, or curl -LsSf "                 \
	"https://astral.sh/uv/install.sh | sh"

static const char usage_text[] =
    "usage: ftmatrix uv-bootstrap [--url URL [--sha256 HEX]] [--force]\n"
    "\n"
    "Downloads the uv pinned in scripts/uv-pin from PyPI (its wheel, which\n"
    "carries the uv binary), checks the wheel against the sha256 kept in\n"
    "scripts/uv-pin, never against one a server offers, and unpacks uv into\n"
    "the cache (tools/uv-VERSION/uv), where the uv provider finds it.\n"
    "  --url URL     another copy of a uv wheel (https or file URL; plain\n"
    "                http is refused); the pinned sha256 applies when it is\n"
    "                the pinned wheel, else --sha256 must be given\n"
    "  --sha256 HEX  the sha256 the wheel must have\n"
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

/* The wheel's file name, the last part of the URL's path. */
static char *
wheel_name(const char *url)
{
	size_t end = strcspn(url, "?#");
	const char *slash = url;
	size_t i;

	for (i = 0; i < end; i++)
		if (url[i] == '/')
			slash = url + i + 1;
	return xstrndup(slash, url + end - slash);
}

/* "0.13.9" of "uv-0.13.9-py3-none-manylinux_2_17_x86_64.whl". */
static char *
wheel_version(const char *name)
{
	size_t n;

	if (strncmp(name, "uv-", 3) != 0 || strlen(name) < 5 ||
	    strcmp(name + strlen(name) - 4, ".whl") != 0)
		return NULL;
	n = strcspn(name + 3, "-");
	if (n == 0 || strspn(name + 3, "0123456789.") != n ||
	    name[3 + n] != '-')
		return NULL;
	return xstrndup(name + 3, n);
}

static char *
uv_version_of(const char *uv)
{
	char *argv[] = {(char *)uv, "--version", NULL};
	struct proc_opts o = {.argv = argv,
	    .capture_stdout = 1,
	    .capture_stderr = 1,
	    .timeout_s = 30};
	struct proc_result r;
	char *v = NULL;

	if (proc_run(&o, &r) == 0 && r.exit_status == 0)
		v = xstrndup(buf_str(&r.out), strcspn(buf_str(&r.out), "\n"));
	proc_result_free(&r);
	return v;
}

/* Takes NAME (uv, uvx) out of the wheel into dir. */
static int
unpack(const char *wheel, const char *version, const char *dir,
    const char *name, int required)
{
	char *member = xasprintf("uv-%s.data/scripts/%s", version, name);
	char *tmp = xasprintf("%s/.unpack.%ld", dir, (long)getpid());
	char *from = path_join(tmp, member), *to = path_join(dir, name);
	char *argv[] = {
	    "unzip", "-q", "-o", (char *)wheel, member, "-d", tmp, NULL};
	struct proc_opts o = {.argv = argv,
	    .capture_stdout = 1,
	    .capture_stderr = 1,
	    .timeout_s = 300};
	struct proc_result r;
	int rc = -1;

	remove_tree(tmp);
	if (proc_run(&o, &r) < 0)
		goto out;
	if (r.exit_status != 0 || !path_exists(from)) {
		if (required) {
			char *tail = text_tail(buf_str(&r.err), 3);

			error("%s has no %s in it (unzip: %s)", wheel, member,
			    *tail ? tail : "not found");
			free(tail);
		}
	} else if (chmod(from, 0755) < 0 || rename(from, to) < 0) {
		error("cannot install %s: %s", to, strerror(errno));
	} else {
		rc = 0;
	}
	proc_result_free(&r);
out:
	remove_tree(tmp);
	free(member);
	free(tmp);
	free(from);
	free(to);
	return rc;
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
	const char *url = getenv("FTMATRIX_UV_URL"), *want;
	char *sha = NULL, *name = NULL, *version = NULL, *dir = NULL;
	char *exe = NULL, *wheel = NULL, *said = NULL;
	struct uv_pin pin;
	int force = 0, c, rc = 1;

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
	if (uv_pin_read(&pin) < 0) {
		free(sha);
		return 1;
	}
	if (!url || !*url)
		url = pin.url;
	if (strncmp(url, "http://", 7) == 0) {
		error("%s: refusing plain http (the wheel could be replaced on "
		      "the way); give an https or file URL",
		    url);
		goto out;
	}
	if (strncmp(url, "https://", 8) != 0 &&
	    strncmp(url, "file://", 7) != 0) {
		error("%s: not an https or file URL", url);
		goto out;
	}
	name = wheel_name(url);
	if (!(version = wheel_version(name))) {
		error("%s: not a uv wheel (uv-VERSION-TAGS.whl)", url);
		goto out;
	}
	/* the checksum comes from the repository or the user, never from the
	 * server that serves the wheel */
	if (sha) {
		want = sha;
	} else if (strcmp(name, pin.wheel) == 0) {
		want = pin.sha256;
	} else {
		error("%s: scripts/uv-pin has no sha256 for %s; give --sha256 "
		      "(one published next to the wheel would come from the "
		      "same server, so it is not used)",
		    url, name);
		goto out;
	}
	dir = uv_tools_dir(version);
	exe = path_join(dir, "uv");
	if (!force && path_is_executable(exe)) {
		fprintf(stderr,
		    "ftmatrix: uv %s is already there (--force fetches it "
		    "again)\n",
		    version);
		printf("%s\n", exe);
		rc = 0;
		goto out;
	}
	if (mkdir_p(dir) < 0)
		goto out;
	wheel = xasprintf("%s/.download.%ld.whl", dir, (long)getpid());
	unlink(wheel);
	fprintf(stderr, "ftmatrix: downloading %s\n", url);
	if (fetch_url_sha256(url, wheel, want) < 0)
		goto failed;
	fprintf(stderr, "ftmatrix: sha256 %s matches %s\n", want,
	    sha ? "--sha256" : "scripts/uv-pin");
	if (unpack(wheel, version, dir, "uv", 1) < 0)
		goto failed;
	unpack(wheel, version, dir, "uvx", 0);
	said = uv_version_of(exe);
	if (!said || strncmp(said, "uv ", 3) != 0 ||
	    strncmp(said + 3, version, strlen(version)) != 0 ||
	    said[3 + strlen(version)] != ' ') {
		error("%s does not say it is uv %s (it says: %s)", exe, version,
		    said ? said : "nothing");
		unlink(exe);
		goto failed;
	}
	fprintf(stderr, "ftmatrix: installed %s as %s%s\n", said, exe,
	    strcmp(version, pin.version) == 0
	        ? "; the uv provider uses it when uv is not on PATH"
	        : "; it is not the pinned uv: FTMATRIX_UV=that path uses it");
	printf("%s\n", exe);
	rc = 0;
	goto out;
failed:
	error("uv-bootstrap failed; nothing was installed; " UV_SELF_INSTALL);
out:
	if (wheel) {
		char *part = xasprintf("%s.part", wheel);

		unlink(wheel);
		unlink(part);
		free(part);
	}
	uv_pin_free(&pin);
	free(sha);
	free(name);
	free(version);
	free(dir);
	free(exe);
	free(wheel);
	free(said);
	return rc;
}
