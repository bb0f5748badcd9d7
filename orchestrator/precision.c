/* Precision targets: which ratios (overhead against the baseline, speedup
 * against one thread) have a 95% CI wider than the target, and which
 * groups another round of probe processes must add to narrow them. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* A group whose times are a result: not a known-limitation check's. */
static int
group_timed(const struct resultset *rs, const struct group *g)
{
	for (size_t i = 0; i < rs->ncells; i++) {
		const struct result_cell *c = &rs->cells[i];

		if (c->group && strcmp(c->workload, g->workload) == 0)
			return strcmp(c->group, "findings") != 0;
	}
	return 1;
}

static void
need_add(struct precision_need **v, size_t *n, const struct group *g)
{
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].interp == g->interp &&
		    (*v)[i].threads == g->threads &&
		    strcmp((*v)[i].workload, g->workload) == 0 &&
		    strcmp((*v)[i].engine, g->engine) == 0)
			return;
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = (struct precision_need){
	    g->interp, g->workload, g->engine, g->threads};
}

static int
need_cmp(const void *pa, const void *pb)
{
	const struct precision_need *a = pa, *b = pb;
	int c = strcmp(a->workload, b->workload);

	if (!c)
		c = strcmp(a->engine, b->engine);
	if (!c)
		c = (a->threads > b->threads) - (a->threads < b->threads);
	if (!c)
		c = (a->interp > b->interp) - (a->interp < b->interp);
	return c;
}

size_t
precision_unmet(const struct resultset *rs, const struct analysis *a,
    double target, struct precision_need **out, size_t *nratios)
{
	struct precision_need *v = NULL;
	size_t n = 0;

	*nratios = 0;
	for (size_t i = 0; i < a->ngroups; i++) {
		const struct group *g = &a->groups[i];
		const struct group *ref;
		double p;

		if (!group_timed(rs, g))
			continue;
		if (g->has_overhead) {
			p = precision_of(
			    g->overhead, g->overhead_lo, g->overhead_hi);
			ref = analysis_find(
			    a, a->baseline, g->workload, g->engine, g->threads);
			if (!(p <= target) && ref) {
				(*nratios)++;
				need_add(&v, &n, g);
				need_add(&v, &n, ref);
			}
		}
		if (g->has_speedup && g->threads > 1) {
			p = precision_of(
			    g->speedup, g->speedup_lo, g->speedup_hi);
			ref = analysis_find(
			    a, g->interp, g->workload, g->engine, 1);
			if (!(p <= target) && ref) {
				(*nratios)++;
				need_add(&v, &n, g);
				need_add(&v, &n, ref);
			}
		}
	}
	/* interpreters innermost, as in the plan */
	if (n)
		qsort(v, n, sizeof(*v), need_cmp);
	*out = v;
	return n;
}
