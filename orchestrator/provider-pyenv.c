#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static int
by_name(const void *a, const void *b)
{
	return strverscmp(*(char *const *)a, *(char *const *)b);
}

/* "3.12.1, 3.13.0" from dir, or "none" */
static char *
installed(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, i;
	struct buf b = {0};

	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			names = xreallocarray(names, n + 1, sizeof(*names));
			names[n++] = xstrdup(e->d_name);
		}
	if (d)
		closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	for (i = 0; i < n; i++) {
		buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
		free(names[i]);
	}
	free(names);
	return n ? buf_detach(&b) : xstrdup("none");
}

/* pyenv's own layout: $PYENV_ROOT/versions/<version>/bin/python3. Asking
 * `pyenv prefix` would need pyenv itself on PATH; the directory does not. */
static int
pyenv_locate(const struct interp_spec *spec, const struct provision_opts *opts,
    char **python, char **origin)
{
	const char *root = getenv("PYENV_ROOT"), *home = getenv("HOME");
	char *dir, *exe, *versions, *have;

	(void)opts;
	if (root && *root)
		dir = xasprintf("%s/versions/%s", root, spec->version);
	else
		dir = xasprintf(
		    "%s/.pyenv/versions/%s", home ? home : "", spec->version);
	exe = xasprintf("%s/bin/python3", dir);
	if (!path_is_executable(exe)) {
		versions = root && *root
		    ? xasprintf("%s/versions", root)
		    : xasprintf("%s/.pyenv/versions", home ? home : "");
		have = installed(versions);
		error("%s: pyenv has no %s (looked for %s); installed in %s: "
		      "%s",
		    spec->id, spec->version, exe, versions, have);
		free(versions);
		free(have);
		free(dir);
		free(exe);
		return -1;
	}
	free(dir);
	*python = exe;
	return 0;
}

const struct provider provider_pyenv = {PROVIDER_PYENV, pyenv_locate};
