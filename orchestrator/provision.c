#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static const struct provider *
provider_for(enum provider_kind kind)
{
	static const struct provider *const all[] = { &provider_uv,
		&provider_source, &provider_path, &provider_pyenv };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (all[i]->kind == kind)
			return all[i];
	return NULL;
}

static char **
env_make(const struct interp_spec *base, const struct interp_spec *spec)
{
	size_t n = 0, i;
	char **env = xcalloc((base ? base->nenv : 0) + spec->nenv + 1,
	    sizeof(*env));

	for (i = 0; base && i < base->nenv; i++)
		env[n++] = xasprintf("%s=%s", base->env[i].name,
		    base->env[i].value);
	for (i = 0; i < spec->nenv; i++)
		env[n++] = xasprintf("%s=%s", spec->env[i].name,
		    spec->env[i].value);
	return env;
}

/* Whether the spec asked for a free-threaded build: -1 when it did not say. */
static int
wants_free_threaded(const struct interp_spec *spec)
{
	size_t n;

	if (spec->free_threaded >= 0)
		return spec->free_threaded;
	if (spec->provider != PROVIDER_UV || !spec->request)
		return -1;
	n = strlen(spec->request);
	if (strstr(spec->request, "freethreaded"))
		return 1;
	return n > 0 && spec->request[n - 1] == 't';
}

int
provision_check(const struct interp *in)
{
	const struct interp_spec *spec = in->spec;
	int want = wants_free_threaded(spec);

	if (want >= 0 && want != in->identity.gil_disabled_build) {
		error("%s: asked for a %s build, but %s is %s (Py_GIL_DISABLED=%d)",
		    spec->id, want ? "free-threaded" : "GIL",
		    in->identity.executable ? in->identity.executable : in->python,
		    in->identity.gil_disabled_build ? "free-threaded" : "a GIL build",
		    in->identity.gil_disabled_build);
		return -1;
	}
	if (spec->provider == PROVIDER_UV && spec->request) {
		const char *v = in->identity.version ? in->identity.version : "";
		size_t n = strspn(spec->request, "0123456789.");

		/* "3.13t" must find a 3.13.x, "3.13.1" exactly that */
		if (n && (strncmp(v, spec->request, n) != 0 ||
		    (v[n] && v[n] != '.' && spec->request[n - 1] != '.'))) {
			error("%s: asked uv for %s, but it found %s", spec->id,
			    spec->request, v);
			return -1;
		}
	}
	return 0;
}

static char *
label_make(const struct interp_spec *spec, const struct interp *in)
{
	struct buf b = { 0 };
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

	in->spec = spec;
	if (spec->provider == PROVIDER_VARIANT) {
		size_t b;

		base = matrix_interp(m, spec->variant_of);
		b = base ? (size_t)(base - m->interps) : 0;
		if (!base || !all[b].available) {
			in->error = xasprintf("%s is not available",
			    spec->variant_of);
			return -1;
		}
		in->python = xstrdup(all[b].python);
	} else {
		p = provider_for(spec->provider);
		if (!p || p->locate(spec, opts, &in->python) < 0) {
			in->error = xasprintf("%s provider could not provide it",
			    provider_name(spec->provider));
			return -1;
		}
	}
	in->env = env_make(base, spec);
	if (identity_capture(in->python, in->env, &in->identity) < 0) {
		in->error = xstrdup("cannot read its identity");
		return -1;
	}
	in->label = label_make(spec, in);
	if (provision_check(in) < 0) {
		in->error = xstrdup("not the interpreter the matrix asked for");
		return -1;
	}
	if (probe_build(in) < 0) {
		in->error = xstrdup("cannot build the probe against it");
		return -1;
	}
	in->available = 1;
	return 0;
}

int
provision_all(const struct matrix *m, const struct provision_opts *opts,
    struct interp **out)
{
	struct interp *all = xcalloc(m->ninterps, sizeof(*all));
	int pass, rc = 0;
	size_t i;

	/* variants after what they derive from */
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < m->ninterps; i++) {
			const struct interp_spec *spec = &m->interps[i];

			if ((spec->provider == PROVIDER_VARIANT) != pass)
				continue;
			if (provision_one(m, opts, all, i) == 0)
				continue;
			if (spec->optional) {
				warn("%s: skipped (optional): %s", spec->id,
				    all[i].error);
			} else {
				error("%s: %s", spec->id, all[i].error);
				rc = -1;
			}
		}
	}
	*out = all;
	return rc;
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
		identity_free(&interps[i].identity);
	}
	free(interps);
}
