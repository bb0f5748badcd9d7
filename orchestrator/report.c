#include <stdlib.h>

#include "ftmatrix.h"

/* report.c: a report directory, every format the options ask for, from
 * one report model; the writers and the wording are below it */

static int
write_one(const struct report *r, const char *dir, const char *file,
    int (*fn)(const struct report *, const char *))
{
	char *path = path_join(dir, file);
	int rc = fn(r, path);

	free(path);
	return rc;
}

int
report_write(
    const struct resultset *rs, const char *dir, const struct report_opts *opts)
{
	struct report r;
	struct manifest m;
	char *path;
	int rc = 0, charts_ok = 1;

	if (mkdir_p(dir) < 0 || manifest_load(&m, dir) < 0)
		return -1;
	report_make(rs, opts, &r);
	if (opts->html || opts->png || opts->svg) {
		if (charts_render(&r, dir, &m) < 0) {
			/* the tables are still worth writing */
			charts_ok = 0;
			rc = -1;
		}
	}
	if (opts->html) {
		path = path_join(dir, "report.html");
		if (report_html(&r, dir, charts_ok, path) < 0)
			rc = -1;
		free(path);
		manifest_add(&m, "report.html");
	}
	if (opts->csv) {
		if (write_one(&r, dir, "results.csv", report_csv) < 0 ||
		    write_one(&r, dir, "cells.csv", report_cells_csv) < 0)
			rc = -1;
		manifest_add(&m, "results.csv");
		manifest_add(&m, "cells.csv");
	}
	if (opts->md) {
		if (write_one(&r, dir, "summary.md", report_md) < 0)
			rc = -1;
		manifest_add(&m, "summary.md");
	}
	if (opts->pyperf && report_pyperf(&r, dir) < 0)
		rc = -1;
	if (!opts->svg && (opts->html || opts->png))
		report_drop_charts(&m, ".svg");
	if (manifest_save(&m) < 0)
		rc = -1;
	manifest_free(&m);
	report_free(&r);
	return rc;
}
