/* A second estimate of overhead, from time-adjacent probe processes. The
 * plan interleaves interpreters (A B A B ...), so repetition k of a group
 * and repetition k of the baseline's ran back to back; a slow period of
 * the machine that spans both cancels in their ratio. The estimate is the
 * median of the per-pair ratios of kept-sample medians, with a bootstrap
 * CI over pairs. It is kept beside the pooled one for comparison: on these
 * machines a slow mode belongs to a process, not to a moment, so pairing
 * cannot cancel it, and make bench measures which is more repeatable. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* The median of the samples of the group's cell of repetition rep that
 * count; NAN when there is no such cell or none counts. */
static double
rep_median(const struct resultset *rs, const struct drift_refs *d,
    struct cell_list g, int rep)
{
	for (size_t i = 0; i < g.n; i++) {
		const struct result_cell *c = &rs->cells[g.cell[i]];
		double *kept, m;
		size_t n;

		if (c->rep != rep || !cell_ok(c))
			continue;
		kept = xcalloc(c->nwall ? c->nwall : 1, sizeof(*kept));
		n = drift_cell_kept(d, c, kept);
		m = n ? stats_percentile(kept, n, 50) : NAN;
		free(kept);
		return m;
	}
	return NAN;
}

static int
max_rep(const struct resultset *rs, struct cell_list g, int rep)
{
	for (size_t i = 0; i < g.n; i++)
		if (rs->cells[g.cell[i]].rep > rep)
			rep = rs->cells[g.cell[i]].rep;
	return rep;
}

int
pairing_overhead(const struct resultset *rs, const struct drift_refs *d,
    struct cell_list g, struct cell_list base, double *value, double *lo,
    double *hi)
{
	int last = max_rep(rs, base, max_rep(rs, g, -1));
	double *ratio = xcalloc((size_t)last + 2, sizeof(*ratio));
	struct summary s;
	size_t n = 0;

	for (int rep = 0; rep <= last; rep++) {
		double x = rep_median(rs, d, g, rep);
		double y = rep_median(rs, d, base, rep);

		if (isfinite(x) && isfinite(y) && y > 0)
			ratio[n++] = x / y;
	}
	if (n < 2) {
		free(ratio);
		return -1;
	}
	stats_summarize(ratio, n, &s);
	*value = s.median;
	*lo = s.ci_lo;
	*hi = s.ci_hi;
	free(ratio);
	return 0;
}
