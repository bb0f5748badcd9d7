#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* The report model: what a report shows, computed once from a result set.
 * Its warnings are one concern with report-warnings.c, which fills them
 * for report_make from the accessors below. */

size_t
report_interp_index(const struct resultset *rs, const char *id)
{
	for (size_t i = 0; id && i < rs->ninterps; i++)
		if (rs->interps[i].id && strcmp(rs->interps[i].id, id) == 0)
			return i;
	return SIZE_MAX;
}

int
report_timed(const struct report *r, const char *workload)
{
	size_t w = analysis_workload(&r->a, workload);

	return w == SIZE_MAX || r->perf[w] != 0;
}

const struct group_extra *
report_gx(const struct report *r, const struct group *g)
{
	return g ? &r->gx[g - r->a.groups] : NULL;
}

size_t
report_engines(const struct analysis *a, const char *workload, const char **out,
    size_t max)
{
	size_t n = 0, k, ng;
	const struct group *g = analysis_groups_of(a, workload, &ng);

	for (size_t i = 0; i < ng; i++) {
		for (k = 0; k < n && strcmp(out[k], g[i].engine); k++)
			;
		if (k == n && n < max)
			out[n++] = g[i].engine;
	}
	return n;
}

static const struct group *
cell_group(const struct report *r, const struct result_cell *c)
{
	size_t i = report_interp_index(r->rs, c->interp);

	return i == SIZE_MAX
	    ? NULL
	    : analysis_find(&r->a, i, c->workload, c->engine, c->threads);
}

/* Latency percentiles pool every repetition's per-task times; memory
 * statistics combine repetitions. */
static void
groups_fill(struct report *r)
{
	const struct resultset *rs = r->rs;
	struct buf *lat = xcalloc(r->a.ngroups + 1, sizeof(*lat));
	size_t *nmem = xcalloc(r->a.ngroups + 1, sizeof(*nmem));

	for (size_t i = 0; i < rs->ncells; i++) {
		const struct result_cell *c = &rs->cells[i];
		const struct cell_extras *x = &r->extras[i];
		const struct group *g = cell_group(r, c);
		struct group_extra *e;
		size_t gi;

		if (!g || strcmp(c->status, "ok") != 0)
			continue;
		gi = g - r->a.groups;
		e = &r->gx[gi];
		if (x->ntask) {
			if (!e->latency_tasks)
				lat[gi].len = 0; /* tasks replace samples */
			e->latency_tasks = 1;
			buf_add(
			    &lat[gi], x->task_ns, x->ntask * sizeof(double));
		} else if (!e->latency_tasks) {
			buf_add(
			    &lat[gi], c->wall_ns, c->nwall * sizeof(double));
		}
		if (x->memory.present) {
			const struct cell_memory *m = &x->memory;
			struct mem_stat *dst[] = {&e->rss, &e->uss, &e->pss};
			const struct mem_stat *src[] = {
			    &m->rss, &m->uss, &m->pss};

			for (size_t k = 0; k < 3; k++) {
				if (!src[k]->present)
					continue;
				if (!dst[k]->present) {
					*dst[k] = *src[k];
					dst[k]->avg = 0;
				}
				dst[k]->min = fmin(dst[k]->min, src[k]->min);
				dst[k]->max = fmax(dst[k]->max, src[k]->max);
				dst[k]->avg += src[k]->avg;
			}
			nmem[gi]++;
			e->has_memory = r->any_memory = 1;
			if (!e->timeline && m->ntimeline) {
				e->timeline = m;
				r->any_timeline = 1;
			}
		}
	}
	for (size_t gi = 0; gi < r->a.ngroups; gi++) {
		struct group_extra *e = &r->gx[gi];

		/* percentiles: no interval is shown */
		stats_describe((double *)lat[gi].data,
		    lat[gi].len / sizeof(double), &e->latency);
		r->any_tasks |= e->latency_tasks;
		if (nmem[gi]) {
			e->rss.avg /= nmem[gi];
			e->uss.avg /= nmem[gi];
			e->pss.avg /= nmem[gi];
		}
		free(lat[gi].data);
	}
	free(lat);
	free(nmem);
}

/* Workloads whose runs are correctness checks: the probe says so ("kind"
 * finding, or findings reported), or, for runs that crashed before saying
 * anything, the workload catalog does. Their times are not performance
 * (perf 0). C-level probes (perf 2) are charted, but their numbers are
 * the metrics: they stay out of the headline's medians, which speak of
 * Python code. */
static void
perf_mark(struct report *r)
{
	struct catalog cat = {0};
	char *wdir = path_join(data_dir(), "probes/workloads");
	/* a report drawn where no catalog is installed goes by the data */
	int have_cat = path_exists(wdir) && catalog_load(&cat) == 0;

	free(wdir);

	r->perf = xcalloc(r->a.nworkloads + 1, 1);
	memset(r->perf, 1, r->a.nworkloads);
	for (size_t w = 0; have_cat && w < r->a.nworkloads; w++) {
		const struct workload_info *wi =
		    catalog_find(&cat, r->a.workloads[w]);

		if (wi && wi->kind && strcmp(wi->kind, "finding") == 0)
			r->perf[w] = 0;
		else if (wi && wi->kind && strcmp(wi->kind, "c") == 0)
			r->perf[w] = 2;
	}
	if (have_cat)
		catalog_free(&cat);
	for (size_t i = 0; i < r->rs->ncells; i++) {
		const struct result_cell *c = &r->rs->cells[i];
		const struct cell_extras *x = &r->extras[i];

		int finding = x->nfindings ||
		    (x->kind && strcmp(x->kind, "finding") == 0) ||
		    (c->group && strstr(c->group, "finding"));
		int cprobe = x->kind && strcmp(x->kind, "c") == 0;
		size_t w = analysis_workload(&r->a, c->workload);

		if (w != SIZE_MAX)
			r->perf[w] = finding       ? 0
			    : cprobe && r->perf[w] ? 2
			                           : r->perf[w];
	}
}

static int
outcome_rank(const char *o)
{
	static const char *const order[] = {
	    "unsupported", "ok", "issue", "crash", NULL};

	for (int i = 0; o && order[i]; i++)
		if (strcmp(o, order[i]) == 0)
			return i;
	return 1;
}

static struct finding_row *
finding_row(
    struct report *r, const char *workload, const char *id, const char *title)
{
	struct finding_row *f;

	for (size_t i = 0; i < r->nfindings; i++)
		if (strcmp(r->findings[i].id, id) == 0)
			return &r->findings[i];
	r->findings =
	    xreallocarray(r->findings, r->nfindings + 1, sizeof(*r->findings));
	f = &r->findings[r->nfindings++];
	f->id = id;
	f->title = title;
	f->workload = workload;
	f->per_interp = xcalloc(r->rs->ninterps + 1, sizeof(*f->per_interp));
	return f;
}

static void
finding_note(struct finding_cell *fc, const char *outcome, const char *summary,
    const char *details)
{
	fc->nruns++;
	fc->nbad += outcome_rank(outcome) >= 2;
	if (!fc->outcome || outcome_rank(outcome) > outcome_rank(fc->outcome)) {
		fc->outcome = outcome;
		fc->summary = summary;
		fc->details_json = details;
	}
}

/* Findings per interpreter, the worst outcome of every run kept. A run
 * that crashed reported nothing: it counts as "crash" for the findings
 * its workload reports elsewhere, or as one finding named after it. */
static void
findings_collect(struct report *r)
{
	const struct resultset *rs = r->rs;

	for (size_t i = 0; i < rs->ncells; i++) {
		const struct cell_extras *x = &r->extras[i];
		size_t in = report_interp_index(rs, rs->cells[i].interp);

		for (size_t k = 0; in != SIZE_MAX && k < x->nfindings; k++) {
			const struct finding *f = &x->findings[k];
			struct finding_row *row = finding_row(
			    r, rs->cells[i].workload, f->id, f->title);

			if (!row->title)
				row->title = f->title;
			finding_note(&row->per_interp[in], f->outcome,
			    f->summary, f->details_json);
		}
	}
	for (size_t i = 0; i < rs->ncells; i++) {
		const struct result_cell *c = &rs->cells[i];
		size_t in = report_interp_index(rs, c->interp), hit = 0;
		size_t w;

		if (in == SIZE_MAX || strcmp(c->status, "ok") == 0 ||
		    r->extras[i].nfindings)
			continue;
		w = analysis_workload(&r->a, c->workload);
		if (w == SIZE_MAX || r->perf[w])
			continue;
		hit = 0;
		for (size_t k = 0; k < r->nfindings; k++) {
			if (strcmp(r->findings[k].workload, c->workload) != 0)
				continue;
			finding_note(&r->findings[k].per_interp[in], "crash",
			    c->error, NULL);
			hit = 1;
		}
		if (!hit)
			finding_note(
			    &finding_row(r, c->workload, c->workload, NULL)
			         ->per_interp[in],
			    "crash", c->error, NULL);
	}
}

static struct metric_row *
metric_row(
    struct report *r, const char *workload, const struct metric *m, int threads)
{
	struct metric_row *row;

	for (size_t i = 0; i < r->nmetrics; i++) {
		row = &r->metrics[i];
		if (strcmp(row->workload, workload) == 0 &&
		    strcmp(row->name, m->name) == 0 && row->threads == threads)
			return row;
	}
	r->metrics =
	    xreallocarray(r->metrics, r->nmetrics + 1, sizeof(*r->metrics));
	row = &r->metrics[r->nmetrics++];
	memset(row, 0, sizeof(*row));
	row->workload = workload;
	row->name = m->name;
	row->unit = m->unit;
	row->description = m->description;
	row->threads = threads;
	row->per_interp = xcalloc(r->rs->ninterps + 1, sizeof(double));
	return row;
}

static int
same_values(const struct report *r, const struct metric_row *a,
    const struct metric_row *b)
{
	for (size_t i = 0; i < r->rs->ninterps; i++)
		if (!(a->per_interp[i] == b->per_interp[i] ||
		        (isnan(a->per_interp[i]) && isnan(b->per_interp[i]))))
			return 0;
	return 1;
}

/* A metric that is the same at every thread count (a header size) says
 * it once, with threads 0 for "any". */
static void
metrics_fold(struct report *r)
{
	char *fold = xcalloc(r->nmetrics + 1, 1);
	size_t out = 0;

	for (size_t i = 0; i < r->nmetrics; i++) {
		int seen = 0, all_same = 1;

		for (size_t k = 0; k < r->nmetrics; k++) {
			const struct metric_row *m = &r->metrics[i];
			const struct metric_row *o = &r->metrics[k];

			if (k == i || strcmp(o->workload, m->workload) ||
			    strcmp(o->name, m->name))
				continue;
			seen = 1;
			all_same &= same_values(r, m, o);
		}
		fold[i] = seen && all_same;
	}
	for (size_t i = 0; i < r->nmetrics; i++) {
		struct metric_row m = r->metrics[i];
		int dup = 0;

		for (size_t k = 0; fold[i] && k < out; k++)
			dup |=
			    strcmp(r->metrics[k].workload, m.workload) == 0 &&
			    strcmp(r->metrics[k].name, m.name) == 0;
		if (dup) {
			free(m.per_interp);
			continue;
		}
		if (fold[i])
			m.threads = 0;
		r->metrics[out++] = m;
	}
	r->nmetrics = out;
	free(fold);
}

/* One row per (workload, metric, thread count), the median over the
 * repetitions in each interpreter's column. */
static void
metrics_collect(struct report *r)
{
	const struct resultset *rs = r->rs;

	for (size_t i = 0; i < rs->ncells; i++)
		for (size_t k = 0; k < r->extras[i].nmetrics; k++)
			metric_row(r, rs->cells[i].workload,
			    &r->extras[i].metrics[k], rs->cells[i].threads);
	for (size_t m = 0; m < r->nmetrics; m++) {
		struct metric_row *row = &r->metrics[m];

		for (size_t in = 0; in < rs->ninterps; in++) {
			double *v = xcalloc(rs->ncells + 1, sizeof(double));
			size_t n = 0;

			for (size_t i = 0; i < rs->ncells; i++) {
				const struct result_cell *c = &rs->cells[i];

				if (strcmp(c->workload, row->workload) != 0 ||
				    c->threads != row->threads ||
				    report_interp_index(rs, c->interp) != in)
					continue;
				for (size_t k = 0; k < r->extras[i].nmetrics;
				     k++)
					if (strcmp(r->extras[i].metrics[k].name,
					        row->name) == 0)
						v[n++] = r->extras[i]
						             .metrics[k]
						             .value;
			}
			row->per_interp[in] =
			    n ? stats_percentile(v, n, 50) : NAN;
			free(v);
		}
	}
	metrics_fold(r);
}

/* The highest thread count above 1 at which interp has speedups. */
static int
top_threads(const struct report *r, size_t interp)
{
	for (size_t k = r->a.nthreads; k-- > 0;) {
		if (r->a.threads[k] < 2)
			break;
		for (size_t w = 0; w < r->a.nworkloads; w++) {
			const char *e = report_engine(&r->a, r->a.workloads[w]);
			const struct group *g = e
			    ? analysis_find(&r->a, interp, r->a.workloads[w], e,
			          r->a.threads[k])
			    : NULL;

			if (r->perf[w] && g && g->has_speedup)
				return r->a.threads[k];
		}
	}
	return 0;
}

static double
median_of(double *v, size_t n)
{
	return n ? stats_percentile(v, n, 50) : NAN;
}

/* Medians over workloads: the overhead on one thread, and speedups at the
 * highest thread count. The overhead's interval runs from the median of
 * the workloads' lower bounds to the median of their upper bounds, so
 * noisy workloads widen it: it is not an interval over workloads alone,
 * which would call a difference every workload calls noise significant. */
static void
headlines_make(struct report *r)
{
	const struct resultset *rs = r->rs;
	const struct analysis *a = &r->a;
	double *over = xcalloc(a->nworkloads + 1, sizeof(double));
	double *olo = xcalloc(a->nworkloads + 1, sizeof(double));
	double *ohi = xcalloc(a->nworkloads + 1, sizeof(double));
	double *sp = xcalloc(a->nworkloads + 1, sizeof(double));
	double *bsp = xcalloc(a->nworkloads + 1, sizeof(double));
	double *splo = xcalloc(a->nworkloads + 1, sizeof(double));
	double *sphi = xcalloc(a->nworkloads + 1, sizeof(double));
	double *bsplo = xcalloc(a->nworkloads + 1, sizeof(double));
	double *bsphi = xcalloc(a->nworkloads + 1, sizeof(double));

	r->headlines = xcalloc(rs->ninterps + 1, sizeof(*r->headlines));
	for (size_t i = 0; i < rs->ninterps; i++) {
		struct headline *h = &r->headlines[r->nheadlines];
		size_t nb = 0;

		memset(h, 0, sizeof(*h));
		h->interp = i;
		h->threads = top_threads(r, i);
		for (size_t w = 0; w < a->nworkloads; w++) {
			const char *wl = a->workloads[w],
			           *e = report_engine(a, wl);
			const struct group *g1 =
			    e ? analysis_find(a, i, wl, e, 1) : NULL;
			const struct group *gn = NULL, *bn = NULL, *b1;

			if (r->perf[w] != 1 || !e)
				continue;
			if (i != a->baseline && g1 && g1->has_overhead) {
				if (!h->nover || g1->overhead < h->over_min) {
					h->over_min = g1->overhead;
					h->over_min_w = wl;
				}
				if (!h->nover || g1->overhead > h->over_max) {
					h->over_max = g1->overhead;
					h->over_max_w = wl;
				}
				/* one value a side has no interval to speak of
				 */
				b1 = analysis_find(a, a->baseline, wl, e, 1);
				if (g1->wall.n < 2 || !b1 || b1->wall.n < 2)
					h->no_ci = 1;
				olo[h->nover] = g1->overhead_lo;
				ohi[h->nover] = g1->overhead_hi;
				over[h->nover++] = g1->overhead;
			}
			if (g1 && g1->overhead_unresolved)
				h->nover_unresolved++;
			if (a->nthreads > 1) {
				const struct group *top = analysis_find(a, i, wl,
				    e, a->threads[a->nthreads - 1]);

				if (top && top->speedup_unresolved) {
					h->nspeed_unresolved++;
					h->unresolved_threads = top->threads;
				}
			}
			if (h->threads)
				gn = analysis_find(a, i, wl, e, h->threads);
			if (gn && gn->has_speedup) {
				if (gn->wall.n < 2 || !g1 || g1->wall.n < 2)
					h->speed_no_ci = 1;
				splo[h->nspeed] = gn->speedup_lo;
				sphi[h->nspeed] = gn->speedup_hi;
				sp[h->nspeed++] = gn->speedup;
				if (a->baseline != SIZE_MAX && a->baseline != i)
					bn = analysis_find(
					    a, a->baseline, wl, e, h->threads);
				if (bn && bn->has_speedup) {
					if (bn->wall.n < 2)
						h->speed_no_ci = 1;
					bsplo[nb] = bn->speedup_lo;
					bsphi[nb] = bn->speedup_hi;
					bsp[nb++] = bn->speedup;
				}
			}
		}
		if (!h->nover && !h->nspeed && !h->nover_unresolved &&
		    !h->nspeed_unresolved)
			continue;
		h->over = median_of(over, h->nover);
		h->over_lo = median_of(olo, h->nover);
		h->over_hi = median_of(ohi, h->nover);
		h->speedup = median_of(sp, h->nspeed);
		h->speedup_lo = median_of(splo, h->nspeed);
		h->speedup_hi = median_of(sphi, h->nspeed);
		h->base_speedup_lo = median_of(bsplo, nb);
		h->base_speedup_hi = median_of(bsphi, nb);
		/* the baseline over the same workloads, or no comparison */
		h->has_base_speedup = nb && nb == h->nspeed;
		h->base_speedup = median_of(bsp, nb);
		r->nheadlines++;
	}
	free(over);
	free(olo);
	free(ohi);
	free(sp);
	free(bsp);
	free(splo);
	free(sphi);
	free(bsplo);
	free(bsphi);
}

/* Each workload's unit, scaling and loading, from the first cell that
 * says it, in one pass over the cells. */
static void
facts_collect(struct report *r)
{
	size_t nw = r->a.nworkloads;

	r->facts = xcalloc(nw + 1, sizeof(*r->facts));
	for (size_t i = 0; i < r->rs->ncells; i++) {
		const struct result_cell *c = &r->rs->cells[i];
		size_t w = analysis_workload(&r->a, c->workload);
		struct workload_facts *f;

		if (w == SIZE_MAX)
			continue;
		f = &r->facts[w];
		if (!f->unit)
			f->unit = r->extras[i].unit;
		if (!f->scaling)
			f->scaling = c->scaling;
		if (!f->load)
			f->load = r->extras[i].load;
	}
	for (size_t w = 0; w < nw; w++) {
		if (!r->facts[w].scaling)
			r->facts[w].scaling = "weak";
		if (!r->facts[w].load)
			r->facts[w].load = "import";
	}
}

void
report_make(
    const struct resultset *rs, const struct report_opts *o, struct report *r)
{
	memset(r, 0, sizeof(*r));
	r->rs = rs;
	if (o) {
		r->style.theme = o->theme;
		r->style.scale = o->scale > 1 ? o->scale : 1;
		r->style.png = o->png;
	}
	/* the run's, when the file holds it and it is of these cells and
	 * this baseline: its bootstraps are not done twice */
	if (rs->analysis && analysis_fits(rs->analysis, rs))
		analysis_copy(&r->a, rs->analysis);
	else
		analysis_make(rs, &r->a);
	r->extras = xcalloc(rs->ncells + 1, sizeof(*r->extras));
	for (size_t i = 0; i < rs->ncells; i++)
		cell_extras_load(&rs->cells[i], &r->extras[i]);
	r->gx = xcalloc(r->a.ngroups + 1, sizeof(*r->gx));
	facts_collect(r);
	groups_fill(r);
	perf_mark(r);
	findings_collect(r);
	metrics_collect(r);
	headlines_make(r);
	report_warnings_make(r);
}

void
report_free(struct report *r)
{
	for (size_t i = 0; i < r->rs->ncells; i++)
		cell_extras_release(&r->rs->cells[i], &r->extras[i]);
	for (size_t i = 0; i < r->nfindings; i++)
		free(r->findings[i].per_interp);
	for (size_t i = 0; i < r->nmetrics; i++)
		free(r->metrics[i].per_interp);
	free(r->extras);
	free(r->gx);
	free(r->perf);
	free(r->facts);
	free(r->findings);
	free(r->metrics);
	free(r->headlines);
	report_warnings_free(r);
	analysis_free(&r->a);
	memset(r, 0, sizeof(*r));
}

const char *
report_label(const struct resultset *rs, size_t interp)
{
	const struct result_interp *ri = &rs->interps[interp];

	return ri->label ? ri->label : ri->id;
}

/* A workload no group holds (its cells name no known interpreter) is
 * looked for cell by cell. */
const char *
report_scaling(const struct report *r, const char *workload)
{
	size_t w = analysis_workload(&r->a, workload);

	if (w != SIZE_MAX)
		return r->facts[w].scaling;
	for (size_t i = 0; i < r->rs->ncells; i++)
		if (r->rs->cells[i].scaling &&
		    strcmp(r->rs->cells[i].workload, workload) == 0)
			return r->rs->cells[i].scaling;
	return "weak";
}

const char *
report_load(const struct report *r, const char *workload)
{
	size_t w = analysis_workload(&r->a, workload);

	if (w != SIZE_MAX)
		return r->facts[w].load;
	for (size_t i = 0; i < r->rs->ncells; i++)
		if (r->extras[i].load &&
		    strcmp(r->rs->cells[i].workload, workload) == 0)
			return r->extras[i].load;
	return "import";
}

/* The engine whose groups stand for the workload in summaries: threads
 * when measured, else the first one seen. */
const char *
report_engine(const struct analysis *a, const char *workload)
{
	const char *first = NULL;
	size_t n;
	const struct group *g = analysis_groups_of(a, workload, &n);

	for (size_t i = 0; i < n; i++) {
		if (strcmp(g[i].engine, "threads") == 0)
			return g[i].engine;
		if (!first)
			first = g[i].engine;
	}
	return first;
}

const char *
report_unit(const struct report *r, const char *workload)
{
	size_t w = analysis_workload(&r->a, workload);

	if (w != SIZE_MAX)
		return r->facts[w].unit;
	/* a workload no group holds: its cells name no known interpreter */
	for (size_t i = 0; i < r->rs->ncells; i++)
		if (r->extras[i].unit &&
		    strcmp(r->rs->cells[i].workload, workload) == 0)
			return r->extras[i].unit;
	return NULL;
}
