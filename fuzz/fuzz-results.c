/* libFuzzer target for results.json reading (report, compare, publish and
 * a resumed run all start there): any bytes must load or be refused,
 * never crash, hang, leak or hit undefined behaviour. The cells are read
 * one at a time from an outline of the file (jv_outline): whatever that
 * accepts, jansson reading the text whole must accept as the same
 * document. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "ftmatrix.h"

/* The outline and its streamed items put together, else NULL. */
static json_t *
streamed(const char *text, size_t len)
{
	struct jv_items items;
	json_t *root = jv_outline(text, len, "cells", &items), *cells, *v;

	if (!root)
		return NULL;
	cells = json_array();
	while ((v = jv_items_next(&items)) != NULL)
		json_array_append(cells, v);
	jv_items_free(&items);
	if (items.bad) {
		json_decref(cells);
		json_decref(root);
		return NULL;
	}
	if (json_is_array(json_object_get(root, "cells")))
		json_object_set(root, "cells", cells);
	json_decref(cells);
	return root;
}

static void
same_as_whole(const uint8_t *data, size_t size)
{
	json_t *part = streamed((const char *)data, size), *whole;
	json_error_t e;

	if (!part)
		return;
	whole = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, &e);
	if (!whole || !json_equal(part, whole))
		abort();
	json_decref(part);
	json_decref(whole);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct resultset rs;
	char path[64];
	int fd = memfd_create("results.json", MFD_CLOEXEC);

	if (fd < 0)
		abort();
	if (size && write(fd, data, size) != (ssize_t)size)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	memset(&rs, 0, sizeof(rs));
	if (results_load(path, &rs) == 0 && rs.ncells > 0 && !rs.cells)
		abort();
	results_free(&rs);
	close(fd);
	same_as_whole(data, size);
	return 0;
}
