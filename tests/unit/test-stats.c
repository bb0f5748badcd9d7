/*
 * Known answers for stats.c, computed independently: by hand where noted,
 * and by tests/unit/stats-reference.py (numpy, and a textbook bootstrap
 * loop that shares only the seeded random stream with stats.c).
 */
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

/* stats-reference.py "procs": three processes, the second one slower */
static const double procs[] = {1000, 1004, 998, 1001, 1003, 1040, 1043, 1038,
    1041, 1045, 1012, 1010, 1015, 1011, 1013};
static const size_t procs_sizes[] = {5, 5, 5};

static void
clustered_summary_matches_numpy(void **state)
{
	struct samples x = {procs, N(procs), procs_sizes, N(procs_sizes)};
	struct summary s;

	(void)state;
	stats_summarize_samples(&x, &s);
	assert_int_equal(s.n, 15);
	assert_int_equal(s.nclusters, 3);
	assert_near(s.mean, 1018.2666666666667, EPS);
	assert_near(s.median, 1012, EPS);
	assert_near(s.stdev, 17.693690024035874, EPS);
	assert_near(s.mad, 11, EPS);
	assert_near(s.min, 998, 0);
	assert_near(s.max, 1045, 0);
	assert_near(s.p95, 1043.6, EPS);
	assert_near(s.p99, 1044.72, EPS);
	assert_near(s.cv, 0.017376283250002494, EPS);
	assert_near(s.cv_between, 0.020402618031438897, EPS);
	assert_near(s.cv_within, 0.002317053603402696, EPS);
	assert_int_equal(s.outliers, 0);
	assert_near(s.ci_lo, 1001, EPS);
	assert_near(s.ci_hi, 1041, EPS);
}

/* The same values taken as one process give a narrower interval: treating
 * values of one process as independent understates the uncertainty. */
static void
clustered_ci_is_wider_than_pooled(void **state)
{
	struct samples x = {procs, N(procs), procs_sizes, N(procs_sizes)};
	struct summary c, p;

	(void)state;
	stats_summarize_samples(&x, &c);
	stats_summarize(procs, N(procs), &p);
	assert_int_equal(p.nclusters, 1);
	assert_near(p.ci_lo, 1003, EPS);
	assert_near(p.ci_hi, 1038, EPS);
	assert_true(c.ci_hi - c.ci_lo > p.ci_hi - p.ci_lo);
	/* everything but the interval and the spread split is the same */
	assert_near(c.median, p.median, 0);
	assert_near(c.stdev, p.stdev, 0);
}

static void
cluster_sizes_that_do_not_add_up_mean_one_cluster(void **state)
{
	static const size_t wrong[] = {5, 5};
	struct samples x = {procs, N(procs), wrong, N(wrong)};
	struct summary s;

	(void)state;
	stats_summarize_samples(&x, &s);
	assert_int_equal(s.nclusters, 1);
	assert_near(s.ci_lo, 1003, EPS);
	assert_near(s.ci_hi, 1038, EPS);
}

static void
empty_processes_are_left_out(void **state)
{
	static const size_t sizes[] = {5, 0, 5, 0, 5};
	struct samples x = {procs, N(procs), sizes, N(sizes)};
	struct summary s;

	(void)state;
	stats_summarize_samples(&x, &s);
	assert_int_equal(s.nclusters, 3);
	assert_near(s.ci_lo, 1001, EPS);
	assert_near(s.ci_hi, 1041, EPS);
}

static void
even_count_outlier_and_percentiles(void **state)
{
	double x[] = {
	    12.1, 11.9, 12.4, 13.0, 12.2, 11.7, 12.8, 12.0, 15.2, 12.3};
	struct summary s;

	(void)state;
	stats_summarize(x, N(x), &s);
	assert_near(s.mean, 12.559999999999999, EPS);
	assert_near(s.median, 12.25, EPS);
	assert_near(s.stdev, 1.007968253468332, EPS);
	assert_near(s.mad, 0.3, EPS);
	assert_near(s.p95, 14.209999999999997, EPS);
	assert_near(s.p99, 15.001999999999999, EPS);
	assert_near(s.cv, 0.08025224947996275, EPS);
	assert_int_equal(s.outliers, 1); /* 15.2 */
}

/* stats-reference.py: T1 and T2, two processes of three samples each */
static const double t1[] = {100, 101, 99, 102, 100, 103};
static const double t2[] = {120, 118, 121, 119, 125, 122};
static const size_t t_sizes[] = {3, 3};

static void
weak_speedup_is_t1_n_over_tn(void **state)
{
	struct samples a = {t1, N(t1), t_sizes, 2}, b = {t2, N(t2), t_sizes, 2};
	struct speedup sp;

	(void)state;
	stats_speedup(&a, &b, 2, 0, &sp);
	/* medians 100.5 and 120.5: 100.5 * 2 / 120.5 */
	assert_near(sp.value, 1.6680497925311204, EPS);
	assert_near(sp.lo, 1.6194331983805668, EPS);
	assert_near(sp.hi, 1.7166666666666666, EPS);
	assert_near(sp.efficiency, 0.8340248962655602, EPS);
}

static void
strong_speedup_is_t1_over_tn(void **state)
{
	struct samples a = {t1, N(t1), t_sizes, 2}, b = {t2, N(t2), t_sizes, 2};
	struct speedup sp;

	(void)state;
	stats_speedup(&a, &b, 2, 1, &sp);
	assert_near(sp.value, 0.8340248962655602, EPS);
	assert_near(sp.lo, 0.8097165991902834, EPS);
	assert_near(sp.hi, 0.8583333333333333, EPS);
	assert_near(sp.efficiency, 0.4170124481327801, EPS);
}

static void
speedup_of_nothing_is_zero(void **state)
{
	struct samples a = {t1, N(t1), NULL, 0}, none = {NULL, 0, NULL, 0};
	struct speedup sp;

	(void)state;
	stats_speedup(&a, &none, 2, 0, &sp);
	assert_true(sp.value == 0 && sp.lo == 0 && sp.hi == 0);
	assert_near(sp.efficiency, 0, 0);
}

static void
ci_halfwidth_is_relative_to_the_median(void **state)
{
	struct summary s = {.n = 10, .median = 200, .ci_lo = 190, .ci_hi = 214};

	(void)state;
	assert_near(stats_ci_halfwidth(&s), 0.06, EPS); /* 12 / 200 */
	s.n = 1;
	assert_near(stats_ci_halfwidth(&s), 0, 0);
}

static void
quiet_groups_get_no_warning(void **state)
{
	struct summary s = {.n = 20, .nclusters = 4, .mean = 100, .median = 100,
	    .cv = 0.01, .ci_lo = 99, .ci_hi = 101};

	(void)state;
	assert_null(stats_noise_warning(&s, STATS_CV_MAX, STATS_CI_MAX));
}

static void
disagreeing_processes_want_more_repetitions(void **state)
{
	struct samples x = {procs, N(procs), procs_sizes, N(procs_sizes)};
	struct summary s;
	char *w;

	(void)state;
	stats_summarize_samples(&x, &s);
	/* CV 1.7% is fine, the interval (1001, 1041) is +-2.0% of 1012 */
	w = stats_noise_warning(&s, STATS_CV_MAX, 0.01);
	assert_non_null(w);
	assert_string_equal(w,
	    "95% CI of the median ±2.0% (above ±1.0%); try more "
	    "repetitions: the 3 probe processes differ (CV 2.0% between "
	    "their means, 0.2% within one), which more values per process "
	    "cannot average out");
	free(w);
}

static void
outliers_want_a_quieter_machine(void **state)
{
	double x[] = {2, 4, 4, 4, 5, 5, 7, 10, 100};
	struct summary s;
	char *w;

	(void)state;
	stats_summarize(x, N(x), &s);
	w = stats_noise_warning(&s, STATS_CV_MAX, STATS_CI_MAX);
	assert_non_null(w);
	assert_string_equal(w,
	    "CV 202.4% (above 5.0%), 95% CI of the median ±60.0% (above "
	    "±2.0%); try a quieter machine: 2 of 9 values are outliers, so "
	    "something else competed for the CPU");
	free(w);
}

static void
jitter_wants_pinning(void **state)
{
	struct summary s = {.n = 30, .nclusters = 1, .mean = 100, .median = 100,
	    .cv = 0.08, .cv_within = 0.08, .ci_lo = 99.5, .ci_hi = 100.5};
	char *w;

	(void)state;
	w = stats_noise_warning(&s, STATS_CV_MAX, STATS_CI_MAX);
	assert_non_null(w);
	assert_string_equal(w, "CV 8.0% (above 5.0%); try CPU pinning "
			       "(--affinity), a quieter machine and the "
			       "performance governor");
	free(w);
}

/* Process means that differ only as much as within-process noise
 * predicts (sw / sqrt(S)) are no reason to prefer processes. */
static void
process_spread_explained_by_jitter_is_not_blamed(void **state)
{
	struct summary s = {.n = 20, .nclusters = 4, .mean = 100, .median = 100,
	    .cv = 0.03, .cv_within = 0.03, .cv_between = 0.012, .ci_lo = 97.5,
	    .ci_hi = 102.5};
	char *w;

	(void)state;
	/* 0.012^2 = 1.44e-4 < 0.03^2 / 5 = 1.8e-4 */
	w = stats_noise_warning(&s, STATS_CV_MAX, STATS_CI_MAX);
	assert_non_null(w);
	assert_string_equal(w, "95% CI of the median ±2.5% (above ±2.0%); "
			       "try more repetitions or samples (now 20 values "
			       "from 4 processes)");
	free(w);
}

static void
a_wide_interval_alone_wants_more_values(void **state)
{
	struct summary s = {.n = 3, .nclusters = 1, .mean = 100, .median = 100,
	    .cv = 0.03, .cv_within = 0.03, .ci_lo = 97, .ci_hi = 103};
	char *w;

	(void)state;
	w = stats_noise_warning(&s, STATS_CV_MAX, STATS_CI_MAX);
	assert_non_null(w);
	assert_string_equal(w, "95% CI of the median ±3.0% (above ±2.0%); "
			       "try more repetitions or samples (now 3 values "
			       "from 1 process)");
	free(w);
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
	    cmocka_unit_test(clustered_summary_matches_numpy),
	    cmocka_unit_test(clustered_ci_is_wider_than_pooled),
	    cmocka_unit_test(cluster_sizes_that_do_not_add_up_mean_one_cluster),
	    cmocka_unit_test(empty_processes_are_left_out),
	    cmocka_unit_test(even_count_outlier_and_percentiles),
	    cmocka_unit_test(weak_speedup_is_t1_n_over_tn),
	    cmocka_unit_test(strong_speedup_is_t1_over_tn),
	    cmocka_unit_test(speedup_of_nothing_is_zero),
	    cmocka_unit_test(ci_halfwidth_is_relative_to_the_median),
	    cmocka_unit_test(quiet_groups_get_no_warning),
	    cmocka_unit_test(disagreeing_processes_want_more_repetitions),
	    cmocka_unit_test(outliers_want_a_quieter_machine),
	    cmocka_unit_test(jitter_wants_pinning),
	    cmocka_unit_test(a_wide_interval_alone_wants_more_values),
	    cmocka_unit_test(process_spread_explained_by_jitter_is_not_blamed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
