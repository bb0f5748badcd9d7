#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * The same workloads across two result files: 3.14.0 against 3.14.1, or
 * this machine against another. Interpreters are paired by matrix id, by
 * label, or by kind (free-threaded or not, GIL on or off at run time),
 * whichever pairs the most; a key that names several interpreters in a
 * file pairs none of them.
 */

const char *
compare_match_name(enum compare_match m)
{
	switch (m) {
	case MATCH_ID:
		return "id";
	case MATCH_LABEL:
		return "label";
	case MATCH_KIND:
		return "kind (free-threaded or not)";
	default:
		return "auto";
	}
}

static char *
interp_key(const struct resultset *rs, size_t i, enum compare_match m)
{
	const struct result_interp *ri = &rs->interps[i];

	switch (m) {
	case MATCH_LABEL:
		return xstrdup(report_label(rs, i));
	case MATCH_KIND:
		return xasprintf("%d/%d", ri->identity.gil_disabled_build,
		    ri->identity.gil_enabled);
	default:
		return xstrdup(ri->id);
	}
}

/* Pairs interpreters by key; returns how many pairs. */
static size_t
pair_by(const struct resultset *a, const struct resultset *b,
    enum compare_match m, size_t *b_of_a)
{
	size_t n = 0;

	for (size_t i = 0; i < a->ninterps; i++)
		b_of_a[i] = SIZE_MAX;
	for (size_t i = 0; i < a->ninterps; i++) {
		char *ka = interp_key(a, i, m);
		size_t hits = 0, dup = 0;

		for (size_t k = 0; k < a->ninterps; k++) {
			char *kk = interp_key(a, k, m);

			dup += a->interps[k].available && strcmp(ka, kk) == 0;
			free(kk);
		}
		for (size_t j = 0; j < b->ninterps; j++) {
			char *kb = interp_key(b, j, m);

			if (b->interps[j].available && strcmp(ka, kb) == 0) {
				b_of_a[i] = j;
				hits++;
			}
			free(kb);
		}
		free(ka);
		/* an ambiguous key pairs nothing rather than guessing */
		if (!a->interps[i].available || hits != 1 || dup != 1) {
			b_of_a[i] = SIZE_MAX;
			continue;
		}
		n++;
	}
	return n;
}

/* How one file ran a row's cells: what makes work per sample. */
struct work {
	long units, iterations; /* -1: the cells disagree */
	const char *scaling;
};

static void
work_note(struct work *w, const struct result_cell *c, int first)
{
	if (first) {
		w->units = cell_units(c);
		w->iterations = c->iterations;
		w->scaling = c->scaling ? c->scaling : "weak";
		return;
	}
	if (w->units != cell_units(c))
		w->units = -1;
	if (w->iterations != c->iterations)
		w->iterations = -1;
}

/*
 * One file's cells by interpreter, workload, engine and thread count (a
 * row's cells), and the engines of each workload, found in one pass: a
 * scan per row would make a 100,000-cell comparison quadratic.
 */
struct cell_index {
	struct strset rows;    /* row key -> index into first */
	char **keys;	       /* the row keys, which rows points into */
	size_t *first, *last;  /* per row key: its first and last cell */
	size_t nkeys;
	size_t *next;	       /* per cell: the next of its row, or SIZE_MAX */
	size_t *row;	       /* per cell: its row key */
	struct strset wls;     /* workload -> index into engines */
	struct buf *engines;   /* per workload: "threads, processes" */
	struct strset pairs;   /* "workload\037engine" seen */
	char **pair_keys;
	size_t nwls;
};

static char *
row_key(const char *interp, const char *workload, const char *engine,
    int threads)
{
	return xasprintf("%s\037%s\037%s\037%d", interp, workload, engine,
	    threads);
}

static void
cell_index_make(const struct resultset *rs, struct cell_index *x)
{
	memset(x, 0, sizeof(*x));
	x->keys = xcalloc(rs->ncells + 1, sizeof(*x->keys));
	x->first = xcalloc(rs->ncells + 1, sizeof(*x->first));
	x->last = xcalloc(rs->ncells + 1, sizeof(*x->last));
	x->next = xcalloc(rs->ncells + 1, sizeof(*x->next));
	x->row = xcalloc(rs->ncells + 1, sizeof(*x->row));
	x->engines = xcalloc(rs->ncells + 1, sizeof(*x->engines));
	x->pair_keys = xcalloc(rs->ncells + 1, sizeof(*x->pair_keys));
	for (size_t i = 0; i < rs->ncells; i++) {
		const struct result_cell *c = &rs->cells[i];
		char *k = row_key(c->interp, c->workload, c->engine, c->threads);
		size_t r, w, npairs = x->pairs.n;

		x->next[i] = SIZE_MAX;
		if (strset_find(&x->rows, k, &r)) {
			free(k);
			x->next[x->last[r]] = i;
		} else {
			r = x->nkeys++;
			x->keys[r] = k;
			strset_add(&x->rows, k, r, NULL);
			x->first[r] = i;
		}
		x->last[r] = i;
		x->row[i] = r;
		if (!strset_find(&x->wls, c->workload, &w)) {
			w = x->nwls++;
			strset_add(&x->wls, c->workload, w, NULL);
		}
		k = xasprintf("%s\037%s", c->workload, c->engine);
		if (strset_add(&x->pairs, k, 0, NULL)) {
			free(k);
			continue;
		}
		x->pair_keys[npairs] = k;
		buf_printf(&x->engines[w], "%s%s",
		    x->engines[w].len ? ", " : "", c->engine);
	}
}

static void
cell_index_free(struct cell_index *x)
{
	for (size_t i = 0; i < x->nkeys; i++)
		free(x->keys[i]);
	for (size_t i = 0; i < x->pairs.n; i++)
		free(x->pair_keys[i]);
	for (size_t i = 0; i < x->nwls; i++)
		buf_free(&x->engines[i]);
	strset_free(&x->rows);
	strset_free(&x->wls);
	strset_free(&x->pairs);
	free(x->keys);
	free(x->first);
	free(x->last);
	free(x->next);
	free(x->row);
	free(x->engines);
	free(x->pair_keys);
}

/* Every ok sample of one interpreter, workload, engine and thread count,
 * over all repetitions. */
static double *
pool(const struct resultset *rs, const struct cell_index *ix, const char *id,
    const char *workload, const char *engine, int threads, size_t *n,
    struct work *w)
{
	double *x = NULL;
	char *k = row_key(id, workload, engine, threads);
	size_t r, i = SIZE_MAX;

	*n = 0;
	memset(w, 0, sizeof(*w));
	if (strset_find(&ix->rows, k, &r))
		i = ix->first[r];
	free(k);
	for (; i != SIZE_MAX; i = ix->next[i]) {
		const struct result_cell *c = &rs->cells[i];

		if (strcmp(c->status, "ok") != 0 || !c->nwall)
			continue;
		work_note(w, c, *n == 0);
		x = xreallocarray(x, *n + c->nwall, sizeof(*x));
		memcpy(x + *n, c->wall_ns, c->nwall * sizeof(*x));
		*n += c->nwall;
	}
	return x;
}

/* The engines a file measured a workload with, "threads, processes". */
static char *
engines_of(const struct cell_index *ix, const char *workload)
{
	size_t w;

	if (!strset_find(&ix->wls, workload, &w) || !ix->engines[w].len)
		return xstrdup("");
	return xstrdup(ix->engines[w].data);
}

static void
note_add(struct buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
note_add(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	buf_puts(b, b->len ? "; " : "");
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

/*
 * Times per run compare only the same work. With both files' units of
 * work per sample known, the ratio is per unit, so other iteration
 * counts (or min_time calibrating to others) still compare, and the row
 * says how they differ; another scaling mode on several threads gives
 * each worker other work, and units unknown on a side leave nothing to
 * scale by: those rows get no verdict.
 */
static void
row_work(struct compare_pair *p, const struct cell_index *ix,
    struct compare_row *r, const struct work *wa, const struct work *wb)
{
	struct buf note = {0};
	int comparable = 1;
	char *ea = engines_of(&ix[0], r->workload);
	char *eb = engines_of(&ix[1], r->workload);
	double ma = p->a->settings.min_time_s, mb = p->b->settings.min_time_s;

	r->units_a = wa->units > 0 ? wa->units : 0;
	r->units_b = wb->units > 0 ? wb->units : 0;
	r->unit_a = r->units_a ? r->a.median / (double)r->units_a : NAN;
	r->unit_b = r->units_b ? r->b.median / (double)r->units_b : NAN;
	if (wa->iterations != wb->iterations) {
		if (wa->iterations > 0 && wb->iterations > 0)
			note_add(&note, "iterations %ld in A, %ld in B",
			    wa->iterations, wb->iterations);
		else
			note_add(&note, "iterations differ within a file");
	}
	if (ma != mb)
		note_add(&note, "min_time %gs in A, %gs in B (0: none)", ma,
		    mb);
	if (strcmp(wa->scaling, wb->scaling) != 0) {
		note_add(&note, "%s scaling in A, %s in B", wa->scaling,
		    wb->scaling);
		comparable &= r->threads == 1;
	}
	if (strcmp(ea, eb) != 0)
		note_add(&note, "engines %s in A, %s in B", ea, eb);
	if (r->units_a && r->units_b) {
		double k = (double)r->units_a / (double)r->units_b;

		r->ratio *= k;
		r->lo *= k;
		r->hi *= k;
		r->verdict = r->lo > 1 ? 1 : r->hi < 1 ? -1 : 0;
	} else if (wa->units != wb->units || wa->units < 0) {
		note_add(&note, "units of work per sample unknown");
		comparable = 0;
	}
	if (!comparable) {
		r->verdict = COMPARE_NOT_COMPARABLE;
		note_add(&note, "not the same work: no verdict");
	} else if (note.len && r->units_a && r->units_b)
		note_add(&note, "compared per unit of work");
	r->note = note.len ? buf_detach(&note) : NULL;
	buf_free(&note);
	free(ea);
	free(eb);
}

/* A row's samples on each side, and the work they did. */
struct row_pool {
	double *xa, *xb;
	size_t na, nb;
	struct work wa, wb;
};

struct row_pools {
	struct compare_row *rows;
	struct row_pool *pool; /* one per row */
	size_t cap;
};

static void
row_add(struct compare_pair *p, struct row_pools *rp,
    const struct cell_index *ix, size_t ia, const struct result_cell *c)
{
	const struct resultset *a = p->a, *b = p->b;
	size_t ib = p->b_of_a[ia];
	struct row_pool x;
	struct compare_row *r;

	x.xa = pool(a, &ix[0], a->interps[ia].id, c->workload, c->engine,
	    c->threads, &x.na, &x.wa);
	x.xb = pool(b, &ix[1], b->interps[ib].id, c->workload, c->engine,
	    c->threads, &x.nb, &x.wb);
	if (!x.na || !x.nb) {
		free(x.xa);
		free(x.xb);
		return;
	}
	if (p->nrows == rp->cap) {
		rp->cap = rp->cap ? 2 * rp->cap : 64;
		p->rows = xreallocarray(p->rows, rp->cap, sizeof(*p->rows));
		rp->pool = xreallocarray(rp->pool, rp->cap, sizeof(*rp->pool));
	}
	rp->pool[p->nrows] = x;
	r = &p->rows[p->nrows++];
	memset(r, 0, sizeof(*r));
	r->ia = ia;
	r->ib = ib;
	r->workload = c->workload;
	r->engine = c->engine;
	r->threads = c->threads;
	r->seq = p->nrows;
}

/* Row i's medians and ratio (a bootstrap each: rows run side by side). */
static void
row_stats(void *ctx, size_t i)
{
	const struct row_pools *rp = ctx;
	const struct row_pool *x = &rp->pool[i];
	struct compare_row *r = &rp->rows[i];

	/* the ratio has the interval; each side, its median */
	stats_describe(x->xa, x->na, &r->a);
	stats_describe(x->xb, x->nb, &r->b);
	stats_ratio(x->xb, x->nb, x->xa, x->na, &r->ratio, &r->lo, &r->hi);
	r->verdict = r->lo > 1 ? 1 : r->hi < 1 ? -1 : 0;
}

static void
rows_finish(struct compare_pair *p, struct row_pools *rp,
    const struct cell_index *ix)
{
	rp->rows = p->rows;
	parallel_for(p->nrows, row_stats, rp);
	for (size_t i = 0; i < p->nrows; i++) {
		row_work(p, ix, &p->rows[i], &rp->pool[i].wa, &rp->pool[i].wb);
		free(rp->pool[i].xa);
		free(rp->pool[i].xb);
	}
	free(rp->pool);
}

/* Correctness runs report findings, not performance. */
static int
finding_cell(const struct result_cell *c)
{
	struct cell_extras x;
	int yes;

	if (c->group && strstr(c->group, "finding"))
		return 1;
	cell_extras_load(c, &x);
	yes = x.nfindings > 0 || (x.kind && strcmp(x.kind, "finding") == 0);
	cell_extras_release(c, &x);
	return yes;
}

static int
cmp_row(const void *pa, const void *pb)
{
	const struct compare_row *a = pa, *b = pb;

	if (a->ia != b->ia)
		return a->ia < b->ia ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

int
compare_make(const struct resultset *a, const struct resultset *b,
    enum compare_match m, struct compare_pair *p)
{
	static const enum compare_match order[] = {
	    MATCH_ID, MATCH_LABEL, MATCH_KIND};
	size_t n = 0, best = 0;
	struct cell_index ix[2];
	struct row_pools rp = {0};
	char *tried;

	memset(p, 0, sizeof(*p));
	p->a = a;
	p->b = b;
	p->b_of_a = xcalloc(a->ninterps + 1, sizeof(*p->b_of_a));
	/* auto: the way that pairs the most, the earliest on a tie */
	for (size_t k = 0; k < 3; k++) {
		if (m != MATCH_AUTO && m != order[k])
			continue;
		n = pair_by(a, b, order[k], p->b_of_a);
		if (n > best) {
			best = n;
			p->match = order[k];
		}
	}
	if (!best)
		return -1;
	pair_by(a, b, p->match, p->b_of_a);
	cell_index_make(a, &ix[0]);
	cell_index_make(b, &ix[1]);
	/* each row of a once (trying it again gives the same answer) */
	tried = xcalloc(ix[0].nkeys + 1, 1);
	/* rows in the first file's cell order: workloads as it ran them */
	for (size_t i = 0; i < a->ncells; i++) {
		const struct result_cell *c = &a->cells[i];
		size_t ia = report_interp_index(a, c->interp);

		if (ia == SIZE_MAX || p->b_of_a[ia] == SIZE_MAX ||
		    tried[ix[0].row[i]] || finding_cell(c))
			continue;
		tried[ix[0].row[i]] = 1;
		row_add(p, &rp, ix, ia, c);
	}
	rows_finish(p, &rp, ix);
	free(tried);
	cell_index_free(&ix[0]);
	cell_index_free(&ix[1]);
	/* by interpreter, then as the first file ran them */
	if (p->nrows)
		qsort(p->rows, p->nrows, sizeof(*p->rows), cmp_row);
	return 0;
}

void
compare_free(struct compare_pair *p)
{
	for (size_t i = 0; i < p->nrows; i++)
		free(p->rows[i].note);
	free(p->b_of_a);
	free(p->rows);
	memset(p, 0, sizeof(*p));
}

/* "3.13.15t → 3.13.16t", or one label when both files agree. */
char *
compare_series(const struct compare_pair *p, size_t ia)
{
	const char *la = report_label(p->a, ia);
	const char *lb = report_label(p->b, p->b_of_a[ia]);

	return strcmp(la, lb) == 0 ? xstrdup(la) : xasprintf("%s → %s", la, lb);
}

size_t
compare_fail_above(const struct compare_pair *p, char tag, double pct,
    FILE *f)
{
	size_t n = 0;

	for (size_t k = 0; k < p->nrows; k++) {
		const struct compare_row *r = &p->rows[k];
		char *who;

		if (r->verdict == COMPARE_NOT_COMPARABLE || !(r->lo > 1) ||
		    !((r->ratio - 1) * 100 > pct))
			continue;
		who = compare_series(p, r->ia);
		fprintf(f,
		    "ftmatrix: --fail-above %g: %s %s/%s/%d is %.1f%% slower "
		    "in %c (95%% CI %+.1f%% to %+.1f%%)\n",
		    pct, who, r->workload, r->engine, r->threads,
		    (r->ratio - 1) * 100, tag, (r->lo - 1) * 100,
		    (r->hi - 1) * 100);
		free(who);
		n++;
	}
	return n;
}
