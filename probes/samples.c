/* Timings of every round and worker, and how they become samples: a sample
 * is task_warmup untimed rounds followed by tasks timed ones. */
#include "probe.h"

#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

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
	s->vcsw = xcalloc(n, sizeof(int64_t));
	s->ivcsw = xcalloc(n, sizeof(int64_t));
	s->drift_ns = xcalloc(n + (size_t)nworkers, sizeof(int64_t));
	for (size_t i = 0; i < n; i++)
		s->vcsw[i] = s->ivcsw[i] = -1;
	s->round_start_ns = xcalloc((size_t)s->rounds, sizeof(int64_t));
	s->round_end_ns = xcalloc((size_t)s->rounds, sizeof(int64_t));
}

int
samples_round_index(const struct samples *s, int sample, int task)
{
	return sample * s->per_sample + s->task_warmup + task;
}

void
thread_switches(int64_t *voluntary, int64_t *involuntary)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru) != 0) {
		*voluntary = *involuntary = -1;
		return;
	}
	*voluntary = ru.ru_nvcsw;
	*involuntary = ru.ru_nivcsw;
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

static enum disturbance
sample_disturbance(const struct samples *s, const struct options *opt,
    int sample, int64_t reference)
{
	int64_t drift = sample_drift(s, sample);
	int first = sample * s->per_sample + s->task_warmup;
	int end = (sample + 1) * s->per_sample;

	if (drift && reference &&
	    (double)drift > (double)reference * (1 + opt->drift_threshold))
		return SLOW_PHASE;
	if (opt->blocks)
		return UNDISTURBED;
	for (int w = 0; w < s->nworkers; w++) {
		int64_t wall = 0, cpu = 0, preempted = 0;

		for (int r = first; r < end; r++) {
			size_t i = (size_t)r * s->nworkers + w;

			wall += s->end_ns[i] - s->start_ns[i];
			cpu += s->cpu_ns[i];
			preempted += s->ivcsw[i] > 0 ? s->ivcsw[i] : 0;
		}
		if (preempted > 0 && wall > 0 &&
		    (double)cpu < ON_CPU_MIN * (double)wall)
			return DESCHEDULED;
	}
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

static void
switches_json(struct buf *b, const char *name, const int64_t *v,
    const struct samples *s, int first, int last)
{
	buf_printf(b, ", \"%s\": [", name);
	for (int w = 0; w < s->nworkers; w++) {
		long long sum = 0;

		for (int r = first; r <= last && sum >= 0; r++) {
			int64_t x = v[(size_t)r * s->nworkers + w];

			sum = x < 0 ? -1 : sum + x;
		}
		if (sum < 0)
			buf_printf(b, "%snull", w ? ", " : "");
		else
			buf_printf(b, "%s%lld", w ? ", " : "", sum);
	}
	buf_puts(b, "]");
}

/* The drift snippet's worst time per worker around a sample. */
static void
drift_json(struct buf *b, const struct samples *s, int sample)
{
	int first = sample * s->per_sample;
	int after = first + s->per_sample;

	buf_puts(b, ", \"drift_ns\": [");
	for (int w = 0; w < s->nworkers; w++) {
		int64_t x = s->drift_ns[(size_t)first * s->nworkers + w];
		int64_t y = s->drift_ns[(size_t)after * s->nworkers + w];

		if (!x || !y)
			buf_printf(b, "%snull", w ? ", " : "");
		else
			buf_printf(b, "%s%lld", w ? ", " : "",
			    (long long)(x > y ? x : y));
	}
	buf_puts(b, "]");
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
		if (opt->tasks_given) {
			buf_puts(b, ", \"task_ns\": [");
			for (int r = first; r <= last; r++) {
				round_span(s, r, &start, &end);
				buf_printf(b, "%s%lld", r > first ? ", " : "",
				    (long long)(end - start));
			}
			buf_puts(b, "]");
		}
		switches_json(b, "thread_vcsw", s->vcsw, s, first, last);
		switches_json(b, "thread_ivcsw", s->ivcsw, s, first, last);
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
samples_free(struct samples *s)
{
	free(s->start_ns);
	free(s->end_ns);
	free(s->cpu_ns);
	free(s->vcsw);
	free(s->ivcsw);
	free(s->drift_ns);
	free(s->round_start_ns);
	free(s->round_end_ns);
	memset(s, 0, sizeof(*s));
}
