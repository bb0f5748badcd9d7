#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "ftmatrix.h"

#define UV_SELF_INSTALL                                                        \
	"install uv yourself: curl -LsSf https://astral.sh/uv/install.sh | "   \
	"sh, "                                                                 \
	"or pipx install uv"
#define UV_RELEASE_URL                                                         \
	"https://github.com/astral-sh/uv/releases/latest/download/"            \
	"uv-%s.tar.gz"

static const char usage_text[] =
    "usage: ftmatrix uv-bootstrap [--url URL] [--force]\n"
    "\n"
    "Downloads uv's release archive for this machine, checks it against the\n"
    "sha256 published next to it (URL.sha256), and unpacks uv into the\n"
    "cache; the uv provider uses it when uv is not on PATH.\n"
    "  --url URL   the archive (default $FTMATRIX_UV_URL, else uv's latest\n"
    "              GitHub release for this platform)\n"
    "  --force     download again even if uv is already there\n";

/* uv's name for this platform, as in its release archives. */
static char *
uv_target(void)
{
	static const struct {
		const char *machine, *arch;
	} arches[] = {
	    {"x86_64", "x86_64"},
	    {"aarch64", "aarch64"},
	    {"arm64", "aarch64"},
	    {"i686", "i686"},
	    {"i386", "i686"},
	    {"ppc64le", "powerpc64le"},
	    {"s390x", "s390x"},
	    {"riscv64", "riscv64gc"},
	};
	struct utsname u;
	char libc[64];
	size_t i;
	int gnu;

	if (uname(&u) < 0)
		return NULL;
	gnu = confstr(_CS_GNU_LIBC_VERSION, libc, sizeof(libc)) > 0;
	if (strncmp(u.machine, "armv7", 5) == 0)
		return xstrdup(gnu ? "armv7-unknown-linux-gnueabihf"
		                   : "armv7-unknown-linux-musleabihf");
	for (i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
		if (strcmp(u.machine, arches[i].machine) == 0)
			return xasprintf("%s-unknown-linux-%s", arches[i].arch,
			    gnu ? "gnu" : "musl");
	error("uv publishes no release for %s; " UV_SELF_INSTALL, u.machine);
	return NULL;
}

/* The hex digest at the start of a ".sha256" file ("HEX *name"). */
static int
parse_sha256(const char *text, char out[65])
{
	size_t n;

	text += strspn(text, " \t\r\n");
	n = strspn(text, "0123456789abcdefABCDEF");
	if (n != 64)
		return -1;
	memcpy(out, text, 64);
	out[64] = '\0';
	for (n = 0; n < 64; n++)
		if (out[n] >= 'A' && out[n] <= 'F')
			out[n] += 'a' - 'A';
	return 0;
}

/* Finds "uv" in the unpacked tree: at its top or one directory down
 * (uv-<target>/uv, as the releases have it). */
static char *
find_unpacked(const char *dir, const char *name)
{
	char *p = path_join(dir, name);
	struct dirent *e;
	DIR *d;

	if (path_is_executable(p))
		return p;
	free(p);
	if (!(d = opendir(dir)))
		return NULL;
	p = NULL;
	while (!p && (e = readdir(d))) {
		char *sub, *cand;

		if (e->d_name[0] == '.')
			continue;
		sub = path_join(dir, e->d_name);
		cand = path_join(sub, name);
		if (path_is_executable(cand))
			p = cand;
		else
			free(cand);
		free(sub);
	}
	closedir(d);
	return p;
}

static int
unpack(const char *archive, const char *into)
{
	char *argv[] = {"tar", "-xzf", (char *)archive, "-C", (char *)into,
	    "--no-same-owner", NULL};
	struct proc_opts o = {
	    .argv = argv, .capture_stderr = 1, .timeout_s = 300};
	struct proc_result r;
	int rc = -1;

	if (proc_run(&o, &r) < 0)
		return -1;
	if (r.exit_status == 0) {
		rc = 0;
	} else {
		char *tail = text_tail(buf_str(&r.err), 5);

		error("cannot unpack %s: %s", archive, tail);
		free(tail);
	}
	proc_result_free(&r);
	return rc;
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

/* Downloads, verifies and installs uv (and uvx when the archive has it)
 * into dir; *exe is the installed uv. */
static int
bootstrap(const char *url, const char *dir, char **exe)
{
	char *sums_url = xasprintf("%s.sha256", url), want[65];
	char *archive = path_join(dir, "uv-download.tar.gz");
	char *tmp = xasprintf("%s/unpack.%ld", dir, (long)getpid());
	char *found = NULL, *found_uvx = NULL, *uvx = NULL;
	struct buf sums = {0};
	int rc = -1;

	*exe = path_join(dir, "uv");
	if (fetch_text(sums_url, 4096, &sums) < 0) {
		error("cannot get uv's published checksum %s; nothing was "
		      "installed",
		    sums_url);
		goto out;
	}
	if (parse_sha256(buf_str(&sums), want) < 0) {
		error("%s does not start with a sha256 digest", sums_url);
		goto out;
	}
	/* a stale complete archive from an earlier run must not be reused */
	unlink(archive);
	fprintf(stderr, "ftmatrix: downloading %s\n", url);
	if (fetch_url_sha256(url, archive, want) < 0)
		goto out;
	fprintf(stderr, "ftmatrix: sha256 %s matches %s\n", want, sums_url);
	remove_tree(tmp);
	if (mkdir_p(tmp) < 0 || unpack(archive, tmp) < 0)
		goto out;
	if (!(found = find_unpacked(tmp, "uv"))) {
		error("%s has no uv executable in it", url);
		goto out;
	}
	if (rename(found, *exe) < 0) {
		error("cannot install %s: %s", *exe, strerror(errno));
		goto out;
	}
	chmod(*exe, 0755);
	if ((found_uvx = find_unpacked(tmp, "uvx"))) {
		uvx = path_join(dir, "uvx");
		if (rename(found_uvx, uvx) < 0)
			warn("cannot install %s: %s", uvx, strerror(errno));
	}
	rc = 0;
out:
	unlink(archive);
	remove_tree(tmp);
	buf_free(&sums);
	free(sums_url);
	free(archive);
	free(tmp);
	free(found);
	free(found_uvx);
	free(uvx);
	return rc;
}

int
cmd_uv_bootstrap(int argc, char **argv)
{
	const char *url = getenv("FTMATRIX_UV_URL");
	char *dir, *exe = NULL, *target = NULL, *owned_url = NULL, *version;
	int force = 0, i, rc = 1;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0) {
			force = 1;
		} else if (strcmp(argv[i], "--url") == 0 && i + 1 < argc) {
			url = argv[++i];
		} else if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			fputs(usage_text, stdout);
			return 0;
		} else {
			fputs(usage_text, stderr);
			return 2;
		}
	}
	dir = path_join(cache_dir(), "uv");
	exe = path_join(dir, "uv");
	if (!force && path_is_executable(exe)) {
		fprintf(stderr,
		    "ftmatrix: uv is already there (--force fetches "
		    "it again)\n");
		printf("%s\n", exe);
		rc = 0;
		goto out;
	}
	free(exe);
	exe = NULL;
	if (!url || !*url) {
		if (!(target = uv_target()))
			goto out;
		url = owned_url = xasprintf(UV_RELEASE_URL, target);
	}
	if (!url_is_remote(url)) {
		error("%s: not an http, https or file URL", url);
		goto out;
	}
	if (mkdir_p(dir) < 0 || bootstrap(url, dir, &exe) < 0) {
		error("uv-bootstrap failed; " UV_SELF_INSTALL);
		goto out;
	}
	version = uv_version_of(exe);
	if (!version) {
		error("%s was installed but does not run (%s --version failed)",
		    exe, exe);
		unlink(exe);
		goto out;
	}
	fprintf(stderr,
	    "ftmatrix: installed %s; the uv provider uses it when uv is not on "
	    "PATH (to use it yourself: export PATH=\"%s:$PATH\")\n",
	    version, dir);
	free(version);
	printf("%s\n", exe);
	rc = 0;
out:
	free(dir);
	free(exe);
	free(target);
	free(owned_url);
	return rc;
}
