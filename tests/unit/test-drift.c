/* Slow phases on synthetic data: probe processes that run in a fast or a
 * 1.5x slow mode, switching in phases, some never fast, as measured on
 * shared 2-vCPU hosts. The drift snippet slows down with the workload; the
 * estimate that leaves out disturbed samples must recover the true ratio,
 * which the estimate over every sample does not. */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ftmatrix.h"

#define REPS 8
#define SAMPLES 10
#define TRUE_RATIO 1.30
#define SLOW 1.5

static struct result_interp interps[] = {
    {.id = "gil", .available = 1},
    {.id = "ft", .available = 1},
};

struct rng {
	uint64_t s;
};

static double
uniform(struct rng *r)
{
	r->s ^= r->s << 13;
	r->s ^= r->s >> 7;
	r->s ^= r->s << 17;
	return (double)(r->s >> 11) / 9007199254740992.0;
}

/* about normal (Irwin-Hall), mean 0, sd 1 */
static double
normal(struct rng *r)
{
	double x = 0;

	for (int i = 0; i < 12; i++)
		x += uniform(r);
	return x - 6;
}

struct synth {
	struct resultset rs;
	struct result_cell cells[2 * REPS];
	double wall[2 * REPS][SAMPLES], drift[2 * REPS][SAMPLES];
	double disturbed[2 * REPS][SAMPLES];
	size_t stuck; /* processes that never left the slow mode */
};

/* One probe process: a mode per sample, kept from one sample to the next
 * with probability 0.8; one process in eight is slow throughout. */
static void
process_fill(struct synth *s, struct rng *r, size_t k, double t_ns)
{
	int stuck = uniform(r) < 0.125, slow = stuck || uniform(r) < 0.4;

	s->stuck += stuck;
	for (int i = 0; i < SAMPLES; i++) {
		double f;

		if (!stuck && uniform(r) > 0.8)
			slow = !slow;
		f = slow ? SLOW : 1.0;
		s->wall[k][i] = t_ns * f * (1 + 0.02 * normal(r));
		s->drift[k][i] = 1.5e6 * f * (1 + 0.01 * normal(r));
		s->disturbed[k][i] = DISTURBED_NO;
	}
}

static void
synth_make(struct synth *s, uint64_t seed, int with_drift)
{
	struct rng r = {seed * 2654435761u + 1};

	memset(s, 0, sizeof(*s));
	for (size_t k = 0; k < 2 * REPS; k++) {
		struct result_cell *c = &s->cells[k];
		int ft = k % 2; /* interleaved, as the plan runs them */

		process_fill(s, &r, k, ft ? 100e6 * TRUE_RATIO : 100e6);
		*c = (struct result_cell){.interp = ft ? "ft" : "gil",
		    .workload = "method_call",
		    .engine = "threads",
		    .threads = 1,
		    .rep = (int)(k / 2),
		    .status = "ok",
		    .scaling = "weak",
		    .gil_enabled_before = !ft,
		    .gil_enabled_after = !ft,
		    .wall_ns = s->wall[k],
		    .nwall = SAMPLES};
		if (with_drift) {
			c->drift_ns = s->drift[k];
			c->disturbed = s->disturbed[k];
		}
	}
	s->rs.baseline = "gil";
	s->rs.interps = interps;
	s->rs.ninterps = 2;
	s->rs.cells = s->cells;
	s->rs.ncells = s->rs.cells_cap = 2 * REPS;
	s->rs.settings.drift_threshold = DRIFT_THRESHOLD_DEFAULT;
}

static const struct group *
ft_group(const struct analysis *a)
{
	const struct group *g = analysis_find(a, 1, "method_call", "threads", 1);

	assert_non_null(g);
	assert_true(g->has_overhead);
	return g;
}

/* Over many draws the filtered estimate stays within 3% of the truth and
 * its CI holds it; the estimate over every sample misses by more. */
static void
test_recovers_true_ratio(void **state)
{
	double worst_kept = 0, worst_all = 0;
	int covered = 0;

	(void)state;
	for (uint64_t seed = 1; seed <= 40; seed++) {
		struct synth *s = malloc(sizeof(*s));
		struct analysis a;
		const struct group *g;
		double err;

		synth_make(s, seed, 1);
		analysis_make(&s->rs, &a);
		g = ft_group(&a);
		err = fabs(g->overhead / TRUE_RATIO - 1);
		worst_kept = err > worst_kept ? err : worst_kept;
		covered += g->overhead_lo <= TRUE_RATIO &&
		    TRUE_RATIO <= g->overhead_hi;
		/* the processes slow throughout are left out, not averaged
		 * (and any other that happened to be slow in every sample) */
		assert_true(g->nleft_out + analysis_find(&a, 0, "method_call",
		                               "threads", 1)
		                               ->nleft_out >=
		    s->stuck);
		assert_true(g->nslow > 0);
		analysis_free(&a);

		synth_make(s, seed, 0);
		analysis_make(&s->rs, &a);
		err = fabs(ft_group(&a)->overhead / TRUE_RATIO - 1);
		worst_all = err > worst_all ? err : worst_all;
		analysis_free(&a);
		free(s);
	}
	print_message("worst error: %.2f%% kept, %.2f%% every sample; CI "
	              "covered %d of 40\n",
	    worst_kept * 100, worst_all * 100, covered);
	if (worst_kept > 0.03)
		fail_msg("filtered estimate off by %.1f%%", worst_kept * 100);
	assert_true(worst_all > 2 * worst_kept);
	assert_true(covered >= 36); /* a 95% CI, 40 draws */
}

/* A sample the probe found descheduled never counts; one it called slow
 * is judged again against the whole run's fastest snippet. */
static void
test_judged_against_the_run(void **state)
{
	struct synth *s = malloc(sizeof(*s));
	struct drift_refs d;

	(void)state;
	synth_make(s, 7, 1);
	for (int i = 0; i < SAMPLES; i++)
		s->drift[0][i] = s->drift[1][i] = 2e6;
	s->drift[0][3] = 1e6;		/* the run's fastest for gil */
	s->disturbed[0][5] = DISTURBED_DESCHEDULED;
	s->disturbed[0][6] = DISTURBED_SLOW_PHASE; /* in the probe's view */
	drift_refs_make(&s->rs, &d);
	assert_true(drift_refs_get(&d, "gil", 1) <= 1e6);
	assert_int_equal(drift_sample_state(&d, &s->cells[0], 3), DISTURBED_NO);
	assert_int_equal(
	    drift_sample_state(&d, &s->cells[0], 4), DISTURBED_SLOW_PHASE);
	assert_int_equal(
	    drift_sample_state(&d, &s->cells[0], 5), DISTURBED_DESCHEDULED);
	/* threads and interpreters have references of their own */
	assert_true(drift_refs_get(&d, "gil", 2) == 0);
	assert_true(drift_refs_get(&d, "ft", 1) > 1e6);
	/* without a threshold (older results): as the probe said */
	d.threshold = 0;
	assert_int_equal(
	    drift_sample_state(&d, &s->cells[0], 6), DISTURBED_SLOW_PHASE);
	assert_int_equal(drift_sample_state(&d, &s->cells[0], 4), DISTURBED_NO);
	drift_refs_free(&d);
	free(s);
}

/* Every ratio wider than the target names its group and the baseline's,
 * interpreters innermost; a target already met names none. */
static void
test_precision_needs(void **state)
{
	struct synth *s = malloc(sizeof(*s));
	struct precision_need *needs = NULL;
	struct analysis a;
	size_t n, nratios;

	(void)state;
	synth_make(s, 3, 1);
	analysis_make(&s->rs, &a);
	n = precision_unmet(&s->rs, &a, 1e-6, &needs, &nratios);
	assert_int_equal(nratios, 1);
	assert_int_equal(n, 2);
	assert_int_equal(needs[0].interp, 0);
	assert_int_equal(needs[1].interp, 1);
	assert_string_equal(needs[1].workload, "method_call");
	free(needs);
	n = precision_unmet(&s->rs, &a, 0.5, &needs, &nratios);
	assert_int_equal(n, 0);
	assert_int_equal(nratios, 0);
	free(needs);
	analysis_free(&a);
	free(s);
}

/* The paired estimate exists beside the pooled one and is of the same
 * quantity. */
static void
test_paired_estimate(void **state)
{
	struct synth *s = malloc(sizeof(*s));
	struct analysis a;
	const struct group *g;

	(void)state;
	synth_make(s, 11, 1);
	analysis_make(&s->rs, &a);
	g = ft_group(&a);
	assert_true(g->has_overhead_paired);
	assert_true(fabs(g->overhead_paired / TRUE_RATIO - 1) < 0.05);
	assert_true(g->overhead_paired_lo <= g->overhead_paired &&
	    g->overhead_paired <= g->overhead_paired_hi);
	analysis_free(&a);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_recovers_true_ratio),
	    cmocka_unit_test(test_judged_against_the_run),
	    cmocka_unit_test(test_precision_needs),
	    cmocka_unit_test(test_paired_estimate),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
