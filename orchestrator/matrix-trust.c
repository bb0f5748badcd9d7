#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* What a matrix from a URL may ask for without --trust-matrix: uv requests,
 * and tarballs that are verified before use (https with a sha256, or
 * Debian's archive, checked by the system's apt keys). Everything else runs
 * or reads something of this machine's, or changes how a build or an
 * interpreter behaves: a local program, a pyenv version, environment
 * variables, configure flags, a local or unverified tarball. */

/* Why one interpreter may not be used as asked, in words; NULL if fine. */
static char *
interp_untrusted(const struct interp_spec *in)
{
	struct buf b = {0};
	const char *s = in->source;
	size_t i;

	switch (in->provider) {
	case PROVIDER_UV:
		/* uv reads a path as "the interpreter there" */
		if (in->request && (strchr(in->request, '/') ||
		                       in->request[0] == '.' ||
		                       in->request[0] == '~'))
			buf_printf(&b, "; uv request %s, a path", in->request);
		break;
	case PROVIDER_PATH:
		buf_printf(&b, "; provider path, which runs %s",
		    in->path ? in->path : "a local program");
		break;
	case PROVIDER_PYENV:
		buf_printf(&b, "; provider pyenv, which runs an interpreter "
		               "of this machine");
		break;
	case PROVIDER_SOURCE:
		if (!s || !strncmp(s, "debian:", 7))
			break;
		if (strncmp(s, "https://", 8) != 0)
			buf_printf(&b, "; source %s, not an https URL", s);
		else if (!in->sha256)
			buf_printf(&b, "; source %s without a sha256", s);
		break;
	default:
		break;
	}
	if (in->nconfigure_args) {
		buf_printf(&b, "; configure flags");
		for (i = 0; i < in->nconfigure_args; i++)
			buf_printf(&b, " %s", in->configure_args[i]);
	}
	if (in->nenv) {
		buf_printf(&b, "; env");
		for (i = 0; i < in->nenv; i++)
			buf_printf(&b, "%s %s", i ? "," : "", in->env[i].name);
	}
	if (!b.len)
		return NULL;
	return buf_detach(&b);
}

int
matrix_trust_check(const struct matrix *m, const char *path, int trusted)
{
	size_t i;
	int n = 0;

	if (trusted || !url_is_http(path))
		return 0;
	for (i = 0; i < m->ninterps; i++) {
		const struct interp_spec *in = &m->interps[i];
		char *why = interp_untrusted(in);

		if (!why)
			continue;
		error("%s:%d:%d: interpreter \"%s\" asks for what a matrix "
		      "from a URL may not: %s",
		    m->path, in->line, in->col, in->id, why + 2);
		free(why);
		n++;
	}
	if (n)
		error("%s: refused: a matrix from a URL may only use uv "
		      "requests and source tarballs over https with a sha256 "
		      "(or debian: sources); read it, and if you trust it, "
		      "run it again with --trust-matrix",
		    m->path);
	return n;
}
