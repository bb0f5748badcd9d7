#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static int
path_locate(const struct interp_spec *spec, const struct provision_opts *opts,
    char **python, char **origin)
{
	(void)opts;
	if (!path_is_executable(spec->path)) {
		error("%s: %s is not an executable file", spec->id, spec->path);
		return -1;
	}
	*python = xstrdup(spec->path);
	return 0;
}

const struct provider provider_path = {PROVIDER_PATH, path_locate};
