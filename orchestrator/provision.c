#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static const struct provider *
provider_for(enum provider_kind kind)
{
	static const struct provider *const all[] = {
	    &provider_uv, &provider_source, &provider_path, &provider_pyenv};
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i]->kind == kind)
			return all[i];
	return NULL;
}

const char *
interp_request(const struct interp_spec *spec)
{
	switch (spec->provider) {
	case PROVIDER_UV:
		return spec->request ? spec->request : "";
	case PROVIDER_SOURCE:
		return spec->source ? spec->source : "";
	case PROVIDER_PATH:
		return spec->path ? spec->path : "";
	case PROVIDER_PYENV:
		return spec->version ? spec->version : "";
	case PROVIDER_VARIANT:
		return spec->variant_of ? spec->variant_of : "";
	}
	return "";
}

static char **
env_make(const struct interp_spec *base, const struct interp_spec *spec)
{
	size_t n = 0, i;
	char **env =
	    xcalloc((base ? base->nenv : 0) + spec->nenv + 1, sizeof(*env));

	for (i = 0; base && i < base->nenv; i++)
		env[n++] =
		    xasprintf("%s=%s", base->env[i].name, base->env[i].value);
	for (i = 0; i < spec->nenv; i++)
		env[n++] =
		    xasprintf("%s=%s", spec->env[i].name, spec->env[i].value);
	return env;
}

/* The version digits a request names: "3.13" of "3.13t", "cpython@3.13",
 * "cpython-3.13.1+freethreaded-linux-x86_64-gnu"; NULL when it names none
 * (">=3.12", a pyenv virtualenv's name). */
static char *
requested_version(const struct interp_spec *spec)
{
	const char *r = spec->provider == PROVIDER_UV ? spec->request
	    : spec->provider == PROVIDER_PYENV        ? spec->version
	                                              : NULL;
	size_t n;

	if (!r)
		return NULL;
	if (strncmp(r, "cpython", 7) == 0)
		r += 7;
	else if (strncmp(r, "cp", 2) == 0)
		r += 2;
	r += strspn(r, "@-");
	n = strspn(r, "0123456789.");
	while (n > 0 && r[n - 1] == '.')
		n--;
	return n > 0 && r[0] != '.' ? xstrndup(r, n) : NULL;
}

/* Whether the spec asked for a free-threaded build: -1 when it did not say.
 * The matrix settles it for uv and source entries; pyenv spells a
 * free-threaded build "3.13.0t". */
static int
wants_free_threaded(const struct interp_spec *spec)
{
	size_t n;

	if (spec->free_threaded >= 0)
		return spec->free_threaded;
	if (spec->provider != PROVIDER_PYENV || !spec->version ||
	    !(spec->version[0] >= '0' && spec->version[0] <= '9'))
		return -1;
	n = strlen(spec->version);
	return spec->version[n - 1] == 't';
}

static const char *
env_value(char *const *env, const char *name)
{
	size_t n = strlen(name);

	for (; env && *env; env++)
		if (strncmp(*env, name, n) == 0 && (*env)[n] == '=')
			return *env + n + 1;
	return NULL;
}

int
provision_check(const struct interp *in)
{
	const struct interp_spec *spec = in->spec;
	const struct identity *id = &in->identity;
	const char *exe = id->executable ? id->executable : in->python;
	const char *v = id->version ? id->version : "";
	const char *gil = env_value(in->env, "PYTHON_GIL");
	int want = wants_free_threaded(spec), rc = 0;
	char *asked = requested_version(spec);
	size_t n;

	if (id->implementation && strcmp(id->implementation, "cpython") != 0) {
		error("%s: %s is %s, and ftmatrix measures CPython (it embeds "
		      "libpython)",
		    spec->id, exe, id->implementation);
		rc = -1;
	}
	if (want >= 0 && want != id->gil_disabled_build) {
		error("%s: asked for a %s build, but %s is %s "
		      "(Py_GIL_DISABLED=%d)",
		    spec->id, want ? "free-threaded" : "GIL", exe,
		    id->gil_disabled_build ? "free-threaded" : "a GIL build",
		    id->gil_disabled_build);
		rc = -1;
	}
	/* "3.13" must find a 3.13.x, "3.13.1" exactly that */
	if (asked &&
	    ((n = strlen(asked)),
	        strncmp(v, asked, n) != 0 || (v[n] >= '0' && v[n] <= '9'))) {
		error("%s: asked %s for %s, but found %s %s", spec->id,
		    provider_name(spec->provider), asked, exe, *v ? v : "?");
		rc = -1;
	}
	/* PYTHON_GIL must have done what the matrix wants it to */
	if (gil && id->gil_enabled >= 0 &&
	    ((strcmp(gil, "1") == 0 && !id->gil_enabled) ||
	        (strcmp(gil, "0") == 0 && id->gil_enabled))) {
		error("%s: PYTHON_GIL=%s, but %s runs with the GIL %s",
		    spec->id, gil, exe,
		    id->gil_enabled ? "enabled" : "disabled");
		rc = -1;
	}
	free(asked);
	return rc;
}

static char *
label_make(const struct interp_spec *spec, const struct interp *in)
{
	struct buf b = {0};
	size_t i;

	if (spec->label)
		return xstrdup(spec->label);
	buf_puts(&b, in->identity.version ? in->identity.version : spec->id);
	if (in->identity.gil_disabled_build)
		buf_puts(&b, "t");
	for (i = 0; spec->provider == PROVIDER_VARIANT && i < spec->nenv; i++)
		buf_printf(&b, " %s=%s", spec->env[i].name, spec->env[i].value);
	return buf_detach(&b);
}

static int
provision_one(const struct matrix *m, const struct provision_opts *opts,
    struct interp *all, size_t idx)
{
	const struct interp_spec *spec = &m->interps[idx], *base = NULL;
	struct interp *in = &all[idx];
	const struct provider *p;

	if (spec->provider == PROVIDER_VARIANT) {
		size_t b;

		base = matrix_interp(m, spec->variant_of);
		b = base ? (size_t)(base - m->interps) : 0;
		if (!base || !all[b].available) {
			error("%s: %s, which it is a variant of, is not "
			      "available",
			    spec->id, spec->variant_of);
			return -1;
		}
		in->python = xstrdup(all[b].python);
	} else {
		p = provider_for(spec->provider);
		if (!p || p->locate(spec, opts, &in->python, &in->origin) < 0)
			return -1;
	}
	in->env = env_make(base, spec);
	if (identity_capture(spec->id, in->python, in->env, &in->identity) < 0)
		return -1;
	in->label = label_make(spec, in);
	if (provision_check(in) < 0) {
		error("%s: not the interpreter the matrix asked for", spec->id);
		return -1;
	}
	if (probe_build(in) < 0)
		return -1;
	in->available = 1;
	return 0;
}

/* What went wrong, as error() said it, without the "ID: " each line
 * starts with (the reader knows which interpreter it is about). */
static char *
why_failed(const struct interp_spec *spec, const char *said)
{
	size_t n = strlen(spec->id);
	struct buf b = {0};
	const char *line = said, *end;

	while (*line) {
		end = line + strcspn(line, "\n");
		if (strncmp(line, spec->id, n) == 0 &&
		    strncmp(line + n, ": ", 2) == 0)
			line += n + 2;
		if (b.len)
			buf_puts(&b, "\n");
		buf_add(&b, line, end - line);
		line = *end ? end + 1 : end;
	}
	return b.len ? buf_detach(&b) : xstrdup("no reason given");
}

int
provision_all(const struct matrix *m, const struct provision_opts *opts,
    struct interp **out)
{
	struct interp *all = xcalloc(m->ninterps, sizeof(*all));
	const char *failed = NULL;
	size_t i, navailable = 0;
	int pass;

	for (i = 0; i < m->ninterps; i++)
		all[i].spec = &m->interps[i];
	/* variants after what they derive from */
	for (pass = 0; pass < 2 && !failed && !interrupted; pass++) {
		for (i = 0; i < m->ninterps && !failed && !interrupted; i++) {
			const struct interp_spec *spec = &m->interps[i];
			struct buf said = {0};
			int rc;

			if ((spec->provider == PROVIDER_VARIANT) != pass)
				continue;
			error_record(&said);
			rc = provision_one(m, opts, all, i);
			if (rc < 0 && !said.len)
				error(
				    "%s: the %s provider could not provide it",
				    spec->id, provider_name(spec->provider));
			error_record(NULL);
			if (rc == 0) {
				navailable++;
			} else {
				all[i].error = why_failed(spec, buf_str(&said));
				if (spec->optional)
					warn("%s: skipped (optional "
					     "interpreter)",
					    spec->id);
				else if (opts->keep_going)
					warn("%s: recorded as unavailable",
					    spec->id);
				else
					failed = spec->id;
			}
			buf_free(&said);
		}
	}
	*out = all;
	if (interrupted) {
		for (i = 0; i < m->ninterps; i++)
			if (!all[i].available && !all[i].error)
				all[i].error =
				    xstrdup("not provisioned: interrupted");
		error("interrupted while provisioning interpreters");
		return -1;
	}
	if (failed) {
		for (i = 0; i < m->ninterps; i++)
			if (!all[i].available && !all[i].error)
				all[i].error =
				    xasprintf("not provisioned: %s failed "
				              "first",
				        failed);
		error("%s cannot be provisioned: stopping before anything is "
		      "measured (--keep-going measures the others and records "
		      "it as unavailable)",
		    failed);
		return -1;
	}
	if (navailable == 0) {
		error("no interpreter of %s could be provisioned", m->path);
		return -1;
	}
	return 0;
}

void
interps_free(struct interp *interps, size_t n)
{
	size_t i, j;

	for (i = 0; interps && i < n; i++) {
		for (j = 0; interps[i].env && interps[i].env[j]; j++)
			free(interps[i].env[j]);
		free(interps[i].env);
		free(interps[i].python);
		free(interps[i].label);
		free(interps[i].probe);
		free(interps[i].error);
		free(interps[i].origin);
		identity_free(&interps[i].identity);
	}
	free(interps);
}
