#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

#define MAX_ENGINES 8

/* A workload worth a chart in view: several engines or timed tasks. */
static int
featured(const struct report *r, const char *workload)
{
	const char *engines[MAX_ENGINES];

	if (report_engines(&r->a, workload, engines, MAX_ENGINES) > 1)
		return 1;
	for (size_t i = 0; i < r->a.ngroups; i++)
		if (r->gx[i].latency_tasks &&
		    strcmp(r->a.groups[i].workload, workload) == 0)
			return 1;
	return 0;
}

/* Figures of one kind, one per timed workload; how many were shown. With
 * more than two, the featured workloads' stay in view (else the first)
 * and the rest fold away, so forty workloads do not bury the page. */
static int
figures(struct buf *b, const struct report *r, const char *dir,
    const char *kind, const char *caption_fmt, int fold_all)
{
	struct buf open = {0}, folded = {0};
	int shown = 0, nopen = 0, nfolded = 0, nfeat = 0, total = 0;

	for (size_t w = 0; w < r->a.nworkloads; w++) {
		char *name = chart_name(kind, r->a.workloads[w]);
		char *path = xasprintf("%s/charts/%s.svg", dir, name);

		if (r->perf[w] && path_exists(path)) {
			total++;
			nfeat += featured(r, r->a.workloads[w]);
		}
		free(name);
		free(path);
	}
	for (size_t w = 0; w < r->a.nworkloads; w++) {
		const char *wl = r->a.workloads[w];
		int keep = total <= 2 ||
		    (!fold_all && (nfeat ? featured(r, wl) : !nopen));
		struct buf *to = keep ? &open : &folded;
		char *name, *cap;
		int got;

		if (!r->perf[w])
			continue;
		name = chart_name(kind, wl);
		cap = xasprintf(caption_fmt, wl, report_scaling(r, wl));
		got = html_figure(to, dir, name, cap);
		nopen += got && keep;
		nfolded += got && !keep;
		shown += got;
		free(name);
		free(cap);
	}
	buf_puts(b, buf_str(&open));
	if (nfolded)
		buf_printf(b,
		    "<details class=\"more\"><summary>%d %schart%s, "
		    "one per workload</summary>\n%s</details>\n",
		    nfolded, nopen ? "more " : "", nfolded == 1 ? "" : "s",
		    buf_str(&folded));
	buf_free(&open);
	buf_free(&folded);
	return shown;
}

static void
charts_html(
    struct buf *b, const struct report *r, const char *dir, int charts_ok)
{
	const struct analysis *a = &r->a;

	html_section(b, "overhead", "Single-thread overhead");
	if (!charts_ok)
		buf_puts(b,
		    "<p class=\"notice\">Charts could not be drawn: "
		    "gnuplot failed (its error was printed when the "
		    "report was written). The tables below have every "
		    "number.</p>\n");
	if (a->baseline == SIZE_MAX) {
		buf_puts(b,
		    "<p class=\"muted\">No baseline interpreter with "
		    "results, so no overhead to show.</p>\n");
	} else {
		char *cap = xasprintf("Time per run on one thread relative to "
		                      "%s: 0%% is the same speed, positive "
		                      "is slower. Whiskers are 95%% bootstrap "
		                      "confidence intervals.",
		    report_label(r->rs, a->baseline));

		if (!html_figure(b, dir, "overhead", cap) && charts_ok)
			buf_puts(b,
			    "<p class=\"muted\">No single-thread "
			    "results to compare.</p>\n");
		free(cap);
		cap =
		    xasprintf("The C-level probes on one thread relative to "
		              "%s: the cost of C API operations (reference "
		              "counts, attaching a thread, PyGILState), on a "
		              "scale of their own. Whiskers are 95%% bootstrap "
		              "confidence intervals.",
		        report_label(r->rs, a->baseline));
		html_figure(b, dir, "overhead-cprobes", cap);
		free(cap);
	}
	buf_puts(b, "</section>\n");

	html_section(b, "scaling", "Scaling");
	buf_puts(b,
	    "<p>Speedup of each interpreter against itself on one "
	    "thread. Weak scaling gives every thread the same work "
	    "(speedup T1·N/TN); strong scaling splits a fixed amount "
	    "of work (T1/TN). The dashed line is perfect scaling; "
	    "error bars are 95% bootstrap confidence intervals.</p>\n");
	{
		int top = a->nthreads ? a->threads[a->nthreads - 1] : 0;
		char *cap = xasprintf("Speedup on %d threads for every "
		                      "workload measured on %d threads; the "
		                      "dashed lines mark no speedup (1x) and "
		                      "perfect scaling (%dx).",
		    top, top, top);
		int overview = html_figure(b, dir, "scaling-overview",
		    "Every workload at a glance: speedup against threads, "
		    "one panel each on the same axes, one colour per "
		    "interpreter; the dashed line is perfect scaling.");
		int summary = html_figure(b, dir, "scaling-summary", cap);

		free(cap);
		if (!figures(b, r, dir, "scaling",
		        "Speedup against threads on %s (%s scaling).",
		        summary || overview) &&
		    charts_ok)
			buf_puts(b,
			    "<p class=\"muted\">No multi-thread results "
			    "to chart.</p>\n");
	}
	buf_puts(b, "</section>\n");

	{
		struct buf eng = {0};

		if (figures(&eng, r, dir, "engines",
		        "Median time per run of %s on each engine at equal "
		        "worker counts (%s scaling); whiskers are 95%% "
		        "confidence intervals.",
		        0)) {
			html_section(b, "engines", "Threads vs processes");
			buf_puts(b,
			    "<p>The same work on threads and on "
			    "worker processes, as seed 001 compares "
			    "them. Hatched bars are processes.</p>\n");
			buf_puts(b, buf_str(&eng));
			buf_puts(b, "</section>\n");
		}
		buf_free(&eng);
	}

	html_section(b, "latency", "Latency percentiles");
	buf_puts(b,
	    r->any_tasks
	        ? "<p>Percentiles of the time of each task where the "
	          "workload timed its tasks, else of each run (few runs make "
	          "p99 close to the slowest one).</p>\n"
	        : "<p>Percentiles of the time of each run, pooled over "
	          "repetitions (few runs make p99 close to the slowest "
	          "one).</p>\n");
	if (!figures(b, r, dir, "latency",
	        "p50, p95 and p99 on %s (%s scaling), at the highest worker "
	        "count measured.",
	        0) &&
	    charts_ok)
		buf_puts(b, "<p class=\"muted\">No results to chart.</p>\n");
	buf_puts(b, "</section>\n");
}


static void
memory_html(struct buf *b, const struct report *r, const char *dir)
{
	int every_ms = r->rs->settings.memory_interval_ms;

	html_section(b, "memory", "Memory");
	if (!r->any_memory) {
		if (every_ms > 0)
			buf_printf(b,
			    "<p>No sample: memory is read every %d ms while "
			    "a probe runs, and every probe process ended "
			    "before the first. Lower "
			    "<code>memory_interval_ms</code> or lengthen the "
			    "workloads to measure it.</p>\n</section>\n",
			    every_ms);
		else
			buf_puts(b,
			    "<p>Not sampled: the run had "
			    "<code>memory_interval_ms: 0</code>.</p>\n"
			    "</section>\n");
		return;
	}
	buf_puts(b,
	    "<p>Sampled over the whole process tree (the probe and "
	    "any worker processes) while the workload ran. RSS counts "
	    "shared pages once per process, so it overstates worker "
	    "processes; PSS shares them out fairly; USS is what each "
	    "process alone holds.</p>\n");
	figures(b, r, dir, "memory",
	    "RSS, USS and PSS on %s (%s scaling): mean over the run, "
	    "whiskers from the smallest to the largest sample.",
	    0);
	figures(b, r, dir, "timeline",
	    "Memory over one repetition of %s (%s scaling).", 0);
	html_memory_table(b, r);
	buf_puts(b, "</section>\n");
}

/* A row of the overview with something in it: an overhead on one thread
 * or a speedup at top threads. */
static int
overview_has(const struct report *r, const char *wl, const char *e, int top)
{
	for (size_t i = 0; i < r->rs->ninterps; i++) {
		const struct group *g1 = analysis_find(&r->a, i, wl, e, 1);
		const struct group *gt = analysis_find(&r->a, i, wl, e, top);

		if ((g1 && g1->has_overhead && i != r->a.baseline) ||
		    (top > 1 && gt && gt->has_speedup))
			return 1;
	}
	return 0;
}

/* Workloads down, interpreters across: the table a reader sorts to find
 * the worst overhead or the best scaling. */
static void
overview_html(struct buf *b, const struct report *r)
{
	const struct analysis *a = &r->a;
	const struct resultset *rs = r->rs;
	int top = a->nthreads ? a->threads[a->nthreads - 1] : 0;

	buf_puts(b,
	    "<h3>Overview</h3>\n<p class=\"muted\">Click a column "
	    "heading to sort.</p>\n<div class=\"scroll\"><table "
	    "class=\"sortable\">\n<thead><tr><th>Workload</th>"
	    "<th>Group</th>");
	for (size_t i = 0; i < rs->ninterps; i++) {
		if (i == a->baseline || a->baseline == SIZE_MAX ||
		    !rs->interps[i].available)
			continue;
		buf_puts(b, "<th class=\"num\">");
		html_swatch(b, r, i);
		buf_puts(b, "<br>1 thread vs baseline</th>");
	}
	for (size_t i = 0; top > 1 && i < rs->ninterps; i++) {
		if (!rs->interps[i].available)
			continue;
		buf_puts(b, "<th class=\"num\">");
		html_swatch(b, r, i);
		buf_printf(b, "<br>speedup, %d threads</th>", top);
	}
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *wl = a->workloads[w], *e = report_engine(a, wl);
		const char *grp = NULL;

		if (!r->perf[w] || !e || !overview_has(r, wl, e, top))
			continue;
		for (size_t i = 0; i < rs->ncells && !grp; i++)
			if (strcmp(rs->cells[i].workload, wl) == 0)
				grp = rs->cells[i].group;
		buf_printf(b, "<tr><td><a href=\"#w-%zu\">", w);
		html_esc(b, wl);
		buf_puts(b, "</a></td>");
		html_el(b, "td", grp);
		for (size_t i = 0; i < rs->ninterps; i++) {
			const struct group *g = analysis_find(a, i, wl, e, 1);

			if (i == a->baseline || a->baseline == SIZE_MAX ||
			    !rs->interps[i].available)
				continue;
			if (g && g->has_overhead)
				html_num_cell(b, (g->overhead - 1) * 100,
				    g->overhead_lo > 1.0       ? "worse"
				        : g->overhead_hi < 1.0 ? "better"
				                               : NULL,
				    xasprintf(
				        "%+.1f%%", (g->overhead - 1) * 100));
			else
				html_num_cell(b, NAN, NULL, NULL);
		}
		for (size_t i = 0; top > 1 && i < rs->ninterps; i++) {
			const struct group *g = analysis_find(a, i, wl, e, top);

			if (!rs->interps[i].available)
				continue;
			if (g && g->has_speedup)
				html_num_cell(b, g->speedup, NULL,
				    xasprintf("%.2fx", g->speedup));
			else
				html_num_cell(b, NAN, NULL, NULL);
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody></table></div>\n");
}

static void
workload_table(struct buf *b, const struct report *r, size_t w)
{
	const struct analysis *a = &r->a;
	const char *wl = a->workloads[w], *engines[MAX_ENGINES], *grp = NULL;
	size_t nengines = report_engines(a, wl, engines, MAX_ENGINES);
	int tasks = 0, mem = 0;

	for (size_t i = 0; i < a->ngroups; i++)
		if (strcmp(a->groups[i].workload, wl) == 0) {
			tasks |= r->gx[i].latency_tasks;
			mem |= r->gx[i].pss.present;
		}
	for (size_t i = 0; i < r->rs->ncells && !grp; i++)
		if (strcmp(r->rs->cells[i].workload, wl) == 0)
			grp = r->rs->cells[i].group;
	buf_printf(b, "<h3 id=\"w-%zu\">", w);
	html_esc(b, wl);
	buf_puts(b, "</h3>\n<p class=\"muted\">");
	if (grp) {
		html_esc(b, grp);
		buf_puts(b, "; ");
	}
	html_esc(b, report_scaling(r, wl));
	buf_puts(b, " scaling");
	if (nengines == 1) {
		buf_puts(b, "; engine ");
		html_esc(b, engines[0]);
	}
	buf_puts(b, "</p>\n");
	html_workload_table(b, r, wl, nengines > 1, tasks, mem);
}

static void
tables_html(struct buf *b, const struct report *r)
{
	html_section(b, "tables", "Results by workload");
	if (r->a.ngroups)
		overview_html(b, r);
	buf_puts(b,
	    "<h3>Every workload</h3>\n<p>Median time per run (wall "
	    "clock of one sample, all threads) over every repetition, "
	    "with the 95% bootstrap interval of the median. CV is "
	    "stdev/mean, in red above 5%. Speedup is against the same "
	    "interpreter on one thread. “vs baseline” is time "
	    "relative to the baseline at the same thread count: "
	    "positive is slower, negative faster.</p>\n");
	for (size_t w = 0; w < r->a.nworkloads; w++)
		if (r->perf[w])
			workload_table(b, r, w);
	buf_puts(b, "</section>\n");
}

static void
findings_html(struct buf *b, const struct report *r)
{
	const struct resultset *rs = r->rs;

	if (!r->nfindings)
		return;
	html_section(b, "findings", "Known limitations");
	buf_puts(b,
	    "<p>Each check runs in its own process, so a crash is a "
	    "result. <b>ok</b>: behaved as on a GIL build; "
	    "<b>issue</b>: the limitation showed; <b>crash</b>: the "
	    "process died; <b>unsupported</b>: not applicable to "
	    "this interpreter. With several runs, the worst is "
	    "shown.</p>\n<div class=\"scroll\"><table class=\"findings\">"
	    "\n<thead><tr><th>Check</th>");
	for (size_t i = 0; i < rs->ninterps; i++) {
		if (!rs->interps[i].available)
			continue;
		buf_puts(b, "<th>");
		html_swatch(b, r, i);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < r->nfindings; k++) {
		const struct finding_row *f = &r->findings[k];

		buf_puts(b, "<tr><th>");
		html_esc(b, f->title ? f->title : f->id);
		buf_puts(b, "<br><code>");
		html_esc(b, f->id);
		buf_puts(b, "</code></th>");
		for (size_t i = 0; i < rs->ninterps; i++) {
			const struct finding_cell *fc = &f->per_interp[i];

			if (!rs->interps[i].available)
				continue;
			if (!fc->outcome) {
				html_el(b, "td class=\"muted\"", "not run");
				continue;
			}
			buf_printf(b, "<td><span class=\"outcome o-%s\">",
			    strcmp(fc->outcome, "ok") == 0          ? "ok"
			        : strcmp(fc->outcome, "issue") == 0 ? "issue"
			        : strcmp(fc->outcome, "crash") == 0 ? "crash"
			                                            : "other");
			html_esc(b, fc->outcome);
			buf_puts(b, "</span> ");
			html_esc(b, fc->summary);
			if (fc->nruns > 1 && fc->nbad)
				buf_printf(b,
				    " <span class=\"muted\">(%zu of "
				    "%zu runs)</span>",
				    fc->nbad, fc->nruns);
			else if (fc->nruns > 1)
				buf_printf(b,
				    " <span class=\"muted\">(%zu "
				    "runs)</span>",
				    fc->nruns);
			if (fc->details_json) {
				buf_puts(b,
				    "<details><summary>details"
				    "</summary><code>");
				html_esc(b, fc->details_json);
				buf_puts(b, "</code></details>");
			}
			buf_puts(b, "</td>");
		}
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody></table></div>\n</section>\n");
}

static void
metrics_html(struct buf *b, const struct report *r)
{
	const struct resultset *rs = r->rs;

	if (!r->nmetrics)
		return;
	html_section(b, "metrics", "C-level probes");
	buf_puts(b,
	    "<p>Numbers measured from C inside each interpreter "
	    "(median over repetitions).</p>\n<div class=\"scroll\">"
	    "<table class=\"sortable\">\n<thead><tr><th>Metric</th>"
	    "<th>Workload</th><th class=\"num\">Threads</th>");
	for (size_t i = 0; i < rs->ninterps; i++) {
		if (!rs->interps[i].available)
			continue;
		buf_puts(b, "<th class=\"num\">");
		html_swatch(b, r, i);
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr></thead>\n<tbody>\n");
	for (size_t k = 0; k < r->nmetrics; k++) {
		const struct metric_row *m = &r->metrics[k];

		buf_puts(b, "<tr><td><code>");
		html_esc(b, m->name);
		buf_puts(b, "</code>");
		if (m->description) {
			buf_puts(b, "<br><span class=\"muted\">");
			html_esc(b, m->description);
			buf_puts(b, "</span>");
		}
		buf_puts(b, "</td>");
		html_el(b, "td", m->workload);
		html_num_cell(b, m->threads, NULL,
		    m->threads ? xasprintf("%d", m->threads) : xstrdup("any"));
		for (size_t i = 0; i < rs->ninterps; i++)
			if (rs->interps[i].available)
				html_num_cell(b, m->per_interp[i], NULL,
				    format_metric_value(
				        m->per_interp[i], m->unit));
		buf_puts(b, "</tr>\n");
	}
	buf_puts(b, "</tbody></table></div>\n</section>\n");
}

void
html_results(
    struct buf *b, const struct report *r, const char *dir, int charts_ok)
{
	charts_html(b, r, dir, charts_ok);
	memory_html(b, r, dir);
	tables_html(b, r);
	findings_html(b, r);
	metrics_html(b, r);
}
