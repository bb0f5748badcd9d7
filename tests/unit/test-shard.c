/* Shards: cut by workload, disjoint, together exactly the whole plan, and
 * balanced by cost, not by count. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the four above, which it needs */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

#define TIMING(n)                                                              \
	{                                                                      \
		.name = n, .group = "basic", .description = "",                \
		.unit = "iterations", .measures = "",                          \
		.engines = "threads,processes", .kind = "timing"               \
	}

static struct workload_info infos[] = {
    TIMING("w0"),
    TIMING("w1"),
    TIMING("w2"),
    TIMING("w3"),
    TIMING("w4"),
    TIMING("w5"),
    TIMING("w6"),
    TIMING("w7"),
    TIMING("w8"),
    TIMING("w9"),
};
static const struct catalog cat = {infos, 10};

/* Ten workloads of unequal sizes, one with its own thread counts and one
 * with its own engines, so the cells per workload differ too. */
static const char text[] =
    "interpreters:\n"
    "  - {id: a, provider: path, path: /usr/bin/python3}\n"
    "  - {id: b, provider: path, path: /usr/bin/python3}\n"
    "  - {id: c, provider: path, path: /usr/bin/python3}\n"
    "workloads:\n"
    "  - w0\n"
    "  - {name: w1, iterations: 5000000}\n"
    "  - {name: w2, threads: [1, 2, 4, 8]}\n"
    "  - {name: w3, engines: [processes]}\n"
    "  - w4\n"
    "  - {name: w5, iterations: 1000}\n"
    "  - w6\n"
    "  - {name: w7, iterations: 20000000}\n"
    "  - w8\n"
    "  - w9\n"
    "engines: [threads]\n"
    "threads: [1, 2]\n"
    "repetitions: 2\n"
    "iterations: 100000\n";

static void
parse(struct matrix *m)
{
	assert_int_equal(
	    matrix_parse_catalog("m.yaml", text, strlen(text), &cat, m), 0);
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The sorted keys of every cell the matrix plans. */
static char **
plan_keys(const struct matrix *m, size_t *n)
{
	struct plan p;
	char **keys;

	plan_make(m, &p);
	keys = calloc(p.ncells + 1, sizeof(*keys));
	for (size_t i = 0; i < p.ncells; i++)
		keys[i] = cell_key(m, &p.cells[i]);
	*n = p.ncells;
	plan_free(&p);
	qsort(keys, *n, sizeof(*keys), key_cmp);
	return keys;
}

static void
keys_free(char **keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
}

static void
check_cut(int count)
{
	struct matrix whole;
	char **all, **got;
	size_t nall, ngot = 0, n, w;
	double sum_s = 0, total_s = 0;

	parse(&whole);
	all = plan_keys(&whole, &nall);
	got = calloc(nall + 1, sizeof(*got));
	for (w = 0; w < whole.nworkloads; w++)
		total_s += shard_workload_cost(&whole, w, NULL);
	for (int k = 1; k <= count; k++) {
		struct shard s = {k, count};
		struct matrix m;
		struct plan p;
		char **keys;

		parse(&m);
		sum_s += matrix_keep_shard(&m, &s, NULL);
		keys = plan_keys(&m, &n);
		/* whole workloads: every cell of each is here */
		for (w = 0; w < m.nworkloads; w++) {
			size_t mine = 0, theirs = 0;

			for (size_t i = 0; i < n; i++)
				mine += strstr(keys[i], m.workloads[w].name) !=
				    NULL;
			for (size_t i = 0; i < nall; i++)
				theirs +=
				    strstr(all[i], m.workloads[w].name) != NULL;
			assert_int_equal(mine, theirs);
		}
		/* interleaved as the whole plan is: interpreters innermost */
		plan_make(&m, &p);
		for (size_t i = 0; i + 1 < p.ncells && m.ninterps > 1; i++)
			if (p.cells[i].interp + 1 < m.ninterps)
				assert_int_equal(p.cells[i + 1].interp,
				    p.cells[i].interp + 1);
		plan_free(&p);
		for (size_t i = 0; i < n; i++)
			got[ngot++] = keys[i];
		free(keys);
		matrix_free(&m);
	}
	/* disjoint, and together exactly the whole plan */
	assert_int_equal(ngot, nall);
	qsort(got, ngot, sizeof(*got), key_cmp);
	for (size_t i = 0; i < nall; i++)
		assert_string_equal(got[i], all[i]);
	assert_true(sum_s > total_s * 0.999 && sum_s < total_s * 1.001);
	keys_free(all, nall);
	keys_free(got, ngot);
	matrix_free(&whole);
}

static void
test_union_is_the_plan(void **state)
{
	(void)state;
	check_cut(1);
	check_cut(2);
	check_cut(3);
	check_cut(7);
	check_cut(12); /* more shards than workloads: some are empty */
}

/* The same inputs give the same cut, and by cost: the two expensive
 * workloads (w7, w1) go to different shards, the cheap ones fill up. */
static void
test_balanced_by_cost(void **state)
{
	struct matrix m;
	int a[10], b[10];
	double load_s[3], again_s[3], most_s = 0, least_s = 1e300;

	(void)state;
	parse(&m);
	shard_assign(&m, 3, NULL, a, load_s);
	shard_assign(&m, 3, NULL, b, again_s);
	assert_memory_equal(a, b, sizeof(a));
	assert_int_not_equal(a[7], a[1]);
	assert_true(shard_workload_cost(&m, 7, NULL) >
	    shard_workload_cost(&m, 1, NULL));
	assert_true(shard_workload_cost(&m, 2, NULL) >
	    shard_workload_cost(&m, 0, NULL));
	for (int k = 0; k < 3; k++) {
		most_s = load_s[k] > most_s ? load_s[k] : most_s;
		least_s = load_s[k] < least_s ? load_s[k] : least_s;
	}
	/* w7 alone outweighs everything else, so it has a shard of its own */
	for (int w = 0; w < 10; w++)
		if (w != 7)
			assert_int_not_equal(a[w], a[7]);
	assert_true(most_s == shard_workload_cost(&m, 7, NULL));
	matrix_free(&m);
}

/* Measured times of an earlier run, when given, decide instead. */
static void
test_costs_file(void **state)
{
	struct matrix m;
	struct resultset rs = {0};
	struct result_cell *c;
	int a[10];
	double load_s[2];

	(void)state;
	parse(&m);
	c = results_add_cell(&rs);
	c->workload = xstrdup("w5");
	c->elapsed_s = 1e6;
	assert_true(shard_workload_cost(&m, 5, &rs) == 1e6);
	shard_assign(&m, 2, &rs, a, load_s);
	for (int w = 0; w < 10; w++)
		if (w != 5)
			assert_int_not_equal(a[w], a[5]);
	results_free(&rs);
	matrix_free(&m);
}

static void
test_parse(void **state)
{
	struct shard s;
	const char *bad[] = {"", "1", "0/3", "4/3", "1/0", "a/b", "1/2/3",
	    "-1/2", "1/1001", " 1/2"};

	(void)state;
	assert_int_equal(shard_parse("2/7", &s), 0);
	assert_int_equal(s.index, 2);
	assert_int_equal(s.count, 7);
	assert_int_equal(shard_parse("1/1", &s), 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (shard_parse(bad[i], &s) == 0)
			fail_msg("accepted --shard \"%s\"", bad[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_union_is_the_plan),
	    cmocka_unit_test(test_balanced_by_cost),
	    cmocka_unit_test(test_costs_file),
	    cmocka_unit_test(test_parse),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
