#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* One cell placed in its group; sorting these forms the groups. */
struct placed {
	size_t cell, interp;
	size_t workload, engine; /* in first-seen order */
	int threads;
};

/* The pooled samples of each group, kept until speedups and overheads are
 * done. */
struct pool {
	double *wall_ns;
	size_t n;
	size_t *sizes; /* values per ok cell: one probe process each */
	size_t nsizes;
};

static struct samples
pool_samples(const struct pool *p)
{
	return (struct samples){p->wall_ns, p->n, p->sizes, p->nsizes};
}

static const char *
str_or_empty(const char *s)
{
	return s ? s : "";
}

static size_t
interp_index(const struct resultset *rs, const char *id)
{
	size_t i;

	for (i = 0; id && i < rs->ninterps; i++)
		if (rs->interps[i].id && strcmp(rs->interps[i].id, id) == 0)
			return i;
	return SIZE_MAX;
}

/* Index of s in names, appending it when new. */
static size_t
name_index(const char ***names, size_t *n, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (strcmp((*names)[i], s) == 0)
			return i;
	*names = xreallocarray(*names, *n + 1, sizeof **names);
	(*names)[*n] = s;
	return (*n)++;
}

/* name_index for the workloads, which a big file has thousands of. */
static size_t
workload_index(struct analysis *a, const char *s)
{
	size_t i;

	if (strset_find(&a->workload_index, s, &i))
		return i;
	a->workloads = xreallocarray(
	    (void *)a->workloads, a->nworkloads + 1, sizeof *a->workloads);
	a->workloads[a->nworkloads] = s;
	strset_add(&a->workload_index, s, a->nworkloads, NULL);
	return a->nworkloads++;
}

static int
cmp_placed(const void *pa, const void *pb)
{
	const struct placed *a = pa, *b = pb;

	if (a->workload != b->workload)
		return a->workload < b->workload ? -1 : 1;
	if (a->engine != b->engine)
		return a->engine < b->engine ? -1 : 1;
	if (a->interp != b->interp)
		return a->interp < b->interp ? -1 : 1;
	if (a->threads != b->threads)
		return a->threads < b->threads ? -1 : 1;
	return (a->cell > b->cell) - (a->cell < b->cell);
}

static int
same_group(const struct placed *a, const struct placed *b)
{
	return a->workload == b->workload && a->engine == b->engine &&
	    a->interp == b->interp && a->threads == b->threads;
}

static int
cmp_int(const void *pa, const void *pb)
{
	int a = *(const int *)pa, b = *(const int *)pb;

	return (a > b) - (a < b);
}

static void
add_thread_count(struct analysis *a, int threads)
{
	size_t i;

	for (i = 0; i < a->nthreads; i++)
		if (a->threads[i] == threads)
			return;
	a->threads =
	    xreallocarray(a->threads, a->nthreads + 1, sizeof *a->threads);
	a->threads[a->nthreads++] = threads;
}

/* How many probe processes a cell's "replaced" record lists. */
static size_t
replaced_count(const struct result_cell *c)
{
	const char *s = c->replaced_json;
	size_t n = 0;

	/* each entry is an object with a "reason" */
	while (s && (s = strstr(s, "\"reason\"")) != NULL) {
		n++;
		s++;
	}
	return n;
}

/* Pools the samples of the cells that count: undisturbed ones, or, when
 * a slow phase lasted the whole group, all of them. */
static void
pool_fill(const struct resultset *rs, const struct drift_refs *d,
    const struct placed *p, size_t n, struct group *g, struct pool *pool,
    size_t total)
{
	size_t i, kept = 0;

	for (i = 0; i < n; i++) {
		const struct result_cell *c = &rs->cells[p[i].cell];

		if (cell_ok(c))
			kept += drift_cell_kept(d, c, NULL);
	}
	g->all_disturbed = kept == 0 && total > 0;
	pool->n = pool->nsizes = 0;
	pool->wall_ns =
	    total ? xreallocarray(NULL, total, sizeof(double)) : NULL;
	pool->sizes = xcalloc(n, sizeof *pool->sizes);
	for (i = 0; i < n; i++) {
		const struct result_cell *c = &rs->cells[p[i].cell];
		size_t k;

		if (!cell_ok(c) || !c->nwall)
			continue;
		g->nsamples += c->nwall;
		for (size_t j = 0; j < c->nwall; j++) {
			int st = drift_sample_state(d, c, j);

			g->nslow += st == DISTURBED_SLOW_PHASE;
			g->ndescheduled += st == DISTURBED_DESCHEDULED;
		}
		if (g->all_disturbed) {
			memcpy(pool->wall_ns + pool->n, c->wall_ns,
			    c->nwall * sizeof(double));
			k = c->nwall;
		} else {
			k = drift_cell_kept(d, c, pool->wall_ns + pool->n);
		}
		if (k == 0) {
			g->nleft_out++;
			continue;
		}
		pool->n += k;
		pool->sizes[pool->nsizes++] = k;
	}
}

/* Fills g from its cells p[0..n) and pools their ok samples. */
static void
group_fill(const struct resultset *rs, const struct drift_refs *d,
    const struct placed *p, size_t n, struct group *g, struct pool *pool)
{
	size_t i, total = 0;
	int gil_known = 0, units_known = 0;

	g->gil_enabled = -1;
	for (i = 0; i < n; i++) {
		const struct result_cell *c = &rs->cells[p[i].cell];

		g->ncells++;
		g->nreplaced += replaced_count(c);
		if (!cell_ok(c)) {
			g->nfailed++;
			continue;
		}
		total += c->nwall;
		if (!units_known)
			g->units = cell_units(c);
		else if (g->units != cell_units(c))
			g->units = 0;
		units_known = 1;
		if (c->gil_enabled_before != -1 && c->gil_enabled_after != -1 &&
		    c->gil_enabled_before != c->gil_enabled_after)
			g->gil_changed = 1;
		/* repetitions that disagree leave it unknown */
		if (c->gil_enabled_after != -1) {
			if (!gil_known)
				g->gil_enabled = c->gil_enabled_after;
			else if (g->gil_enabled != c->gil_enabled_after)
				g->gil_enabled = -1;
			gil_known = 1;
		}
	}
	pool_fill(rs, d, p, n, g, pool, total);
	{
		struct samples x = pool_samples(pool);

		stats_summarize_samples(&x, &g->wall);
	}
	g->warning = stats_noise_warning(&g->wall, STATS_CV_MAX, STATS_CI_MAX);
}

/* Weak unless the cells say "strong": the matrix default. */
static int
group_strong(const struct resultset *rs, const struct placed *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const char *scaling = rs->cells[p[i].cell].scaling;

		if (scaling)
			return strcmp(scaling, "strong") == 0;
	}
	return 0;
}

static size_t
group_index(const struct analysis *a, size_t interp, const char *workload,
    const char *engine, int threads)
{
	const struct group *g =
	    analysis_find(a, interp, workload, engine, threads);

	return g ? (size_t)(g - a->groups) : SIZE_MAX;
}

static void
group_speedup(struct analysis *a, struct pool *pools, size_t gi, int strong)
{
	struct group *g = &a->groups[gi];
	struct samples t1, tn;
	struct speedup sp;
	size_t one;

	if (pools[gi].n == 0 || g->threads < 1)
		return;
	one = group_index(a, g->interp, g->workload, g->engine, 1);
	if (one == SIZE_MAX || pools[one].n == 0)
		return;
	if (one != gi &&
	    (g->all_disturbed || a->groups[one].all_disturbed)) {
		g->speedup_unresolved = 1;
		return;
	}
	g->has_speedup = 1;
	if (one == gi) {
		/* the reference point: 1 by definition, not an estimate */
		g->speedup = g->speedup_lo = g->speedup_hi = 1;
		g->efficiency = 1;
		return;
	}
	t1 = pool_samples(&pools[one]);
	tn = pool_samples(&pools[gi]);
	stats_speedup(&t1, &tn, g->threads, strong, &sp);
	g->speedup = sp.value;
	g->speedup_lo = sp.lo;
	g->speedup_hi = sp.hi;
	g->efficiency = sp.efficiency;
}

static void
group_overhead(struct analysis *a, struct pool *pools, size_t gi)
{
	struct group *g = &a->groups[gi];
	size_t base;

	if (a->baseline == SIZE_MAX || pools[gi].n == 0)
		return;
	base = group_index(a, a->baseline, g->workload, g->engine, g->threads);
	if (base == SIZE_MAX || pools[base].n == 0)
		return;
	if (base != gi &&
	    (g->all_disturbed || a->groups[base].all_disturbed)) {
		g->overhead_unresolved = 1;
		return;
	}
	g->has_overhead = 1;
	if (base == gi) {
		g->overhead = g->overhead_lo = g->overhead_hi = 1;
		return;
	}
	{
		struct samples x = pool_samples(&pools[gi]);
		struct samples b = pool_samples(&pools[base]);

		stats_ratio_samples(&x, &b, &g->overhead, &g->overhead_lo,
		    &g->overhead_hi);
	}
}

/* The engine a thread engine is compared with: the same work in N
 * processes instead of N threads. */
static const char *
process_engine(const char *engine)
{
	if (strcmp(engine, "threads") == 0)
		return "processes";
	if (strcmp(engine, "executor-threads") == 0)
		return "executor-processes";
	return NULL;
}

static void
group_vs_processes(struct analysis *a, struct pool *pools, size_t gi)
{
	struct group *g = &a->groups[gi];
	const char *other = process_engine(g->engine);
	struct samples x, y;
	size_t pi;

	if (!other || pools[gi].n == 0)
		return;
	pi = group_index(a, g->interp, g->workload, other, g->threads);
	if (pi == SIZE_MAX || pools[pi].n == 0)
		return;
	x = pool_samples(&pools[gi]);
	y = pool_samples(&pools[pi]);
	stats_ratio_samples(&x, &y, &g->vs_processes, &g->vs_processes_lo,
	    &g->vs_processes_hi);
	g->has_vs_processes = 1;
}

/* What the groups' bootstraps share, each group's computed side by side
 * (a group writes only its own group and pool). */
struct groups_work {
	const struct resultset *rs;
	const struct drift_refs *refs;
	struct analysis *a;
	const struct placed *placed;
	size_t *start; /* group k's cells: placed[start[k] .. start[k + 1]) */
	size_t *cells; /* placed[i].cell, for pairing */
	struct pool *pools;
	int *strong;
};

static void
group_summarize(void *ctx, size_t k)
{
	const struct groups_work *w = ctx;

	group_fill(w->rs, w->refs, w->placed + w->start[k],
	    w->start[k + 1] - w->start[k], &w->a->groups[k], &w->pools[k]);
}

static struct cell_list
group_cells(const struct groups_work *w, size_t k)
{
	return (struct cell_list){
	    w->cells + w->start[k], w->start[k + 1] - w->start[k]};
}

static void
group_compare(void *ctx, size_t i)
{
	const struct groups_work *w = ctx;
	struct analysis *a = w->a;
	struct group *g = &a->groups[i];
	const struct group *base;

	group_speedup(a, w->pools, i, w->strong[i]);
	group_overhead(a, w->pools, i);
	group_vs_processes(a, w->pools, i);
	base = g->has_overhead ? analysis_find(a, a->baseline, g->workload,
	                             g->engine, g->threads)
	                       : NULL;
	g->has_overhead_paired = base &&
	    pairing_overhead(w->rs, w->refs, group_cells(w, i),
	        group_cells(w, (size_t)(base - a->groups)),
	        &g->overhead_paired, &g->overhead_paired_lo,
	        &g->overhead_paired_hi) == 0;
}

/*
 * Groups come out ordered by workload and engine (first seen), then
 * interpreter (matrix order), then thread count. Cells naming an interpreter
 * the result set does not list are left out.
 */
void
analysis_make(const struct resultset *rs, struct analysis *a)
{
	struct placed *placed;
	const char **engines = NULL;
	size_t nengines = 0, nplaced = 0, i, start;
	struct drift_refs refs;
	struct groups_work w;

	memset(a, 0, sizeof *a);
	drift_refs_make(rs, &refs);
	a->baseline = rs->baseline ? interp_index(rs, rs->baseline) : SIZE_MAX;
	placed =
	    xreallocarray(NULL, rs->ncells ? rs->ncells : 1, sizeof *placed);
	for (i = 0; i < rs->ncells; i++) {
		const struct result_cell *c = &rs->cells[i];
		struct placed *p = &placed[nplaced];

		p->interp = interp_index(rs, c->interp);
		if (p->interp == SIZE_MAX)
			continue;
		p->cell = i;
		p->workload = workload_index(a, str_or_empty(c->workload));
		p->engine =
		    name_index(&engines, &nengines, str_or_empty(c->engine));
		p->threads = c->threads;
		add_thread_count(a, c->threads);
		nplaced++;
	}
	if (a->nthreads)
		qsort(a->threads, a->nthreads, sizeof *a->threads, cmp_int);
	if (nplaced)
		qsort(placed, nplaced, sizeof *placed, cmp_placed);

	a->groups = xcalloc(nplaced ? nplaced : 1, sizeof *a->groups);
	w = (struct groups_work){.rs = rs,
	    .refs = &refs,
	    .a = a,
	    .placed = placed,
	    .start = xcalloc(nplaced + 1, sizeof *w.start),
	    .pools = xcalloc(nplaced ? nplaced : 1, sizeof *w.pools),
	    .strong = xcalloc(nplaced ? nplaced : 1, sizeof *w.strong)};
	for (start = 0; start < nplaced; start = i) {
		struct group *g = &a->groups[a->ngroups];

		for (i = start + 1;
		     i < nplaced && same_group(&placed[i], &placed[start]); i++)
			;
		g->interp = placed[start].interp;
		g->workload = a->workloads[placed[start].workload];
		g->engine = engines[placed[start].engine];
		g->threads = placed[start].threads;
		w.strong[a->ngroups] =
		    group_strong(rs, placed + start, i - start);
		w.start[a->ngroups++] = start;
	}
	w.start[a->ngroups] = nplaced;
	w.cells = xcalloc(nplaced + 1, sizeof *w.cells);
	for (i = 0; i < nplaced; i++)
		w.cells[i] = placed[i].cell;
	parallel_for(a->ngroups, group_summarize, &w);
	analysis_index(a);
	parallel_for(a->ngroups, group_compare, &w);
	for (i = 0; i < a->ngroups; i++) {
		free(w.pools[i].wall_ns);
		free(w.pools[i].sizes);
	}
	free(w.pools);
	free(w.strong);
	free(w.start);
	free(w.cells);
	free(placed);
	free(engines);
	drift_refs_free(&refs);
}

long
cell_units(const struct result_cell *c)
{
	if (c->work_per_thread > 0)
		return c->work_per_thread;
	if (c->iterations <= 0 || c->threads < 1)
		return 0;
	if (c->scaling && strcmp(c->scaling, "strong") == 0)
		return c->iterations / c->threads;
	return c->iterations;
}

double
group_per_unit(const struct group *g, double wall_ns)
{
	return g->units > 0 ? wall_ns / (double)g->units : NAN;
}

struct analysis *
analysis_new(const struct resultset *rs)
{
	struct analysis *a = xmalloc(sizeof(*a));

	analysis_make(rs, a);
	return a;
}
