#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ftmatrix.h"
#include "fixtures.h"

/* A: on 2 threads, weak scaling, ft doubles its work in the same time */
static double gil1[] = {100, 100, 100}, gil2[] = {200, 200, 200};
static double ft1[] = {110, 110, 110}, ft2[] = {110, 110, 110};

#define CELL(in, wl, th, samples) FIXTURE_CELL(in, wl, th, "ok", samples, )

static struct result_cell cells_a[] = {
    CELL("gil", "cpu_loop", 1, gil1),
    CELL("ft", "cpu_loop", 1, ft1),
    CELL("gil", "cpu_loop", 2, gil2),
    CELL("ft", "cpu_loop", 2, ft2),
};

/* B: ft 10% faster on cpu_loop, the same elsewhere; its ids differ */
static double ft1_fast[] = {99, 99, 99}, ft2_fast[] = {99, 99, 99};
static struct result_interp interps_b[] = {
    {.id = "b-gil",
        .label = "3.13.16",
        .available = 1,
        .identity = {.gil_disabled_build = 0, .gil_enabled = 1}},
    {.id = "b-ft",
        .label = "3.13.16t",
        .available = 1,
        .identity = {.gil_disabled_build = 1, .gil_enabled = 0}},
};
static struct result_cell cells_b[] = {
    CELL("b-gil", "cpu_loop", 1, gil1),
    CELL("b-ft", "cpu_loop", 1, ft1_fast),
    CELL("b-gil", "cpu_loop", 2, gil2),
    CELL("b-ft", "cpu_loop", 2, ft2_fast),
};

static void
test_compare(void **state)
{
	struct resultset a, b;
	struct compare_pair p;

	(void)state;
	fixture_resultset(&a, cells_a, 4);
	fixture_resultset(&b, cells_b, 4);
	b.interps = interps_b;
	/* nothing in common by id or label: paired by kind */
	assert_int_equal(compare_make(&a, &b, MATCH_ID, &p), -1);
	compare_free(&p);
	assert_int_equal(compare_make(&a, &b, MATCH_AUTO, &p), 0);
	assert_int_equal(p.match, MATCH_KIND);
	assert_int_equal(p.b_of_a[0], 0);
	assert_int_equal(p.b_of_a[1], 1);
	assert_int_equal(p.nrows, 4);
	/* by interpreter, then as A ran them */
	assert_int_equal(p.rows[0].ia, 0);
	assert_int_equal(p.rows[0].threads, 1);
	assert_int_equal(p.rows[2].ia, 1);
	assert_near(p.rows[0].ratio, 1, 1e-12);
	assert_int_equal(p.rows[0].verdict, 0);
	assert_near(p.rows[2].ratio, 0.9, 1e-12);
	assert_int_equal(p.rows[2].verdict, -1);
	assert_text(compare_series(&p, 1), "3.13.15t → 3.13.16t");
	assert_text(compare_change_text(&p.rows[2]), "-10.0% [-10.0%, -10.0%]");
	compare_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_compare),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
