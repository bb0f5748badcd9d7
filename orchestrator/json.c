/* JSON values and documents: the one file that wraps jansson (the
 * results-*.c files, whose field tables are written against jansson's
 * values, also call it directly through results-json.h). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ftmatrix.h"

json_t *
jv_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

/* -1 unknown ⇄ null */
json_t *
jv_tristate(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

/* Integral values (nanoseconds) are written as integers, anything else as a
 * real printed with enough digits to read back the same double. */
json_t *
jv_num(double v)
{
	if (isfinite(v) && v == floor(v) && fabs(v) < 9e15)
		return json_integer((json_int_t)v);
	if (!isfinite(v))
		return json_null();
	return json_real(v);
}

/* Embedded JSON documents (identity, probe output) are stored as objects
 * when they parse, so results.json stays one readable document. */
json_t *
jv_doc(const char *text)
{
	json_t *v;

	if (!text)
		return json_null();
	v = json_loads(text, JSON_DECODE_ANY, NULL);
	return v ? v : json_string(text);
}

json_t *
jv_real(double v)
{
	return isfinite(v) ? json_real(v) : json_null();
}

json_t *
jv_array(const double *x, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; x && i < n; i++)
		json_array_append_new(a, jv_num(x[i]));
	return a;
}

void
rd_bad(struct reader *r, const char *member, const char *expected)
{
	if (r->failed++)
		return;
	error("%s: %s%s\"%s\" is %s", r->path, r->where, *r->where ? ": " : "",
	    member, expected);
}

char *
rd_str(struct reader *r, json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	if (!v || json_is_null(v))
		return NULL;
	if (!json_is_string(v)) {
		rd_bad(r, name, "not a string");
		return NULL;
	}
	return xstrndup(json_string_value(v), json_string_length(v));
}

/* identity records hold sysconfig values, which may be numbers */
char *
rd_text(struct reader *r, json_t *o, const char *name)
{
	json_t *v = json_object_get(o, name);

	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_real(v))
		return xasprintf("%.17g", json_real_value(v));
	return rd_str(r, o, name);
}

long
rd_int(struct reader *r, json_t *o, const char *name, long dflt)
{
	json_t *v = json_object_get(o, name);

	if (!v || json_is_null(v))
		return dflt;
	if (json_is_integer(v))
		return (long)json_integer_value(v);
	/* 2.0 is 2; 1e300 is not a long, and converting it is undefined */
	if (json_is_real(v) && json_real_value(v) == floor(json_real_value(v)) &&
	    fabs(json_real_value(v)) < 9e18)
		return (long)json_real_value(v);
	rd_bad(r, name, "not an integer");
	return dflt;
}

/* booleans and 0/1 integers; null → -1 */
int
rd_bool(struct reader *r, json_t *o, const char *name, int dflt)
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
	rd_bad(r, name, "not a boolean");
	return dflt;
}

static char *member_text(const char *t, size_t len, const char *name);

/* The object as text: its own text when r has the text it was read from,
 * else written out again. */
char *
rd_doc(struct reader *r, json_t *v, const char *name)
{
	char *text;

	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (!json_is_object(v)) {
		rd_bad(r, name, "not an object");
		return NULL;
	}
	if (r->text && (text = member_text(r->text, r->len, name)) != NULL)
		return text;
	return json_dumps(v, JSON_COMPACT | JSON_REAL_PRECISION(17));
}

double *
rd_numbers(struct reader *r, json_t *v, const char *name, size_t *n)
{
	double *out;
	json_t *x;
	size_t i;

	if (!json_is_array(v)) {
		rd_bad(r, name, "not an array of numbers");
		return NULL;
	}
	if (json_array_size(v) == 0)
		return NULL;
	out = xcalloc(json_array_size(v), sizeof(*out));
	json_array_foreach(v, i, x)
	{
		if (!json_is_number(x)) {
			rd_bad(r, name, "not an array of numbers");
			free(out);
			return NULL;
		}
		out[i] = json_number_value(x);
	}
	*n = json_array_size(v);
	return out;
}

/* A number, or dflt when missing or null. */
double
rd_real(struct reader *r, json_t *o, const char *name, double dflt)
{
	json_t *v = json_object_get(o, name);

	if (!v || json_is_null(v))
		return dflt;
	if (json_is_number(v))
		return json_number_value(v);
	rd_bad(r, name, "not a number");
	return dflt;
}

json_t *
jv_bool(int v)
{
	return json_boolean(v);
}

json_t *
jv_object(void)
{
	return json_object();
}

json_t *
jv_list(void)
{
	return json_array();
}

/* Takes v (NULL is null); returns o. */
json_t *
jv_set(json_t *o, const char *key, json_t *v)
{
	json_object_set_new(o, key, v ? v : json_null());
	return o;
}

/* Takes v (NULL is null). */
void
jv_append(json_t *a, json_t *v)
{
	json_array_append_new(a, v ? v : json_null());
}

void
jv_free(json_t *v)
{
	json_decref(v);
}

/* v, with jansson's word on it in *e (when e is given). */
static json_t *
jv_error_set(json_t *v, struct jv_error *e, const json_error_t *jerr)
{
	if (e) {
		e->line = jerr->line;
		e->column = jerr->column;
		snprintf(e->text, sizeof(e->text), "%s", jerr->text);
	}
	return v;
}

/* An object or an array; NULL (and where and why in *e) otherwise. */
json_t *
jv_parse(const char *text, struct jv_error *e)
{
	json_error_t jerr;

	return jv_error_set(json_loads(text, 0, &jerr), e, &jerr);
}

json_t *
jv_file_load(const char *path, struct jv_error *e)
{
	json_error_t jerr;

	return jv_error_set(json_load_file(path, 0, &jerr), e, &jerr);
}

/* Two-space indented; sorted keys with JV_SORTED, else as inserted. */
char *
jv_dump(const json_t *v, int flags)
{
	return json_dumps(v,
	    (flags & JV_COMPACT ? JSON_COMPACT : JSON_INDENT(2)) |
	        (flags & JV_SORTED ? JSON_SORT_KEYS : JSON_PRESERVE_ORDER));
}

static size_t
skip_ws(const char *t, size_t len, size_t p)
{
	while (p < len &&
	    (t[p] == ' ' || t[p] == '\t' || t[p] == '\n' || t[p] == '\r'))
		p++;
	return p;
}

/* The value at t + *p (keys repeated in an object refused); *p moves past
 * it. */
static json_t *
value_at(const char *t, size_t len, size_t *p)
{
	json_error_t e;
	json_t *v;

	if (*p >= len)
		return NULL;
	v = json_loadb(t + *p, len - *p,
	    JSON_DISABLE_EOF_CHECK | JSON_DECODE_ANY | JSON_REJECT_DUPLICATES,
	    &e);
	if (v)
		*p += (size_t)e.position;
	return v;
}

/* The closing quote of the string that opens at t[p]; len when it does
 * not end. */
static size_t
string_end(const char *t, size_t len, size_t p)
{
	for (p++; p < len && t[p] != '"'; p++)
		if (t[p] == '\\')
			p++;
	return p < len ? p : len;
}

/* Past the array at t[p] without reading it: brackets counted outside
 * strings; len when it does not end. Its items are checked when read. */
static size_t
skip_array(const char *t, size_t len, size_t p)
{
	size_t depth = 0;

	for (; p < len; p++) {
		if (t[p] == '"') {
			p = string_end(t, len, p);
		} else if (t[p] == '[' || t[p] == '{') {
			depth++;
		} else if ((t[p] == ']' || t[p] == '}') && --depth == 0) {
			return p + 1;
		}
	}
	return len;
}

/* Past the value at t[p]: a string, an array or object, or a scalar. */
static size_t
skip_value(const char *t, size_t len, size_t p)
{
	if (p < len && t[p] == '"') {
		p = string_end(t, len, p);
		return p < len ? p + 1 : len;
	}
	if (p < len && (t[p] == '[' || t[p] == '{'))
		return skip_array(t, len, p);
	while (p < len && !strchr(",}] \t\n\r", t[p]))
		p++;
	return p;
}

/* t[0..len) without the white space outside its strings. */
static char *
compact(const char *t, size_t len)
{
	char *out = xmalloc(len + 1), *o = out;
	int in_string = 0;

	for (size_t p = 0; p < len; p++) {
		if (in_string) {
			*o++ = t[p];
			if (t[p] == '\\' && p + 1 < len)
				*o++ = t[++p];
			else if (t[p] == '"')
				in_string = 0;
		} else if (!strchr(" \t\n\r", t[p])) {
			in_string = t[p] == '"';
			*o++ = t[p];
		}
	}
	*o = '\0';
	/* the indentation left out is most of an indented file's text */
	return xreallocarray(out, (size_t)(o - out) + 1, 1);
}

/*
 * The text of member name of the object t[0..len), which jansson has read
 * (so it is JSON, without a repeated key), compacted; NULL when the member
 * is missing or no object, or when a key is written with escapes (it
 * might be name).
 */
static char *
member_text(const char *t, size_t len, const char *name)
{
	size_t p = skip_ws(t, len, 0), nlen = strlen(name);

	if (p >= len || t[p] != '{')
		return NULL;
	for (p++;;) {
		size_t key, kend, end;

		p = skip_ws(t, len, p);
		if (p >= len || t[p] != '"')
			return NULL; /* the end: not there */
		for (key = kend = p + 1; kend < len && t[kend] != '"'; kend++)
			if (t[kend] == '\\')
				return NULL;
		p = skip_ws(t, len, kend + 1);
		if (p >= len || t[p] != ':')
			return NULL;
		p = skip_ws(t, len, p + 1);
		end = skip_value(t, len, p);
		if (kend - key == nlen && memcmp(t + key, name, nlen) == 0)
			return t[p] == '{' ? compact(t + p, end - p) : NULL;
		p = skip_ws(t, len, end);
		if (p >= len || t[p] != ',')
			return NULL;
		p++;
	}
}

void
jv_items_of(struct jv_items *it, json_t *array)
{
	memset(it, 0, sizeof(*it));
	it->array = array;
}

json_t *
jv_outline(
    const char *t, size_t len, const char *member, struct jv_items *items)
{
	json_t *root = json_object(), *k = NULL, *v;
	size_t p = skip_ws(t, len, 0), at = SIZE_MAX, end = 0;

	if (p >= len || t[p++] != '{')
		goto bad;
	p = skip_ws(t, len, p);
	while (p < len && t[p] != '}') {
		const char *key;

		if (t[p] != '"' || !(k = value_at(t, len, &p)))
			goto bad;
		key = json_string_value(k);
		p = skip_ws(t, len, p);
		if (p >= len || t[p++] != ':' || json_object_get(root, key))
			goto bad;
		p = skip_ws(t, len, p);
		if (at == SIZE_MAX && strcmp(key, member) == 0 && p < len &&
		    t[p] == '[') {
			at = p;
			p = end = skip_array(t, len, p);
			v = json_array();
		} else if (!(v = value_at(t, len, &p))) {
			goto bad;
		}
		json_object_set_new(root, key, v);
		json_decref(k);
		k = NULL;
		p = skip_ws(t, len, p);
		if (p < len && t[p] == ',') {
			p = skip_ws(t, len, p + 1);
			if (p >= len || t[p] != '"')
				goto bad; /* a comma before the '}' */
		} else if (p >= len || t[p] != '}') {
			goto bad;
		}
	}
	if (p >= len || skip_ws(t, len, p + 1) != len)
		goto bad;
	jv_items_of(items, json_object_get(root, member));
	if (at != SIZE_MAX) {
		items->array = NULL;
		items->text = t;
		items->len = len;
		items->pos = at + 1;
		items->end = end;
	}
	return root;
bad:
	json_decref(k);
	json_decref(root);
	return NULL;
}

json_t *
jv_items_next(struct jv_items *it)
{
	size_t p;

	if (!it->text)
		return it->i < json_array_size(it->array)
		    ? json_array_get(it->array, it->i++)
		    : NULL;
	json_decref(it->cur);
	it->cur = NULL;
	p = skip_ws(it->text, it->len, it->pos);
	if (p < it->len && it->text[p] == ']') {
		it->bad = p + 1 != it->end; /* not where the outline saw it */
		return NULL;
	}
	if (it->started) {
		if (p >= it->len || it->text[p] != ',') {
			it->bad = 1;
			return NULL;
		}
		p = skip_ws(it->text, it->len, p + 1);
	}
	it->item = it->text + p;
	it->cur = value_at(it->text, it->len, &p);
	if (!it->cur) {
		it->bad = 1;
		return NULL;
	}
	it->item_len = (size_t)(it->text + p - it->item);
	it->started = 1;
	it->pos = p;
	it->i++;
	return it->cur;
}

void
jv_items_free(struct jv_items *it)
{
	json_decref(it->cur);
	it->cur = NULL;
}

int
jv_is_object(const json_t *v)
{
	return json_is_object(v);
}

int
jv_is_list(const json_t *v)
{
	return json_is_array(v);
}

size_t
jv_len(const json_t *a)
{
	return json_is_array(a) ? json_array_size(a) : 0;
}

json_t *
jv_at(const json_t *a, size_t i)
{
	return json_array_get(a, i);
}

/* The member (null included); NULL when missing or o is no object. */
json_t *
jv_get(const json_t *o, const char *key)
{
	return json_object_get(o, key);
}

int
jv_is_number(const json_t *v)
{
	return json_is_number(v);
}

/* 0 when v is not a number */
double
jv_number(const json_t *v)
{
	return json_number_value(v);
}

/* NULL when v is not a string */
const char *
jv_string(const json_t *v)
{
	return json_string_value(v);
}

/* The member's string; NULL when missing or not a string. */
const char *
jv_get_str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}
