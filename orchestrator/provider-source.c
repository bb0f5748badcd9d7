#include <errno.h>
#include <fcntl.h>
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
	char *argv[] = { script, (char *)version, dest, NULL };
	struct proc_opts o = { .argv = argv, .capture_stdout = 1,
		.capture_stderr = 1, .timeout_s = 1800 };
	struct proc_result r;
	int rc = -1;

	if (proc_run(&o, &r) == 0) {
		if (r.exit_status == 0 && r.out.len > 0) {
			*path = xstrndup(buf_str(&r.out), strcspn(buf_str(&r.out), "\n"));
			rc = 0;
		} else {
			char *tail = text_tail(buf_str(&r.err), 5);

			error("cannot fetch CPython %s from Debian's source archive: %s",
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
	char *dir = path_join(cache_dir(), "tarballs");
	char *name = url_file_name(spec->source);
	char *dest = path_join(dir, name), sum[65];
	int rc = -1;

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

static char **
configure_argv(const struct interp_spec *spec, const char *prefix)
{
	size_t n = 0, i;
	char **argv = xcalloc(spec->nconfigure_args + 10, sizeof(*argv));

	argv[n++] = xstrdup("./configure");
	argv[n++] = xasprintf("--prefix=%s", prefix);
	argv[n++] = xstrdup("--enable-shared");
	if (spec->free_threaded == 1)
		argv[n++] = xstrdup("--disable-gil");
	if (spec->optimizations)
		argv[n++] = xstrdup("--enable-optimizations");
	if (spec->lto)
		argv[n++] = xstrdup("--with-lto");
	if (spec->jit)
		argv[n++] = xstrdup("--enable-experimental-jit");
	for (i = 0; i < spec->nconfigure_args; i++)
		argv[n++] = xstrdup(spec->configure_args[i]);
	/* the installed python finds its libpython without LD_LIBRARY_PATH */
	argv[n++] = xasprintf("LDFLAGS=-Wl,-rpath,%s/lib", prefix);
	return argv;
}

static void
argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv[i]; i++)
		free(argv[i]);
	free(argv);
}

static int
step(const char *what, char **argv, const char *cwd, const char *log)
{
	struct proc_opts o = { .argv = argv, .cwd = cwd, .log_path = log };
	struct proc_result r;
	int rc = -1;

	if (proc_run(&o, &r) < 0)
		return -1;
	if (r.exit_status == 0 && !r.interrupted) {
		rc = 0;
	} else {
		struct buf b = { 0 };
		char *why = proc_describe(&r), *tail;

		file_read(log, &b);
		tail = text_tail(buf_str(&b), 15);
		error("%s failed (%s); last lines of %s:\n%s", what, why, log, tail);
		free(why);
		free(tail);
		buf_free(&b);
	}
	proc_result_free(&r);
	return rc;
}

/* Builds in a scratch directory and installs with DESTDIR, then renames the
 * finished tree into place: a half-built interpreter is never in the cache. */
static int
build(const struct interp_spec *spec, const char *tarball, const char *prefix,
    const char *log)
{
	char *scratch = xasprintf("%s.tmp.%ld", prefix, (long)getpid());
	char *src = path_join(scratch, "src");
	char *dest = path_join(scratch, "dest");
	char *staged = xasprintf("%s%s", dest, prefix);
	char *jobs = xasprintf("-j%ld", sysconf(_SC_NPROCESSORS_ONLN));
	char *destvar = xasprintf("DESTDIR=%s", dest);
	char *tar[] = { "tar", "-xf", (char *)tarball, "-C", src,
		"--strip-components=1", "--no-same-owner", NULL };
	char *make[] = { "make", jobs, NULL };
	char *install[] = { "make", "install", destvar, NULL };
	char **conf = configure_argv(spec, prefix);
	int rc = -1;

	remove_tree(scratch);
	if (mkdir_p(src) < 0)
		goto out;
	unlink(log);
	if (step("unpacking", tar, NULL, log) < 0 ||
	    step("configure", conf, src, log) < 0 ||
	    step("make", make, src, log) < 0 ||
	    step("make install", install, src, log) < 0)
		goto out;
	if (rename(staged, prefix) < 0) {
		error("cannot move %s to %s: %s", staged, prefix, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	remove_tree(scratch);
	argv_free(conf);
	free(scratch);
	free(src);
	free(dest);
	free(staged);
	free(jobs);
	free(destvar);
	return rc;
}

static int
fingerprint(const struct interp_spec *spec, const char *tarball, char out[65])
{
	char sum[65];
	struct buf b = { 0 };
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
	conf = configure_argv(spec, "PREFIX");
	for (i = 0; conf[i]; i++)
		buf_printf(&b, "arg %s\n", conf[i]);
	argv_free(conf);
	buf_printf(&b, "cc %s\n", cc_version());
	sha256_hex(b.data, b.len, out);
	buf_free(&b);
	return 0;
}

static int
source_locate(const struct interp_spec *spec,
    const struct provision_opts *opts, char **python)
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
	/* two runs must not build the same interpreter at once */
	lockfd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (lockfd < 0 || flock(lockfd, LOCK_EX) < 0) {
		error("%s: %s", lock, strerror(errno));
		goto out;
	}
	if (opts->rebuild && remove_tree(prefix) < 0)
		goto out;
	if (!path_is_executable(exe)) {
		fprintf(stderr,
		    "ftmatrix: %s: building CPython from %s (%s); log: %s\n",
		    spec->id, tarball,
		    spec->free_threaded == 1 ? "free-threaded" : "with the GIL",
		    log);
		start = now_mono_s();
		if (build(spec, tarball, prefix, log) < 0)
			goto out;
		fprintf(stderr, "ftmatrix: %s: built in %.0f s\n", spec->id,
		    now_mono_s() - start);
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

const struct provider provider_source = { PROVIDER_SOURCE, source_locate };
