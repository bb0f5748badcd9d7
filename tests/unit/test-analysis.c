#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ftmatrix.h"

#include "fixtures.h"

#define EPS 1e-9
#define GIL 0 /* interp indexes in the result set */
#define FT 1

/*
 * Built by hand, as results_load would leave it. Medians per group:
 * gil 1 thread 100 (pooled over two repetitions), gil 2 threads 200,
 * ft 1 thread 115, ft 2 threads 117; gil 4 threads only failed.
 */
static double gil1_rep0[] = {99, 100}, gil1_rep1[] = {101};
static double gil2[] = {199, 200, 201};
static double ft1[] = {114, 115, 116};
static double ft2[] = {116, 117, 118};
static double ft2_partial[] = {1, 1, 1}; /* from a failed cell: ignored */
static double io_gil1[] = {100, 100, 100}, io_gil2[] = {50, 50, 50};

static struct result_interp interps[] = {
    {.id = "gil", .available = 1},
    {.id = "ft", .available = 1},
};

#define CELL(in, wl, th, rp, st, samples, before, after, sc)                   \
	{                                                                      \
		.interp = in, .workload = wl, .engine = "threads",             \
		.threads = th, .rep = rp, .status = st, .scaling = sc,         \
		.gil_enabled_before = before, .gil_enabled_after = after,      \
		.wall_ns = samples, .nwall = sizeof(samples) / sizeof(double), \
	}

static struct result_cell cells[] = {
    CELL("gil", "cpu_loop", 1, 0, "ok", gil1_rep0, 1, 1, "weak"),
    CELL("ft", "cpu_loop", 1, 0, "ok", ft1, 0, 0, "weak"),
    CELL("gil", "cpu_loop", 2, 0, "ok", gil2, 1, 1, "weak"),
    /* an extension turned the GIL back on */
    CELL("ft", "cpu_loop", 2, 0, "ok", ft2, 0, 1, "weak"),
    CELL("gil", "cpu_loop", 1, 1, "ok", gil1_rep1, -1, 1, "weak"),
    CELL("ft", "cpu_loop", 2, 1, "failed", ft2_partial, 0, 0, "weak"),
    {.interp = "gil",
        .workload = "cpu_loop",
        .engine = "threads",
        .threads = 4,
        .status = "crashed",
        .gil_enabled_before = -1,
        .gil_enabled_after = -1,
        .scaling = "weak"},
    /* same total work: ideal speedup is T1 / TN */
    CELL("gil", "io_wait", 1, 0, "ok", io_gil1, 1, 1, "strong"),
    CELL("gil", "io_wait", 2, 0, "ok", io_gil2, 1, 1, "strong"),
    /* not in the result set's interpreters */
    CELL("ghost", "cpu_loop", 1, 0, "ok", ft1, 0, 0, "weak"),
};

static void
resultset_init(struct resultset *rs)
{
	memset(rs, 0, sizeof *rs);
	rs->baseline = "gil";
	rs->interps = interps;
	rs->ninterps = sizeof(interps) / sizeof(interps[0]);
	rs->cells = cells;
	rs->ncells = rs->cells_cap = sizeof(cells) / sizeof(cells[0]);
}

static int
setup(void **state)
{
	static struct resultset rs;
	static struct analysis a;

	resultset_init(&rs);
	analysis_make(&rs, &a);
	*state = &a;
	return 0;
}

static int
teardown(void **state)
{
	analysis_free(*state);
	return 0;
}

static const struct group *
find(void **state, size_t interp, const char *workload, int threads)
{
	const struct group *g =
	    analysis_find(*state, interp, workload, "threads", threads);

	assert_non_null(g);
	return g;
}

static void
groups_by_interp_workload_engine_threads(void **state)
{
	const struct analysis *a = *state;

	/* cpu_loop: gil 1 2 4, ft 1 2; io_wait: gil 1 2; "ghost" left out */
	assert_int_equal(a->ngroups, 7);
	assert_int_equal(a->baseline, GIL);
	assert_int_equal(a->nworkloads, 2);
	assert_string_equal(a->workloads[0], "cpu_loop");
	assert_string_equal(a->workloads[1], "io_wait");
	assert_int_equal(a->nthreads, 3);
	assert_int_equal(a->threads[0], 1);
	assert_int_equal(a->threads[1], 2);
	assert_int_equal(a->threads[2], 4);
	assert_null(analysis_find(a, FT, "cpu_loop", "threads", 4));
	assert_null(analysis_find(a, GIL, "cpu_loop", "processes", 1));
}

static void
pools_ok_samples_across_repetitions(void **state)
{
	const struct group *g = find(state, GIL, "cpu_loop", 1);

	assert_int_equal(g->ncells, 2);
	assert_int_equal(g->nfailed, 0);
	assert_int_equal(g->wall.n, 3);
	assert_near(g->wall.median, 100, EPS);
	assert_near(g->wall.min, 99, 0);
	assert_near(g->wall.max, 101, 0);
}

static void
counts_failed_cells_without_their_samples(void **state)
{
	const struct group *g = find(state, FT, "cpu_loop", 2);

	assert_int_equal(g->ncells, 2);
	assert_int_equal(g->nfailed, 1);
	assert_int_equal(g->wall.n, 3);
	assert_near(g->wall.median, 117, EPS);
	assert_near(g->wall.min, 116, 0);
}

static void
group_of_only_failures_exists_with_empty_summary(void **state)
{
	const struct group *g = find(state, GIL, "cpu_loop", 4);

	assert_int_equal(g->ncells, 1);
	assert_int_equal(g->nfailed, 1);
	assert_int_equal(g->wall.n, 0);
	assert_near(g->wall.median, 0, 0);
	assert_false(g->has_speedup);
	assert_false(g->has_overhead);
	assert_int_equal(g->gil_enabled, -1);
}

static void
weak_scaling_speedup_is_t1_n_over_tn(void **state)
{
	const struct group *ft = find(state, FT, "cpu_loop", 2);
	const struct group *gil = find(state, GIL, "cpu_loop", 2);

	assert_true(ft->has_speedup);
	assert_near(ft->speedup, 115.0 * 2 / 117, EPS); /* 1.9658 */
	assert_near(ft->efficiency, 115.0 / 117, EPS);
	assert_true(
	    ft->speedup_lo <= ft->speedup && ft->speedup <= ft->speedup_hi);
	/* extremes of the samples: 2 * 114 / 118 and 2 * 116 / 116 */
	assert_true(ft->speedup_lo >= 2 * 114.0 / 118 - EPS);
	assert_true(ft->speedup_hi <= 2.0 + EPS);

	assert_true(gil->has_speedup);
	assert_near(gil->speedup, 1.0, EPS); /* 100 * 2 / 200 */
	assert_near(gil->efficiency, 0.5, EPS);
	assert_true(gil->speedup_lo <= 1.0 && 1.0 <= gil->speedup_hi);
}

static void
strong_scaling_speedup_is_t1_over_tn(void **state)
{
	const struct group *g = find(state, GIL, "io_wait", 2);

	assert_true(g->has_speedup);
	assert_near(g->speedup, 2.0, EPS); /* 100 / 50 */
	assert_near(g->speedup_lo, 2.0, EPS);
	assert_near(g->speedup_hi, 2.0, EPS);
	assert_near(g->efficiency, 1.0, EPS);
}

static void
one_thread_speedup_is_one(void **state)
{
	const struct group *g = find(state, FT, "cpu_loop", 1);

	assert_true(g->has_speedup);
	assert_near(g->speedup, 1, 0);
	assert_near(g->efficiency, 1, 0);
}

static void
overhead_is_median_over_baseline_median(void **state)
{
	const struct group *ft1g = find(state, FT, "cpu_loop", 1);
	const struct group *ft2g = find(state, FT, "cpu_loop", 2);
	const struct group *gil1 = find(state, GIL, "cpu_loop", 1);

	assert_true(ft1g->has_overhead);
	assert_near(ft1g->overhead, 1.15, EPS); /* 115 / 100: 15% slower */
	assert_true(ft1g->overhead_lo <= 1.15 && 1.15 <= ft1g->overhead_hi);
	assert_true(ft1g->overhead_lo >= 114.0 / 101 - EPS);
	assert_true(ft1g->overhead_hi <= 116.0 / 99 + EPS);
	assert_true(ft2g->has_overhead);
	assert_near(ft2g->overhead, 117.0 / 200, EPS);
	assert_true(gil1->has_overhead);
	assert_near(gil1->overhead, 1, 0);
}

static void
gil_changed_when_before_differs_from_after(void **state)
{
	const struct group *ft2g = find(state, FT, "cpu_loop", 2);
	const struct group *ft1g = find(state, FT, "cpu_loop", 1);
	const struct group *gil1 = find(state, GIL, "cpu_loop", 1);

	assert_true(ft2g->gil_changed);
	assert_int_equal(ft2g->gil_enabled, 1);
	assert_false(ft1g->gil_changed);
	assert_int_equal(ft1g->gil_enabled, 0);
	/* before unknown in one repetition: not a change */
	assert_false(gil1->gil_changed);
	assert_int_equal(gil1->gil_enabled, 1);
}

static void
no_overhead_without_a_baseline(void **state)
{
	struct resultset rs;
	struct analysis a;
	const struct group *g;

	(void)state;
	resultset_init(&rs);
	rs.baseline = "3.12"; /* not among the interpreters */
	analysis_make(&rs, &a);
	assert_int_equal(a.baseline, SIZE_MAX);
	g = analysis_find(&a, FT, "cpu_loop", "threads", 1);
	assert_non_null(g);
	assert_false(g->has_overhead);
	assert_true(g->has_speedup);
	analysis_free(&a);

	rs.baseline = NULL;
	analysis_make(&rs, &a);
	assert_int_equal(a.baseline, SIZE_MAX);
	analysis_free(&a);
}

static void
empty_resultset_gives_no_groups(void **state)
{
	struct resultset rs;
	struct analysis a;

	(void)state;
	memset(&rs, 0, sizeof rs);
	analysis_make(&rs, &a);
	assert_int_equal(a.ngroups, 0);
	assert_int_equal(a.nworkloads, 0);
	assert_int_equal(a.nthreads, 0);
	assert_null(analysis_find(&a, 0, "cpu_loop", "threads", 1));
	analysis_free(&a);
}

/* The same workload on 2 threads and on 2 processes, two repetitions each:
 * the stats-reference.py T1 and T2 vectors, so the interval is known. */
static double tp_threads0[] = {120, 118, 121}, tp_threads1[] = {119, 125, 122};
static double tp_procs0[] = {100, 101, 99}, tp_procs1[] = {102, 100, 103};

static void
threads_vs_processes_is_a_ratio_of_medians(void **state)
{
	struct result_cell c[] = {
	    CELL("gil", "cpu_loop", 2, 0, "ok", tp_threads0, 1, 1, "weak"),
	    CELL("gil", "cpu_loop", 2, 1, "ok", tp_threads1, 1, 1, "weak"),
	    CELL("gil", "cpu_loop", 2, 0, "ok", tp_procs0, 1, 1, "weak"),
	    CELL("gil", "cpu_loop", 2, 1, "ok", tp_procs1, 1, 1, "weak"),
	};
	struct resultset rs;
	struct analysis a;
	const struct group *t, *p;

	(void)state;
	c[2].engine = c[3].engine = "processes";
	resultset_init(&rs);
	rs.cells = c;
	rs.ncells = rs.cells_cap = 4;
	analysis_make(&rs, &a);
	t = analysis_find(&a, GIL, "cpu_loop", "threads", 2);
	p = analysis_find(&a, GIL, "cpu_loop", "processes", 2);
	assert_non_null(t);
	assert_non_null(p);
	/* each cell is one probe process */
	assert_int_equal(t->wall.nclusters, 2);
	assert_true(t->has_vs_processes);
	assert_false(p->has_vs_processes);
	/* 120.5 / 100.5, and the reference's interval inverted */
	assert_near(t->vs_processes, 120.5 / 100.5, EPS);
	assert_true(t->vs_processes_lo <= t->vs_processes &&
	    t->vs_processes <= t->vs_processes_hi);
	assert_true(t->vs_processes_lo > 1);
	analysis_free(&a);
}

static double noisy0[] = {100, 130, 90}, noisy1[] = {160, 95, 100};

static void
noisy_groups_carry_a_warning(void **state)
{
	struct result_cell c[] = {
	    CELL("gil", "cpu_loop", 1, 0, "ok", noisy0, 1, 1, "weak"),
	    CELL("gil", "cpu_loop", 1, 1, "ok", noisy1, 1, 1, "weak"),
	    CELL("ft", "cpu_loop", 1, 0, "ok", io_gil1, 0, 0, "weak"),
	};
	struct resultset rs;
	struct analysis a;
	const struct group *g;

	(void)state;
	resultset_init(&rs);
	rs.cells = c;
	rs.ncells = rs.cells_cap = 3;
	analysis_make(&rs, &a);
	g = analysis_find(&a, GIL, "cpu_loop", "threads", 1);
	assert_non_null(g);
	assert_non_null(g->warning);
	assert_non_null(strstr(g->warning, "CV "));
	g = analysis_find(&a, FT, "cpu_loop", "threads", 1);
	assert_non_null(g);
	assert_null(g->warning); /* three equal values */
	analysis_free(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(groups_by_interp_workload_engine_threads),
	    cmocka_unit_test(pools_ok_samples_across_repetitions),
	    cmocka_unit_test(counts_failed_cells_without_their_samples),
	    cmocka_unit_test(group_of_only_failures_exists_with_empty_summary),
	    cmocka_unit_test(weak_scaling_speedup_is_t1_n_over_tn),
	    cmocka_unit_test(strong_scaling_speedup_is_t1_over_tn),
	    cmocka_unit_test(one_thread_speedup_is_one),
	    cmocka_unit_test(overhead_is_median_over_baseline_median),
	    cmocka_unit_test(gil_changed_when_before_differs_from_after),
	};
	const struct CMUnitTest standalone[] = {
	    cmocka_unit_test(no_overhead_without_a_baseline),
	    cmocka_unit_test(empty_resultset_gives_no_groups),
	    cmocka_unit_test(threads_vs_processes_is_a_ratio_of_medians),
	    cmocka_unit_test(noisy_groups_carry_a_warning),
	};

	return cmocka_run_group_tests(tests, setup, teardown) +
	    cmocka_run_group_tests(standalone, NULL, NULL);
}
