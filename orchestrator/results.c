#include <limits.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ftmatrix.h"
#include "results-json.h"

#define RESULTS_SCHEMA "ftmatrix-results"

/*
 * One table per JSON object drives both writing and reading, so whatever is
 * saved is loaded back the same way.
 */

enum field_type {
	F_STR,	 /* char *, NULL ⇄ null */
	F_INT,	 /* int */
	F_LONG,	 /* long */
	F_REAL,	 /* double */
	F_BOOL,	 /* int 0/1 */
	F_TRI,	 /* int -1/0/1, -1 ⇄ null */
	F_INTN,	 /* int, -1 ⇄ null */
	F_DOC,	 /* char * holding JSON text, stored as a nested object */
	F_ARRAY, /* double * of nwall numbers */
};

struct field {
	const char *object; /* nested object of the root, or NULL */
	const char *name;
	enum field_type type;
	size_t offset;
	int required;
};

#define RS(o, n, t, m, r) { o, n, t, offsetof(struct resultset, m), r }
static const struct field resultset_fields[] = {
	RS(NULL, "ftmatrix_version", F_STR, ftmatrix_version, 0),
	RS(NULL, "created", F_STR, created, 0),
	RS(NULL, "updated", F_STR, updated, 0),
	RS(NULL, "command", F_STR, command, 0),
	RS(NULL, "complete", F_BOOL, complete, 0),
	RS("matrix", "name", F_STR, matrix_name, 0),
	RS("matrix", "path", F_STR, matrix_path, 0),
	RS("matrix", "baseline", F_STR, baseline, 0),
	RS("matrix", "text", F_STR, matrix_text, 0),
	RS("matrix", "overrides", F_STR, overrides, 0),
	RS("matrix", "workload_files", F_DOC, workload_files, 0),
	RS("matrix", "sha256", F_STR, matrix_sha256, 0),
	RS("machine", "cpu_model", F_STR, machine.cpu_model, 0),
	RS("machine", "cores", F_INT, machine.cores, 0),
	RS("machine", "kernel", F_STR, machine.kernel, 0),
	RS("machine", "governor", F_STR, machine.governor, 0),
	RS("machine", "hostname", F_STR, machine.hostname, 0),
	RS("machine", "loadavg1", F_REAL, machine.loadavg1, 0),
	RS("machine", "loadavg5", F_REAL, machine.loadavg5, 0),
	RS("machine", "loadavg15", F_REAL, machine.loadavg15, 0),
	RS("machine", "mem_total_kib", F_LONG, machine.mem_total_kib, 0),
	RS("machine", "smt", F_TRI, machine.smt, 0),
	RS("machine", "boost", F_TRI, machine.boost, 0),
	RS("machine", "aslr", F_INTN, machine.aslr, 0),
	RS("machine", "isolated_cpus", F_STR, machine.isolated, 0),
	{ 0 },
};

#define RI(n, t, m, r) { NULL, n, t, offsetof(struct result_interp, m), r }
static const struct field interp_fields[] = {
	RI("id", F_STR, id, 1),
	RI("label", F_STR, label, 0),
	RI("provider", F_STR, provider, 0),
	RI("request", F_STR, request, 0),
	RI("available", F_BOOL, available, 0),
	RI("error", F_STR, error, 0),
	RI("origin", F_STR, origin, 0),
	RI("identity", F_DOC, identity.json, 0),
	{ 0 },
};

#define RC(n, t, m, r) { NULL, n, t, offsetof(struct result_cell, m), r }
static const struct field cell_fields[] = {
	RC("key", F_STR, key, 1),
	RC("interpreter", F_STR, interp, 1),
	RC("workload", F_STR, workload, 1),
	RC("group", F_STR, group, 0),
	RC("engine", F_STR, engine, 1),
	RC("threads", F_INT, threads, 1),
	RC("rep", F_INT, rep, 1),
	RC("status", F_STR, status, 1),
	RC("error", F_STR, error, 0),
	RC("exit_status", F_INT, exit_status, 0),
	RC("stderr_tail", F_STR, stderr_tail, 0),
	RC("elapsed_s", F_REAL, elapsed_s, 0),
	RC("scaling", F_STR, scaling, 0),
	RC("iterations", F_LONG, iterations, 0),
	RC("work_per_thread", F_LONG, work_per_thread, 0),
	RC("gil_enabled_before", F_TRI, gil_enabled_before, 0),
	RC("gil_enabled_after", F_TRI, gil_enabled_after, 0),
	RC("wall_ns", F_ARRAY, wall_ns, 0),
	RC("cpu_ns", F_ARRAY, cpu_ns, 0),
	RC("drift_ns", F_ARRAY, drift_ns, 0),
	RC("disturbed", F_ARRAY, disturbed, 0),
	RC("replaced", F_DOC, replaced_json, 0),
	RC("probe", F_DOC, probe_json, 0),
	RC("memory", F_DOC, memory_json, 0),
	{ 0 },
};

#define AT(base, f, type) ((type *)((char *)(base) + (f)->offset))

static void
fields_to_json(json_t *root, const struct field *f, const void *base,
    size_t nwall)
{
	json_t *o, *v = NULL;

	for (; f->name; f++) {
		switch (f->type) {
		case F_STR: v = jv_str(*AT(base, f, char *)); break;
		case F_INT: v = json_integer(*AT(base, f, int)); break;
		case F_LONG: v = json_integer(*AT(base, f, long)); break;
		case F_REAL: v = jv_real(*AT(base, f, double)); break;
		case F_BOOL: v = json_boolean(*AT(base, f, int)); break;
		case F_TRI: v = jv_tristate(*AT(base, f, int)); break;
		case F_INTN:
			v = *AT(base, f, int) < 0 ? json_null()
						  : json_integer(*AT(base, f, int));
			break;
		case F_DOC: v = jv_doc(*AT(base, f, char *)); break;
		case F_ARRAY:
			v = jv_array(*AT(base, f, double *), nwall);
			break;
		}
		o = root;
		if (f->object && !(o = json_object_get(root, f->object))) {
			o = json_object();
			json_object_set_new(root, f->object, o);
		}
		json_object_set_new(o, f->name, v);
	}
}

int
results_save(const struct resultset *rs, const char *path)
{
	json_t *root = json_object(), *a, *o;
	char *text;
	int rc;

	json_object_set_new(root, "schema", json_string(RESULTS_SCHEMA));
	json_object_set_new(root, "schema_version",
	    json_integer(RESULTS_SCHEMA_VERSION));
	fields_to_json(root, resultset_fields, rs, 0);
	a = json_array();
	for (size_t i = 0; i < rs->nworkloads; i++)
		json_array_append_new(a, json_string(rs->workloads[i]));
	json_object_set_new(json_object_get(root, "matrix"), "workloads", a);
	if (!rs->ftmatrix_version)
		json_object_set_new(root, "ftmatrix_version",
		    json_string(FTMATRIX_VERSION));
	a = json_array();
	for (size_t i = 0; i < rs->ninterps; i++) {
		fields_to_json(o = json_object(), interp_fields,
		    &rs->interps[i], 0);
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "interpreters", a);
	a = json_array();
	for (size_t i = 0; i < rs->ncells; i++) {
		const struct result_cell *c = &rs->cells[i];

		fields_to_json(o = json_object(), cell_fields, c, c->nwall);
		if (!c->cpu_ns)
			json_array_clear(json_object_get(o, "cpu_ns"));
		if (!c->drift_ns)
			json_object_del(o, "drift_ns");
		if (!c->disturbed)
			json_object_del(o, "disturbed");
		json_object_set_new(o, "rusage", rusage_to_json(&c->rusage));
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "settings", settings_to_json(&rs->settings));
	json_object_set_new(root, "preflight", preflight_to_json(&rs->preflight));
	json_object_set_new(root, "calibration", calibrations_to_json(rs));
	json_object_set_new(root, "shard", shard_to_json(&rs->shard));
	if (rs->nhosts)
		json_object_set_new(root, "hosts", hosts_to_json(rs));
	json_object_set_new(root, "cells", a);
	if (rs->analysis)
		json_object_set_new(
		    root, "analysis", analysis_to_json(rs->analysis, rs));

	text = json_dumps(root, JSON_INDENT(1) | JSON_REAL_PRECISION(17));
	json_decref(root);
	if (!text) {
		error("%s: cannot encode results", path);
		return -1;
	}
	rc = file_write_atomic(path, text, strlen(text));
	free(text);
	return rc;
}

/* Fills base from root following the table; nwall (cells only) gets the
 * length of wall_ns. */
static int
fields_from_json(struct reader *r, json_t *root, const struct field *fields,
    void *base, size_t *nwall)
{
	const struct field *f = fields;
	size_t n;
	json_t *o, *v;
	long l;

	for (; f->name; f++) {
		o = f->object ? json_object_get(root, f->object) : root;
		v = json_object_get(o, f->name);
		if (!v || json_is_null(v)) {
			if (f->required)
				rd_bad(r, f->name, "missing");
			if (f->type == F_TRI || f->type == F_INTN)
				*AT(base, f, int) = -1;
			continue;
		}
		switch (f->type) {
		case F_STR: *AT(base, f, char *) = rd_str(r, o, f->name); break;
		case F_INT:
		case F_INTN:
			l = rd_int(r, o, f->name, 0);
			if (l < INT_MIN || l > INT_MAX)
				rd_bad(r, f->name, "out of range");
			*AT(base, f, int) = (int)l;
			break;
		case F_LONG:
			*AT(base, f, long) = rd_int(r, o, f->name, 0);
			break;
		case F_REAL:
			if (json_is_number(v))
				*AT(base, f, double) = json_number_value(v);
			else
				rd_bad(r, f->name, "not a number");
			break;
		case F_BOOL:
			*AT(base, f, int) = rd_bool(r, o, f->name, 0) == 1;
			break;
		case F_TRI:
			*AT(base, f, int) = rd_bool(r, o, f->name, -1);
			break;
		case F_DOC: *AT(base, f, char *) = rd_doc(r, v, f->name); break;
		case F_ARRAY:
			n = 0;
			*AT(base, f, double *) = rd_numbers(r, v, f->name, &n);
			if (strcmp(f->name, "wall_ns") == 0)
				*nwall = n;
			break;
		}
	}
	/* every per-sample array is as long as wall_ns (or empty) */
	for (f = fields; nwall && f->name; f++) {
		const double *a;

		if (f->type != F_ARRAY || strcmp(f->name, "wall_ns") == 0)
			continue;
		v = json_object_get(root, f->name);
		a = *AT(base, f, double *);
		if (!r->failed && a && json_array_size(v) &&
		    json_array_size(v) != *nwall)
			rd_bad(r, f->name, "not as long as \"wall_ns\"");
	}
	return r->failed ? -1 : 0;
}

static int
load_interp(struct reader *r, json_t *o, struct result_interp *ri)
{
	char *text;

	if (fields_from_json(r, o, interp_fields, ri, NULL) < 0)
		return -1;
	/* the identity's struct fields come from its stored JSON */
	text = ri->identity.json;
	ri->identity.json = NULL;
	ri->identity.gil_enabled = -1;
	if (text && identity_parse(text, &ri->identity) < 0)
		ri->identity.json = xstrdup(text); /* kept, if not understood */
	free(text);
	return 0;
}

/* The planned workloads: a list of names (version 3 on). */
static int
load_workloads(struct reader *r, json_t *root, struct resultset *rs)
{
	json_t *a = json_object_get(json_object_get(root, "matrix"), "workloads");
	json_t *v;
	size_t i;

	if (rs->schema_version < 3)
		return 0;
	if (!json_is_array(a)) {
		error("%s: matrix: \"workloads\" is %s (the workloads the "
		      "matrix plans)",
		    r->path, a ? "not a list" : "missing");
		return -1;
	}
	rs->workloads = xcalloc(json_array_size(a) + 1, sizeof(*rs->workloads));
	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v)) {
			error("%s: matrix: \"workloads\": item %zu is not a "
			      "name",
			    r->path, i);
			return -1;
		}
		rs->workloads[rs->nworkloads++] = xstrdup(json_string_value(v));
	}
	return 0;
}

static int
load_interps(struct reader *r, json_t *a, struct resultset *rs)
{
	char where[256];
	const char *id;
	json_t *v;
	size_t i;

	rs->ninterps = json_array_size(a);
	rs->interps = xcalloc(rs->ninterps, sizeof(*rs->interps));
	json_array_foreach(a, i, v)
	{
		id = json_string_value(json_object_get(v, "id"));
		snprintf(where, sizeof(where), "interpreter %zu (%s)", i,
		    id ? id : "no key");
		r->where = where;
		if (!json_is_object(v)) {
			error("%s: %s is not an object", r->path, where);
			return -1;
		}
		if (load_interp(r, v, &rs->interps[i]) < 0 ||
		    check_interp(r, rs, i) < 0)
			return -1;
	}
	return 0;
}

/* Cells as they are read; a text that is no list of JSON values returns
 * -1 unsaid (cells->bad), for the caller to read the file whole. */
static int
load_cells(struct reader *r, struct jv_items *cells, struct resultset *rs)
{
	char where[256];
	const char *key;
	json_t *v;

	for (size_t i = 0; (v = jv_items_next(cells)) != NULL; i++) {
		struct result_cell *c;

		key = json_string_value(json_object_get(v, "key"));
		snprintf(where, sizeof(where), "cell %zu (%s)", i,
		    key ? key : "no key");
		r->where = where;
		if (!json_is_object(v)) {
			error("%s: %s is not an object", r->path, where);
			return -1;
		}
		c = results_add_cell(rs);
		r->text = cells->item;
		r->len = cells->item_len;
		if (fields_from_json(r, v, cell_fields, c, &c->nwall) < 0 ||
		    rusage_from_json(r, json_object_get(v, "rusage"),
			&c->rusage) < 0 ||
		    check_cell(r, rs, c) < 0)
			return -1;
		r->text = NULL;
		cell_extras_keep(c, json_object_get(v, "probe"),
		    json_object_get(v, "memory"));
	}
	return cells->bad ? -1 : 0;
}

static int
load_root(json_t *root, struct jv_items *cells, const char *path,
    struct resultset *rs)
{
	struct reader r = { .path = path, .where = "" };
	const char *schema;
	json_t *analysis;
	int rc = 0;

	schema = json_string_value(json_object_get(root, "schema"));
	if (!json_is_object(root) || !schema ||
	    strcmp(schema, RESULTS_SCHEMA) != 0) {
		error("%s: not an ftmatrix results file (schema is %s%s%s, "
		      "expected \"%s\")",
		    path, schema ? "\"" : "", schema ? schema : "missing",
		    schema ? "\"" : "", RESULTS_SCHEMA);
		return -1;
	}
	rs->schema_version = (int)rd_int(&r, root, "schema_version", 0);
	if (r.failed || rs->schema_version < 1) {
		error("%s: missing or bad \"schema_version\"", path);
		return -1;
	}
	if (rs->schema_version > RESULTS_SCHEMA_VERSION) {
		error("%s: schema version %d is newer than this ftmatrix "
		      "understands (%d); upgrade ftmatrix to read it",
		    path, rs->schema_version, RESULTS_SCHEMA_VERSION);
		return -1;
	}
	if (check_sections(path, root) < 0 ||
	    fields_from_json(&r, root, resultset_fields, rs, NULL) < 0)
		return -1;
	settings_from_json(&r, json_object_get(root, "settings"), &rs->settings);
	preflight_from_json(&r, json_object_get(root, "preflight"),
	    &rs->preflight);
	if (r.failed ||
	    calibrations_from_json(&r, json_object_get(root, "calibration"),
		rs) < 0 ||
	    shard_from_json(&r, json_object_get(root, "shard"), &rs->shard) < 0 ||
	    hosts_from_json(&r, json_object_get(root, "hosts"), rs) < 0)
		return -1;
	if (load_workloads(&r, root, rs) < 0 || results_upgrade(path, rs) < 0 ||
	    check_workloads(&r, rs) < 0 ||
	    load_interps(&r, json_object_get(root, "interpreters"), rs) < 0 ||
	    load_cells(&r, cells, rs) < 0)
		rc = -1;
	/* the analysis as written only by this version: an older one lacks
	 * what a report needs from it, and is computed again */
	analysis = json_object_get(root, "analysis");
	if (rc == 0 && analysis &&
	    rs->schema_version == RESULTS_SCHEMA_VERSION)
		rs->analysis = analysis_from_json(analysis, rs);
	strset_free(&r.cell_keys);
	strset_free(&r.interp_ids);
	strset_free(&r.workloads);
	return rc;
}

/*
 * Where a damaged file went wrong, in its terms: results.json is written
 * with each cell's "key" first, so the last key before the error is the
 * cell being read, and the cells before it are the ones intact.
 */
static char *
damage_where(const char *text, size_t len, size_t pos)
{
	const char *cells, *p, *last = NULL;
	size_t n = 0, keylen;

	if (pos > len)
		pos = len;
	cells = memmem(text, pos, "\"cells\": [", 10);
	if (!cells)
		return xstrdup("before the first cell");
	for (p = cells; (p = memmem(p, pos - (size_t)(p - text),
			     "\"key\": \"", 8)) != NULL;
	     p += 8) {
		last = p + 8;
		n++;
	}
	if (!last)
		return xstrdup("at the start of the cells, before any is "
			       "complete");
	keylen = strcspn(last, "\"\n");
	return xasprintf("in cell %zu (%.*s); the %zu cell%s before it "
			 "read%s whole",
	    n - 1, (int)keylen, last, n - 1, n - 1 == 1 ? "" : "s",
	    n - 1 == 1 ? "s" : "");
}

/* The whole text at once, for jansson's word on where it is not JSON. */
static json_t *
load_whole(const char *path, const struct buf *b)
{
	json_error_t jerr;
	/* a repeated key would leave one of two values, chosen silently */
	json_t *root = json_loadb(b->data, b->len, JSON_REJECT_DUPLICATES, &jerr);
	char *where;

	if (root)
		return root;
	where = damage_where(b->data, b->len, (size_t)jerr.position);
	error("%s:%d:%d: %s results file: %s, %s; nothing was read from it "
	      "(move it away to start over, or restore a copy)",
	    path, jerr.line, jerr.column,
	    json_error_code(&jerr) == json_error_duplicate_key
		? "edited or damaged"
		: "corrupt or truncated",
	    jerr.text, where);
	free(where);
	return NULL;
}

/* The cells are read one at a time from the text; only when that text
 * turns out not to be JSON is the file read whole, to say where. */
int
results_load(const char *path, struct resultset *rs)
{
	struct buf b = { 0 };
	struct jv_items cells;
	json_t *root;
	int rc = -1;

	memset(rs, 0, sizeof(*rs));
	if (file_read(path, &b) < 0)
		return -1;
	root = jv_outline(b.data, b.len, "cells", &cells);
	if (root) {
		rc = load_root(root, &cells, path, rs);
		jv_items_free(&cells);
		json_decref(root);
		if (!cells.bad)
			goto done;
		results_free(rs);
	}
	rc = -1;
	if ((root = load_whole(path, &b)) != NULL) {
		jv_items_of(&cells, json_object_get(root, "cells"));
		rc = load_root(root, &cells, path, rs);
		json_decref(root);
	}
done:
	buf_free(&b);
	if (rc < 0)
		results_free(rs);
	return rc;
}

static void
fields_free(const struct field *f, void *base)
{
	for (; f->name; f++) {
		if (f->type == F_STR || f->type == F_DOC || f->type == F_ARRAY) {
			free(*AT(base, f, void *));
			*AT(base, f, void *) = NULL;
		}
	}
}

static void
cell_free(struct result_cell *c)
{
	fields_free(cell_fields, c);
	if (c->extras) {
		cell_extras_free(c->extras);
		free(c->extras);
		c->extras = NULL;
	}
}

void
results_free(struct resultset *rs)
{
	if (rs->analysis) {
		analysis_free(rs->analysis);
		free(rs->analysis);
	}
	for (size_t i = 0; i < rs->nworkloads; i++)
		free(rs->workloads[i]);
	free(rs->workloads);
	for (size_t i = 0; i < rs->ninterps; i++) {
		fields_free(interp_fields, &rs->interps[i]);
		identity_free(&rs->interps[i].identity);
	}
	for (size_t i = 0; i < rs->ncells; i++)
		cell_free(&rs->cells[i]);
	for (size_t i = 0; i < rs->ncalibrations; i++)
		calibration_free(&rs->calibrations[i]);
	free(rs->calibrations);
	shard_info_free(&rs->shard);
	for (size_t i = 0; i < rs->nhosts; i++)
		result_host_free(&rs->hosts[i]);
	free(rs->hosts);
	preflight_free(&rs->preflight);
	run_settings_free(&rs->settings);
	fields_free(resultset_fields, rs);
	free(rs->interps);
	free(rs->cells);
	memset(rs, 0, sizeof(*rs));
}

struct result_cell *
results_add_cell(struct resultset *rs)
{
	struct result_cell *c;

	if (rs->ncells == rs->cells_cap) {
		rs->cells_cap = rs->cells_cap ? rs->cells_cap * 2 : 16;
		rs->cells = xreallocarray(rs->cells, rs->cells_cap,
		    sizeof(*rs->cells));
	}
	c = &rs->cells[rs->ncells++];
	memset(c, 0, sizeof(*c));
	c->gil_enabled_before = c->gil_enabled_after = -1;
	return c;
}

void
result_cell_clear(struct result_cell *c)
{
	cell_free(c);
	memset(c, 0, sizeof(*c));
	c->gil_enabled_before = c->gil_enabled_after = -1;
}

void
results_drop_last(struct resultset *rs)
{
	if (rs->ncells == 0)
		return;
	cell_free(&rs->cells[--rs->ncells]);
}

size_t
results_drop_failed(struct resultset *rs)
{
	size_t i, kept = 0, n = rs->ncells;

	for (i = 0; i < n; i++) {
		if (rs->cells[i].status && strcmp(rs->cells[i].status, "ok") == 0)
			rs->cells[kept++] = rs->cells[i];
		else
			cell_free(&rs->cells[i]);
	}
	rs->ncells = kept;
	return n - kept;
}

const struct result_cell *
results_find(const struct resultset *rs, const char *key)
{
	for (size_t i = 0; i < rs->ncells; i++)
		if (rs->cells[i].key && strcmp(rs->cells[i].key, key) == 0)
			return &rs->cells[i];
	return NULL;
}

const struct calibration *
results_calibration(const struct resultset *rs, const char *workload)
{
	for (size_t i = 0; i < rs->ncalibrations; i++)
		if (strcmp(rs->calibrations[i].workload, workload) == 0)
			return &rs->calibrations[i];
	return NULL;
}

const struct result_interp *
results_interp(const struct resultset *rs, const char *id)
{
	for (size_t i = 0; i < rs->ninterps; i++)
		if (rs->interps[i].id && strcmp(rs->interps[i].id, id) == 0)
			return &rs->interps[i];
	return NULL;
}

