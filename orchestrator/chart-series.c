#include <stdlib.h>

#include "ftmatrix.h"

/* chart-series.c: a report's interpreters and engines as the charts name
 * and group their series */

char *
chart_series_label(
    const struct report *r, size_t interp, const char *engine, size_t nengines)
{
	return nengines > 1
	    ? xasprintf("%s %s", report_label(r->rs, interp), engine)
	    : xstrdup(report_label(r->rs, interp));
}

const char **
chart_interp_labels(const struct report *r)
{
	const char **label = xcalloc(r->rs->ninterps + 1, sizeof(*label));

	for (size_t i = 0; i < r->rs->ninterps; i++)
		label[i] = report_label(r->rs, i);
	return label;
}

int
chart_bars_by_interp(const struct report *r, const struct bars *b,
    const size_t *interp, const char *const *engine, const char *cdir)
{
	const char **group_label = chart_interp_labels(r);
	int rc = chart_bars_split(
	    &r->style, b, interp, group_label, r->rs->ninterps, engine, cdir);

	free(group_label);
	return rc;
}
