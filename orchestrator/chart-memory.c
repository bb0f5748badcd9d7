#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

#define MAX_ENGINES 8

struct mem_series {
	size_t interp;
	const char *engine;
	const struct group_extra *gx;
	char *label;
};

/* Every interpreter and engine with a memory profile at the highest
 * worker count where all of them have one: memory grows with workers, and
 * that is where threads and processes differ most. */
static size_t
mem_series(const struct report *r, const char *workload, struct mem_series *out,
    size_t max, int *threads)
{
	const char *engines[MAX_ENGINES];
	size_t nengines = report_engines(&r->a, workload, engines, MAX_ENGINES);
	size_t n = 0;

	*threads = 0;
	for (size_t k = r->a.nthreads; k-- > 0 && !*threads;) {
		size_t want = 0, have = 0;

		for (size_t i = 0; i < r->rs->ninterps; i++)
			for (size_t e = 0; e < nengines; e++) {
				const struct group *g = analysis_find(&r->a, i,
				    workload, engines[e], r->a.threads[k]);

				want += g != NULL;
				have += g && report_gx(r, g)->has_memory;
			}
		if (have && have == want)
			*threads = r->a.threads[k];
	}
	for (size_t i = 0; *threads && i < r->rs->ninterps; i++)
		for (size_t e = 0; e < nengines && n < max; e++) {
			const struct group *g = analysis_find(
			    &r->a, i, workload, engines[e], *threads);

			if (!g)
				continue;
			out[n].interp = i;
			out[n].engine = engines[e];
			out[n].gx = report_gx(r, g);
			out[n++].label =
			    chart_series_label(r, i, engines[e], nengines);
		}
	return n;
}

/* "threads" when only threads ran the workload, else "workers". */
static const char *
workers_word(const struct report *r, const char *workload, int n)
{
	const char *engines[MAX_ENGINES];
	size_t ne = report_engines(&r->a, workload, engines, MAX_ENGINES);

	if (ne == 1 && strcmp(engines[0], "threads") == 0)
		return n == 1 ? "thread" : "threads";
	if (ne == 1 && strcmp(engines[0], "processes") == 0)
		return n == 1 ? "process" : "processes";
	return n == 1 ? "worker" : "workers";
}

/* RSS, USS and PSS of the whole process tree: the mean of the samples,
 * with whiskers from the smallest to the largest sample. */
int
chart_memory(const struct report *r, const char *workload, const char *cdir)
{
	static const char *const cats[] = {"RSS", "USS", "PSS"};
	struct mem_series ms[64];
	const char *label[64], *colour[64], *engine[64];
	size_t interp[64];
	int variant[64], threads, rc;
	double top = 0;
	struct bar v[64 * 3];
	size_t n = mem_series(r, workload, ms, 64, &threads);
	char *name, *title;

	if (!n)
		return 0;
	memset(v, 0, sizeof(v));
	for (size_t j = 0; j < n; j++) {
		const struct mem_stat *st[] = {
		    &ms[j].gx->rss, &ms[j].gx->uss, &ms[j].gx->pss};

		label[j] = ms[j].label;
		interp[j] = ms[j].interp;
		engine[j] = ms[j].engine;
		colour[j] = chart_colour(&r->style, ms[j].interp);
		variant[j] = chart_engine_variant(ms[j].engine);
		for (size_t k = 0; k < 3; k++) {
			struct bar *b = &v[j * 3 + k];

			if (!st[k]->present)
				continue;
			b->has = b->has_ci = 1;
			b->v = st[k]->avg / 1024;
			top = fmax(top, b->v);
			b->lo = st[k]->min / 1024;
			b->hi = st[k]->max / 1024;
		}
	}
	name = chart_name("memory", workload);
	title = xasprintf("Memory, whole process tree: %s, %d worker%s",
	    workload, threads, threads == 1 ? "" : "s");
	rc = chart_bars_by_interp(r,
	    &(struct bars){.name = name,
	        .title = title,
	        .value_label = "MiB (mean; whiskers: min to max)",
	        .cats = cats,
	        .ncats = 3,
	        .series = label,
	        .colour = colour,
	        .variant = variant,
	        .nseries = n,
	        .v = v,
	        .value_format = n <= 4 ? chart_value_format(top) : NULL},
	    interp, engine, cdir);
	for (size_t j = 0; j < n; j++)
		free(ms[j].label);
	free(name);
	free(title);
	return rc;
}

/* The lines of one engine's series (NULL: all) into c. */
static void
timeline_lines(struct chart *c, const struct report *r,
    const struct mem_series *ms, size_t n, int col, const char *engine,
    int titled)
{
	for (size_t j = 0; j < n; j++) {
		const struct cell_memory *m = ms[j].gx->timeline;
		struct buf t = {0};
		int blk;

		if (!m || (engine && strcmp(engine, ms[j].engine) != 0))
			continue;
		blk = chart_block(c, ms[j].label);
		buf_puts(&c->dat, "# t_s mib\n");
		for (size_t k = 0; k < m->ntimeline; k++)
			buf_printf(&c->dat, "%.3f %.3f\n",
			    m->timeline[k][0] / 1000,
			    m->timeline[k][col] / 1024);
		chart_quote(&t, titled ? ms[j].label : "");
		chart_clause(c,
		    "dat index %d using 1:2 with lines title %s lc rgb '%s' "
		    "dt %d lw 2.5",
		    blk, t.data, chart_colour(&r->style, ms[j].interp),
		    chart_engine_variant(ms[j].engine) + 1);
		buf_free(&t);
	}
}

/* One repetition's memory over time per series: PSS, which shares pages
 * fairly between processes, or RSS where PSS could not be read. */
int
chart_timeline(const struct report *r, const char *workload, const char *cdir)
{
	struct mem_series ms[64];
	int threads, rc, col = 3, any = 0;
	size_t n = mem_series(r, workload, ms, 64, &threads), nengines = 0;
	const char *engines[MAX_ENGINES];
	struct chart c;
	char *name, *title, *axes;

	for (size_t j = 0; j < n; j++) {
		const struct cell_memory *m = ms[j].gx->timeline;

		for (size_t t = 0; m && t < m->ntimeline; t++)
			if (isnan(m->timeline[t][3]))
				col = 1;
		any |= m != NULL;
	}
	if (!any) {
		for (size_t j = 0; j < n; j++)
			free(ms[j].label);
		return 0;
	}
	name = chart_name("timeline", workload);
	title = xasprintf("Memory over time: %s, %d %s", workload, threads,
	    workers_word(r, workload, threads));
	chart_begin(&c, &r->style, name, title);
	axes = xasprintf("set xlabel 'time since start (s)'\n"
	                 "set ylabel '%s, whole process tree (MiB)'\n"
	                 "set yrange [0:*]\nset xrange [0:*]\n",
	    col == 3 ? "PSS" : "RSS");
	for (size_t j = 0; j < n; j++) {
		int seen = 0;

		for (size_t e = 0; e < nengines; e++)
			seen |= strcmp(engines[e], ms[j].engine) == 0;
		if (!seen && nengines < MAX_ENGINES)
			engines[nengines++] = ms[j].engine;
	}
	if (n > CHART_SERIES_MAX && nengines > 1) {
		/* a panel per engine, a colour per interpreter */
		const char **key = chart_interp_labels(r);

		chart_grid(&c, (int)nengines, 0, 0, r->rs->ninterps,
		    chart_text_width(key, r->rs->ninterps));
		for (size_t e = 0; e < nengines; e++) {
			struct buf h = {0};

			chart_set(&h, "title", engines[e]);
			buf_puts(&h, axes);
			timeline_lines(&c, r, ms, n, col, engines[e], 0);
			if (e == 0)
				chart_key_lines(&c, key, r->rs->ninterps);
			chart_panel(&c, buf_str(&h));
			buf_free(&h);
		}
		free(key);
	} else {
		size_t longest = 0;

		for (size_t j = 0; j < n; j++) {
			const char *l = ms[j].label;
			size_t w = chart_text_width(&l, 1);

			longest = w > longest ? w : longest;
		}
		chart_key_below(&c, n, longest, 1);
		buf_puts(&c.head, axes);
		timeline_lines(&c, r, ms, n, col, NULL, 1);
	}
	free(axes);
	rc = chart_render(&c, cdir);
	chart_free(&c);
	for (size_t j = 0; j < n; j++)
		free(ms[j].label);
	free(name);
	free(title);
	return rc;
}
