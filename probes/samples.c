/* Timings of every round and worker, and how they become samples: a sample
 * is task_warmup untimed rounds followed by tasks timed ones. */
#include "probe.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void
samples_init(struct samples *s, const struct options *opt, int nworkers)
{
	size_t n;

	s->nsamples = opt->warmup + opt->samples + opt->extra_samples;
	s->task_warmup = opt->task_warmup;
	s->per_sample = opt->task_warmup + opt->tasks;
	s->rounds = s->nsamples * s->per_sample;
	s->nworkers = nworkers;
	n = (size_t)s->rounds * (size_t)nworkers;
	s->start_ns = xcalloc(n, sizeof(int64_t));
	s->end_ns = xcalloc(n, sizeof(int64_t));
	s->cpu_ns = xcalloc(n, sizeof(int64_t));
	s->drift_ns = xcalloc(n + (size_t)nworkers, sizeof(int64_t));
	s->counts = xcalloc(n, sizeof(struct round_counts));
	s->counters = xcalloc((size_t)nworkers, sizeof(struct counters));
	for (int w = 0; w < nworkers; w++)
		for (int i = 0; i < COUNTERS_N; i++)
			s->counters[w].fd[i] = -1;
	for (int w = 0; w < nworkers; w++)
		s->counters[w].schedstat_fd = -1;
	s->round_start_ns = xcalloc((size_t)s->rounds, sizeof(int64_t));
	s->round_end_ns = xcalloc((size_t)s->rounds, sizeof(int64_t));
}

int
samples_round_index(const struct samples *s, int sample, int task)
{
	return sample * s->per_sample + s->task_warmup + task;
}

/* The slowest drift snippet of any worker around a sample: the boundary
 * before its first round and the one after its last. 0: not measured. */
static int64_t
sample_drift(const struct samples *s, int sample)
{
	int first = sample * s->per_sample;
	int after = first + s->per_sample;
	int64_t worst = 0;

	for (int w = 0; w < s->nworkers; w++) {
		int64_t a = s->drift_ns[(size_t)first * s->nworkers + w];
		int64_t b = s->drift_ns[(size_t)after * s->nworkers + w];

		if (!a || !b)
			return 0;
		worst = a > worst ? a : worst;
		worst = b > worst ? b : worst;
	}
	return worst;
}

/* The fastest snippet this process saw, or the run's, if faster. */
static int64_t
drift_reference(const struct samples *s, const struct options *opt, int upto)
{
	int64_t best = opt->drift_ref_ns > 0 ? opt->drift_ref_ns : 0;
	size_t n = (size_t)(upto + 1) * s->nworkers;

	for (size_t i = 0; i < n; i++)
		if (s->drift_ns[i] && (!best || s->drift_ns[i] < best))
			best = s->drift_ns[i];
	return best;
}

/* On the CPU less than this share of a round, with involuntary switches:
 * another process took the CPU. */
#define ON_CPU_MIN 0.9

/* Another process took a worker's CPU: it was runnable but not running
 * for more than a tenth of the sample (schedstat), or, where the kernel
 * does not say, off the CPU that long with involuntary switches. */
static int
sample_descheduled(const struct samples *s, int first, int end)
{
	for (int w = 0; w < s->nworkers; w++) {
		int64_t wall = 0, cpu = 0, preempted = 0, runq = 0;

		for (int r = first; r < end; r++) {
			size_t i = (size_t)r * s->nworkers + w;

			wall += s->end_ns[i] - s->start_ns[i];
			cpu += s->cpu_ns[i];
			if (s->counted && s->counts[i].ivcsw > 0)
				preempted += s->counts[i].ivcsw;
			if (runq >= 0 && s->counted && s->counts[i].runq_ns >= 0)
				runq += s->counts[i].runq_ns;
			else
				runq = -1;
		}
		if (wall <= 0)
			continue;
		if (runq >= 0 && (double)runq > (1 - ON_CPU_MIN) * (double)wall)
			return 1;
		if (runq < 0 && preempted > 0 &&
		    (double)cpu < ON_CPU_MIN * (double)wall)
			return 1;
	}
	return 0;
}

/* Descheduling first: it is seen directly, a slow phase only through the
 * snippet. */
static enum disturbance
sample_disturbance(const struct samples *s, const struct options *opt,
    int sample, int64_t reference)
{
	int64_t drift = sample_drift(s, sample);
	int first = sample * s->per_sample + s->task_warmup;
	int end = (sample + 1) * s->per_sample;

	if (!opt->blocks && sample_descheduled(s, first, end))
		return DESCHEDULED;
	if (drift && reference &&
	    (double)drift > (double)reference * (1 + opt->drift_threshold))
		return SLOW_PHASE;
	return UNDISTURBED;
}

int
samples_decision_round(
    const struct samples *s, const struct options *opt, int r)
{
	return r % s->per_sample == 0 &&
	    r / s->per_sample >= opt->warmup + opt->samples && r < s->rounds;
}

int
samples_continue(const struct samples *s, const struct options *opt, int r)
{
	int64_t reference;
	int good = 0;

	if (r >= s->rounds)
		return 0;
	if (!samples_decision_round(s, opt, r))
		return 1;
	reference = drift_reference(s, opt, r);
	for (int smp = opt->warmup; smp < r / s->per_sample; smp++)
		good += sample_disturbance(s, opt, smp, reference) ==
		    UNDISTURBED;
	return good < opt->samples;
}

static const char *
disturbance_name(enum disturbance d)
{
	return d == SLOW_PHASE ? "slow phase"
	    : d == DESCHEDULED ? "descheduled"
	                       : NULL;
}

int
options_round_measured(const struct options *opt, int r)
{
	int per_sample = opt->task_warmup + opt->tasks;

	return per_sample > 0 && r / per_sample >= opt->warmup &&
	    r % per_sample >= opt->task_warmup;
}

/* One value per worker as a JSON array named name; a value below 0 is
 * unknown: null. */
static void
worker_array(struct buf *b, const char *name, const long long *v, int n)
{
	buf_printf(b, ", \"%s\": [", name);
	for (int w = 0; w < n; w++) {
		if (v[w] < 0)
			buf_printf(b, "%snull", w ? ", " : "");
		else
			buf_printf(b, "%s%lld", w ? ", " : "", v[w]);
	}
	buf_puts(b, "]");
}

/* Sums a per-round array over one sample's rounds, per worker; null when
 * a round's count is unknown. */
static void
worker_sums(struct buf *b, const char *name, const struct samples *s,
    size_t offset, int first, int last)
{
	long long *sums = xcalloc(s->nworkers + 1, sizeof(*sums));

	for (int w = 0; w < s->nworkers; w++) {
		long long sum = 0;

		for (int r = first; r <= last && sum >= 0; r++) {
			const char *slot = (const char *)&s->counts[(size_t)r *
			    s->nworkers + w];
			int64_t x = *(const int64_t *)(slot + offset);

			sum = x < 0 ? -1 : sum + x;
		}
		sums[w] = sum;
	}
	worker_array(b, name, sums, s->nworkers);
	free(sums);
}

/* The drift snippet's worst time per worker around a sample; null where
 * the snippet did not run. */
static void
drift_json(struct buf *b, const struct samples *s, int sample)
{
	int first = sample * s->per_sample;
	int after = first + s->per_sample;
	long long *worst = xcalloc(s->nworkers + 1, sizeof(*worst));

	for (int w = 0; w < s->nworkers; w++) {
		int64_t x = s->drift_ns[(size_t)first * s->nworkers + w];
		int64_t y = s->drift_ns[(size_t)after * s->nworkers + w];

		worst[w] = !x || !y ? -1 : (long long)(x > y ? x : y);
	}
	worker_array(b, "drift_ns", worst, s->nworkers);
	free(worst);
}

/* When the round began and ended: as the engine saw it, else from the
 * first start to the last end of its workers. */
static void
round_span(const struct samples *s, int r, int64_t *start, int64_t *end)
{
	const int64_t *st = s->start_ns + (size_t)r * s->nworkers;
	const int64_t *en = s->end_ns + (size_t)r * s->nworkers;

	if (s->round_end_ns[r]) {
		*start = s->round_start_ns[r];
		*end = s->round_end_ns[r];
		return;
	}
	*start = st[0];
	*end = en[0];
	for (int w = 1; w < s->nworkers; w++) {
		*start = st[w] < *start ? st[w] : *start;
		*end = en[w] > *end ? en[w] : *end;
	}
}

void
samples_json(struct buf *b, const struct samples *s, const struct options *opt)
{
	int ntasks = s->per_sample - s->task_warmup;
	int ran = s->rounds_run / s->per_sample;
	int64_t reference = drift_reference(s, opt, s->rounds_run);

	for (int smp = opt->warmup; smp < ran; smp++) {
		int first = samples_round_index(s, smp, 0);
		int last = samples_round_index(s, smp, ntasks - 1);
		int64_t start, end, ignore;

		round_span(s, first, &start, &ignore);
		round_span(s, last, &ignore, &end);
		buf_printf(b,
		    "%s\n    {\"wall_ns\": %lld, \"thread_wall_ns\": [",
		    smp > opt->warmup ? "," : "", (long long)(end - start));
		for (int w = 0; w < s->nworkers; w++) {
			long long sum = 0;

			for (int r = first; r <= last; r++) {
				size_t i = (size_t)r * s->nworkers + w;

				sum += s->end_ns[i] - s->start_ns[i];
			}
			buf_printf(b, "%s%lld", w ? ", " : "", sum);
		}
		buf_puts(b, "], \"thread_cpu_ns\": [");
		for (int w = 0; w < s->nworkers; w++) {
			long long sum = 0;

			for (int r = first; r <= last; r++)
				sum += s->cpu_ns[(size_t)r * s->nworkers + w];
			buf_printf(b, "%s%lld", w ? ", " : "", sum);
		}
		buf_puts(b, "]");
		if (s->counted) {
			worker_sums(b, "thread_vcsw", s,
			    offsetof(struct round_counts, vcsw), first, last);
			worker_sums(b, "thread_ivcsw", s,
			    offsetof(struct round_counts, ivcsw), first, last);
			worker_sums(b, "thread_runq_ns", s,
			    offsetof(struct round_counts, runq_ns), first,
			    last);
		}
		if (opt->tasks_given) {
			buf_puts(b, ", \"task_ns\": [");
			for (int r = first; r <= last; r++) {
				round_span(s, r, &start, &end);
				buf_printf(b, "%s%lld", r > first ? ", " : "",
				    (long long)(end - start));
			}
			buf_puts(b, "]");
		}
		if (opt->drift) {
			const char *why = disturbance_name(
			    sample_disturbance(s, opt, smp, reference));

			drift_json(b, s, smp);
			buf_puts(b, ", \"disturbed\": ");
			json_string(b, why);
		}
		buf_puts(b, "}");
	}
}

int64_t
samples_drift_reference(const struct samples *s, const struct options *opt)
{
	return drift_reference(s, opt, s->rounds_run);
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

double
samples_ns_per_unit(
    const struct samples *s, const struct options *opt, long long work)
{
	int ntasks = s->per_sample - s->task_warmup;
	size_t n = 0, cap = (size_t)s->rounds * s->nworkers;
	double *v = xcalloc(cap, sizeof(double)), median;

	for (int smp = opt->warmup; smp < s->rounds_run / s->per_sample; smp++)
		for (int t = 0; t < ntasks; t++) {
			int r = samples_round_index(s, smp, t);

			for (int w = 0; w < s->nworkers; w++) {
				size_t i = (size_t)r * s->nworkers + w;

				v[n++] =
				    (double)(s->end_ns[i] - s->start_ns[i]) /
				    (double)(work > 0 ? work : 1);
			}
		}
	qsort(v, n, sizeof(double), cmp_double);
	median = n == 0 ? 0 : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	free(v);
	return median;
}

void
samples_counters_json(struct buf *b, const struct samples *s)
{
	if (!s->counted)
		return;
	buf_puts(b, ",\n  \"worker_counters\": [");
	for (int w = 0; w < s->nworkers; w++) {
		buf_puts(b, w ? ",\n    " : "\n    ");
		counters_json(b, &s->counters[w]);
	}
	buf_puts(b, "\n  ]");
}

void
samples_free(struct samples *s)
{
	free(s->start_ns);
	free(s->end_ns);
	free(s->cpu_ns);
	free(s->drift_ns);
	free(s->counts);
	if (s->counters)
		for (int w = 0; w < s->nworkers; w++)
			counters_close(&s->counters[w]);
	free(s->counters);
	free(s->round_start_ns);
	free(s->round_end_ns);
	memset(s, 0, sizeof(*s));
}
