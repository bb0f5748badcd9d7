#include <ctype.h>
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

static const char *const interp_keys[NIK] = {"id", "label", "provider",
    "optional", "env", "request", "version", "path", "source", "sha256",
    "free_threaded", "optimizations", "lto", "jit", "configure", "variant_of"};

#define P(kind) (1u << (kind))
#define P_ALL 0x1fu

/* Which providers each interpreter key applies to. */
static const unsigned interp_key_providers[NIK] = {
    [IK_ID] = P_ALL,
    [IK_LABEL] = P_ALL,
    [IK_PROVIDER] = P_ALL,
    [IK_OPTIONAL] = P_ALL,
    [IK_ENV] = P_ALL,
    [IK_REQUEST] = P(PROVIDER_UV),
    [IK_VERSION] = P(PROVIDER_PYENV),
    [IK_PATH] = P(PROVIDER_PATH),
    [IK_SOURCE] = P(PROVIDER_SOURCE),
    [IK_SHA256] = P(PROVIDER_SOURCE),
    /* a variant is the same binary as the entry it derives from */
    [IK_FREE_THREADED] = P_ALL & ~P(PROVIDER_VARIANT),
    [IK_OPTIMIZATIONS] = P(PROVIDER_SOURCE),
    [IK_LTO] = P(PROVIDER_SOURCE),
    [IK_JIT] = P(PROVIDER_SOURCE),
    [IK_CONFIGURE] = P(PROVIDER_SOURCE),
    [IK_VARIANT_OF] = P(PROVIDER_VARIANT),
};

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
check_source(struct ctx *c, const struct node *v, const char *s)
{
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
parse_configure(struct ctx *c, const struct node *v, struct interp_spec *in)
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
parse_env(struct ctx *c, const struct node *v, struct interp_spec *in)
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
parse_interp(struct ctx *c, const struct node *map, size_t index,
    struct interp_spec *in, struct interp_nodes *nodes)
{
	const struct node *seen[NIK] = {0}, *vals[NIK] = {0};
	unsigned char guessed[NIK] = {0};
	struct buf b = {0};
	char who[QUOTE_MAX * 6 + 32];
	const char *name;
	int kind = -1, k;
	size_t i;

	in->line = map->line;
	in->col = map->col;
	in->free_threaded = -1;
	/* which keys apply depends on the provider, wherever it is */
	for (i = 0; i + 1 < map->nkids; i += 2) {
		const struct node *key = map->kids[i], *v = map->kids[i + 1];

		if (key->kind == NODE_SCALAR && !strcmp(key->str, "provider") &&
		    v->kind == NODE_SCALAR) {
			kind = name_index(
			    v->str, provider_names, NELEM(provider_names));
			break;
		}
	}
	for (i = 0; i + 1 < map->nkids; i += 2) {
		const struct node *key = map->kids[i], *v = map->kids[i + 1];
		char **str = NULL;
		int *flag = NULL, allow_empty = 0;

		if ((k = key_lookup(c, key, interp_keys, NIK, seen, guessed)) <
		    0)
			continue;
		if (kind >= 0 && !(interp_key_providers[k] & P(kind))) {
			size_t p;

			for (p = 0; p < NELEM(provider_names); p++) {
				if (!(interp_key_providers[k] & P(p)))
					continue;
				if (b.len)
					buf_puts(&b, ", ");
				buf_puts(&b, provider_names[p]);
			}
			problem(c, key,
			    "%s does not apply to provider %s (it is for %s)",
			    quote(key->str), provider_names[kind], buf_str(&b));
			buf_free(&b);
			continue;
		}
		vals[k] = v;
		switch (k) {
		case IK_ID:
			if (get_str(c, "id", v, &in->id, 0) < 0)
				break;
			nodes->id = v;
			if (!valid_name(in->id))
				problem(c, v,
				    "invalid interpreter id %s (use letters, "
				    "digits and . _ + -, starting with a "
				    "letter or digit)",
				    quote(in->id));
			break;
		case IK_PROVIDER:
			name = get_choice(c, "provider", v, provider_names,
			    NELEM(provider_names), NULL);
			if (name)
				in->provider = name_index(name, provider_names,
				    NELEM(provider_names));
			break;
		case IK_LABEL:
			str = &in->label;
			break;
		case IK_REQUEST:
			if (get_str(c, "request", v, &in->request, 0) == 0 &&
			    in->request[0] == '-')
				problem(c, v,
				    "\"request\" %s starts with \"-\": a uv "
				    "request is a version such as \"3.13t\", "
				    "never an option",
				    quote(in->request));
			break;
		case IK_VERSION:
			if (get_str(c, "version", v, &in->version, 0) == 0 &&
			    !valid_pyenv_version(in->version))
				problem(c, v,
				    "\"version\" %s is not a pyenv version "
				    "(letters, digits and . _ + -, starting "
				    "with a letter or digit, no \"..\"), e.g. "
				    "\"3.13.0\"",
				    quote(in->version));
			break;
		case IK_PATH:
			str = &in->path;
			break;
		case IK_SOURCE:
			if (get_str(c, "source", v, &in->source, 0) == 0)
				check_source(c, v, in->source);
			break;
		case IK_SHA256:
			if (get_str(c, "sha256", v, &in->sha256, 0) < 0)
				break;
			if (strlen(in->sha256) != 64 ||
			    strspn(in->sha256, "0123456789abcdefABCDEF") != 64)
				problem(c, v,
				    "\"sha256\" must be 64 hexadecimal digits, "
				    "not %s",
				    quote(in->sha256));
			for (char *p = in->sha256; *p; p++)
				*p = tolower((unsigned char)*p);
			break;
		case IK_VARIANT_OF:
			if (get_str(c, "variant_of", v, &in->variant_of, 0) ==
			    0)
				nodes->variant_of = v;
			break;
		case IK_OPTIONAL:
			flag = &in->optional;
			break;
		case IK_FREE_THREADED:
			flag = &in->free_threaded;
			break;
		case IK_OPTIMIZATIONS:
			flag = &in->optimizations;
			break;
		case IK_LTO:
			flag = &in->lto;
			break;
		case IK_JIT:
			flag = &in->jit;
			break;
		case IK_CONFIGURE:
			parse_configure(c, v, in);
			break;
		case IK_ENV:
			parse_env(c, v, in);
			break;
		}
		if (str)
			get_str(c, interp_keys[k], v, str, allow_empty);
		if (flag)
			get_bool(c, interp_keys[k], v, flag);
	}

	if (!seen[IK_ID] && !guessed[IK_ID])
		problem(c, map, "interpreter %zu is missing \"id\"", index);
	interp_who(in, index, who, sizeof(who));
	if (!seen[IK_PROVIDER] && !guessed[IK_PROVIDER]) {
		names_join(&b, provider_names, NELEM(provider_names), NULL);
		problem(c, map, "%s is missing \"provider\" (expected %s)", who,
		    buf_str(&b));
		buf_free(&b);
	} else if (kind >= 0 && !seen[provider_required_key[kind]] &&
	    !guessed[provider_required_key[kind]]) {
		problem(c, map, "%s is missing %s (provider %s needs it)", who,
		    quote(interp_keys[provider_required_key[kind]]),
		    provider_names[kind]);
	}

	if (kind == PROVIDER_UV && in->request) {
		int ft = request_is_free_threaded(in->request);

		if (in->free_threaded < 0)
			in->free_threaded = ft;
		else if (ft && !in->free_threaded)
			problem(c, vals[IK_FREE_THREADED],
			    "\"free_threaded\" is false but request %s asks "
			    "for a free-threaded build",
			    quote(in->request));
	}
	if (kind == PROVIDER_SOURCE) {
		int disable_gil = 0;

		for (i = 0; i < in->nconfigure_args; i++)
			if (!strcmp(in->configure_args[i], "--disable-gil"))
				disable_gil = 1;
		if (in->free_threaded < 0)
			in->free_threaded = disable_gil;
		else if (disable_gil && !in->free_threaded)
			problem(c, vals[IK_FREE_THREADED],
			    "\"free_threaded\" is false but \"configure\" has "
			    "--disable-gil");
	}
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
