/* The uv ftmatrix pins (scripts/uv-pin): its version and the sha256 of its
 * PyPI wheel, shared with scripts/install-uv. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static int
is_sha256(const char *s)
{
	return strlen(s) == 64 && strspn(s, "0123456789abcdef") == 64;
}

int
uv_pin_read(struct uv_pin *pin)
{
	char *path = path_join(data_dir(), "scripts/uv-pin");
	struct buf b = {0};
	const char *line;
	int rc = -1;

	memset(pin, 0, sizeof(*pin));
	if (file_read(path, &b) < 0)
		goto out;
	for (line = buf_str(&b); *line;) {
		size_t n = strcspn(line, "\n");
		char *l = xstrndup(line, n), *sp = strchr(l, ' ');

		if (l[0] != '#' && l[0] && sp) {
			*sp = '\0';
			if (strcmp(l, "version") == 0)
				pin->version = xstrdup(sp + 1);
			else if (strcmp(l, "wheel") == 0)
				pin->wheel = xstrdup(sp + 1);
			else if (strcmp(l, "sha256") == 0)
				pin->sha256 = xstrdup(sp + 1);
		}
		free(l);
		line += n + (line[n] == '\n');
	}
	if (!pin->version || !pin->wheel || !pin->sha256 ||
	    !is_sha256(pin->sha256) ||
	    strspn(pin->version, "0123456789.") != strlen(pin->version)) {
		error("%s: expected the lines \"version X.Y.Z\", \"wheel "
		      "NAME.whl\" and \"sha256 HEX\"",
		    path);
		uv_pin_free(pin);
		goto out;
	}
	rc = 0;
out:
	buf_free(&b);
	free(path);
	return rc;
}

void
uv_pin_free(struct uv_pin *pin)
{
	free(pin->version);
	free(pin->wheel);
	free(pin->sha256);
	memset(pin, 0, sizeof(*pin));
}

char *
uv_tools_dir(const char *version)
{
	return xasprintf("%s/tools/uv-%s", cache_dir(), version);
}
