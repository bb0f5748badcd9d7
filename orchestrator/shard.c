/*
 * A share of the plan for one machine of many. The cut is by workload:
 * every interpreter, engine and thread count of a workload stays in one
 * shard, so its overhead and speedup ratios are measured on one machine in
 * one run. Every job computes the cut on its own from the same inputs, so
 * it depends on nothing but the matrix (and a costs file all jobs share):
 * workloads go, most expensive first, to the shard with the least work so
 * far, ties to the lower index.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

int
shard_parse(const char *text, struct shard *s)
{
	const char *slash = strchr(text, '/');
	char *k;
	long index, count;
	int rc;

	if (!slash || !isdigit((unsigned char)text[0]) ||
	    !isdigit((unsigned char)slash[1]))
		return -1;
	k = xstrndup(text, (size_t)(slash - text));
	rc = parse_long(k, &index) == 0 && parse_long(slash + 1, &count) == 0;
	free(k);
	if (!rc || count < 1 || count > SHARD_MAX || index < 1 || index > count)
		return -1;
	s->index = (int)index;
	s->count = (int)count;
	return 0;
}

/* Measured seconds of a workload's cells in costs; -1 when it has none. */
static double
measured_s(const struct resultset *costs, const char *workload)
{
	double s = 0;
	int any = 0;

	for (size_t i = 0; costs && i < costs->ncells; i++)
		if (strcmp(costs->cells[i].workload, workload) == 0) {
			s += costs->cells[i].elapsed_s;
			any = 1;
		}
	return any ? s : -1;
}

double
shard_workload_cost(
    const struct matrix *m, size_t w, const struct resultset *costs)
{
	const struct workload_spec *ws = &m->workloads[w];
	long iterations = ws->iterations ? ws->iterations : m->iterations;
	double sample_s, cost_s = measured_s(costs, ws->name);
	int weak = !m->scaling || strcmp(m->scaling, "strong") != 0;

	if (cost_s >= 0)
		return cost_s;
	sample_s = m->min_time_s > 0 ? m->min_time_s
	                             : (double)iterations * SHARD_ITERATION_S;
	cost_s = 0;
	for (size_t e = 0; e < m->nengines; e++)
		for (size_t t = 0; t < m->nthreads; t++) {
			int n = m->threads[t];

			if (!matrix_cell_wanted(m, w, m->engines[e], n))
				continue;
			/* weak scaling: n times the work, on a GIL build
			 * n times the time */
			cost_s += (double)m->ninterps * m->repetitions *
			    (SHARD_PROBE_START_S +
			        (m->warmup + m->samples) * sample_s *
			            (weak ? n : 1));
		}
	return cost_s;
}

void
shard_assign(const struct matrix *m, int count, const struct resultset *costs,
    int *shard_of, double *load_s)
{
	size_t n = m->nworkloads, *order = xcalloc(n ? n : 1, sizeof(*order));
	double *cost = xcalloc(n ? n : 1, sizeof(*cost));

	for (int k = 0; k < count; k++)
		load_s[k] = 0;
	for (size_t w = 0; w < n; w++) {
		cost[w] = shard_workload_cost(m, w, costs);
		order[w] = w;
	}
	/* most expensive first; equal costs in matrix order (insertion sort:
	 * stable and deterministic, and matrices are small) */
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && cost[order[j]] > cost[order[j - 1]];
		     j--) {
			size_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
		}
	for (size_t i = 0; i < n; i++) {
		int best = 0;

		for (int k = 1; k < count; k++)
			if (load_s[k] < load_s[best])
				best = k;
		shard_of[order[i]] = best;
		load_s[best] += cost[order[i]];
	}
	free(order);
	free(cost);
}

double
matrix_keep_shard(
    struct matrix *m, const struct shard *s, const struct resultset *costs)
{
	int *shard_of =
	    xcalloc(m->nworkloads ? m->nworkloads : 1, sizeof(*shard_of));
	double *load_s = xcalloc((size_t)s->count, sizeof(*load_s)), mine_s;
	size_t kept = 0;

	shard_assign(m, s->count, costs, shard_of, load_s);
	for (size_t w = 0; w < m->nworkloads; w++) {
		if (shard_of[w] == s->index - 1) {
			m->workloads[kept++] = m->workloads[w];
			continue;
		}
		workload_spec_free(&m->workloads[w]);
	}
	m->nworkloads = kept;
	mine_s = load_s[s->index - 1];
	free(shard_of);
	free(load_s);
	return mine_s;
}

/* Leaves in m the workloads of --shard K/N, recorded in s. */
int
shard_cut(struct matrix *m, const struct run_opts *opts, struct shard_info *s)
{
	struct resultset costs = {0};

	if (opts->shard_costs && results_load(opts->shard_costs, &costs) < 0) {
		error("--shard-costs %s: cannot use it", opts->shard_costs);
		return -1;
	}
	s->index = opts->shard.index;
	s->count = opts->shard.count;
	s->estimated_s = matrix_keep_shard(
	    m, &opts->shard, opts->shard_costs ? &costs : NULL);
	s->workloads = xcalloc(m->nworkloads + 1, sizeof(*s->workloads));
	for (size_t w = 0; w < m->nworkloads; w++)
		s->workloads[s->nworkloads++] = xstrdup(m->workloads[w].name);
	if (!opts->quiet)
		fprintf(stderr,
		    "ftmatrix: shard %d/%d: %zu workload%s, about %.0f s\n",
		    s->index, s->count, m->nworkloads,
		    m->nworkloads == 1 ? "" : "s", s->estimated_s);
	if (opts->shard_costs)
		results_free(&costs);
	return 0;
}

/* A results file resumes only as the same shard (or whole plan). */
int
shard_resume_check(
    const struct resultset *old, const struct shard_info *now, const char *path)
{
	if (old->shard.index == now->index && old->shard.count == now->count)
		return 0;
	if (old->shard.count == 0)
		error("%s: holds the whole plan, not shard %d/%d; use another "
		      "output directory (-o)",
		    path, now->index, now->count);
	else if (now->count == 0)
		error("%s: holds shard %d/%d, not the whole plan; resume it "
		      "with --shard %d/%d or use another output directory (-o)",
		    path, old->shard.index, old->shard.count, old->shard.index,
		    old->shard.count);
	else
		error("%s: holds shard %d/%d, not %d/%d; use another output "
		      "directory (-o)",
		    path, old->shard.index, old->shard.count, now->index,
		    now->count);
	return -1;
}
