/* libFuzzer target for what ftmatrix decides from a URL: any bytes must
 * give an answer, never a crash, a leak or undefined behaviour; a URL
 * that is loopback is http or https, and what messages show of it keeps
 * no password. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static void
require(int ok)
{
	if (!ok)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *url = malloc(size + 1), *shown;

	if (!url)
		return 0;
	memcpy(url, data, size);
	url[size] = '\0';
	shown = url_display(url);
	require(shown != NULL);
	if (url_is_loopback(url))
		require(url_is_http(url));
	if (url_is_plain_http(url))
		require(url_is_http(url));
	/* "***" replaces what the user information was, nothing else */
	require(strlen(shown) <= strlen(url) + 3);
	free(shown);
	free(url);
	return 0;
}
