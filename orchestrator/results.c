#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ftmatrix.h"

#define RESULTS_SCHEMA "ftmatrix-results"

static json_t *
jstr(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* -1 unknown ⇄ null */
static json_t *
jtristate(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

/* Integral values (nanoseconds) are written as integers, anything else as a
 * real printed with enough digits to read back the same double. */
static json_t *
jnum(double v)
{
	if (isfinite(v) && v == floor(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	if (!isfinite(v))
		return json_null();
	return json_real(v);
}

/* Embedded JSON documents (identity, probe output) are stored as objects
 * when they parse, so results.json stays one readable document. */
static json_t *
jdoc(const char *text)
{
	json_t *v;

	if (!text)
		return json_null();
	v = json_loads(text, JSON_DECODE_ANY, NULL);
	return v ? v : json_string(text);
}

static json_t *
jreal(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *
jarray(const double *x, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; x && i < n; i++)
		json_array_append_new(a, jnum(x[i]));
	return a;
}

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
	RS("machine", "cpu_model", F_STR, machine.cpu_model, 0),
	RS("machine", "cores", F_INT, machine.cores, 0),
	RS("machine", "kernel", F_STR, machine.kernel, 0),
	RS("machine", "governor", F_STR, machine.governor, 0),
	RS("machine", "hostname", F_STR, machine.hostname, 0),
	RS("machine", "loadavg1", F_REAL, machine.loadavg1, 0),
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
		case F_STR: v = jstr(*AT(base, f, char *)); break;
		case F_INT: v = json_integer(*AT(base, f, int)); break;
		case F_LONG: v = json_integer(*AT(base, f, long)); break;
		case F_REAL: v = jreal(*AT(base, f, double)); break;
		case F_BOOL: v = json_boolean(*AT(base, f, int)); break;
		case F_TRI: v = jtristate(*AT(base, f, int)); break;
		case F_DOC: v = jdoc(*AT(base, f, char *)); break;
		case F_ARRAY:
			v = jarray(*AT(base, f, double *), nwall);
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
		json_array_append_new(a, o);
	}
	json_object_set_new(root, "cells", a);

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

/* Reading: a missing member or null leaves the default; a member of the
 * wrong type is an error naming the file, the place and the member. */

struct reader {
	const char *path;
	const char *where; /* "cell 3 (3.13t/...)" or "" */
	int failed;
};

static void
bad(struct reader *r, const char *member, const char *expected)
{
	if (r->failed++)
		return;
	error("%s: %s%s\"%s\" is %s", r->path, r->where, *r->where ? ": " : "",
	    member, expected);
}

static char *
get_str(struct reader *r, json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		bad(r, name, "not a string");
		return NULL;
	}
	return xstrndup(json_string_value(v), json_string_length(v));
}

/* identity records hold sysconfig values, which may be numbers */
static char *
get_text(struct reader *r, json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return xasprintf("%.17g", json_real_value(v));
	return get_str(r, o, name);
}

static long
get_int(struct reader *r, json_t *o, const char *name, long dflt)
{
	json_t *v = json_object_get(o, name);

	if (!v || json_is_null(v))
		return dflt;
	if (json_is_integer(v))
		return (long)json_integer_value(v);
	if (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)))
		return (long)json_real_value(v);
	bad(r, name, "not an integer");
	return dflt;
}

/* booleans and 0/1 integers; null → -1 */
static int
get_bool(struct reader *r, json_t *o, const char *name, int dflt)
{
	json_t *v = json_object_get(o, name);

	if (!v)
		return dflt;
	if (json_is_null(v))
		return -1;
	if (json_is_boolean(v))
		return json_is_true(v);
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	bad(r, name, "not a boolean");
	return dflt;
}

static char *
get_doc(struct reader *r, json_t *v, const char *name)
{
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (!json_is_object(v)) {
		bad(r, name, "not an object");
		return NULL;
	}
	return json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(17));
}

static double *
get_numbers(struct reader *r, json_t *v, const char *name, size_t *n)
{
	double *out;
	json_t *x;
	size_t i;

	if (!json_is_array(v)) {
		bad(r, name, "not an array of numbers");
		return NULL;
	}
	if (json_array_size(v) == 0)
		return NULL;
	out = xcalloc(json_array_size(v), sizeof(*out));
	json_array_foreach(v, i, x)
	{
		if (!json_is_number(x)) {
			bad(r, name, "not an array of numbers");
			free(out);
			return NULL;
		}
		out[i] = json_number_value(x);
	}
	*n = json_array_size(v);
	return out;
}

/* Fills base from root following the table; nwall (cells only) gets the
 * length of wall_ns. */
static int
fields_from_json(struct reader *r, json_t *root, const struct field *f,
    void *base, size_t *nwall)
{
	size_t n, ncpu = 0;
	json_t *o, *v;

	for (; f->name; f++) {
		o = f->object ? json_object_get(root, f->object) : root;
		v = json_object_get(o, f->name);
		if (!v || json_is_null(v)) {
			if (f->required)
				bad(r, f->name, "missing");
			if (f->type == F_TRI)
				*AT(base, f, int) = -1;
			continue;
		}
		switch (f->type) {
		case F_STR: *AT(base, f, char *) = get_str(r, o, f->name); break;
		case F_INT:
			*AT(base, f, int) = (int)get_int(r, o, f->name, 0);
			break;
		case F_LONG:
			*AT(base, f, long) = get_int(r, o, f->name, 0);
			break;
		case F_REAL:
			if (json_is_number(v))
				*AT(base, f, double) = json_number_value(v);
			else
				bad(r, f->name, "not a number");
			break;
		case F_BOOL:
			*AT(base, f, int) = get_bool(r, o, f->name, 0) == 1;
			break;
		case F_TRI:
			*AT(base, f, int) = get_bool(r, o, f->name, -1);
			break;
		case F_DOC: *AT(base, f, char *) = get_doc(r, v, f->name); break;
		case F_ARRAY:
			n = 0;
			*AT(base, f, double *) = get_numbers(r, v, f->name, &n);
			if (strcmp(f->name, "wall_ns") == 0)
				*nwall = n;
			else
				ncpu = n;
			break;
		}
	}
	if (!r->failed && nwall && ncpu && ncpu != *nwall)
		bad(r, "cpu_ns", "not as long as \"wall_ns\"");
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

static int
load_list(struct reader *r, json_t *root, const char *name,
    struct resultset *rs)
{
	json_t *a = json_object_get(root, name), *v;
	char where[256];
	const char *key;
	size_t i;

	if (a && !json_is_array(a)) {
		error("%s: \"%s\" is not an array", r->path, name);
		return -1;
	}
	if (*name == 'i') {
		rs->ninterps = json_array_size(a);
		rs->interps = xcalloc(rs->ninterps, sizeof(*rs->interps));
	}
	json_array_foreach(a, i, v)
	{
		key = json_string_value(json_object_get(v, *name == 'i' ? "id"
									: "key"));
		snprintf(where, sizeof(where), "%s %zu (%s)",
		    *name == 'i' ? "interpreter" : "cell", i,
		    key ? key : "no key");
		r->where = where;
		if (!json_is_object(v)) {
			error("%s: %s is not an object", r->path, where);
			return -1;
		}
		if (*name == 'i') {
			if (load_interp(r, v, &rs->interps[i]) < 0)
				return -1;
		} else {
			struct result_cell *c = results_add_cell(rs);

			if (fields_from_json(r, v, cell_fields, c, &c->nwall) <
			    0)
				return -1;
			if (c->threads < 1) {
				bad(r, "threads", "not a positive integer");
				return -1;
			}
		}
	}
	return 0;
}

static int
load_root(json_t *root, const char *path, struct resultset *rs)
{
	struct reader r = { path, "", 0 };
	const char *schema;

	schema = json_string_value(json_object_get(root, "schema"));
	if (!json_is_object(root) || !schema ||
	    strcmp(schema, RESULTS_SCHEMA) != 0) {
		error("%s: not an ftmatrix results file (schema is %s%s%s, "
		      "expected \"%s\")",
		    path, schema ? "\"" : "", schema ? schema : "missing",
		    schema ? "\"" : "", RESULTS_SCHEMA);
		return -1;
	}
	rs->schema_version = (int)get_int(&r, root, "schema_version", 0);
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
	if (fields_from_json(&r, root, resultset_fields, rs, NULL) < 0)
		return -1;
	if (load_list(&r, root, "interpreters", rs) < 0 ||
	    load_list(&r, root, "cells", rs) < 0)
		return -1;
	return 0;
}

int
results_load(const char *path, struct resultset *rs)
{
	struct buf b = { 0 };
	json_error_t jerr;
	json_t *root;
	int rc;

	memset(rs, 0, sizeof(*rs));
	if (file_read(path, &b) < 0)
		return -1;
	root = json_loadb(b.data, b.len, 0, &jerr);
	buf_free(&b);
	if (!root) {
		error("%s:%d:%d: corrupt or truncated results file: %s", path,
		    jerr.line, jerr.column, jerr.text);
		return -1;
	}
	rc = load_root(root, path, rs);
	json_decref(root);
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

void
results_free(struct resultset *rs)
{
	for (size_t i = 0; i < rs->ninterps; i++) {
		fields_free(interp_fields, &rs->interps[i]);
		identity_free(&rs->interps[i].identity);
	}
	for (size_t i = 0; i < rs->ncells; i++)
		fields_free(cell_fields, &rs->cells[i]);
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
results_drop_last(struct resultset *rs)
{
	if (rs->ncells == 0)
		return;
	fields_free(cell_fields, &rs->cells[--rs->ncells]);
}

const struct result_cell *
results_find(const struct resultset *rs, const char *key)
{
	for (size_t i = 0; i < rs->ncells; i++)
		if (rs->cells[i].key && strcmp(rs->cells[i].key, key) == 0)
			return &rs->cells[i];
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

static void
set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

static void
cell_fail(struct result_cell *c, const char *status, char *error)
{
	set_str(&c->status, status);
	free(c->error);
	c->error = error;
}

/* The probe's "error" plus the last line of its traceback, which names the
 * exception, when the message does not already say it. */
static char *
probe_error(json_t *root)
{
	const char *msg = json_string_value(json_object_get(root, "error"));
	const char *tb = json_string_value(json_object_get(root, "traceback"));
	char *last, *s;

	if (!msg)
		msg = "probe reported an error";
	if (!tb || !*tb)
		return xstrdup(msg);
	last = text_tail(tb, 1);
	if (!*last || strstr(msg, last))
		s = xstrdup(msg);
	else
		s = xasprintf("%s (%s)", msg, last);
	free(last);
	return s;
}

static int
parse_samples(struct result_cell *c, json_t *samples)
{
	json_t *smp, *t;
	size_t i, j;

	free(c->wall_ns);
	free(c->cpu_ns);
	c->wall_ns = c->cpu_ns = NULL;
	c->nwall = 0;
	if (!json_is_array(samples) || json_array_size(samples) == 0)
		return -1;
	c->wall_ns = xcalloc(json_array_size(samples), sizeof(double));
	c->cpu_ns = xcalloc(json_array_size(samples), sizeof(double));
	json_array_foreach(samples, i, smp)
	{
		json_t *wall = json_object_get(smp, "wall_ns");
		json_t *cpu = json_object_get(smp, "thread_cpu_ns");

		if (!json_is_number(wall))
			return -1;
		c->wall_ns[i] = json_number_value(wall);
		json_array_foreach(cpu, j, t)
		{
			c->cpu_ns[i] += json_number_value(t);
		}
		c->nwall = i + 1;
	}
	return 0;
}

int
result_cell_parse_probe(struct result_cell *c, const char *json)
{
	json_error_t jerr;
	json_t *root, *errors;
	char *head;

	root = json ? json_loads(json, 0, &jerr) : NULL;
	if (!root || !json_is_object(root) ||
	    !json_object_get(root, "probe_version")) {
		head = json ? text_tail(json, 1) : xstrdup("");
		if (strlen(head) > 200)
			head[200] = '\0';
		cell_fail(c, "bad-output",
		    xasprintf("probe output is not its JSON report%s%s%s%s",
			root ? "" : ": ", root ? "" : jerr.text,
			*head ? "; last line: " : "", head));
		free(head);
		json_decref(root);
		return -1;
	}
	set_str(&c->probe_json, json);
	if (json_object_get(root, "error")) {
		cell_fail(c, "failed", probe_error(root));
		json_decref(root);
		return 0;
	}
	set_str(&c->group, json_string_value(json_object_get(root, "group")));
	set_str(&c->scaling,
	    json_string_value(json_object_get(root, "scaling")));
	c->iterations =
	    (long)json_number_value(json_object_get(root, "iterations"));
	c->work_per_thread =
	    (long)json_number_value(json_object_get(root, "work_per_thread"));
	{
		struct reader r = { "probe output", "", 1 };

		c->gil_enabled_before =
		    get_bool(&r, root, "gil_enabled_before", -1);
		c->gil_enabled_after =
		    get_bool(&r, root, "gil_enabled_after", -1);
	}
	if (parse_samples(c, json_object_get(root, "samples")) < 0) {
		cell_fail(c, "bad-output",
		    xstrdup("probe output has no valid samples"));
		json_decref(root);
		return -1;
	}
	errors = json_object_get(root, "errors");
	if (json_array_size(errors) > 0) {
		json_t *first = json_array_get(errors, 0);
		const char *msg = json_is_string(first)
		    ? json_string_value(first)
		    : json_string_value(json_object_get(first, "error"));

		cell_fail(c, "failed",
		    xasprintf("%zu error%s in the workload: %s",
			json_array_size(errors),
			json_array_size(errors) == 1 ? "" : "s",
			msg ? msg : "(no message)"));
	}
	json_decref(root);
	return 0;
}

int
identity_parse(const char *json, struct identity *id)
{
	struct reader r = { "interpreter identity", "", 0 };
	json_error_t jerr;
	json_t *o;

	memset(id, 0, sizeof(*id));
	id->gil_enabled = -1;
	o = json_loads(json, 0, &jerr);
	if (!o || !json_is_object(o)) {
		error("interpreter identity is not a JSON object: %s",
		    o ? "wrong type" : jerr.text);
		json_decref(o);
		return -1;
	}
	id->version = get_text(&r, o, "version");
	id->implementation = get_text(&r, o, "implementation");
	id->gil_disabled_build = get_bool(&r, o, "gil_disabled_build", 0) == 1;
	id->gil_enabled = get_bool(&r, o, "gil_enabled", -1);
	id->abiflags = get_text(&r, o, "abiflags");
	id->compiler = get_text(&r, o, "compiler");
	id->config_args = get_text(&r, o, "config_args");
	id->executable = get_text(&r, o, "executable");
	id->prefix = get_text(&r, o, "prefix");
	id->includepy = get_text(&r, o, "includepy");
	id->libdir = get_text(&r, o, "libdir");
	id->ldlibrary = get_text(&r, o, "ldlibrary");
	id->ldversion = get_text(&r, o, "ldversion");
	id->build_date = get_text(&r, o, "build_date");
	id->shared = get_bool(&r, o, "shared", 0) == 1;
	id->json = xstrdup(json);
	json_decref(o);
	if (r.failed) {
		identity_free(id);
		id->gil_enabled = -1;
		return -1;
	}
	return 0;
}
