/* parallel.c: every piece of work done once, whatever the CPU count; and
 * what the pieces share (the data and cache folders, found on first use)
 * is found once, whichever thread asks first. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

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

#define ASKERS 16

struct asker {
	pthread_barrier_t *start;
	const char *data, *cache;
};

static void *
ask(void *arg)
{
	struct asker *a = arg;

	pthread_barrier_wait(a->start);
	a->data = data_dir();
	a->cache = cache_dir();
	return NULL;
}

static void
test_first_use_once(void **state)
{
	pthread_barrier_t start;
	pthread_t tid[ASKERS];
	struct asker a[ASKERS];
	char cache[] = "/tmp/ftmatrix-test-cache.XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(cache));
	setenv("FTMATRIX_CACHE", cache, 1);
	pthread_barrier_init(&start, NULL, ASKERS);
	for (size_t t = 0; t < ASKERS; t++) {
		a[t] = (struct asker){.start = &start};
		assert_int_equal(pthread_create(&tid[t], NULL, ask, &a[t]), 0);
	}
	for (size_t t = 0; t < ASKERS; t++)
		pthread_join(tid[t], NULL);
	pthread_barrier_destroy(&start);
	for (size_t t = 1; t < ASKERS; t++) {
		assert_ptr_equal(a[t].data, a[0].data);
		assert_ptr_equal(a[t].cache, a[0].cache);
	}
	assert_string_equal(a[0].cache, cache);
	rmdir(cache);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_each_once),
		cmocka_unit_test(test_first_use_once),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
