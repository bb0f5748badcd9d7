#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* pyenv's own layout: $PYENV_ROOT/versions/<version>/bin/python3. Asking
 * `pyenv prefix` would need pyenv itself on PATH; the directory does not. */
static int
pyenv_locate(const struct interp_spec *spec, const struct provision_opts *opts,
    char **python, char **origin)
{
	const char *root = getenv("PYENV_ROOT"), *home = getenv("HOME");
	char *dir, *exe;

	(void)opts;
	if (root && *root)
		dir = xasprintf("%s/versions/%s", root, spec->version);
	else
		dir = xasprintf(
		    "%s/.pyenv/versions/%s", home ? home : "", spec->version);
	exe = xasprintf("%s/bin/python3", dir);
	if (!path_is_executable(exe)) {
		error("%s: pyenv has no %s (looked for %s)", spec->id,
		    spec->version, exe);
		free(dir);
		free(exe);
		return -1;
	}
	free(dir);
	*python = exe;
	return 0;
}

const struct provider provider_pyenv = {PROVIDER_PYENV, pyenv_locate};
