/* The order cells run in: repetitions outermost, interpreters innermost
 * (A B C A B C), so a slow period of the machine hits every interpreter
 * alike; a workload's own engines and thread counts narrow its cells. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ftmatrix.h"

static const char text[] = "name: order\n"
                           "interpreters:\n"
                           "  - {id: a, provider: path, path: /bin/a}\n"
                           "  - {id: b, provider: path, path: /bin/b}\n"
                           "  - {id: c, provider: path, path: /bin/c}\n"
                           "workloads:\n"
                           "  - w1\n"
                           "  - {name: w2, engines: [threads], threads: [2]}\n"
                           "engines: [threads, processes]\n"
                           "threads: [1, 2]\n"
                           "repetitions: 2\n";

static void
matrix_of(struct matrix *m)
{
	FILE *saved = stderr;
	int n;

	stderr = fopen("/dev/null", "w");
	n = matrix_parse("order.yaml", text, strlen(text), m);
	fclose(stderr);
	stderr = saved;
	assert_int_equal(n, 0);
}

static void
test_interleaved(void **state)
{
	/* per repetition: w1 x {threads, processes} x {1, 2}, then w2
	 * threads x2, each over a b c */
	static const char *const want[] = {"w1/threads/1", "w1/threads/2",
	    "w1/processes/1", "w1/processes/2", "w2/threads/2"};
	const size_t nwant = sizeof(want) / sizeof(want[0]);
	struct matrix m;
	struct plan p;

	(void)state;
	matrix_of(&m);
	plan_make(&m, &p);
	assert_int_equal(p.ncells, 2 * nwant * 3);
	for (size_t i = 0; i < p.ncells; i++) {
		const struct cell *c = &p.cells[i];
		size_t group = i / 3 % nwant;
		char *key = cell_key(&m, c), *expect;

		assert_int_equal(c->rep, (int)(i / (3 * nwant)));
		assert_int_equal(c->interp, i % 3);
		assert_true(asprintf(&expect, "%s/%s/%d",
		                m.interps[i % 3].id, want[group], c->rep) > 0);
		assert_string_equal(key, expect);
		free(expect);
		free(key);
	}
	plan_free(&p);
	assert_null(p.cells);
	assert_int_equal(p.ncells, 0);
	matrix_free(&m);
}

/* Every cell once: keys are unique. */
static void
test_unique(void **state)
{
	struct matrix m;
	struct plan p;

	(void)state;
	matrix_of(&m);
	plan_make(&m, &p);
	for (size_t i = 0; i < p.ncells; i++)
		for (size_t j = i + 1; j < p.ncells; j++) {
			char *a = cell_key(&m, &p.cells[i]);
			char *b = cell_key(&m, &p.cells[j]);

			assert_string_not_equal(a, b);
			free(a);
			free(b);
		}
	plan_free(&p);
	matrix_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_interleaved),
	    cmocka_unit_test(test_unique),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
