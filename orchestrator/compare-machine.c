/*
 * compare --by machine: the same matrix on different machines. A time
 * measured on one machine divided by a time measured on another says more
 * about the machines than about the interpreters, so no such ratio is
 * shown: each machine's overhead (against its own baseline) and speedup
 * (against its own single thread) stand side by side.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static char *
ratio_text(int has, double v, double lo, double hi)
{
	if (!has || !isfinite(v))
		return xstrdup("-");
	if (!isfinite(lo) || !isfinite(hi))
		return xasprintf("%.2fx", v);
	return xasprintf("%.2fx [%.2f, %.2f]", v, lo, hi);
}

static void
machine_line(const struct compare_set *s, size_t k)
{
	const struct resultset *rs = &s->rs[k];
	const struct machine *m = &rs->machine;

	printf("  %c  %s: %s, %d cores, kernel %s, host %s%s\n", 'A' + (int)k,
	    s->path[k], m->cpu_model ? m->cpu_model : "unknown CPU", m->cores,
	    m->kernel ? m->kernel : "unknown", m->hostname ? m->hostname : "?",
	    rs->nhosts > 1 ? " (and other machines: merged shards)" : "");
}

/* One line per interpreter and machine: the report's headline figures. */
static void
headlines_print(const struct compare_set *s)
{
	for (size_t k = 0; k < s->n; k++)
		for (size_t h = 0; h < s->rep[k].nheadlines; h++) {
			const struct headline *hl = &s->rep[k].headlines[h];

			printf("%c  %s: ", 'A' + (int)k,
			    report_label(&s->rs[k], hl->interp));
			if (hl->nover)
				printf("overhead %.2fx on one thread (median "
				       "over %zu workloads)",
				    hl->over, hl->nover);
			else
				printf("no overhead (it is the baseline, or "
				       "there is none)");
			if (hl->threads)
				printf("; speedup %.2fx on %d threads",
				    hl->speedup, hl->threads);
			printf("\n");
		}
}

int
compare_by_machine(const struct compare_set *s)
{
	const struct analysis *a0 = &s->rep[0].a;
	size_t rows = 0;

	printf("ftmatrix compare --by machine\n");
	for (size_t k = 0; k < s->n; k++)
		machine_line(s, k);
	printf("\nEach machine's own ratios: overhead against its own "
	       "baseline at the same\nthread count, speedup against the "
	       "same interpreter's one thread there.\nTimes from different "
	       "machines are never divided by each other.\n\n");
	headlines_print(s);
	printf("\n%-12s  %-22s  %-10s  %7s", "interpreter", "workload",
	    "engine", "threads");
	for (size_t k = 0; k < s->n; k++)
		printf("  overhead %c%15s  speedup %c%16s", 'A' + (int)k, "",
		    'A' + (int)k, "");
	printf("\n");
	for (size_t g = 0; g < a0->ngroups; g++) {
		const struct group *g0 = &a0->groups[g];
		const char *id = s->rs[0].interps[g0->interp].id;
		int everywhere = 1;

		if (!report_timed(&s->rep[0], g0->workload))
			continue;
		for (size_t k = 1; k < s->n; k++) {
			size_t ik = report_interp_index(&s->rs[k], id);

			if (ik == SIZE_MAX ||
			    !analysis_find(&s->rep[k].a, ik, g0->workload,
			        g0->engine, g0->threads))
				everywhere = 0;
		}
		if (!everywhere)
			continue;
		printf("%-12s  %-22s  %-10s  %7d", id, g0->workload, g0->engine,
		    g0->threads);
		for (size_t k = 0; k < s->n; k++) {
			size_t ik = report_interp_index(&s->rs[k], id);
			const struct group *gk = analysis_find(&s->rep[k].a, ik,
			    g0->workload, g0->engine, g0->threads);
			char *over = ratio_text(gk->has_overhead, gk->overhead,
			    gk->overhead_lo, gk->overhead_hi);
			char *speed = ratio_text(gk->has_speedup, gk->speedup,
			    gk->speedup_lo, gk->speedup_hi);

			printf("  %-24s  %-24s", over, speed);
			free(over);
			free(speed);
		}
		printf("\n");
		rows++;
	}
	if (!rows) {
		error("no interpreter and workload measured in every file: "
		      "compare --by machine lines up the same matrix run on "
		      "different machines");
		return -1;
	}
	return 0;
}
