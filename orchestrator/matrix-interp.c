#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ftmatrix.h"
#include "matrix-tree.h"

static const char *const provider_names[] = {
    [PROVIDER_UV] = "uv",
    [PROVIDER_SOURCE] = "source",
    [PROVIDER_PATH] = "path",
    [PROVIDER_PYENV] = "pyenv",
    [PROVIDER_VARIANT] = "variant",
};

enum {
	IK_ID,
	IK_LABEL,
	IK_PROVIDER,
	IK_OPTIONAL,
	IK_ENV,
	IK_REQUEST,
	IK_VERSION,
	IK_PATH,
	IK_SOURCE,
	IK_SHA256,
	IK_FREE_THREADED,
	IK_OPTIMIZATIONS,
	IK_LTO,
	IK_JIT,
	IK_CONFIGURE,
	IK_VARIANT_OF,
	NIK
};

#define P(kind) (1u << (kind))
#define P_ALL 0x1fu

static const int provider_required_key[] = {
    [PROVIDER_UV] = IK_REQUEST,
    [PROVIDER_SOURCE] = IK_SOURCE,
    [PROVIDER_PATH] = IK_PATH,
    [PROVIDER_PYENV] = IK_VERSION,
    [PROVIDER_VARIANT] = IK_VARIANT_OF,
};

/* "3.13t", "cpython-3.14.0t-linux", "3.13+freethreaded": as uv spells a
 * free-threaded request. */
static int
request_is_free_threaded(const char *r)
{
	const unsigned char *p = (const unsigned char *)r;

	if (strstr(r, "freethreaded"))
		return 1;
	for (; *p; p++)
		if (isdigit(p[0]) && p[1] == 't' && !isalnum(p[2]))
			return 1;
	return 0;
}

/* A pyenv version names a directory under $PYENV_ROOT/versions: "3.13.0",
 * "3.13t", "pypy3.10-7.3.12"; never a path. */
static int
valid_pyenv_version(const char *s)
{
	return isalnum((unsigned char)s[0]) && valid_chars(s, "._+-", 0) &&
	    !strstr(s, "..");
}

static void
check_source(struct ctx *c, const struct node *v, struct interp_spec *in,
    struct interp_nodes *nodes)
{
	const char *s = in->source;
	const char *sep = strstr(s, "://");

	if (sep) {
		size_t n = sep - s;

		if ((n == 4 && !strncasecmp(s, "http", 4)) ||
		    (n == 5 && !strncasecmp(s, "https", 5)) ||
		    (n == 4 && !strncasecmp(s, "file", 4)))
			return;
		problem(c, v,
		    "\"source\" %s is not a URL ftmatrix can fetch (expected "
		    "http, https or file)",
		    quote(s));
	} else if (!strncmp(s, "debian:", 7) &&
	    !valid_chars(s + 7, ".+~-", 0)) {
		problem(c, v,
		    "\"source\" %s needs a Debian version after \"debian:\", "
		    "e.g. \"debian:3.13.15\"",
		    quote(s));
	}
}

static void
parse_configure(struct ctx *c, const struct node *v, struct interp_spec *in,
    struct interp_nodes *nodes)
{
	size_t i;

	if (v->kind == NODE_BAD)
		return;
	if (v->kind != NODE_SEQ) {
		problem(c, v,
		    "\"configure\" must be a sequence of strings, e.g. "
		    "[\"--with-pydebug\"], not %s",
		    node_describe(v));
		return;
	}
	in->configure_args = xcalloc(v->nkids, sizeof(char *));
	for (i = 0; i < v->nkids; i++) {
		const struct node *a = v->kids[i];

		if (a->kind == NODE_BAD)
			continue;
		if (a->kind != NODE_SCALAR) {
			problem(c, a, "\"configure\" must hold strings, not %s",
			    node_describe(a));
			continue;
		}
		in->configure_args[in->nconfigure_args++] = xstrdup(a->str);
	}
}

static void
parse_env(struct ctx *c, const struct node *v, struct interp_spec *in,
    struct interp_nodes *nodes)
{
	struct named *names;
	unsigned char *dup;
	size_t i, n = 0;

	if (v->kind == NODE_BAD)
		return;
	if (v->kind != NODE_MAP) {
		problem(c, v,
		    "\"env\" must be a mapping of names to strings, e.g. "
		    "{PYTHON_GIL: \"1\"}, not %s",
		    node_describe(v));
		return;
	}
	/* names[].i is the key's index among the mapping's kids */
	names = xcalloc(v->nkids / 2, sizeof(*names));
	dup = xcalloc(v->nkids, 1);
	for (i = 0; i + 1 < v->nkids; i += 2) {
		const struct node *k = v->kids[i];

		if (k->kind == NODE_BAD)
			continue;
		if (k->kind != NODE_SCALAR) {
			problem(c, k, "keys must be strings, not %s",
			    node_describe(k));
			continue;
		}
		names[n].s = k->str;
		names[n].i = i;
		n++;
	}
	mark_dups(names, n, dup);
	in->env = xcalloc(n, sizeof(*in->env));
	for (i = 0; i + 1 < v->nkids; i += 2) {
		const struct node *k = v->kids[i], *val = v->kids[i + 1];

		if (k->kind != NODE_SCALAR)
			continue;
		if (dup[i]) {
			problem(c, k, "duplicate key %s", quote(k->str));
			continue;
		}
		if (!valid_chars(k->str, "_", 0) ||
		    isdigit((unsigned char)k->str[0])) {
			problem(c, k,
			    "invalid environment variable name %s (use "
			    "letters, digits and _, not starting with a digit)",
			    quote(k->str));
			continue;
		}
		if (want_scalar(c, k->str, val, "a string") < 0)
			continue;
		in->env[in->nenv].name = xstrdup(k->str);
		in->env[in->nenv].value = xstrdup(val->str);
		in->nenv++;
	}
	free(names);
	free(dup);
}

static const char *
interp_who(const struct interp_spec *in, size_t index, char *buf, size_t size)
{
	if (in->id)
		snprintf(buf, size, "interpreter %s", quote(in->id));
	else
		snprintf(buf, size, "interpreter %zu", index);
	return buf;
}

static void
check_id(struct ctx *c, const struct node *v, struct interp_spec *in,
    struct interp_nodes *nodes)
{
	nodes->id = v;
	if (!valid_name(in->id))
		problem(c, v,
		    "invalid interpreter id %s (use letters, digits and . _ + "
		    "-, starting with a letter or digit)",
		    quote(in->id));
}

static void
parse_provider(struct ctx *c, const struct node *v, struct interp_spec *in,
    struct interp_nodes *nodes)
{
	const char *name = get_choice(
	    c, "provider", v, provider_names, NELEM(provider_names), NULL);

	if (name)
		in->provider =
		    name_index(name, provider_names, NELEM(provider_names));
}

static void
check_request(struct ctx *c, const struct node *v, struct interp_spec *in,
    struct interp_nodes *nodes)
{
	if (in->request[0] == '-')
		problem(c, v,
		    "\"request\" %s starts with \"-\": a uv request is a "
		    "version such as \"3.13t\", never an option",
		    quote(in->request));
}

static void
check_version(struct ctx *c, const struct node *v, struct interp_spec *in,
    struct interp_nodes *nodes)
{
	if (!valid_pyenv_version(in->version))
		problem(c, v,
		    "\"version\" %s is not a pyenv version (letters, digits "
		    "and . _ + -, starting with a letter or digit, no \"..\"), "
		    "e.g. \"3.13.0\"",
		    quote(in->version));
}

static void
check_sha256(struct ctx *c, const struct node *v, struct interp_spec *in,
    struct interp_nodes *nodes)
{
	if (strlen(in->sha256) != 64 ||
	    strspn(in->sha256, "0123456789abcdefABCDEF") != 64)
		problem(c, v,
		    "\"sha256\" must be 64 hexadecimal digits, not %s",
		    quote(in->sha256));
	for (char *p = in->sha256; *p; p++)
		*p = tolower((unsigned char)*p);
}

static void
note_variant_of(struct ctx *c, const struct node *v, struct interp_spec *in,
    struct interp_nodes *nodes)
{
	nodes->variant_of = v;
}

/* How an interpreter key is read: a string or a boolean stored at offset
 * (then checked, when a check is given and the value was one), or read
 * whole by its own function. */
enum field_kind { FIELD_STR, FIELD_BOOL, FIELD_OWN };

struct interp_field {
	const char *key;
	enum field_kind kind;
	size_t offset;
	void (*read)(struct ctx *c, const struct node *v,
	    struct interp_spec *in, struct interp_nodes *nodes);
	unsigned providers; /* which providers the key applies to */
};

#define STR(field) FIELD_STR, offsetof(struct interp_spec, field)
#define BOOL(field) FIELD_BOOL, offsetof(struct interp_spec, field)
#define OWN FIELD_OWN, 0

/* In IK_ order: messages name the keys in this order. */
static const struct interp_field interp_fields[NIK] = {
    [IK_ID] = {"id", STR(id), check_id, P_ALL},
    [IK_LABEL] = {"label", STR(label), NULL, P_ALL},
    [IK_PROVIDER] = {"provider", OWN, parse_provider, P_ALL},
    [IK_OPTIONAL] = {"optional", BOOL(optional), NULL, P_ALL},
    [IK_ENV] = {"env", OWN, parse_env, P_ALL},
    [IK_REQUEST] = {"request", STR(request), check_request, P(PROVIDER_UV)},
    [IK_VERSION] = {"version", STR(version), check_version, P(PROVIDER_PYENV)},
    [IK_PATH] = {"path", STR(path), NULL, P(PROVIDER_PATH)},
    [IK_SOURCE] = {"source", STR(source), check_source, P(PROVIDER_SOURCE)},
    [IK_SHA256] = {"sha256", STR(sha256), check_sha256, P(PROVIDER_SOURCE)},
    /* a variant is the same binary as the entry it derives from */
    [IK_FREE_THREADED] = {"free_threaded", BOOL(free_threaded), NULL,
        P_ALL & ~P(PROVIDER_VARIANT)},
    [IK_OPTIMIZATIONS] = {"optimizations", BOOL(optimizations), NULL,
        P(PROVIDER_SOURCE)},
    [IK_LTO] = {"lto", BOOL(lto), NULL, P(PROVIDER_SOURCE)},
    [IK_JIT] = {"jit", BOOL(jit), NULL, P(PROVIDER_SOURCE)},
    [IK_CONFIGURE] = {"configure", OWN, parse_configure, P(PROVIDER_SOURCE)},
    [IK_VARIANT_OF] = {"variant_of", STR(variant_of), note_variant_of,
        P(PROVIDER_VARIANT)},
};

#undef STR
#undef BOOL
#undef OWN

static void
field_read(struct ctx *c, const struct interp_field *f, const struct node *v,
    struct interp_spec *in, struct interp_nodes *nodes)
{
	char *at = (char *)in + f->offset;

	switch (f->kind) {
	case FIELD_STR:
		if (get_str(c, f->key, v, (char **)(void *)at, 0) == 0 &&
		    f->read)
			f->read(c, v, in, nodes);
		break;
	case FIELD_BOOL:
		get_bool(c, f->key, v, (int *)(void *)at);
		break;
	case FIELD_OWN:
		f->read(c, v, in, nodes);
		break;
	}
}

/* Which keys apply depends on the provider, wherever it is in the
 * mapping: -1 when there is none or it is not one. */
static int
interp_provider_find(const struct node *map)
{
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		const struct node *key = map->kids[i], *v = map->kids[i + 1];

		if (key->kind == NODE_SCALAR && !strcmp(key->str, "provider") &&
		    v->kind == NODE_SCALAR)
			return name_index(
			    v->str, provider_names, NELEM(provider_names));
	}
	return -1;
}

/* Reports a key the provider does not use; 0 when it applies. */
static int
field_misplaced(struct ctx *c, const struct node *key,
    const struct interp_field *f, int kind)
{
	struct buf b = {0};

	if (kind < 0 || (f->providers & P(kind)))
		return 0;
	for (size_t p = 0; p < NELEM(provider_names); p++) {
		if (!(f->providers & P(p)))
			continue;
		if (b.len)
			buf_puts(&b, ", ");
		buf_puts(&b, provider_names[p]);
	}
	problem(c, key, "%s does not apply to provider %s (it is for %s)",
	    quote(key->str), provider_names[kind], buf_str(&b));
	buf_free(&b);
	return -1;
}

static void
check_required(struct ctx *c, const struct node *map, size_t index,
    const struct interp_spec *in, int kind, const struct node *const *seen,
    const unsigned char *guessed)
{
	char who[QUOTE_MAX * 6 + 32];
	struct buf b = {0};
	int need;

	if (!seen[IK_ID] && !guessed[IK_ID])
		problem(c, map, "interpreter %zu is missing \"id\"", index);
	interp_who(in, index, who, sizeof(who));
	if (!seen[IK_PROVIDER] && !guessed[IK_PROVIDER]) {
		names_join(&b, provider_names, NELEM(provider_names), NULL);
		problem(c, map, "%s is missing \"provider\" (expected %s)", who,
		    buf_str(&b));
		buf_free(&b);
		return;
	}
	if (kind < 0)
		return;
	need = provider_required_key[kind];
	if (!seen[need] && !guessed[need])
		problem(c, map, "%s is missing %s (provider %s needs it)", who,
		    quote(interp_fields[need].key), provider_names[kind]);
}

/* free_threaded, when not given, follows from a uv request or from
 * --disable-gil; when given, it must not contradict them. */
static void
check_free_threaded(
    struct ctx *c, struct interp_spec *in, int kind, const struct node *given)
{
	int implied = 0;

	if (kind == PROVIDER_UV && in->request) {
		implied = request_is_free_threaded(in->request);
	} else if (kind == PROVIDER_SOURCE) {
		for (size_t i = 0; i < in->nconfigure_args; i++)
			if (!strcmp(in->configure_args[i], "--disable-gil"))
				implied = 1;
	} else {
		return;
	}
	if (in->free_threaded < 0)
		in->free_threaded = implied;
	else if (implied && !in->free_threaded && kind == PROVIDER_UV)
		problem(c, given,
		    "\"free_threaded\" is false but request %s asks for a "
		    "free-threaded build",
		    quote(in->request));
	else if (implied && !in->free_threaded)
		problem(c, given,
		    "\"free_threaded\" is false but \"configure\" has "
		    "--disable-gil");
}

static void
parse_interp(struct ctx *c, const struct node *map, size_t index,
    struct interp_spec *in, struct interp_nodes *nodes)
{
	const struct node *seen[NIK] = {0}, *given[NIK] = {0};
	unsigned char guessed[NIK] = {0};
	const char *keys[NIK];
	int kind = interp_provider_find(map), k;

	for (k = 0; k < NIK; k++)
		keys[k] = interp_fields[k].key;
	in->line = map->line;
	in->col = map->col;
	in->free_threaded = -1;
	for (size_t i = 0; i + 1 < map->nkids; i += 2) {
		const struct node *key = map->kids[i], *v = map->kids[i + 1];

		k = key_lookup(c, key, keys, NIK, seen, guessed);
		if (k < 0 ||
		    field_misplaced(c, key, &interp_fields[k], kind) < 0)
			continue;
		given[k] = v;
		field_read(c, &interp_fields[k], v, in, nodes);
	}
	check_required(c, map, index, in, kind, seen, guessed);
	check_free_threaded(c, in, kind, given[IK_FREE_THREADED]);
}
void
parse_interps(struct ctx *c, const struct node *v, struct matrix *m,
    struct interp_nodes **nodes)
{
	size_t i;

	if (v->kind == NODE_BAD)
		return;
	if (v->kind != NODE_SEQ) {
		problem(c, v,
		    "\"interpreters\" must be a sequence of interpreters, not "
		    "%s",
		    node_describe(v));
		return;
	}
	if (!v->nkids) {
		problem(c, v, "\"interpreters\" must not be empty");
		return;
	}
	m->interps = xcalloc(v->nkids, sizeof(*m->interps));
	*nodes = xcalloc(v->nkids, sizeof(**nodes));
	for (i = 0; i < v->nkids; i++) {
		const struct node *item = v->kids[i];

		if (item->kind == NODE_BAD)
			continue;
		if (item->kind != NODE_MAP) {
			problem(c, item,
			    "an interpreter must be a mapping with \"id\" and "
			    "\"provider\", not %s",
			    node_describe(item));
			continue;
		}
		parse_interp(c, item, i + 1, &m->interps[m->ninterps],
		    &(*nodes)[m->ninterps]);
		m->ninterps++;
	}
}

/* Cross-entry checks: unique ids, variants of real entries, a baseline that
 * exists. */
void
check_interps(struct ctx *c, struct matrix *m, const struct interp_nodes *nodes,
    const struct node *baseline_key)
{
	struct named *ids = xcalloc(m->ninterps, sizeof(*ids));
	unsigned char *dup = xcalloc(m->ninterps, 1);
	const struct named *found;
	size_t i, n = 0;

	for (i = 0; i < m->ninterps; i++) {
		if (!m->interps[i].id)
			continue;
		ids[n].s = m->interps[i].id;
		ids[n].i = i;
		n++;
	}
	mark_dups(ids, n, dup);
	for (i = 0; i < m->ninterps; i++)
		if (dup[i])
			problem(c, nodes[i].id, "duplicate interpreter id %s",
			    quote(m->interps[i].id));
	for (i = 0; i < m->ninterps; i++) {
		const struct interp_spec *in = &m->interps[i];

		if (in->provider != PROVIDER_VARIANT || !in->variant_of)
			continue;
		found = bsearch(
		    in->variant_of, ids, n, sizeof(*ids), named_find_cmp);
		if (!found)
			problem(c, nodes[i].variant_of,
			    "variant_of %s is not an interpreter of this "
			    "matrix",
			    quote(in->variant_of));
		else if (m->interps[found->i].provider == PROVIDER_VARIANT)
			problem(c, nodes[i].variant_of,
			    "variant_of %s is itself a variant (a variant "
			    "derives from an entry with another provider)",
			    quote(in->variant_of));
	}
	if (baseline_key && m->baseline &&
	    !bsearch(m->baseline, ids, n, sizeof(*ids), named_find_cmp))
		problem(c, baseline_key,
		    "baseline %s is not an interpreter of this matrix",
		    quote(m->baseline));
	free(ids);
	free(dup);
}

const char *
provider_name(enum provider_kind kind)
{
	if ((unsigned)kind < NELEM(provider_names))
		return provider_names[kind];
	return "unknown";
}

const struct interp_spec *
matrix_interp(const struct matrix *m, const char *id)
{
	size_t i;

	if (!id)
		return NULL;
	for (i = 0; i < m->ninterps; i++)
		if (m->interps[i].id && !strcmp(m->interps[i].id, id))
			return &m->interps[i];
	return NULL;
}
