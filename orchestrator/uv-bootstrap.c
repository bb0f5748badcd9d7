#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ftmatrix.h"

/*
 * uv from its PyPI wheel into the cache: the pinned wheel downloaded by pip
 * from the index pip is set up to use (as scripts/install-uv does), or a
 * wheel at a URL the user gives fetched over https (or from a file); either
 * is checked against a sha256 from the repository or the user (never one
 * from the server that serves it), unpacked, and asked its version before
 * it is used.
 */

#define UV_SELF_INSTALL                                                        \
	"install uv yourself: pipx install uv, or curl -LsSf "                 \
	"https://astral.sh/uv/install.sh | sh"

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

/* The pinned wheel as pip downloads it, from whatever index pip is set up
 * to use, moved to dest once its sha256 is want's. */
static int
pip_wheel(const struct uv_pin *pin, const char *dir, const char *dest,
    const char *want)
{
	char *tmp = xasprintf("%s/.pip.%ld", dir, (long)getpid());
	char *req = xasprintf("uv==%s", pin->version);
	char *got = path_join(tmp, pin->wheel);
	char *argv[] = {"python3", "-m", "pip", "download", "--quiet",
	    "--no-deps", "--only-binary=:all:", "--no-cache-dir", "-d", tmp,
	    req, NULL};
	char sum[65];
	int rc = -1;

	remove_tree(tmp);
	fprintf(stderr, "ftmatrix: pip downloads %s\n", pin->wheel);
	if (tool_run(argv, NULL) < 0) {
		error("pip could not download %s from the index it is set "
		      "up to use; give --url",
		    req);
		goto out;
	}
	if (!path_exists(got)) {
		error("pip did not download %s (the wheel scripts/uv-pin "
		      "pins, for x86_64 Linux); give --url",
		    pin->wheel);
	} else if (sha256_file(got, sum) < 0) {
		error("cannot read %s: %s", got, strerror(errno));
	} else if (strcmp(sum, want) != 0) {
		error("%s: checksum mismatch: expected sha256 %s, got %s",
		    pin->wheel, want, sum);
	} else if (rename(got, dest) < 0) {
		error("cannot move %s to %s: %s", got, dest, strerror(errno));
	} else {
		rc = 0;
	}
out:
	remove_tree(tmp);
	free(tmp);
	free(req);
	free(got);
	return rc;
}

int
uv_bootstrap(const char *url, const char *sha, int force, char **installed)
{
	const char *want;
	char *name = NULL, *version = NULL, *dir = NULL;
	char *exe = NULL, *wheel = NULL, *said = NULL;
	struct uv_pin pin;
	int rc = -1;

	*installed = NULL;
	if (uv_pin_read(&pin) < 0)
		return -1;
	if (!url || !*url) {
		url = NULL;
		name = xstrdup(pin.wheel);
	} else if (strncmp(url, "http://", 7) == 0) {
		error("%s: refusing plain http (the wheel could be replaced on "
		      "the way); give an https or file URL",
		    url);
		goto out;
	} else if (strncmp(url, "https://", 8) != 0 &&
	    strncmp(url, "file://", 7) != 0) {
		error("%s: not an https or file URL", url);
		goto out;
	} else {
		name = wheel_name(url);
	}
	if (!(version = wheel_version(name))) {
		error("%s: not a uv wheel (uv-VERSION-TAGS.whl)",
		    url ? url : name);
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
		*installed = exe;
		exe = NULL;
		rc = 0;
		goto out;
	}
	if (mkdir_p(dir) < 0)
		goto out;
	wheel = xasprintf("%s/.download.%ld.whl", dir, (long)getpid());
	unlink(wheel);
	if (!url) {
		if (pip_wheel(&pin, dir, wheel, want) < 0)
			goto failed;
	} else {
		fprintf(stderr, "ftmatrix: downloading %s\n", url);
		if (fetch_url_sha256(url, wheel, want) < 0)
			goto failed;
	}
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
	*installed = exe;
	exe = NULL;
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
	free(name);
	free(version);
	free(dir);
	free(exe);
	free(wheel);
	free(said);
	return rc;
}
