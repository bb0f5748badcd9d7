/*
 * What a results file must hold beyond each member's type: the sections
 * every saved file has, interpreters and cells that agree with each other
 * and with the matrix, and values a measurement can have. A file that
 * fails these was edited or damaged, and reading on would show wrong
 * numbers, or skip or repeat cells on resume.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ftmatrix.h"
#include "results-json.h"

/* results_save writes these even before the first cell is measured */
int
check_sections(const char *path, json_t *root)
{
	static const struct {
		const char *name, *what;
		json_type type;
	} need[] = {
	    {"matrix", "an object", JSON_OBJECT},
	    {"interpreters", "an array", JSON_ARRAY},
	    {"cells", "an array", JSON_ARRAY},
	};
	json_t *v;
	size_t i;

	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		v = json_object_get(root, need[i].name);
		if (!v) {
			error("%s: \"%s\" is missing (every results file has "
			      "it: this one was cut or edited)",
			    path, need[i].name);
			return -1;
		}
		if (json_typeof(v) != need[i].type) {
			error("%s: \"%s\" is not %s", path, need[i].name,
			    need[i].what);
			return -1;
		}
	}
	v = json_object_get(json_object_get(root, "matrix"), "text");
	if (!json_is_string(v)) {
		error("%s: matrix: \"text\" is %s (the matrix the cells were "
		      "measured with)",
		    path, v ? "not a string" : "missing");
		return -1;
	}
	return 0;
}

/* The planned workloads, each named once (a name given twice is the same
 * workload for the cells, so it is not an error). */
int
check_workloads(struct reader *r, const struct resultset *rs)
{
	for (size_t i = 0; i < rs->nworkloads; i++)
		strset_add(&r->workloads, rs->workloads[i], i, NULL);
	return 0;
}

int
check_interp(struct reader *r, const struct resultset *rs, size_t i)
{
	size_t k;

	if (strset_add(&r->interp_ids, rs->interps[i].id, i, &k)) {
		error("%s: %s: the same id as interpreter %zu", r->path,
		    r->where, k);
		return -1;
	}
	return 0;
}

static int
listed(char *const *names, const char *s)
{
	for (; *names; names++)
		if (strcmp(*names, s) == 0)
			return 1;
	return 0;
}

/* Times are durations: never negative, never infinite. */
static void
check_times(struct reader *r, const char *name, const double *x, size_t n)
{
	char what[160];

	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]) || x[i] < 0) {
			snprintf(what, sizeof(what), "%s at sample %zu (%.17g)",
			    isfinite(x[i]) ? "negative" : "not finite", i,
			    x[i]);
			rd_bad(r, name, what);
			return;
		}
}

static void
check_values(struct reader *r, const struct result_cell *c)
{
	static const char *const statuses[] = {
	    "ok", "failed", "timeout", "crashed", "bad-output", NULL};
	char what[160];

	if (!listed((char *const *)statuses, c->status)) {
		snprintf(what, sizeof(what),
		    "\"%.60s\" (expected ok, failed, timeout, crashed or "
		    "bad-output)",
		    c->status);
		rd_bad(r, "status", what);
	}
	if (c->threads < 1)
		rd_bad(r, "threads", "not a positive integer");
	if (c->rep < 0)
		rd_bad(r, "rep", "negative");
	if (c->iterations < 0)
		rd_bad(r, "iterations", "negative");
	if (c->work_per_thread < 0)
		rd_bad(r, "work_per_thread", "negative");
	/* -1: killed by a signal; else what exit() was given */
	if (c->exit_status < -1 || c->exit_status > 255)
		rd_bad(r, "exit_status", "not an exit status (-1 to 255)");
	if (!isfinite(c->elapsed_s) || c->elapsed_s < 0)
		rd_bad(r, "elapsed_s",
		    isfinite(c->elapsed_s) ? "negative" : "not finite");
	if (strcmp(c->status, "ok") == 0 && c->nwall == 0)
		rd_bad(r, "wall_ns",
		    "empty in an \"ok\" cell (it measured "
		    "nothing)");
	check_times(r, "wall_ns", c->wall_ns, c->nwall);
	if (c->cpu_ns)
		check_times(r, "cpu_ns", c->cpu_ns, c->nwall);
	if (c->rusage.present &&
	    (!isfinite(c->rusage.user_s) || c->rusage.user_s < 0 ||
	        !isfinite(c->rusage.sys_s) || c->rusage.sys_s < 0 ||
	        c->rusage.maxrss_kib < 0 || c->rusage.voluntary_switches < 0 ||
	        c->rusage.involuntary_switches < 0))
		rd_bad(
		    r, "rusage", "not a resource usage (a member is negative)");
}

/*
 * A cell whose key does not say what it holds, that repeats another's key,
 * names an interpreter or workload the file does not list or holds values
 * no measurement has would be skipped, counted twice or shown wrong.
 */
int
check_cell(
    struct reader *r, const struct resultset *rs, const struct result_cell *c)
{
	char *key;
	size_t first;

	check_values(r, c);
	if (r->failed)
		return -1;
	key = xasprintf("%s/%s/%s/%d/%d", c->interp, c->workload, c->engine,
	    c->threads, c->rep);
	if (strcmp(key, c->key) != 0) {
		error("%s: %s: \"key\" does not match its interpreter, "
		      "workload, engine, threads and rep (%s)",
		    r->path, r->where, key);
		free(key);
		return -1;
	}
	free(key);
	if (strset_add(&r->cell_keys, c->key, rs->ncells - 1, &first)) {
		error("%s: %s: the same key as cell %zu", r->path, r->where,
		    first);
		return -1;
	}
	if (!strset_find(&r->interp_ids, c->interp, NULL)) {
		error("%s: %s: interpreter \"%s\" is not among the file's "
		      "interpreters",
		    r->path, r->where, c->interp);
		return -1;
	}
	if (!strset_find(&r->workloads, c->workload, NULL)) {
		error("%s: %s: workload \"%s\" is not among its matrix's "
		      "workloads",
		    r->path, r->where, c->workload);
		return -1;
	}
	return 0;
}
