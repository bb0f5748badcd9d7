#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* splitmix64: tiny, well distributed and the same on every platform, so a
 * confidence interval printed today is the one printed tomorrow. */
struct rng {
	uint64_t state;
};

static uint64_t
rng_next(struct rng *r)
{
	uint64_t z = (r->state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

/* Uniform in [0, n): rejects the few values that would bias the modulo. */
static size_t
rng_below(struct rng *r, size_t n)
{
	uint64_t bound = n, threshold = -bound % bound, v;

	do
		v = rng_next(r);
	while (v < threshold);
	return (size_t)(v % bound);
}

static int
cmp_double(const void *pa, const void *pb)
{
	double a = *(const double *)pa, b = *(const double *)pb;

	return (a > b) - (a < b);
}

static double *
sorted_copy(const double *x, size_t n)
{
	double *s = xreallocarray(NULL, n, sizeof *s);

	memcpy(s, x, n * sizeof *s);
	qsort(s, n, sizeof *s, cmp_double);
	return s;
}

/* numpy's _lerp: from the nearer end, so t = 0 and t = 1 are exact. */
static double
lerp(double a, double b, double t)
{
	double diff = b - a;

	if (a == b)
		return a;
	return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

/* Where percentile p falls: rank lo, and how far towards lo + 1. */
static void
percentile_rank(size_t n, double p, size_t *lo, double *t)
{
	double h;

	if (p < 0)
		p = 0;
	if (p > 100)
		p = 100;
	h = p / 100 * (double)(n - 1);
	*lo = (size_t)floor(h);
	if (*lo >= n - 1) {
		*lo = n - 1;
		*t = 0;
	} else
		*t = h - (double)*lo;
}

static double
sorted_percentile(const double *s, size_t n, double p)
{
	size_t lo;
	double t;

	if (n == 0)
		return 0;
	percentile_rank(n, p, &lo, &t);
	return lo + 1 < n ? lerp(s[lo], s[lo + 1], t) : s[lo];
}

double
stats_percentile(const double *x, size_t n, double p)
{
	double *s, v;

	if (n == 0)
		return 0;
	s = sorted_copy(x, n);
	v = sorted_percentile(s, n, p);
	free(s);
	return v;
}

/*
 * The median of one resample of sorted s. Drawing indices into a sorted array
 * and counting them gives the resample already in order, so a round costs
 * O(n) and no sort; counts is caller-provided scratch of n entries.
 */
static double
resample_median(const double *s, size_t n, size_t *counts, struct rng *r)
{
	size_t lo, i, seen = 0;
	double t, a = 0;

	memset(counts, 0, n * sizeof *counts);
	for (i = 0; i < n; i++)
		counts[rng_below(r, n)]++;
	percentile_rank(n, 50, &lo, &t);
	for (i = 0; i < n; i++) {
		if (counts[i] == 0)
			continue;
		if (seen + counts[i] > lo) {
			a = s[i];
			break;
		}
		seen += counts[i];
	}
	if (t == 0)
		return a;
	/* the element at rank lo + 1: the same value, or the next drawn one */
	if (seen + counts[i] > lo + 1)
		return a;
	while (++i < n && counts[i] == 0)
		;
	return lerp(a, s[i], t);
}

/* 2.5th and 97.5th percentiles of the rounds' estimates (sorted in place). */
static void
bootstrap_interval(double *est, double *lo, double *hi)
{
	qsort(est, STATS_BOOTSTRAP_ROUNDS, sizeof *est, cmp_double);
	*lo = sorted_percentile(est, STATS_BOOTSTRAP_ROUNDS, 2.5);
	*hi = sorted_percentile(est, STATS_BOOTSTRAP_ROUNDS, 97.5);
}

void
stats_summarize(const double *x, size_t n, struct summary *s)
{
	struct rng r = {STATS_SEED};
	double *sorted, *dev, *est, sum = 0, sq = 0, comp = 0, limit;
	size_t *counts, i;

	memset(s, 0, sizeof *s);
	s->n = n;
	if (n == 0)
		return;
	sorted = sorted_copy(x, n);
	for (i = 0; i < n; i++)
		sum += x[i];
	s->mean = sum / (double)n;
	/* two passes, with the rounding error of the mean taken back out */
	for (i = 0; i < n; i++) {
		sq += (x[i] - s->mean) * (x[i] - s->mean);
		comp += x[i] - s->mean;
	}
	if (n > 1)
		s->stdev =
		    sqrt((sq - comp * comp / (double)n) / (double)(n - 1));
	s->min = sorted[0];
	s->max = sorted[n - 1];
	s->median = s->p50 = sorted_percentile(sorted, n, 50);
	s->p95 = sorted_percentile(sorted, n, 95);
	s->p99 = sorted_percentile(sorted, n, 99);
	s->cv = s->mean != 0 ? s->stdev / s->mean : 0;

	dev = xreallocarray(NULL, n, sizeof *dev);
	for (i = 0; i < n; i++)
		dev[i] = fabs(x[i] - s->median);
	qsort(dev, n, sizeof *dev, cmp_double);
	s->mad = sorted_percentile(dev, n, 50);
	free(dev);
	/* 1.4826 * MAD estimates sigma for normal data */
	limit = 3 * 1.4826 * s->mad;
	for (i = 0; s->mad > 0 && i < n; i++)
		if (fabs(x[i] - s->median) > limit)
			s->outliers++;

	if (n == 1) {
		s->ci_lo = s->ci_hi = x[0];
		free(sorted);
		return;
	}
	counts = xreallocarray(NULL, n, sizeof *counts);
	est = xreallocarray(NULL, STATS_BOOTSTRAP_ROUNDS, sizeof *est);
	for (i = 0; i < STATS_BOOTSTRAP_ROUNDS; i++)
		est[i] = resample_median(sorted, n, counts, &r);
	bootstrap_interval(est, &s->ci_lo, &s->ci_hi);
	free(est);
	free(counts);
	free(sorted);
}

static double
ratio_of(double num, double den)
{
	if (den != 0)
		return num / den;
	return num == 0 ? 1 : HUGE_VAL; /* stays NaN-free so sorting works */
}

/* All three are 0 when either side is empty or median(b) is 0. */
void
stats_ratio(const double *a, size_t na, const double *b, size_t nb,
    double *ratio, double *lo, double *hi)
{
	struct rng r = {STATS_SEED};
	double *sa, *sb, *est, ma, mb;
	size_t *counts, i;

	*ratio = *lo = *hi = 0;
	if (na == 0 || nb == 0)
		return;
	sa = sorted_copy(a, na);
	sb = sorted_copy(b, nb);
	ma = sorted_percentile(sa, na, 50);
	mb = sorted_percentile(sb, nb, 50);
	if (mb != 0) {
		*ratio = ma / mb;
		counts = xreallocarray(NULL, na > nb ? na : nb, sizeof *counts);
		est = xreallocarray(NULL, STATS_BOOTSTRAP_ROUNDS, sizeof *est);
		for (i = 0; i < STATS_BOOTSTRAP_ROUNDS; i++) {
			double ra = resample_median(sa, na, counts, &r);
			double rb = resample_median(sb, nb, counts, &r);

			est[i] = ratio_of(ra, rb);
		}
		bootstrap_interval(est, lo, hi);
		free(est);
		free(counts);
	}
	free(sa);
	free(sb);
}
