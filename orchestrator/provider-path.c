#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* A path with a slash is taken as it is; a bare name ("python3.12") is
 * looked up on PATH, as a shell would. */
static int
path_locate(const struct interp_spec *spec, const struct provision_opts *opts,
    char **python, char **origin)
{
	(void)opts;
	if (!strchr(spec->path, '/')) {
		*python = path_lookup(spec->path);
		if (!*python) {
			error("%s: no %s on PATH", spec->id, spec->path);
			return -1;
		}
		return 0;
	}
	if (!path_is_executable(spec->path)) {
		error("%s: %s is not an executable file", spec->id, spec->path);
		return -1;
	}
	*python = xstrdup(spec->path);
	return 0;
}

const struct provider provider_path = {PROVIDER_PATH, path_locate};
