#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* Runs probes/identity.py under the interpreter with the environment it
 * will be measured with, so a PYTHON_GIL variant reports its own GIL. */
int
identity_capture(const char *who, const char *python, char *const *env_extra,
    struct identity *id)
{
	struct buf env = {0};
	size_t i;
	char *script = path_join(data_dir(), "probes/identity.py");
	char *argv[] = {(char *)python, "-s", script, NULL};
	struct proc_opts o = {.argv = argv,
	    .env_extra = env_extra,
	    .capture_stdout = 1,
	    .capture_stderr = 1,
	    .timeout_s = 60};
	struct proc_result r;
	int rc = -1;

	memset(id, 0, sizeof(*id));
	for (i = 0; env_extra && env_extra[i]; i++)
		buf_printf(
		    &env, "%s%s", env.len ? " " : " with ", env_extra[i]);
	if (proc_run(&o, &r) < 0)
		goto out;
	if (r.exit_status != 0) {
		char *why = proc_describe(&r),
		     *tail = text_tail(buf_str(&r.err), 5);

		error("%s: cannot read the identity of %s%s (%s): %s", who,
		    python, buf_str(&env), why, tail);
		free(why);
		free(tail);
	} else if (identity_parse(buf_str(&r.out), id) < 0) {
		error("%s: %s%s printed no readable identity", who, python,
		    buf_str(&env));
	} else {
		rc = 0;
	}
	proc_result_free(&r);
out:
	buf_free(&env);
	free(script);
	return rc;
}

/* The record as probes/identity.py prints it. */
int
identity_parse(const char *json, struct identity *id)
{
	struct reader r = {.path = "interpreter identity", .where = ""};
	struct jv_error jerr;
	json_t *o;

	memset(id, 0, sizeof(*id));
	id->gil_enabled = -1;
	o = jv_parse(json, &jerr);
	if (!o || !jv_is_object(o)) {
		error("interpreter identity is not a JSON object: %s",
		    o ? "wrong type" : jerr.text);
		jv_free(o);
		return -1;
	}
	id->version = rd_text(&r, o, "version");
	id->implementation = rd_text(&r, o, "implementation");
	id->gil_disabled_build = rd_bool(&r, o, "gil_disabled_build", 0) == 1;
	id->gil_enabled = rd_bool(&r, o, "gil_enabled", -1);
	id->abiflags = rd_text(&r, o, "abiflags");
	id->compiler = rd_text(&r, o, "compiler");
	id->config_args = rd_text(&r, o, "config_args");
	id->executable = rd_text(&r, o, "executable");
	id->prefix = rd_text(&r, o, "prefix");
	id->includepy = rd_text(&r, o, "includepy");
	id->libdir = rd_text(&r, o, "libdir");
	id->ldlibrary = rd_text(&r, o, "ldlibrary");
	id->libpython = rd_text(&r, o, "libpython");
	id->ldversion = rd_text(&r, o, "ldversion");
	id->build_date = rd_text(&r, o, "build_date");
	id->shared = rd_bool(&r, o, "shared", 0) == 1;
	id->json = xstrdup(json);
	jv_free(o);
	if (r.failed) {
		identity_free(id);
		id->gil_enabled = -1;
		return -1;
	}
	return 0;
}

void
identity_free(struct identity *id)
{
	free(id->version);
	free(id->implementation);
	free(id->abiflags);
	free(id->compiler);
	free(id->config_args);
	free(id->executable);
	free(id->prefix);
	free(id->includepy);
	free(id->libdir);
	free(id->ldlibrary);
	free(id->libpython);
	free(id->ldversion);
	free(id->build_date);
	free(id->json);
	memset(id, 0, sizeof(*id));
}

char *
identity_label(const struct identity *id)
{
	return xasprintf("%s%s", id->version ? id->version : "?",
	    id->gil_disabled_build ? "t" : "");
}
