/* parallel.c: every piece of work done once, whatever the CPU count. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>

#include "ftmatrix.h"

static void
count(void *ctx, size_t i)
{
	((int *)ctx)[i]++;
}

static void
test_each_once(void **state)
{
	static const size_t sizes[] = {0, 1, 2, 3, 17, 1000};

	(void)state;
	for (size_t k = 0; k < sizeof(sizes) / sizeof(*sizes); k++) {
		int *done = calloc(sizes[k] + 1, sizeof(*done));

		parallel_for(sizes[k], count, done);
		for (size_t i = 0; i < sizes[k]; i++)
			assert_int_equal(done[i], 1);
		assert_int_equal(done[sizes[k]], 0);
		free(done);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
