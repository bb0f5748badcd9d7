#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * pyperf's JSON format (version 1.0), one file per interpreter, so that
 * `python -m pyperf stats`, `hist` and `compare_to` read our runs: one
 * benchmark per workload, engine and thread count ("cpu_loop/threads/4"),
 * one pyperf run per probe process, its values the samples in seconds
 * per unit of work ("loops" is the units of n a sample ran per worker).
 */

static void
json_str(struct buf *b, const char *s)
{
	buf_puts(b, "\"");
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20)
			buf_printf(b, "\\u%04x", c);
		else
			buf_add(b, s, 1);
	}
	buf_puts(b, "\"");
}

/* ,"key": "value" with the value escaped; nothing when value is NULL */
static void
meta_str(struct buf *b, const char *key, const char *value)
{
	if (!value || !*value)
		return;
	buf_puts(b, b->data[b->len - 1] == '{' ? "" : ", ");
	json_str(b, key);
	buf_puts(b, ": ");
	json_str(b, value);
}

static int
cell_in_group(
    const struct report *r, const struct result_cell *c, const struct group *g)
{
	return strcmp(c->status, "ok") == 0 && c->nwall &&
	    c->threads == g->threads && strcmp(c->workload, g->workload) == 0 &&
	    strcmp(c->engine, g->engine) == 0 &&
	    report_interp_index(r->rs, c->interp) == g->interp;
}

static void
benchmark_json(struct buf *b, const struct report *r, const struct group *g)
{
	const struct resultset *rs = r->rs;
	const char *unit = report_unit(r, g->workload);
	int first = 1;

	buf_puts(b, "{\"metadata\": {");
	{
		char *name =
		    xasprintf("%s/%s/%d", g->workload, g->engine, g->threads);

		meta_str(b, "name", name);
		free(name);
	}
	if (unit) {
		char *d = xasprintf("seconds per unit of work (%s; one value "
		                    "per sample)",
		    unit);

		meta_str(b, "description", d);
		free(d);
	}
	buf_printf(b, ", \"loops\": %ld, \"unit\": \"second\"}, \"runs\": [",
	    g->units);
	for (size_t i = 0; i < rs->ncells; i++) {
		const struct result_cell *c = &rs->cells[i];

		if (!cell_in_group(r, c, g))
			continue;
		buf_puts(b,
		    first ? "\n  {\"metadata\": {" : ",\n  {\"metadata\": {");
		first = 0;
		buf_printf(b, "\"ftmatrix_rep\": %d", c->rep);
		buf_printf(b, ", \"duration\": %.6g}, \"values\": [",
		    c->elapsed_s > 0 ? c->elapsed_s : 0);
		for (size_t k = 0; k < c->nwall; k++)
			buf_printf(b, "%s%.9g", k ? ", " : "",
			    c->wall_ns[k] / (double)g->units / 1e9);
		buf_puts(b, "]}");
	}
	buf_puts(b, "]}");
}

/* The file of one interpreter: NULL when it has no timed group. */
static char *
interp_json(const struct report *r, size_t interp)
{
	const struct resultset *rs = r->rs;
	const struct result_interp *ri = &rs->interps[interp];
	struct buf b = {0};
	int any = 0;

	buf_puts(&b, "{\"version\": \"1.0\", \"metadata\": {");
	meta_str(&b, "python_version", ri->identity.version);
	meta_str(&b, "python_implementation", ri->identity.implementation);
	meta_str(&b, "python_executable", ri->identity.executable);
	meta_str(&b, "python_compiler", ri->identity.compiler);
	meta_str(&b, "hostname", rs->machine.hostname);
	meta_str(&b, "cpu_model_name", rs->machine.cpu_model);
	meta_str(&b, "platform", rs->machine.kernel);
	meta_str(&b, "ftmatrix_interpreter", ri->id);
	meta_str(&b, "ftmatrix_label", report_label(rs, interp));
	meta_str(&b, "ftmatrix_matrix", rs->matrix_name);
	if (rs->machine.cores > 0)
		buf_printf(&b, ", \"cpu_count\": %d", rs->machine.cores);
	buf_puts(&b, "}, \"benchmarks\": [");
	for (size_t i = 0; i < r->a.ngroups; i++) {
		const struct group *g = &r->a.groups[i];

		if (g->interp != interp || !g->wall.n || g->units <= 0 ||
		    !report_timed(r, g->workload))
			continue;
		buf_puts(&b, any ? ",\n" : "\n");
		benchmark_json(&b, r, g);
		any = 1;
	}
	buf_puts(&b, "\n]}\n");
	if (!any) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

int
report_pyperf(const struct report *r, const char *dir)
{
	int rc = 0;

	for (size_t i = 0; i < r->rs->ninterps; i++) {
		char *json = interp_json(r, i);
		char *name, *file, *path;

		if (!json)
			continue;
		name = chart_name("pyperf", r->rs->interps[i].id);
		file = xasprintf("%s.json", name);
		path = path_join(dir, file);
		if (file_write_atomic(path, json, strlen(json)) < 0)
			rc = -1;
		free(json);
		free(name);
		free(file);
		free(path);
	}
	return rc;
}
