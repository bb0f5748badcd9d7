#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: ftmatrix uv-mirror DIR MATRIX [--rebuild]\n"
	    "\n"
	    "Builds (or takes from the cache) the interpreters MATRIX builds\n"
	    "from source, takes its pyenv ones, and packs each into DIR as\n"
	    "python-build-standalone publishes them, relocatable:\n"
	    "  DIR/BUILD/cpython-VERSION+BUILD-ARCH-unknown-linux-gnu-\n"
	    "    [freethreaded-]install_only_stripped.tar.gz\n"
	    "with DIR/" UV_MIRROR_JSON " listing them under uv's keys with\n"
	    "each archive's sha256 (entries already in it are kept).\n"
	    "Then, on this machine or one without internet access:\n"
	    "  UV_PYTHON_INSTALL_MIRROR=file://DIR \\\n"
	    "  UV_PYTHON_DOWNLOADS_JSON_URL=file://DIR/" UV_MIRROR_JSON " \\\n"
	    "  uv python install 3.13 3.13t\n"
	    "  --rebuild  rebuild the interpreters instead of using the "
	    "cache\n");
}

int
cmd_uv_mirror(int argc, char **argv)
{
	struct provision_opts opts = {.keep_going = 1};
	const char *dir = NULL, *path = NULL;
	struct interp_spec *specs;
	struct interp *in = NULL;
	struct uv_mirror *mi = NULL;
	char *abs = NULL;
	struct matrix m, sub;
	size_t i, n = 0, packed = 0, missing = 0;
	int rc = 1;

	for (i = 1; i < (size_t)argc; i++) {
		if (strcmp(argv[i], "-h") == 0 ||
		    strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--rebuild") == 0) {
			opts.rebuild = 1;
		} else if (argv[i][0] == '-' || (dir && path)) {
			usage(stderr);
			return 2;
		} else if (!dir) {
			dir = argv[i];
		} else {
			path = argv[i];
		}
	}
	if (!dir || !path) {
		usage(stderr);
		return 2;
	}
	if (matrix_open(path, &m) != 0) {
		matrix_free(&m);
		return 1;
	}
	/* only what was built here (by ftmatrix or pyenv): a uv entry would
	 * be served by the mirror itself */
	specs = xcalloc(m.ninterps ? m.ninterps : 1, sizeof(*specs));
	for (i = 0; i < m.ninterps; i++)
		if (m.interps[i].provider == PROVIDER_SOURCE ||
		    m.interps[i].provider == PROVIDER_PYENV)
			specs[n++] = m.interps[i];
	if (n == 0) {
		error(
		    "%s: no interpreter with provider source or pyenv: nothing "
		    "to pack (matrices/local.yaml builds 3.13 and 3.13t)",
		    m.path);
		goto out;
	}
	sub = m;
	sub.interps = specs;
	sub.ninterps = n;
	if (provision_all(&sub, &opts, &in) < 0 && !in)
		goto out;
	if (!(mi = uv_mirror_open(dir)))
		goto out;
	for (i = 0; i < n; i++) {
		if (!in[i].available) {
			if (!specs[i].optional)
				missing++;
			continue;
		}
		if (uv_mirror_add(mi, &in[i]) < 0)
			goto out;
		packed++;
	}
	if (uv_mirror_close(mi, 1) < 0) {
		mi = NULL;
		goto out;
	}
	mi = NULL;
	abs = realpath(dir, NULL);
	fprintf(stderr,
	    "ftmatrix: %zu interpreter%s packed; to install from them:\n"
	    "  export UV_PYTHON_INSTALL_MIRROR=file://%s\n"
	    "  export UV_PYTHON_DOWNLOADS_JSON_URL=file://%s/" UV_MIRROR_JSON
	    "\n",
	    packed, packed == 1 ? "" : "s", abs ? abs : dir, abs ? abs : dir);
	rc = missing ? 1 : 0;
out:
	if (mi)
		uv_mirror_close(mi, 0);
	interps_free(in, n);
	free(specs);
	free(abs);
	matrix_free(&m);
	return rc;
}
