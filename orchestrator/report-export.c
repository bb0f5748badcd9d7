#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* Interpreters with at least one group: unavailable ones get no column. */
static int
has_groups(const struct analysis *a, size_t interp)
{
	for (size_t i = 0; i < a->ngroups; i++)
		if (a->groups[i].interp == interp)
			return 1;
	return 0;
}

/* A table header naming every interpreter with results, except skip. */
static void
md_header(struct buf *b, const struct report *r, const char *first,
    const char *align, size_t skip)
{
	buf_printf(b, "| %s |", first);
	for (size_t i = 0; i < r->rs->ninterps; i++) {
		if (i == skip || !has_groups(&r->a, i))
			continue;
		buf_puts(b, " ");
		md_esc(b, report_label(r->rs, i));
		buf_puts(b, " |");
	}
	buf_printf(b, "\n|%s", align);
	for (size_t i = 0; i < r->rs->ninterps; i++)
		if (i != skip && has_groups(&r->a, i))
			buf_puts(b, "---:|");
}

/* Whether any interpreter but skip has a group of workload at threads
 * with an overhead (what 0) or a speedup (what 1): a row of nothing but
 * dashes says nothing. */
static int
md_row_has(const struct report *r, const char *workload, const char *engine,
    int threads, size_t skip, int what)
{
	for (size_t i = 0; engine && i < r->rs->ninterps; i++) {
		const struct group *g =
		    analysis_find(&r->a, i, workload, engine, threads);

		if (i != skip && g && (what ? g->has_speedup : g->has_overhead))
			return 1;
	}
	return 0;
}

static void
md_overhead(struct buf *b, const struct report *r)
{
	const struct analysis *a = &r->a;
	size_t bl = a->baseline;

	buf_puts(b, "\n## Single-thread overhead vs ");
	md_esc(b, report_label(r->rs, bl));
	buf_puts(b,
	    "\n\nTime per run relative to the baseline on one "
	    "thread, with its 95% confidence interval; lower is "
	    "better.\n\n");
	md_header(b, r, "workload", "---|", bl);
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *e = report_engine(a, a->workloads[w]);

		if (!r->perf[w] || !md_row_has(r, a->workloads[w], e, 1, bl, 0))
			continue;
		buf_puts(b, "\n| ");
		md_esc(b, a->workloads[w]);
		buf_puts(b, " |");
		for (size_t i = 0; i < r->rs->ninterps; i++) {
			const struct group *g = e
			    ? analysis_find(a, i, a->workloads[w], e, 1)
			    : NULL;

			if (i == bl || !has_groups(a, i))
				continue;
			if (!g || !g->has_overhead)
				buf_puts(b, " – |");
			else
				buf_printf(b, " %+.1f%% (%+.1f%% to %+.1f%%) |",
				    (g->overhead - 1) * 100,
				    (g->overhead_lo - 1) * 100,
				    (g->overhead_hi - 1) * 100);
		}
	}
	buf_puts(b, "\n");
}

static void
md_speedups(struct buf *b, const struct report *r)
{
	const struct analysis *a = &r->a;

	buf_puts(b,
	    "\n## Speedup\n\nAgainst the same interpreter on one "
	    "thread (weak scaling: T1·N/TN, strong: T1/TN); higher "
	    "is better.\n\n");
	md_header(b, r, "workload | threads", "---|---:|", SIZE_MAX);
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *wl = a->workloads[w], *e = report_engine(a, wl);

		for (size_t k = 0; e && r->perf[w] && k < a->nthreads; k++) {
			if (a->threads[k] < 2 ||
			    !md_row_has(r, wl, e, a->threads[k], SIZE_MAX, 1))
				continue;
			buf_puts(b, "\n| ");
			md_esc(b, wl);
			buf_printf(b, " (%s) | %d |", report_scaling(r, wl),
			    a->threads[k]);
			for (size_t i = 0; i < r->rs->ninterps; i++) {
				const struct group *g =
				    analysis_find(a, i, wl, e, a->threads[k]);

				if (!has_groups(a, i))
					continue;
				if (g && g->has_speedup)
					buf_printf(b, " %.2fx |", g->speedup);
				else
					buf_puts(b, " – |");
			}
		}
	}
	buf_puts(b, "\n");
}

static void
md_memory(struct buf *b, const struct report *r)
{
	const struct analysis *a = &r->a;

	buf_puts(b,
	    "\n## Memory\n\nPSS of the whole process tree, mean "
	    "over the run (peak in brackets).\n\n");
	md_header(
	    b, r, "workload | engine | workers", "---|---|---:|", SIZE_MAX);
	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *engines[8];
		size_t ne = report_engines(a, a->workloads[w], engines, 8);

		for (size_t e = 0; r->perf[w] && e < ne; e++)
			for (size_t k = 0; k < a->nthreads; k++) {
				int any = 0;

				for (size_t i = 0; i < r->rs->ninterps; i++) {
					const struct group_extra *x = report_gx(
					    r,
					    analysis_find(a, i, a->workloads[w],
					        engines[e], a->threads[k]));

					any |= x && x->pss.present;
				}
				if (!any)
					continue;
				buf_puts(b, "\n| ");
				md_esc(b, a->workloads[w]);
				buf_printf(b, " | %s | %d |", engines[e],
				    a->threads[k]);
				for (size_t i = 0; i < r->rs->ninterps; i++) {
					const struct group_extra *x = report_gx(
					    r,
					    analysis_find(a, i, a->workloads[w],
					        engines[e], a->threads[k]));
					char *avg, *max;

					if (!has_groups(a, i))
						continue;
					if (!x || !x->pss.present) {
						buf_puts(b, " – |");
						continue;
					}
					avg = format_kib(x->pss.avg);
					max = format_kib(x->pss.max);
					buf_printf(b, " %s (%s) |", avg, max);
					free(avg);
					free(max);
				}
			}
	}
	buf_puts(b, "\n");
}

static void
md_findings(struct buf *b, const struct report *r)
{
	buf_puts(b, "\n## Known limitations\n\n");
	md_header(b, r, "check", "---|", SIZE_MAX);
	for (size_t k = 0; k < r->nfindings; k++) {
		const struct finding_row *f = &r->findings[k];

		buf_puts(b, "\n| ");
		md_esc(b, f->title ? f->title : f->id);
		buf_puts(b, " |");
		for (size_t i = 0; i < r->rs->ninterps; i++) {
			const struct finding_cell *fc = &f->per_interp[i];

			if (!has_groups(&r->a, i))
				continue;
			buf_puts(b, " ");
			md_esc(b, fc->outcome ? fc->outcome : "–");
			buf_puts(b, " |");
		}
	}
	buf_puts(b, "\n");
}

static void
md_why(struct buf *b, const struct report *r)
{
	size_t n;
	char **why = diagnosis_sentences(r, &n);

	if (n)
		buf_puts(b, "\n## Why these do not scale\n\n");
	for (size_t i = 0; i < n; i++) {
		buf_puts(b, "- ");
		md_esc(b, why[i]);
		buf_puts(b, "\n");
		free(why[i]);
	}
	free(why);
}

int
report_md(const struct report *r, const char *path)
{
	const struct resultset *rs = r->rs;
	struct buf b = {0};
	size_t nh;
	char **h = report_headlines(r, &nh);
	int rc;

	buf_puts(&b, "# ftmatrix: ");
	md_esc(&b, rs->matrix_name ? rs->matrix_name : "results");
	buf_puts(&b, "\n\n");
	for (size_t i = 0; i < nh; i++) {
		buf_puts(&b, "- ");
		md_esc(&b, h[i]);
		buf_puts(&b, "\n");
		free(h[i]);
	}
	free(h);
	h = report_method_sentences(r, &nh);
	for (size_t i = 0; i < nh; i++) {
		buf_puts(&b, i ? " " : "\n");
		md_esc(&b, h[i]);
		free(h[i]);
	}
	if (nh)
		buf_puts(&b, "\n");
	free(h);
	if (r->nwarnings) {
		char *brief = report_warnings_brief(r);

		buf_puts(&b, "\n**Warnings:** ");
		md_esc(&b, brief);
		buf_puts(&b,
		    ". The report lists each; read them before "
		    "relying on these numbers.\n");
		free(brief);
	}
	if (!r->a.ngroups)
		buf_puts(&b, "No measurements yet.\n");
	if (r->a.ngroups && r->a.baseline != SIZE_MAX)
		md_overhead(&b, r);
	if (r->a.ngroups && r->a.nthreads > 1)
		md_speedups(&b, r);
	if (r->a.ngroups && r->a.nthreads > 1)
		md_why(&b, r);
	if (r->any_memory)
		md_memory(&b, r);
	if (r->nfindings)
		md_findings(&b, r);
	buf_puts(&b, "\nMachine: ");
	md_esc(&b, rs->machine.cpu_model ? rs->machine.cpu_model : "unknown");
	buf_printf(&b, ", %d cores, ", rs->machine.cores);
	md_esc(&b, rs->machine.kernel ? rs->machine.kernel : "unknown");
	buf_puts(&b, ". Interpreters: ");
	for (size_t i = 0; i < rs->ninterps; i++) {
		const struct identity *id = &rs->interps[i].identity;

		if (!rs->interps[i].available)
			continue;
		buf_puts(&b, i ? "; " : "");
		md_esc(&b, report_label(rs, i));
		buf_puts(&b, " (");
		md_esc(&b, id->compiler ? id->compiler : "compiler unknown");
		buf_printf(&b, "%s)",
		    id->gil_disabled_build ? ", free-threaded build" : "");
	}
	buf_puts(&b, ".\n\nReproduce with:\n\n```\n");
	buf_puts(&b,
	    rs->command && *rs->command ? rs->command
	                                : "ftmatrix run <matrix>");
	buf_puts(&b, "\n```\n");
	rc = file_write_atomic(path, b.data, b.len);
	buf_free(&b);
	return rc;
}
