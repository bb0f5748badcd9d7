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

/*
 * A bound for rng_below, with what its modulo takes worked out once: the
 * bootstrap draws millions of indices below a few bounds, and a 64-bit
 * division per draw was most of a compare's time. m and the shifts give
 * v / d exactly for every 64-bit v (Granlund and Montgomery 1994, figure
 * 4.1), so the draws are the ones v % d gives.
 */
struct bound {
	uint64_t d, m, threshold;
	unsigned sh1, sh2;
};

static struct bound
bound_of(size_t n)
{
	struct bound b = {.d = n};
	unsigned l = 0;

	if (n == 0)
		return b; /* nothing to draw from */
	while (l < 64 && ((uint64_t)1 << l) < b.d)
		l++; /* ceil(log2 d) */
	b.m = (uint64_t)(((((unsigned __int128)1 << l) - b.d) << 64) / b.d) + 1;
	b.sh1 = l ? 1 : 0;
	b.sh2 = l ? l - 1 : 0;
	b.threshold = -b.d % b.d;
	return b;
}

/* Uniform in [0, d): rejects the few values that would bias the modulo. */
static inline size_t
rng_below(struct rng *r, const struct bound *b)
{
	uint64_t v, t, q;

	do
		v = rng_next(r);
	while (v < b->threshold);
	t = (uint64_t)(((unsigned __int128)b->m * v) >> 64);
	q = (t + ((v - t) >> b->sh1)) >> b->sh2;
	return (size_t)(v - q * b->d);
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
 * The median of m values drawn from sorted s[0..n), counts[i] of them s[i]:
 * drawing indices into a sorted array and counting them gives the
 * resample already in order, so a round costs O(n) and no sort.
 */
static double
counted_median(const double *s, size_t n, const size_t *counts, size_t m)
{
	size_t lo, i, seen = 0;
	double t, a = 0;

	percentile_rank(m, 50, &lo, &t);
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

/*
 * Values measured in one probe process share its hash seed, address layout
 * and warm caches, so they vary less among themselves than between
 * processes. A resampler that treats every value as independent would
 * understate the uncertainty; this one draws processes with replacement,
 * then values within each drawn process (two-stage bootstrap, Davison and
 * Hinkley 1997, 3.8). It errs wide, which is the safe side for a benchmark.
 */
/* Cluster sizes that add up to the values, else one cluster. */
static int
samples_clustered(const struct samples *x)
{
	size_t i, sum = 0;

	if (!x->sizes || x->nclusters < 2)
		return 0;
	for (i = 0; i < x->nclusters; i++)
		sum += x->sizes[i];
	return sum == x->n;
}

struct resampler {
	size_t nclusters;
	size_t **rank; /* each process's values, sorted, as indexes of sorted */
	size_t *size;
	struct bound *size_bound, nclusters_bound; /* to draw below them */
	double *sorted; /* all values */
	size_t n;
	struct bound n_bound;
	size_t *counts; /* scratch: how often each of sorted was drawn */
};

/* The first index of v in sorted s[0..n). */
static size_t
index_of(const double *s, size_t n, double v)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (s[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void
resampler_init(struct resampler *rs, const struct samples *x)
{
	size_t i, k, off = 0;

	memset(rs, 0, sizeof *rs);
	rs->n = x->n;
	rs->n_bound = bound_of(x->n);
	rs->sorted = sorted_copy(x->x, x->n);
	rs->counts = xreallocarray(NULL, x->n, sizeof *rs->counts);
	if (!samples_clustered(x))
		return;
	rs->rank = xcalloc(x->nclusters, sizeof *rs->rank);
	rs->size = xcalloc(x->nclusters, sizeof *rs->size);
	rs->size_bound = xcalloc(x->nclusters, sizeof *rs->size_bound);
	for (i = 0, k = 0; i < x->nclusters; i++) {
		size_t len = x->sizes[i];
		double *c;

		if (len == 0)
			continue; /* a process that gave no values */
		c = sorted_copy(x->x + off, len);
		rs->rank[k] = xreallocarray(NULL, len, sizeof **rs->rank);
		for (size_t j = 0; j < len; j++)
			rs->rank[k][j] = index_of(rs->sorted, rs->n, c[j]);
		free(c);
		rs->size_bound[k] = bound_of(len);
		rs->size[k++] = len;
		off += len;
	}
	rs->nclusters = k;
	rs->nclusters_bound = bound_of(k);
}

static void
resampler_free(struct resampler *rs)
{
	size_t i;

	for (i = 0; rs->rank && i < rs->nclusters; i++)
		free(rs->rank[i]);
	free(rs->rank);
	free(rs->size);
	free(rs->size_bound);
	free(rs->sorted);
	free(rs->counts);
}

/* The element of rank k of a[0..n) (n > k), moving a's elements so that
 * none before k is larger and none after it smaller (Hoare's select):
 * O(n) where a sort is O(n log n), with a report's thousands of rounds on
 * thousands of cells. */
static double
select_rank(double *a, size_t n, size_t k)
{
	size_t lo = 0, hi = n - 1;

	while (lo < hi) {
		double pivot = a[lo + (hi - lo) / 2], tmp;
		size_t i = lo, j = hi;

		while (i <= j) {
			while (a[i] < pivot)
				i++;
			while (a[j] > pivot)
				j--;
			if (i <= j) {
				tmp = a[i];
				a[i] = a[j];
				a[j] = tmp;
				i++;
				if (j == 0)
					break;
				j--;
			}
		}
		if (k <= j)
			hi = j;
		else if (k >= i)
			lo = i;
		else
			break;
	}
	return a[k];
}

/* sorted_percentile(sorted a, n, p), without the sort (a is reordered). */
static double
unsorted_percentile(double *a, size_t n, double p)
{
	size_t lo, i;
	double t, v, next;

	if (n == 0)
		return 0;
	percentile_rank(n, p, &lo, &t);
	v = select_rank(a, n, lo);
	if (lo + 1 >= n)
		return v;
	next = a[lo + 1];
	for (i = lo + 2; i < n; i++)
		if (a[i] < next)
			next = a[i];
	return lerp(v, next, t);
}

/* 2.5th and 97.5th percentiles of the rounds' estimates (reordered). */
static void
bootstrap_interval(double *est, double *lo, double *hi)
{
	*lo = unsorted_percentile(est, STATS_BOOTSTRAP_ROUNDS, 2.5);
	*hi = unsorted_percentile(est, STATS_BOOTSTRAP_ROUNDS, 97.5);
}

/* The median of one resample: every value drawn with replacement, or
 * processes drawn with replacement and then values within each. */
static double
resampler_median(struct resampler *rs, struct rng *r)
{
	size_t i, j, m = 0;

	memset(rs->counts, 0, rs->n * sizeof *rs->counts);
	if (rs->nclusters < 2) {
		for (i = 0; i < rs->n; i++)
			rs->counts[rng_below(r, &rs->n_bound)]++;
		return counted_median(rs->sorted, rs->n, rs->counts, rs->n);
	}
	for (i = 0; i < rs->nclusters; i++) {
		size_t c = rng_below(r, &rs->nclusters_bound);

		for (j = 0; j < rs->size[c]; j++)
			rs->counts[rs->rank[c][rng_below(
			    r, &rs->size_bound[c])]]++;
		m += rs->size[c];
	}
	return counted_median(rs->sorted, rs->n, rs->counts, m);
}

/* Between-process and within-process coefficients of variation: the
 * spread of the process means, and the pooled spread inside processes. */
static void
cluster_spread(const struct samples *x, struct summary *s)
{
	double *means, grand = s->mean, within = 0, mean_of_means = 0, sq = 0;
	size_t i, j, off = 0, k = 0, dof = 0;

	if (!samples_clustered(x) || grand == 0)
		return;
	means = xcalloc(x->nclusters, sizeof *means);
	for (i = 0; i < x->nclusters; i++) {
		size_t len = x->sizes[i];
		double sum = 0, m;

		if (len == 0)
			continue;
		for (j = 0; j < len; j++)
			sum += x->x[off + j];
		m = sum / (double)len;
		for (j = 0; j < len; j++)
			within += (x->x[off + j] - m) * (x->x[off + j] - m);
		dof += len - 1;
		means[k++] = m;
		off += len;
	}
	s->nclusters = k;
	if (dof > 0)
		s->cv_within = sqrt(within / (double)dof) / grand;
	if (k > 1) {
		for (i = 0; i < k; i++)
			mean_of_means += means[i];
		mean_of_means /= (double)k;
		for (i = 0; i < k; i++)
			sq += (means[i] - mean_of_means) * (means[i] - mean_of_means);
		s->cv_between = sqrt(sq / (double)(k - 1)) / grand;
	}
	free(means);
}

/* Everything but the bootstrap CI, which is left NAN. */
static void
describe_samples(const struct samples *x, struct summary *s)
{
	double *sorted, *dev, sum = 0, sq = 0, comp = 0, limit;
	size_t i, n = x->n;

	memset(s, 0, sizeof *s);
	s->n = n;
	s->ci_lo = s->ci_hi = NAN;
	if (n == 0)
		return;
	s->nclusters = 1;
	sorted = sorted_copy(x->x, n);
	for (i = 0; i < n; i++)
		sum += x->x[i];
	s->mean = sum / (double)n;
	/* two passes, with the rounding error of the mean taken back out */
	for (i = 0; i < n; i++) {
		sq += (x->x[i] - s->mean) * (x->x[i] - s->mean);
		comp += x->x[i] - s->mean;
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
	s->cv_within = s->cv;
	cluster_spread(x, s);

	dev = xreallocarray(NULL, n, sizeof *dev);
	for (i = 0; i < n; i++)
		dev[i] = fabs(x->x[i] - s->median);
	qsort(dev, n, sizeof *dev, cmp_double);
	s->mad = sorted_percentile(dev, n, 50);
	free(dev);
	/* 1.4826 * MAD estimates sigma for normal data */
	limit = 3 * 1.4826 * s->mad;
	for (i = 0; s->mad > 0 && i < n; i++)
		if (fabs(x->x[i] - s->median) > limit)
			s->outliers++;
	free(sorted);
}

void
stats_summarize_samples(const struct samples *x, struct summary *s)
{
	struct rng r = {STATS_SEED};
	struct resampler rs;
	double *est;
	size_t i, n = x->n;

	describe_samples(x, s);
	if (n == 0) {
		s->ci_lo = s->ci_hi = 0;
		return;
	}
	if (n == 1) {
		s->ci_lo = s->ci_hi = x->x[0];
		return;
	}
	resampler_init(&rs, x);
	est = xreallocarray(NULL, STATS_BOOTSTRAP_ROUNDS, sizeof *est);
	for (i = 0; i < STATS_BOOTSTRAP_ROUNDS; i++)
		est[i] = resampler_median(&rs, &r);
	bootstrap_interval(est, &s->ci_lo, &s->ci_hi);
	free(est);
	resampler_free(&rs);
}

void
stats_summarize(const double *x, size_t n, struct summary *s)
{
	struct samples one = {.x = x, .n = n};

	stats_summarize_samples(&one, s);
}

void
stats_describe(const double *x, size_t n, struct summary *s)
{
	struct samples one = {.x = x, .n = n};

	describe_samples(&one, s);
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
stats_ratio_samples(const struct samples *a, const struct samples *b,
    double *ratio, double *lo, double *hi)
{
	struct rng r = {STATS_SEED};
	struct resampler ra, rb;
	double *est, ma, mb;
	size_t i;

	*ratio = *lo = *hi = 0;
	if (a->n == 0 || b->n == 0)
		return;
	ma = stats_percentile(a->x, a->n, 50);
	mb = stats_percentile(b->x, b->n, 50);
	if (mb == 0)
		return;
	*ratio = ma / mb;
	resampler_init(&ra, a);
	resampler_init(&rb, b);
	est = xreallocarray(NULL, STATS_BOOTSTRAP_ROUNDS, sizeof *est);
	for (i = 0; i < STATS_BOOTSTRAP_ROUNDS; i++) {
		double x = resampler_median(&ra, &r);
		double y = resampler_median(&rb, &r);

		est[i] = ratio_of(x, y);
	}
	bootstrap_interval(est, lo, hi);
	free(est);
	resampler_free(&ra);
	resampler_free(&rb);
}

void
stats_ratio(const double *a, size_t na, const double *b, size_t nb,
    double *ratio, double *lo, double *hi)
{
	struct samples sa = {.x = a, .n = na}, sb = {.x = b, .n = nb};

	stats_ratio_samples(&sa, &sb, ratio, lo, hi);
}

/*
 * Weak scaling gives every thread the same work, so N threads did N times
 * the work of one: speedup T1·N/TN. Strong scaling splits one amount of
 * work: T1/TN. Efficiency is speedup / N either way (1 is perfect).
 */
void
stats_speedup(const struct samples *t1, const struct samples *tn,
    int threads, int strong, struct speedup *sp)
{
	double n = strong ? 1 : threads;

	memset(sp, 0, sizeof *sp);
	if (threads < 1)
		return;
	stats_ratio_samples(t1, tn, &sp->value, &sp->lo, &sp->hi);
	sp->value *= n;
	sp->lo *= n;
	sp->hi *= n;
	sp->efficiency = sp->value / threads;
}

double
stats_ci_halfwidth(const struct summary *s)
{
	if (s->n < 2 || s->median == 0)
		return 0;
	return (s->ci_hi - s->ci_lo) / 2 / fabs(s->median);
}

/*
 * Which cure fits. The variance of the estimate is about sb²/R + sw²/(R·S)
 * for R processes of S values, sb² the part of the spread between
 * processes (their means' variance less what within-process noise explains)
 * and sw² the spread within one. More repetitions shrink both terms; more
 * values per process only the second. Outliers mean something else ran;
 * plain jitter with a narrow interval wants pinning and a quiet machine.
 */
char *
stats_noise_warning(const struct summary *s, double cv_max, double ci_max)
{
	double ci = stats_ci_halfwidth(s), per = 1, vb = 0, vw;
	int noisy_cv = s->n > 1 && s->cv > cv_max;
	int wide_ci = s->n > 1 && ci > ci_max;
	struct buf b = {0};

	if (!noisy_cv && !wide_ci)
		return NULL;
	if (s->nclusters > 0)
		per = (double)s->n / (double)s->nclusters;
	vw = s->cv_within * s->cv_within;
	if (s->nclusters > 1)
		vb = s->cv_between * s->cv_between - vw / per;
	if (noisy_cv)
		buf_printf(&b, "CV %.1f%% (above %.1f%%)", s->cv * 100,
		    cv_max * 100);
	if (wide_ci)
		buf_printf(&b, "%s95%% CI of the median ±%.1f%% (above ±%.1f%%)",
		    noisy_cv ? ", " : "", ci * 100, ci_max * 100);
	buf_puts(&b, "; try ");
	if (s->outliers > 0)
		buf_printf(&b, "a quieter machine: %zu of %zu values are "
			       "outliers, so something else competed for the "
			       "CPU",
		    s->outliers, s->n);
	else if (s->nclusters > 1 && vb > vw / per)
		buf_printf(&b, "more repetitions: the %zu probe processes "
			       "differ (CV %.1f%% between their means, %.1f%% "
			       "within one), which more values per process "
			       "cannot average out",
		    s->nclusters, s->cv_between * 100, s->cv_within * 100);
	else if (wide_ci)
		buf_printf(&b, "more repetitions or samples (now %zu values "
			       "from %zu process%s)",
		    s->n, s->nclusters, s->nclusters == 1 ? "" : "es");
	else
		buf_puts(&b, "CPU pinning (--affinity), a quieter machine and "
			     "the performance governor");
	return buf_detach(&b);
}

double
precision_of(double value, double lo, double hi)
{
	if (!(value > 0) || !isfinite(lo) || !isfinite(hi))
		return NAN;
	return (hi - lo) / 2 / value;
}
