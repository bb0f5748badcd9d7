/* A precision target instead of a fixed count: after the planned rounds,
 * every ratio whose 95% CI is wider than target_ci gets another round of
 * probe processes (its own group and the one it is measured against,
 * interpreters interleaved as in the plan), until all are narrow enough or
 * the time budget is spent. What was reached is in the analysis. */
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* Rounds a target may add at most, whatever the budget. */
#define REFINE_ROUNDS_MAX 30

/* The next repetition number of a group: one past the highest kept. */
static int
next_rep(const struct resultset *rs, const struct precision_need *q)
{
	const char *interp = rs->interps[q->interp].id;
	int rep = -1;

	for (size_t i = 0; i < rs->ncells; i++) {
		const struct result_cell *c = &rs->cells[i];

		if (c->threads == q->threads && c->rep > rep &&
		    strcmp(c->interp, interp) == 0 &&
		    strcmp(c->workload, q->workload) == 0 &&
		    strcmp(c->engine, q->engine) == 0)
			rep = c->rep;
	}
	return rep + 1;
}

/* The cell a need asks for, its repetition left to the caller; -1 when
 * the matrix has no such workload or engine or the interpreter is not
 * available. */
static int
need_cell(const struct run *r, const struct precision_need *q, struct cell *c)
{
	const struct matrix *m = r->m;
	size_t w = 0, e = 0;

	while (w < m->nworkloads && strcmp(m->workloads[w].name, q->workload))
		w++;
	while (e < m->nengines && strcmp(m->engines[e], q->engine))
		e++;
	if (w == m->nworkloads || e == m->nengines ||
	    q->interp >= m->ninterps || !r->in[q->interp].available)
		return -1;
	*c = (struct cell){.interp = q->interp,
	    .workload = w,
	    .engine = e,
	    .threads = q->threads};
	return 0;
}

/* One more probe process for each group; 0, 1 interrupted, -1. */
static int
refine_round(struct run *r, const struct precision_need *needs, size_t n,
    size_t *failed)
{
	struct cell *cells = xcalloc(n, sizeof(*cells));
	size_t k = 0;
	int rc = 0;

	/* numbered first: a cell measured in this round must not move the
	 * next one's repetition */
	for (size_t i = 0; i < n; i++) {
		if (need_cell(r, &needs[i], &cells[k]) < 0)
			continue;
		cells[k++].rep = next_rep(r->rs, &needs[i]);
	}
	for (size_t i = 0; i < k; i++)
		progress_plan(&r->progress, run_cell_class(r->m, &cells[i]));
	for (size_t i = 0; i < k && rc == 0 && !interrupted; i++)
		rc = run_measure_cell(r, &cells[i], failed);
	free(cells);
	return rc;
}

void
refine_apply_opts(struct matrix *m, const struct run_opts *o)
{
	switch (o->precision) {
	case PRECISION_FAST:
		/* a first look: half the probe processes, ±5% */
		m->repetitions = m->repetitions > 3 ? (m->repetitions + 1) / 2
		                                    : 2;
		m->target_ci = 0.05;
		break;
	case PRECISION_RIGOROUS:
		/* twice the probe processes, ±2%, three times the time */
		m->repetitions *= 2;
		m->target_ci = 0.02;
		break;
	case PRECISION_MATRIX:
		break;
	}
	if (o->target_ci > 0)
		m->target_ci = o->target_ci;
	if (o->max_time_s > 0)
		m->max_time_s = o->max_time_s;
	else if (o->precision == PRECISION_RIGOROUS && m->max_time_s <= 0)
		m->max_time_s = -3; /* three times the planned rounds' time */
}

int
refine_all(struct run *r, double planned_s)
{
	double target = r->rs->settings.target_ci;
	double max = r->rs->settings.max_time_s;
	/* max_time counts from the first measured cell; without one, the
	 * rounds added may take as long as the planned ones did (a negative
	 * max_time: that many times as long) */
	double budget = max > 0 ? max - planned_s
	    : max < 0           ? -max * planned_s
	                        : planned_s;
	double t0 = now_mono_s();
	size_t failed = 0, n, nratios;
	int round = 0, rc = 0;

	if (target <= 0)
		return 0;
	for (;;) {
		struct precision_need *needs = NULL;
		struct analysis a;

		analysis_make(r->rs, &a);
		n = precision_unmet(r->rs, &a, target, &needs, &nratios);
		analysis_free(&a);
		if (!n || round == REFINE_ROUNDS_MAX ||
		    now_mono_s() - t0 >= budget || interrupted) {
			free(needs);
			break;
		}
		progress_say(&r->progress,
		    "ftmatrix: %zu ratio%s wider than ±%.3g%%: round %d of "
		    "more probe processes (%zu)",
		    nratios, nratios == 1 ? "" : "s", target * 100, ++round, n);
		rc = refine_round(r, needs, n, &failed);
		free(needs);
		if (rc != 0)
			break;
	}
	if (rc == 1 || (rc == 0 && interrupted))
		return RUN_INTERRUPTED;
	if (rc < 0)
		return rc;
	if (n)
		progress_say(&r->progress,
		    "ftmatrix: warning: %zu ratio%s not resolved at ±%.3g%% "
		    "after %d more round%s (max_time spent); the report says "
		    "which",
		    nratios, nratios == 1 ? "" : "s", target * 100, round,
		    round == 1 ? "" : "s");
	else
		progress_say(&r->progress,
		    "ftmatrix: every ratio is within ±%.3g%% (%d more round%s)",
		    target * 100, round, round == 1 ? "" : "s");
	return 0;
}
