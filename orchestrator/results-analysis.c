/*
 * The derived analysis as data: groups found by workload through an
 * index (a report looks groups up per workload and per cell, so a scan
 * per lookup would make a 100,000-cell file quadratic), copied and freed.
 * analysis.c computes it; this file only holds it.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* Groups come ordered by workload (analysis.c sorts them so): the groups
 * of workload w are [workload_groups[w], workload_groups[w + 1]). -1 when
 * they are not in that order. */
int
analysis_index(struct analysis *a)
{
	size_t w = 0, i;

	strset_free(&a->workload_index);
	free(a->workload_groups);
	a->workload_groups =
	    xcalloc(a->nworkloads + 1, sizeof(*a->workload_groups));
	for (i = 0; i < a->nworkloads; i++)
		if (strset_add(&a->workload_index, a->workloads[i], i, NULL))
			return -1; /* a workload named twice */
	for (i = 0; i < a->ngroups; i++) {
		while (w < a->nworkloads &&
		    strcmp(a->groups[i].workload, a->workloads[w]) != 0)
			a->workload_groups[++w] = i;
		if (w == a->nworkloads)
			return -1;
	}
	while (w < a->nworkloads)
		a->workload_groups[++w] = a->ngroups;
	return 0;
}

size_t
analysis_workload(const struct analysis *a, const char *workload)
{
	size_t w;

	return workload && strset_find(&a->workload_index, workload, &w)
	    ? w
	    : SIZE_MAX;
}

const struct group *
analysis_groups_of(const struct analysis *a, const char *workload, size_t *n)
{
	size_t w = analysis_workload(a, workload);

	*n = 0;
	if (w == SIZE_MAX)
		return NULL;
	*n = a->workload_groups[w + 1] - a->workload_groups[w];
	return &a->groups[a->workload_groups[w]];
}

const struct group *
analysis_find(const struct analysis *a, size_t interp, const char *workload,
    const char *engine, int threads)
{
	size_t n;
	const struct group *g = analysis_groups_of(a, workload, &n);

	for (size_t i = 0; i < n; i++)
		if (g[i].interp == interp && g[i].threads == threads &&
		    strcmp(g[i].engine, engine) == 0)
			return &g[i];
	return NULL;
}

void
analysis_copy(struct analysis *dst, const struct analysis *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->ngroups = src->ngroups;
	dst->groups = xcalloc(src->ngroups + 1, sizeof(*dst->groups));
	for (size_t i = 0; i < src->ngroups; i++) {
		dst->groups[i] = src->groups[i];
		if (src->groups[i].warning)
			dst->groups[i].warning = xstrdup(src->groups[i].warning);
	}
	dst->baseline = src->baseline;
	dst->nworkloads = src->nworkloads;
	dst->workloads = xcalloc(src->nworkloads + 1, sizeof(*dst->workloads));
	memcpy(dst->workloads, src->workloads,
	    src->nworkloads * sizeof(*dst->workloads));
	dst->nthreads = src->nthreads;
	dst->threads = xcalloc(src->nthreads + 1, sizeof(*dst->threads));
	memcpy(dst->threads, src->threads,
	    src->nthreads * sizeof(*dst->threads));
	analysis_index(dst);
}

void
analysis_free(struct analysis *a)
{
	size_t i;

	for (i = 0; i < a->ngroups; i++)
		free(a->groups[i].warning);
	free(a->groups);
	free((void *)a->workloads);
	free(a->threads);
	free(a->workload_groups);
	strset_free(&a->workload_index);
	memset(a, 0, sizeof *a);
	a->baseline = SIZE_MAX;
}
