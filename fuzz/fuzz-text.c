/* libFuzzer target for the text ftmatrix reads and prints without
 * trusting it: an output directory's manifest (it decides what a report
 * may remove) must name nothing outside its directory, and the terminal
 * sanitiser must let no control character through, for any bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct manifest m = {0};
	char *text = xstrndup((const char *)data, size), *safe;
	const unsigned char *p;

	manifest_parse((const char *)data, size, &m);
	for (size_t i = 0; i < m.n; i++) {
		const char *s = m.names[i], *slash = strchr(s, '/');
		const char *base = slash ? slash + 1 : s;

		/* NAME or charts/NAME, NAME neither "", "." nor ".." */
		if (!manifest_name_ok(s) || strchr(base, '/') ||
		    (slash && strncmp(s, "charts/", 7) != 0) || !*base ||
		    strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
			abort();
	}
	manifest_free(&m);
	safe = term_safe(text);
	for (p = (const unsigned char *)safe; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (p[0] == 0xc2 && p[1] >= 0x80 &&
		                                    p[1] < 0xa0))
			abort();
	free(safe);
	free(text);
	return 0;
}
