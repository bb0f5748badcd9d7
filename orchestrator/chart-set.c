#include <stdlib.h>

#include "ftmatrix.h"

/* chart-set.c: which charts a report gets; each chart's file says what it
 * draws, chart.c how gnuplot is told. */

/* Draws into a stage that replaces the charts m lists only when every
 * chart was drawn whole: an interrupted or failed render (gnuplot's
 * error, a full disk) leaves the last whole set in place, and the report
 * says its charts are missing. */
int
charts_render(const struct report *r, const char *dir, struct manifest *m)
{
	char *cdir;
	int rc = 0;

	if (!chart_png_terminal())
		return -1;
	if (!(cdir = charts_stage(dir)))
		return -1;
	if (chart_overhead(r, cdir) < 0 || chart_scaling_summary(r, cdir) < 0 ||
	    chart_scaling_overview(r, cdir) < 0)
		rc = -1;
	for (size_t w = 0; w < r->a.nworkloads; w++) {
		if (!r->perf[w])
			continue;
		if (chart_scaling(r, r->a.workloads[w], cdir) < 0 ||
		    chart_engines(r, r->a.workloads[w], cdir) < 0 ||
		    chart_latency(r, r->a.workloads[w], cdir) < 0 ||
		    chart_memory(r, r->a.workloads[w], cdir) < 0 ||
		    chart_timeline(r, r->a.workloads[w], cdir) < 0)
			rc = -1;
	}
	if (rc < 0)
		charts_discard(cdir);
	else if (charts_commit(dir, cdir, m) < 0)
		rc = -1;
	free(cdir);
	return rc;
}
