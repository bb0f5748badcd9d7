#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"

static int
has_arg(const struct interp_spec *spec, const char *arg)
{
	size_t i;

	for (i = 0; i < spec->nconfigure_args; i++)
		if (strcmp(spec->configure_args[i], arg) == 0)
			return 1;
	return 0;
}

/* The flag a matrix setting adds, unless "configure" already has it. */
static void
add_flag(char **argv, size_t *n, const struct interp_spec *spec, int on,
    const char *flag)
{
	if (on && !has_arg(spec, flag))
		argv[(*n)++] = xstrdup(flag);
}

char **
source_configure_argv(const struct interp_spec *spec, const char *prefix)
{
	size_t n = 0, i;
	char **argv = xcalloc(spec->nconfigure_args + 10, sizeof(*argv));

	argv[n++] = xstrdup("./configure");
	argv[n++] = xasprintf("--prefix=%s", prefix);
	add_flag(argv, &n, spec, 1, "--enable-shared");
	add_flag(argv, &n, spec, spec->free_threaded == 1, "--disable-gil");
	add_flag(argv, &n, spec, spec->optimizations, "--enable-optimizations");
	add_flag(argv, &n, spec, spec->lto, "--with-lto");
	add_flag(argv, &n, spec, spec->jit, "--enable-experimental-jit");
	for (i = 0; i < spec->nconfigure_args; i++)
		argv[n++] = xstrdup(spec->configure_args[i]);
	/* the installed python finds its libpython without LD_LIBRARY_PATH */
	argv[n++] = xasprintf("LDFLAGS=-Wl,-rpath,%s/lib", prefix);
	return argv;
}

void
argv_free(char **argv)
{
	size_t i;

	for (i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* Runs one build step with its output appended to the log; a failure is
 * reported with the log's last lines, which is where make says why. */
static int
step(const char *id, const char *what, char **argv, const char *cwd,
    const char *log)
{
	struct proc_opts o = {.argv = argv, .cwd = cwd, .log_path = log};
	struct proc_result r;
	int rc = -1;

	fprintf(stderr, "ftmatrix: %s: %s\n", id, what);
	if (proc_run(&o, &r) < 0)
		return -1;
	if (r.exit_status == 0 && !r.interrupted) {
		rc = 0;
	} else if (r.interrupted) {
		error("%s: %s interrupted; the next run builds it again", id,
		    what);
	} else {
		struct buf b = {0};
		char *why = proc_describe(&r), *tail;

		file_read(log, &b);
		tail = text_tail(buf_str(&b), SOURCE_LOG_TAIL);
		error("%s: %s failed (%s); the whole log is %s; its last "
		      "lines:\n%s",
		    id, what, why, log, tail);
		free(why);
		free(tail);
		buf_free(&b);
	}
	proc_result_free(&r);
	return rc;
}

int
source_build(const struct interp_spec *spec, const char *tarball,
    const char *prefix, const char *log)
{
	char *scratch = xasprintf("%s.tmp.%ld", prefix, (long)getpid());
	char *src = path_join(scratch, "src");
	char *dest = path_join(scratch, "dest");
	char *staged = xasprintf("%s%s", dest, prefix);
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	char *jobs = xasprintf("-j%ld", ncpu > 0 ? ncpu : 1);
	char *destvar = xasprintf("DESTDIR=%s", dest);
	char *make_what = xasprintf("make %s", jobs);
	char *make[] = {"make", jobs, NULL};
	char *install[] = {"make", "install", destvar, NULL};
	char **conf = source_configure_argv(spec, prefix);
	int rc = -1;

	remove_tree(scratch);
	if (mkdir_p(src) < 0)
		goto out;
	unlink(log);
	fprintf(stderr, "ftmatrix: %s: unpacking %s\n", spec->id, tarball);
	if (tarball_unpack(tarball, src, 1, log) < 0 ||
	    step(spec->id, "configure", conf, src, log) < 0 ||
	    step(spec->id, make_what, make, src, log) < 0 ||
	    step(spec->id, "make install", install, src, log) < 0)
		goto out;
	if (!path_exists(staged)) {
		error("%s: make install put nothing in %s; the log is %s",
		    spec->id, staged, log);
		goto out;
	}
	if (rename(staged, prefix) < 0) {
		error("cannot move %s to %s: %s", staged, prefix,
		    strerror(errno));
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
	free(make_what);
	return rc;
}
