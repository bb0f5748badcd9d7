/* libFuzzer target for results.json reading (report, compare, publish and
 * a resumed run all start there): any bytes must load or be refused,
 * never crash, hang, leak or hit undefined behaviour. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ftmatrix.h"

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
	return 0;
}
