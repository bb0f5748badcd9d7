#include <errno.h>
#include <fcntl.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "ftmatrix.h"

/* A pristine tarball from Debian's source archive, through the project's
 * script, which reads the archive's address from the system's apt sources. */
static int
tarball_debian(const char *version, char **path)
{
	char *script = path_join(data_dir(), "scripts/debian-cpython-tarball");
	char *dest = path_join(cache_dir(), "tarballs");
	char *argv[] = {script, (char *)version, dest, NULL};
	struct proc_opts o = {.argv = argv,
	    .capture_stdout = 1,
	    .capture_stderr = 1,
	    .timeout_s = 1800};
	struct proc_result r;
	int rc = -1;

	if (proc_run(&o, &r) == 0) {
		if (r.exit_status == 0 && r.out.len > 0) {
			*path = xstrndup(
			    buf_str(&r.out), strcspn(buf_str(&r.out), "\n"));
			rc = 0;
		} else {
			char *tail = text_tail(buf_str(&r.err), 5);

			error("cannot fetch CPython %s from Debian's source "
			      "archive: %s",
			    version, tail);
			free(tail);
		}
	}
	proc_result_free(&r);
	free(script);
	free(dest);
	return rc;
}

/* The file name a URL is cached under: its last path segment, without a
 * query or fragment. */
static char *
url_file_name(const char *url)
{
	const char *end = url + strcspn(url, "?#"), *base = end;

	while (base > url && base[-1] != '/')
		base--;
	if (base == end || base[-1] != '/' || base - url < 9)
		return xstrdup("cpython.tar");
	return xstrndup(base, end - base);
}

/* Downloads into the tarball cache; one already there is used when it has
 * the sha256 the matrix asks for (or the matrix gives none). */
static int
tarball_download(const struct interp_spec *spec, char **path)
{
	char url_sum[65], *dir, *name = url_file_name(spec->source);
	char *dest, sum[65];
	int rc = -1;

	/* one directory per URL: two mirrors' files of the same name never
	 * stand in for each other */
	sha256_hex(spec->source, strlen(spec->source), url_sum);
	dir = xasprintf("%s/tarballs/url-%.16s", cache_dir(), url_sum);
	dest = path_join(dir, name);

	if (path_exists(dest) && spec->sha256 && sha256_file(dest, sum) == 0 &&
	    strcasecmp(sum, spec->sha256) != 0) {
		warn("%s: cached %s has sha256 %s, the matrix expects %s; "
		     "deleted, downloading it again",
		    spec->id, dest, sum, spec->sha256);
		unlink(dest);
	}
	if (!path_exists(dest)) {
		if (mkdir_p(dir) < 0)
			goto out;
		fprintf(stderr, "ftmatrix: %s: downloading %s\n", spec->id,
		    spec->source);
		if (fetch_url_sha256(spec->source, dest, spec->sha256) < 0) {
			error("%s: cannot get the CPython tarball", spec->id);
			goto out;
		}
		if (!spec->sha256 && sha256_file(dest, sum) == 0)
			warn(
			    "%s: the matrix gives no sha256 for %s, so the "
			    "download "
			    "was not verified; to pin what was downloaded, add "
			    "sha256: \"%s\"",
			    spec->id, spec->source, sum);
	}
	*path = dest;
	dest = NULL;
	rc = 0;
out:
	free(dir);
	free(name);
	free(dest);
	return rc;
}

int
source_tarball(const struct interp_spec *spec, char **path)
{
	const char *src = spec->source;

	if (strncmp(src, "debian:", 7) == 0)
		return tarball_debian(src + 7, path);
	if (url_is_remote(src))
		return tarball_download(spec, path);
	if (!path_exists(src)) {
		error("%s: no such tarball: %s", spec->id, src);
		return -1;
	}
	*path = xstrdup(src);
	return 0;
}

static int
fingerprint(const struct interp_spec *spec, const char *tarball, char out[65])
{
	char sum[65];
	struct buf b = {0};
	char **conf;
	size_t i;

	if (sha256_file(tarball, sum) < 0)
		return -1;
	if (spec->sha256 && strcasecmp(spec->sha256, sum) != 0) {
		error("%s: %s has sha256 %s, the matrix expects %s", spec->id,
		    tarball, sum, spec->sha256);
		return -1;
	}
	buf_printf(&b, "tarball %s\n", sum);
	conf = source_configure_argv(spec, "PREFIX");
	for (i = 0; conf[i]; i++)
		buf_printf(&b, "arg %s\n", conf[i]);
	argv_free(conf);
	buf_printf(&b, "cc %s\n", cc_version());
	sha256_hex(b.data, b.len, out);
	buf_free(&b);
	return 0;
}

/* Takes the build lock of one cache entry, saying so when another
 * ftmatrix holds it (it is building the same interpreter: wait, then use
 * what it built). */
static int
lock_take(const struct interp_spec *spec, const char *path)
{
	int fd = lock_file_open(path, O_RDWR);

	if (fd < 0)
		return -1;
	if (flock(fd, LOCK_EX | LOCK_NB) == 0)
		return fd;
	if (errno == EWOULDBLOCK) {
		fprintf(stderr,
		    "ftmatrix: %s: waiting for another ftmatrix that is "
		    "building "
		    "the same interpreter (lock: %s)\n",
		    spec->id, path);
		while (flock(fd, LOCK_EX) < 0 && errno == EINTR && !interrupted)
			;
		if (!interrupted && flock(fd, LOCK_EX | LOCK_NB) == 0)
			return fd;
	}
	error("%s: cannot lock %s: %s", spec->id, path,
	    interrupted ? "interrupted" : strerror(errno));
	close(fd);
	return -1;
}

/* Scratch directories of builds that died (a crash, a power cut): with the
 * lock held, nobody else is building there. */
static void
scratch_clean(const char *prefix)
{
	char *pattern = xasprintf("%s.tmp.*", prefix);
	glob_t g;
	size_t i;

	if (glob(pattern, 0, NULL, &g) == 0) {
		for (i = 0; i < g.gl_pathc; i++)
			remove_tree(g.gl_pathv[i]);
		globfree(&g);
	}
	free(pattern);
}

/* --rebuild rebuilds each cache entry once per process, even when two
 * entries of the matrix share it. */
static int
rebuilt_already(const char *prefix)
{
	static char **done;
	static size_t n;
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(done[i], prefix) == 0)
			return 1;
	done = xreallocarray(done, n + 1, sizeof(*done));
	done[n++] = xstrdup(prefix);
	return 0;
}

static int
source_locate(const struct interp_spec *spec, const struct provision_opts *opts,
    char **python, char **origin)
{
	char fp[65], *tarball = NULL, *dir = NULL, *prefix = NULL, *exe = NULL;
	char *lock = NULL, *log = NULL;
	int lockfd = -1, rc = -1;
	double start;

	if (source_tarball(spec, &tarball) < 0 ||
	    fingerprint(spec, tarball, fp) < 0)
		goto out;
	dir = path_join(cache_dir(), "builds");
	if (mkdir_p(dir) < 0)
		goto out;
	prefix = xasprintf("%s/%.16s", dir, fp);
	exe = xasprintf("%s/bin/python3", prefix);
	lock = xasprintf("%s.lock", prefix);
	log = xasprintf("%s.log", prefix);
	if ((lockfd = lock_take(spec, lock)) < 0)
		goto out;
	scratch_clean(prefix);
	if (opts->rebuild && !rebuilt_already(prefix)) {
		fprintf(stderr, "ftmatrix: %s: --rebuild: removing %s\n",
		    spec->id, prefix);
		if (remove_tree(prefix) < 0)
			goto out;
	}
	if (!path_is_executable(exe)) {
		fprintf(stderr,
		    "ftmatrix: %s: building CPython from %s (%s) into %s\n",
		    spec->id, tarball,
		    spec->free_threaded == 1 ? "free-threaded" : "with the GIL",
		    prefix);
		start = now_mono_s();
		if (source_build(spec, tarball, prefix, log) < 0)
			goto out;
		fprintf(stderr, "ftmatrix: %s: built in %.0f s; log: %s\n",
		    spec->id, now_mono_s() - start, log);
	}
	if (!path_is_executable(exe)) {
		error("%s: the build installed no %s; the log is %s", spec->id,
		    exe, log);
		goto out;
	}
	*python = exe;
	exe = NULL;
	rc = 0;
out:
	if (lockfd >= 0)
		close(lockfd);
	free(tarball);
	free(dir);
	free(prefix);
	free(exe);
	free(lock);
	free(log);
	return rc;
}

const struct provider provider_source = {PROVIDER_SOURCE, source_locate};
