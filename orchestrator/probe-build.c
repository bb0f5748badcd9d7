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
	char *argv[] = { (char *)cc_name(), "--version", NULL };
	struct proc_opts o = { .argv = argv, .capture_stdout = 1,
		.timeout_s = 30 };
	struct proc_result r;

	if (version)
		return version;
	if (proc_run(&o, &r) == 0 && r.exit_status == 0)
		version = xstrndup(buf_str(&r.out), strcspn(buf_str(&r.out), "\n"));
	else
		version = xstrdup("unknown");
	proc_result_free(&r);
	return version;
}

static int
fingerprint(const struct identity *id, const char *source, char out[65])
{
	struct buf b = { 0 };

	if (file_read(source, &b) < 0)
		return -1;
	buf_printf(&b, "\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n", id->version,
	    id->includepy, id->libdir, id->ldversion, id->build_date,
	    id->config_args, id->executable, cc_version());
	sha256_hex(b.data, b.len, out);
	buf_free(&b);
	return 0;
}

int
probe_build(struct interp *in)
{
	const struct identity *id = &in->identity;
	char *source = path_join(data_dir(), "probes/probe.c");
	char fp[65], *dir = NULL, *exe = NULL, *tmp = NULL, *log = NULL;
	char *inc = NULL, *libdir = NULL, *lib = NULL, *rpath = NULL;
	int rc = -1;

	if (!id->includepy || !*id->includepy || !id->libdir || !*id->libdir) {
		error("%s: its sysconfig names no include or library directory",
		    in->python);
		goto out;
	}
	if (fingerprint(id, source, fp) < 0)
		goto out;
	dir = xasprintf("%s/probes/%.16s", cache_dir(), fp);
	exe = path_join(dir, "probe");
	if (path_is_executable(exe)) {
		in->probe = exe;
		exe = NULL;
		rc = 0;
		goto out;
	}
	if (mkdir_p(dir) < 0)
		goto out;
	tmp = xasprintf("%s.tmp.%ld", exe, (long)getpid());
	log = path_join(dir, "build.log");
	inc = xasprintf("-I%s", id->includepy);
	libdir = xasprintf("-L%s", id->libdir);
	lib = xasprintf("-lpython%s", id->ldversion);
	rpath = xasprintf("-Wl,-rpath,%s", id->libdir);
	{
		/* flags from the interpreter's own sysconfig, not python3-config,
		 * whose baked-in prefix is wrong for relocated builds */
		char *argv[] = { (char *)cc_name(), "-std=c11", "-O2", "-g",
			"-Wall", "-Wextra", inc, source, "-o", tmp, libdir, lib,
			rpath, "-lpthread", "-lm", "-ldl", "-lutil", NULL };
		struct proc_opts o = { .argv = argv, .log_path = log,
			.timeout_s = 300 };
		struct proc_result r;

		unlink(log);
		if (proc_run(&o, &r) < 0)
			goto out;
		if (r.exit_status != 0) {
			struct buf b = { 0 };
			char *tail;

			file_read(log, &b);
			tail = text_tail(buf_str(&b), 10);
			error("cannot compile the probe against %s (log: %s):\n%s",
			    in->python, log, tail);
			free(tail);
			buf_free(&b);
			proc_result_free(&r);
			unlink(tmp);
			goto out;
		}
		proc_result_free(&r);
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
	free(source);
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
