/*
 * Known answers for stats.c. numpy was not available where these were
 * written, so expected values come from Python's statistics module
 * (mean, median, stdev; quantiles(method="inclusive") is numpy's "linear"
 * percentile) and were checked by hand where noted.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ftmatrix.h"

#define assert_near(actual, expected, eps)                                     \
	do {                                                                   \
		double actual_ = (actual), expected_ = (expected);             \
		if (!(fabs(actual_ - expected_) <= (eps)))                     \
			fail_msg("%s = %.17g, expected %.17g", #actual,        \
			    actual_, expected_);                               \
	} while (0)

#define EPS 1e-9

#define N(x) (sizeof(x) / sizeof((x)[0]))

/* the classic example: sorted 15 20 35 40 50 */
static const double wiki[] = {15, 20, 35, 40, 50};
static const double wiki_unsorted[] = {50, 15, 40, 20, 35};

static void
percentile_interpolates_between_ranks(void **state)
{
	(void)state;
	/* h = p/100 * (n-1); x[floor h] + frac(h) * (next - x[floor h]):
	 * p25 h=1 -> 20; p40 h=1.6 -> 20+.6*15; p37.5 h=1.5 -> 20+.5*15;
	 * p95 h=3.8 -> 40+.8*10; p99 h=3.96 -> 40+.96*10 */
	assert_near(stats_percentile(wiki, N(wiki), 25), 20, EPS);
	assert_near(stats_percentile(wiki, N(wiki), 40), 29, EPS);
	assert_near(stats_percentile(wiki, N(wiki), 37.5), 27.5, EPS);
	assert_near(stats_percentile(wiki, N(wiki), 50), 35, EPS);
	assert_near(stats_percentile(wiki, N(wiki), 95), 48, EPS);
	assert_near(stats_percentile(wiki, N(wiki), 99), 49.6, EPS);
}

static void
percentile_ends_are_min_and_max(void **state)
{
	(void)state;
	assert_near(stats_percentile(wiki, N(wiki), 0), 15, 0);
	assert_near(stats_percentile(wiki, N(wiki), 100), 50, 0);
}

static void
percentile_sorts_a_copy_of_unsorted_input(void **state)
{
	double x[N(wiki_unsorted)];

	(void)state;
	memcpy(x, wiki_unsorted, sizeof x);
	assert_near(stats_percentile(x, N(x), 40), 29, EPS);
	assert_near(stats_percentile(x, N(x), 0), 15, 0);
	assert_near(stats_percentile(x, N(x), 100), 50, 0);
	assert_memory_equal(x, wiki_unsorted, sizeof x);
}

static void
percentile_of_one_value_is_that_value(void **state)
{
	double x[] = {42.5};

	(void)state;
	assert_near(stats_percentile(x, 1, 0), 42.5, 0);
	assert_near(stats_percentile(x, 1, 37), 42.5, 0);
	assert_near(stats_percentile(x, 1, 100), 42.5, 0);
}

static void
percentile_of_nothing_is_zero(void **state)
{
	(void)state;
	assert_near(stats_percentile(NULL, 0, 50), 0, 0);
}

static void
summary_of_odd_count(void **state)
{
	struct summary s;

	(void)state;
	stats_summarize(wiki_unsorted, N(wiki_unsorted), &s);
	assert_int_equal(s.n, 5);
	assert_near(s.mean, 32, EPS); /* 160 / 5 */
	assert_near(s.median, 35, EPS);
	assert_near(s.p50, 35, EPS);
	/* deviations -17 -12 3 8 18, squares sum 830, sqrt(830 / 4) */
	assert_near(s.stdev, 14.404860290887934, EPS);
	/* |x - 35| = 0 5 15 15 20 */
	assert_near(s.mad, 15, EPS);
	assert_near(s.min, 15, 0);
	assert_near(s.max, 50, 0);
	assert_near(s.p95, 48, EPS);
	assert_near(s.p99, 49.6, EPS);
	assert_near(s.cv, 14.404860290887934 / 32, EPS);
	assert_int_equal(s.outliers, 0);
}

static void
summary_of_even_count(void **state)
{
	double x[] = {3, 1, 4, 1, 5, 9};
	struct summary s;

	(void)state;
	stats_summarize(x, N(x), &s);
	assert_int_equal(s.n, 6);
	assert_near(s.mean, 23.0 / 6, EPS);
	assert_near(s.median, 3.5, EPS); /* (3 + 4) / 2 */
	assert_near(s.stdev, 2.9944392908634274, EPS);
	/* |x - 3.5| sorted: .5 .5 1.5 2.5 2.5 5.5 */
	assert_near(s.mad, 2, EPS);
	assert_near(s.min, 1, 0);
	assert_near(s.max, 9, 0);
	assert_near(s.p95, 8, EPS);   /* h = 4.75: 5 + .75 * 4 */
	assert_near(s.p99, 8.8, EPS); /* h = 4.95 */
	assert_near(s.cv, 0.7811580758774158, EPS);
	assert_int_equal(s.outliers, 0);
}

static void
outliers_are_beyond_three_scaled_mads(void **state)
{
	/* median 5, MAD 1, limit 3 * 1.4826 = 4.4478: 10 and 100 are out,
	 * 2 (off by 3) is not */
	double x[] = {2, 4, 4, 4, 5, 5, 7, 10, 100};
	struct summary s;

	(void)state;
	stats_summarize(x, N(x), &s);
	assert_near(s.median, 5, 0);
	assert_near(s.mad, 1, 0);
	assert_near(s.mean, 141.0 / 9, EPS);
	assert_near(s.stdev, 31.70567772497538, EPS);
	assert_near(s.p95, 64, 1e-9);
	assert_int_equal(s.outliers, 2);
}

static void
no_outliers_when_mad_is_zero(void **state)
{
	double x[] = {7, 7, 7, 7, 100};
	struct summary s;

	(void)state;
	stats_summarize(x, N(x), &s);
	assert_near(s.median, 7, 0);
	assert_near(s.mad, 0, 0);
	assert_int_equal(s.outliers, 0);
}

static void
bootstrap_ci_holds_the_median_and_is_reasonable(void **state)
{
	double x[100];
	struct summary s;
	size_t i;

	(void)state;
	for (i = 0; i < N(x); i++)
		x[i] = (double)(i + 1);
	stats_summarize(x, N(x), &s);
	assert_near(s.median, 50.5, EPS);
	assert_near(s.mean, 50.5, EPS);
	assert_near(s.stdev, 29.011491975882016, EPS);
	assert_near(s.mad, 25, EPS);
	assert_near(s.p95, 95.05, EPS);
	assert_near(s.p99, 99.01, EPS);
	/* the median's standard error is about 1.25 * 29 / 10 = 3.6 */
	assert_true(s.ci_lo <= s.median && s.median <= s.ci_hi);
	assert_true(s.ci_lo >= 40 && s.ci_hi <= 61);
	assert_true(s.ci_hi - s.ci_lo >= 4); /* not degenerate either */
}

static void
bootstrap_ci_is_deterministic(void **state)
{
	double x[] = {
	    12.1, 11.9, 12.4, 13.0, 12.2, 11.7, 12.8, 12.0, 15.2, 12.3};
	struct summary a, b;

	(void)state;
	stats_summarize(x, N(x), &a);
	stats_summarize(x, N(x), &b);
	assert_true(a.ci_lo == b.ci_lo && a.ci_hi == b.ci_hi);
	assert_true(a.ci_lo <= a.median && a.median <= a.ci_hi);
	assert_true(a.ci_lo >= a.min && a.ci_hi <= a.max);
}

static void
bootstrap_ci_of_equal_values_is_a_point(void **state)
{
	double x[] = {3, 3, 3, 3};
	struct summary s;

	(void)state;
	stats_summarize(x, N(x), &s);
	assert_near(s.ci_lo, 3, 0);
	assert_near(s.ci_hi, 3, 0);
	assert_near(s.stdev, 0, 0);
	assert_near(s.cv, 0, 0);
}

static void
summary_of_nothing_is_zero(void **state)
{
	struct summary s;

	(void)state;
	memset(&s, 0xff, sizeof s);
	stats_summarize(NULL, 0, &s);
	assert_int_equal(s.n, 0);
	assert_int_equal(s.outliers, 0);
	assert_near(s.mean, 0, 0);
	assert_near(s.median, 0, 0);
	assert_near(s.stdev, 0, 0);
	assert_near(s.mad, 0, 0);
	assert_near(s.min, 0, 0);
	assert_near(s.max, 0, 0);
	assert_near(s.p50, 0, 0);
	assert_near(s.p95, 0, 0);
	assert_near(s.p99, 0, 0);
	assert_near(s.ci_lo, 0, 0);
	assert_near(s.ci_hi, 0, 0);
	assert_near(s.cv, 0, 0);
}

static void
summary_of_one_value(void **state)
{
	double x[] = {7.25};
	struct summary s;

	(void)state;
	stats_summarize(x, 1, &s);
	assert_int_equal(s.n, 1);
	assert_near(s.mean, 7.25, 0);
	assert_near(s.median, 7.25, 0);
	assert_near(s.min, 7.25, 0);
	assert_near(s.max, 7.25, 0);
	assert_near(s.p95, 7.25, 0);
	assert_near(s.p99, 7.25, 0);
	assert_near(s.stdev, 0, 0);
	assert_near(s.mad, 0, 0);
	assert_near(s.cv, 0, 0);
	assert_near(s.ci_lo, 7.25, 0);
	assert_near(s.ci_hi, 7.25, 0);
	assert_int_equal(s.outliers, 0);
}

static void
ratio_is_of_medians_with_a_deterministic_ci(void **state)
{
	/* medians 20 and 5 (the means, 32 and 5, would give 6.4) */
	double a[] = {10, 20, 30, 18, 100}, b[] = {4, 5, 6, 5.5, 4.5};
	double r, lo, hi, r2, lo2, hi2;

	(void)state;
	stats_ratio(a, N(a), b, N(b), &r, &lo, &hi);
	assert_near(r, 4, EPS);
	assert_true(lo <= r && r <= hi);
	assert_true(lo >= 10.0 / 6 && hi <= 100.0 / 4); /* extreme ratios */
	stats_ratio(a, N(a), b, N(b), &r2, &lo2, &hi2);
	assert_true(r == r2 && lo == lo2 && hi == hi2);
}

static void
ratio_of_constant_samples_is_exact(void **state)
{
	double a[] = {115, 115, 115}, b[] = {100, 100};
	double r, lo, hi;

	(void)state;
	stats_ratio(a, N(a), b, N(b), &r, &lo, &hi);
	assert_near(r, 1.15, EPS);
	assert_near(lo, 1.15, EPS);
	assert_near(hi, 1.15, EPS);
}

static void
ratio_with_an_empty_side_is_zero(void **state)
{
	double a[] = {1, 2, 3};
	double r = -1, lo = -1, hi = -1;

	(void)state;
	stats_ratio(a, N(a), NULL, 0, &r, &lo, &hi);
	assert_true(r == 0 && lo == 0 && hi == 0);
	r = lo = hi = -1;
	stats_ratio(NULL, 0, a, N(a), &r, &lo, &hi);
	assert_true(r == 0 && lo == 0 && hi == 0);
}

static void
ratio_of_single_values(void **state)
{
	double a[] = {3}, b[] = {2};
	double r, lo, hi;

	(void)state;
	stats_ratio(a, 1, b, 1, &r, &lo, &hi);
	assert_near(r, 1.5, 0);
	assert_near(lo, 1.5, 0);
	assert_near(hi, 1.5, 0);
}

/*
 * Expected intervals from a separate Python implementation of the same
 * procedure (splitmix64 seeded with STATS_SEED, rejection for unbiased
 * indices, each resample sorted, numpy-linear percentiles), which does not
 * share stats.c's counting shortcut.
 */
static void
bootstrap_ci_matches_a_naive_reference(void **state)
{
	double odd[] = {2, 4, 4, 4, 5, 5, 7, 10, 100};
	double even[] = {
	    12.1, 11.9, 12.4, 13.0, 12.2, 11.7, 12.8, 12.0, 15.2, 12.3};
	double seq[100];
	struct summary s;
	size_t i;

	(void)state;
	stats_summarize(odd, N(odd), &s);
	assert_near(s.ci_lo, 4, EPS);
	assert_near(s.ci_hi, 10, EPS);
	stats_summarize(even, N(even), &s);
	assert_near(s.ci_lo, 12.0, EPS);
	assert_near(s.ci_hi, 12.8, EPS);
	for (i = 0; i < N(seq); i++)
		seq[i] = (double)(i + 1);
	stats_summarize(seq, N(seq), &s);
	assert_near(s.ci_lo, 41, EPS);
	assert_near(s.ci_hi, 60.5, EPS);
}

static void
ratio_ci_matches_a_naive_reference(void **state)
{
	double a[] = {10, 20, 30, 18, 100}, b[] = {4, 5, 6, 5.5, 4.5};
	double r, lo, hi;

	(void)state;
	stats_ratio(a, N(a), b, N(b), &r, &lo, &hi);
	assert_near(r, 4, EPS);
	assert_near(lo, 2, EPS);
	assert_near(hi, 20, EPS);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(percentile_interpolates_between_ranks),
	    cmocka_unit_test(percentile_ends_are_min_and_max),
	    cmocka_unit_test(percentile_sorts_a_copy_of_unsorted_input),
	    cmocka_unit_test(percentile_of_one_value_is_that_value),
	    cmocka_unit_test(percentile_of_nothing_is_zero),
	    cmocka_unit_test(summary_of_odd_count),
	    cmocka_unit_test(summary_of_even_count),
	    cmocka_unit_test(outliers_are_beyond_three_scaled_mads),
	    cmocka_unit_test(no_outliers_when_mad_is_zero),
	    cmocka_unit_test(bootstrap_ci_holds_the_median_and_is_reasonable),
	    cmocka_unit_test(bootstrap_ci_is_deterministic),
	    cmocka_unit_test(bootstrap_ci_of_equal_values_is_a_point),
	    cmocka_unit_test(bootstrap_ci_matches_a_naive_reference),
	    cmocka_unit_test(summary_of_nothing_is_zero),
	    cmocka_unit_test(summary_of_one_value),
	    cmocka_unit_test(ratio_is_of_medians_with_a_deterministic_ci),
	    cmocka_unit_test(ratio_of_constant_samples_is_exact),
	    cmocka_unit_test(ratio_with_an_empty_side_is_zero),
	    cmocka_unit_test(ratio_of_single_values),
	    cmocka_unit_test(ratio_ci_matches_a_naive_reference),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
