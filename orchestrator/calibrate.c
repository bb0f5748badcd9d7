#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * pyperf's calibration, across processes: run the workload on one thread
 * and double its iterations until a sample lasts at least min_time, so a
 * sample is long against timer resolution and scheduler ticks. Each probe
 * costs an interpreter start-up, so instead of doubling once per probe we
 * jump to the power-of-two multiple the last sample predicts, then check
 * it; the answer is the same count repeated doubling would reach when time
 * grows with iterations. Done once per workload, for every interpreter;
 * the workload then runs the largest count any interpreter needed, so
 * interpreters and thread counts all do the same work per sample.
 */

#define CALIBRATE_PROBES_MAX 12
#define CALIBRATE_SAMPLES 3
#define CALIBRATE_JUMP_MAX 1024 /* growth per probe, at most */
#define CALIBRATE_RELIABLE_NS 1e6
#define CALIBRATE_ITERATIONS_MAX 1000000000000L

/* The first of the matrix's engines the workload runs on, with one
 * thread. */
static size_t
calibration_engine(const struct matrix *m, size_t w)
{
	size_t e;

	for (e = 0; e < m->nengines; e++)
		if (matrix_cell_wanted(m, w, m->engines[e], 1))
			return e;
	return 0;
}

/* The median sample of one probe run, in ns; -1 when the probe failed. */
static double
probe_sample_ns(struct run *r, const struct interp *in, size_t workload,
    long iterations, char **why)
{
	struct probe_request q = {.workload = workload,
	    .engine = calibration_engine(r->m, workload),
	    .threads = 1,
	    .samples = CALIBRATE_SAMPLES,
	    .warmup = 1,
	    .iterations = iterations};
	struct result_cell c = {0};
	struct proc_result res;
	double ns = -1;

	c.gil_enabled_before = c.gil_enabled_after = -1;
	if (run_probe(r, in, &q, &res) < 0) {
		*why = xstrdup("cannot start the probe");
		return -1;
	}
	if (res.timed_out || res.signal || res.interrupted)
		*why = proc_describe(&res);
	else if (result_cell_parse_probe(&c, buf_str(&res.out)) < 0 ||
	    (c.status && strcmp(c.status, "ok") != 0) || c.nwall == 0)
		*why = xstrdup(c.error ? c.error : "the probe gave no samples");
	else
		ns = stats_percentile(c.wall_ns, c.nwall, 50);
	result_cell_clear(&c);
	proc_result_free(&res);
	return ns;
}

/* Smallest power of two k with t * k >= want, within the jump limit. A
 * sample under a millisecond is mostly start-up and timer noise, a poor
 * guide: from there, at most 16 times at once. */
static long
jump(double t, double want)
{
	long k = 2, max = t < CALIBRATE_RELIABLE_NS ? 16 : CALIBRATE_JUMP_MAX;

	if (t <= 0)
		return max;
	while (k < max && t * (double)k < want)
		k *= 2;
	return k;
}

static int
calibrate_interp(struct run *r, const struct interp *in, size_t w, long start,
    struct calibration_point *pt)
{
	double want = r->m->min_time_s * 1e9, ns;
	const char *workload = r->m->workloads[w].name;
	long n = start;
	char *why = NULL;

	pt->interp = xstrdup(in->spec->id);
	for (pt->probes = 1; pt->probes <= CALIBRATE_PROBES_MAX; pt->probes++) {
		ns = probe_sample_ns(r, in, w, n, &why);
		if (interrupted)
			return RUN_INTERRUPTED;
		if (ns < 0) {
			progress_say(&r->progress,
			    "ftmatrix: calibrating %s on %s failed at %ld "
			    "iterations: %s",
			    workload, in->label, n, why);
			free(why);
			return -1;
		}
		if (r->opts->verbose)
			progress_say(&r->progress,
			    "ftmatrix: calibrate %s on %s: %ld iterations, "
			    "sample %.3f ms",
			    workload, in->label, n, ns / 1e6);
		pt->iterations = n;
		pt->sample_ns = ns;
		if (ns >= want || n >= CALIBRATE_ITERATIONS_MAX / 2)
			return 0;
		n = n > CALIBRATE_ITERATIONS_MAX / jump(ns, want)
		    ? CALIBRATE_ITERATIONS_MAX
		    : n * jump(ns, want);
	}
	progress_say(&r->progress,
	    "ftmatrix: calibrating %s on %s: still under %g s after %d probes",
	    workload, in->label, r->m->min_time_s, CALIBRATE_PROBES_MAX);
	pt->probes = CALIBRATE_PROBES_MAX;
	return 0;
}

static void
calibration_add(struct resultset *rs, struct calibration *c)
{
	rs->calibrations = xreallocarray(
	    rs->calibrations, rs->ncalibrations + 1, sizeof(*rs->calibrations));
	rs->calibrations[rs->ncalibrations++] = *c;
}

int
calibrate_all(struct run *r)
{
	const struct matrix *m = r->m;
	size_t w, i;
	int rc;

	if (m->min_time_s <= 0)
		return 0;
	for (w = 0; w < m->nworkloads; w++) {
		const char *name = m->workloads[w].name;
		struct calibration c = {0};
		char *what;

		/* an explicit count is kept, as pyperf keeps --loops */
		if (m->workloads[w].iterations ||
		    results_calibration(r->rs, name))
			continue;
		c.workload = xstrdup(name);
		c.min_time_s = m->min_time_s;
		c.iterations = m->iterations;
		c.points = xcalloc(m->ninterps, sizeof(*c.points));
		for (i = 0; i < m->ninterps; i++) {
			struct calibration_point *pt = &c.points[c.npoints];

			if (!r->in[i].available)
				continue;
			what = xasprintf(
			    "calibrating %s on %s", name, r->in[i].label);
			progress_start(&r->progress, what);
			free(what);
			rc = calibrate_interp(
			    r, &r->in[i], w, m->iterations, pt);
			if (rc == RUN_INTERRUPTED) {
				c.npoints++;
				calibration_free(&c);
				return rc;
			}
			c.npoints++;
			if (rc == 0 && pt->iterations > c.iterations)
				c.iterations = pt->iterations;
		}
		if (!r->opts->quiet)
			progress_say(&r->progress,
			    "ftmatrix: %s: %ld iterations per sample (at least "
			    "%g s on every interpreter)",
			    name, c.iterations, m->min_time_s);
		calibration_add(r->rs, &c);
		if (run_save(r) < 0)
			return -1;
	}
	return 0;
}
