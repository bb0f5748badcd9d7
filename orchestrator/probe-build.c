#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"

const char *
cc_name(void)
{
	const char *cc = getenv("CC");

	return cc && *cc ? cc : "cc";
}

const char *
cc_version(void)
{
	static char *version;
	char *argv[] = {(char *)cc_name(), "--version", NULL};
	struct proc_opts o = {
	    .argv = argv, .capture_stdout = 1, .timeout_s = 30};
	struct proc_result r;

	if (version)
		return version;
	if (proc_run(&o, &r) == 0 && r.exit_status == 0)
		version =
		    xstrndup(buf_str(&r.out), strcspn(buf_str(&r.out), "\n"));
	else
		version = xstrdup("unknown");
	proc_result_free(&r);
	return version;
}

/* The files matching a pattern under the data dir, sorted: the probe's C
 * sources and header, and the test extensions under probes/ext. */
static int
probe_files(const char *pattern, glob_t *g)
{
	char *path = path_join(data_dir(), pattern);
	int rc = glob(path, 0, NULL, g);

	free(path);
	if (rc != 0 && rc != GLOB_NOMATCH) {
		error("%s/%s: cannot list the probe sources", data_dir(),
		    pattern);
		return -1;
	}
	return 0;
}

static int
fingerprint(const struct identity *id, char out[65])
{
	static const char *const patterns[] = {
	    "probes/*.c", "probes/*.h", "probes/ext/*.c"};
	struct buf b = {0};
	size_t i, k;

	for (k = 0; k < sizeof(patterns) / sizeof(patterns[0]); k++) {
		glob_t g;

		if (probe_files(patterns[k], &g) < 0) {
			buf_free(&b);
			return -1;
		}
		for (i = 0; i < g.gl_pathc; i++) {
			const char *base = strrchr(g.gl_pathv[i], '/');

			buf_printf(
			    &b, "\n%s\n", base ? base + 1 : g.gl_pathv[i]);
			if (file_read(g.gl_pathv[i], &b) < 0) {
				globfree(&g);
				buf_free(&b);
				return -1;
			}
		}
		globfree(&g);
	}
	buf_printf(&b, "\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n", id->version,
	    id->includepy, id->libdir, id->ldversion, id->build_date,
	    id->config_args, id->executable, cc_version());
	sha256_hex(b.data, b.len, out);
	buf_free(&b);
	return 0;
}

/* Runs the compiler; on failure says so with the end of its log. */
static int
compile(char **argv, const char *log, const char *what, const char *python)
{
	struct proc_opts o = {.argv = argv, .log_path = log, .timeout_s = 300};
	struct proc_result r;
	int ok;

	if (proc_run(&o, &r) < 0)
		return -1;
	ok = r.exit_status == 0;
	proc_result_free(&r);
	if (!ok) {
		struct buf b = {0};
		char *tail;

		file_read(log, &b);
		tail = text_tail(buf_str(&b), 10);
		error("cannot compile %s against %s (log: %s):\n%s", what,
		    python, log, tail);
		free(tail);
		buf_free(&b);
	}
	return ok ? 0 : -1;
}

/* Each probes/ext/NAME.c becomes DIR/ext/NAME.so: extension modules the
 * findings import (one that does not declare free-threading support). */
static int
build_extensions(
    const char *dir, const char *inc, const char *log, const char *python)
{
	char *extdir = path_join(dir, "ext");
	glob_t g;
	size_t i;
	int rc = 0;

	if (probe_files("probes/ext/*.c", &g) < 0 || mkdir_p(extdir) < 0) {
		free(extdir);
		return -1;
	}
	for (i = 0; i < g.gl_pathc && rc == 0; i++) {
		const char *src = g.gl_pathv[i], *base = strrchr(src, '/') + 1;
		char *so = xasprintf(
		    "%s/%.*s.so", extdir, (int)(strlen(base) - 2), base);
		char *tmp = xasprintf("%s.tmp.%ld", so, (long)getpid());
		char *argv[] = {(char *)cc_name(), "-std=c11", "-O2", "-g",
		    "-Wall", "-Wextra", "-fPIC", "-shared", (char *)inc,
		    (char *)src, "-o", tmp, NULL};

		rc = compile(argv, log, src, python);
		if (rc == 0 && rename(tmp, so) < 0) {
			error("%s: cannot install the extension", so);
			rc = -1;
		}
		if (rc != 0)
			unlink(tmp);
		free(so);
		free(tmp);
	}
	globfree(&g);
	free(extdir);
	return rc;
}

int
probe_build(struct interp *in)
{
	const struct identity *id = &in->identity;
	char fp[65], *dir = NULL, *exe = NULL, *tmp = NULL, *log = NULL;
	char *inc = NULL, *libdir = NULL, *lib = NULL, *rpath = NULL;
	char **argv = NULL;
	glob_t sources = {0};
	size_t i, n = 0;
	int rc = -1;

	if (!id->includepy || !*id->includepy || !id->libdir || !*id->libdir) {
		error("%s: its sysconfig names no include or library directory",
		    in->python);
		goto out;
	}
	if (fingerprint(id, fp) < 0)
		goto out;
	dir = xasprintf("%s/probes/%.16s", cache_dir(), fp);
	exe = path_join(dir, "probe");
	if (path_is_executable(exe)) {
		in->probe = exe;
		exe = NULL;
		rc = 0;
		goto out;
	}
	if (mkdir_p(dir) < 0 || probe_files("probes/*.c", &sources) < 0)
		goto out;
	if (sources.gl_pathc == 0) {
		error("%s/probes: no probe sources", data_dir());
		goto out;
	}
	tmp = xasprintf("%s.tmp.%ld", exe, (long)getpid());
	log = path_join(dir, "build.log");
	inc = xasprintf("-I%s", id->includepy);
	libdir = xasprintf("-L%s", id->libdir);
	lib = xasprintf("-lpython%s", id->ldversion);
	rpath = xasprintf("-Wl,-rpath,%s", id->libdir);
	unlink(log);
	if (build_extensions(dir, inc, log, in->python) < 0)
		goto out;
	/* flags from the interpreter's own sysconfig, not python3-config,
	 * whose baked-in prefix is wrong for relocated builds */
	{
		char *head[] = {(char *)cc_name(), "-std=c11", "-O2", "-g",
		    "-Wall", "-Wextra", inc};
		char *tail[] = {"-o", tmp, libdir, lib, rpath, "-lpthread",
		    "-lm", "-ldl", "-lutil"};

		argv = xcalloc(7 + sources.gl_pathc + 9 + 1, sizeof(*argv));
		for (i = 0; i < 7; i++)
			argv[n++] = head[i];
		for (i = 0; i < sources.gl_pathc; i++)
			argv[n++] = sources.gl_pathv[i];
		for (i = 0; i < 9; i++)
			argv[n++] = tail[i];
	}
	if (compile(argv, log, "the probe", in->python) < 0) {
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, exe) < 0) {
		error("%s: cannot install the probe", exe);
		unlink(tmp);
		goto out;
	}
	in->probe = exe;
	exe = NULL;
	rc = 0;
out:
	free(argv);
	globfree(&sources);
	free(dir);
	free(exe);
	free(tmp);
	free(log);
	free(inc);
	free(libdir);
	free(lib);
	free(rpath);
	return rc;
}
