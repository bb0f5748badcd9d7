#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "ftmatrix.h"

/* Limits that keep hostile input (a remote matrix, say) cheap to reject. */
#define MATRIX_MAX_BYTES (1024 * 1024)
#define MATRIX_MAX_DEPTH 32
#define MATRIX_MAX_NODES 100000
#define QUOTE_MAX 64

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

enum node_kind { NODE_BAD, NODE_SCALAR, NODE_SEQ, NODE_MAP };

/* The document as a tree; NODE_BAD stands in for what was already reported
 * (an alias, a string with NUL in it) so mappings keep key/value pairs. */
struct node {
	enum node_kind kind;
	int line, col;
	char *str;
	struct node **kids; /* a mapping's are key, value, key, value, ... */
	size_t nkids, cap;
};

struct problem {
	int line, col;
	size_t seq;
	char *msg;
};

struct ctx {
	const char *file;
	struct problem *problems;
	size_t nproblems, problems_cap;
	size_t nnodes;
};

struct named {
	const char *s;
	size_t i;
};

static const char *const provider_names[] = {
	[PROVIDER_UV] = "uv",
	[PROVIDER_SOURCE] = "source",
	[PROVIDER_PATH] = "path",
	[PROVIDER_PYENV] = "pyenv",
	[PROVIDER_VARIANT] = "variant",
};

static const char *const engine_names[] = {
	"threads", "processes", "executor-threads", "executor-processes"};

static const char *const scaling_names[] = {"weak", "strong"};

enum {
	TK_NAME, TK_DESCRIPTION, TK_BASELINE, TK_INTERPRETERS, TK_WORKLOADS,
	TK_ENGINES, TK_THREADS, TK_REPETITIONS, TK_SAMPLES, TK_WARMUP,
	TK_ITERATIONS, TK_SCALING, TK_TIMEOUT, NTK
};

static const char *const top_keys[NTK] = {"name", "description", "baseline",
    "interpreters", "workloads", "engines", "threads", "repetitions",
    "samples", "warmup", "iterations", "scaling", "timeout"};

enum {
	IK_ID, IK_LABEL, IK_PROVIDER, IK_OPTIONAL, IK_ENV, IK_REQUEST,
	IK_VERSION, IK_PATH, IK_SOURCE, IK_SHA256, IK_FREE_THREADED,
	IK_OPTIMIZATIONS, IK_LTO, IK_JIT, IK_CONFIGURE, IK_VARIANT_OF, NIK
};

static const char *const interp_keys[NIK] = {"id", "label", "provider",
    "optional", "env", "request", "version", "path", "source", "sha256",
    "free_threaded", "optimizations", "lto", "jit", "configure",
    "variant_of"};

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

static void
vproblem_at(struct ctx *c, int line, int col, const char *fmt, va_list ap)
{
	struct problem *p;
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		fatal("out of memory");
	if (c->nproblems == c->problems_cap) {
		c->problems_cap = c->problems_cap ? 2 * c->problems_cap : 16;
		c->problems = xreallocarray(c->problems, c->problems_cap,
		    sizeof(*c->problems));
	}
	p = &c->problems[c->nproblems];
	p->line = line;
	p->col = col;
	p->seq = c->nproblems++;
	p->msg = msg;
}

static void __attribute__((format(printf, 4, 5)))
problem_at(struct ctx *c, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem_at(c, line, col, fmt, ap);
	va_end(ap);
}

static void __attribute__((format(printf, 3, 4)))
problem(struct ctx *c, const struct node *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem_at(c, n->line, n->col, fmt, ap);
	va_end(ap);
}

static int
problem_cmp(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Prints the problems in file order; returns how many there were. */
static int
problems_flush(struct ctx *c)
{
	size_t i;
	int n = (int)c->nproblems;

	if (c->nproblems)
		qsort(c->problems, c->nproblems, sizeof(*c->problems),
		    problem_cmp);
	for (i = 0; i < c->nproblems; i++) {
		error("%s:%d:%d: %s", c->file, c->problems[i].line,
		    c->problems[i].col, c->problems[i].msg);
		free(c->problems[i].msg);
	}
	free(c->problems);
	c->problems = NULL;
	c->nproblems = c->problems_cap = 0;
	return n;
}

/* A value quoted for a message: escaped, so a hostile matrix cannot send
 * terminal control sequences, and cut short. Four calls may be live. */
static const char *
q(const char *s)
{
	static char ring[4][QUOTE_MAX * 6 + 8];
	static unsigned next;
	char *out = ring[next++ % 4], *o = out;
	const unsigned char *p = (const unsigned char *)s;
	size_t shown = 0, n, k;

	*o++ = '"';
	for (; *p; shown++) {
		if (shown == QUOTE_MAX) {
			memcpy(o, "...", 3);
			o += 3;
			break;
		}
		if (*p == '"' || *p == '\\') {
			*o++ = '\\';
			*o++ = *p++;
		} else if (*p == '\n') {
			memcpy(o, "\\n", 2);
			o += 2;
			p++;
		} else if (*p == '\t') {
			memcpy(o, "\\t", 2);
			o += 2;
			p++;
		} else if (*p < 0x20 || *p == 0x7f) {
			o += sprintf(o, "\\x%02x", *p++);
		} else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f) {
			o += sprintf(o, "\\u%04x", p[1]);
			p += 2;
		} else if (*p < 0x80) {
			*o++ = *p++;
		} else {
			n = *p >= 0xf0 ? 4 : *p >= 0xe0 ? 3 : 2;
			*o++ = *p++;
			for (k = 1; k < n && (*p & 0xc0) == 0x80; k++)
				*o++ = *p++;
		}
	}
	*o++ = '"';
	*o = '\0';
	return out;
}

static const char *
describe(const struct node *n)
{
	switch (n->kind) {
	case NODE_SCALAR:
		return q(n->str);
	case NODE_SEQ:
		return "a sequence";
	case NODE_MAP:
		return "a mapping";
	default:
		return "an invalid value";
	}
}

static void
join(struct buf *b, const char *const *names, size_t n, const char *last)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_puts(b, i + 1 == n && last ? last : ", ");
		buf_puts(b, names[i]);
	}
}

static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[65], i, j;

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

static int
lookup(const char *s, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return (int)i;
	return -1;
}

/* The index of a mapping key among names, or -1 after reporting why not.
 * A misspelt key sets guessed[] (when given), so that the key it was meant
 * to be is not also reported missing. */
static int
key_lookup(struct ctx *c, const struct node *key, const char *const *names,
    size_t n, const struct node **seen, unsigned char *guessed)
{
	size_t best_i = 0;
	const char *best = NULL;
	size_t i, d, best_d = SIZE_MAX;
	struct buf b = {0};
	int k;

	if (key->kind == NODE_BAD)
		return -1;
	if (key->kind != NODE_SCALAR) {
		problem(c, key, "keys must be strings, not %s", describe(key));
		return -1;
	}
	if ((k = lookup(key->str, names, n)) >= 0) {
		if (seen[k]) {
			problem(c, key, "duplicate key %s", q(key->str));
			return -1;
		}
		seen[k] = key;
		return k;
	}
	for (i = 0; i < n; i++) {
		d = edit_distance(key->str, names[i]);
		if (d < best_d) {
			best_d = d;
			best = names[i];
			best_i = i;
		}
	}
	if (best && best_d <= 2 && best_d < strlen(best)) {
		problem(c, key, "unknown key %s (did you mean %s?)", q(key->str),
		    q(best));
		if (guessed)
			guessed[best_i] = 1;
	} else {
		join(&b, names, n, NULL);
		problem(c, key, "unknown key %s (expected %s)", q(key->str),
		    buf_str(&b));
		buf_free(&b);
	}
	return -1;
}

/* A scalar, or a problem saying what was expected instead. */
static int
want_scalar(struct ctx *c, const char *what, const struct node *v,
    const char *expected)
{
	if (v->kind == NODE_BAD)
		return -1;
	if (v->kind != NODE_SCALAR) {
		problem(c, v, "%s must be %s, not %s", q(what), expected,
		    describe(v));
		return -1;
	}
	return 0;
}

static int
get_str(struct ctx *c, const char *what, const struct node *v, char **out,
    int allow_empty)
{
	if (want_scalar(c, what, v, "a string") < 0)
		return -1;
	if (!allow_empty && !*v->str) {
		problem(c, v, "%s must not be empty", q(what));
		return -1;
	}
	free(*out);
	*out = xstrdup(v->str);
	return 0;
}

static int
get_bool(struct ctx *c, const char *what, const struct node *v, int *out)
{
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes",
	    "YES"};
	static const char *const no[] = {"false", "False", "FALSE", "no", "No",
	    "NO"};

	if (want_scalar(c, what, v, "true or false") < 0)
		return -1;
	if (lookup(v->str, yes, NELEM(yes)) >= 0)
		*out = 1;
	else if (lookup(v->str, no, NELEM(no)) >= 0)
		*out = 0;
	else {
		problem(c, v, "%s must be true or false, not %s", q(what),
		    q(v->str));
		return -1;
	}
	return 0;
}

/* Plain base-10 only: no 0x, no 1_000, no leading zeros (YAML 1.1 would
 * read 010 as 8). */
static int
get_int(struct ctx *c, const char *what, const struct node *v, long long lo,
    long long hi, long long *out)
{
	char expected[96];
	const char *s, *p;
	long long x;

	snprintf(expected, sizeof(expected), "an integer between %lld and %lld",
	    lo, hi);
	if (want_scalar(c, what, v, expected) < 0)
		return -1;
	s = v->str;
	p = s + (*s == '-');
	if (!isdigit((unsigned char)*p) || (p[0] == '0' && p[1]))
		goto bad;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p))
			goto bad;
	errno = 0;
	x = strtoll(s, NULL, 10);
	if (errno || x < lo || x > hi)
		goto bad;
	*out = x;
	return 0;
bad:
	problem(c, v, "%s must be %s, not %s", q(what), expected, q(v->str));
	return -1;
}

static void
set_int(struct ctx *c, const char *what, const struct node *v, long long lo,
    long long hi, int *out)
{
	long long x;

	if (get_int(c, what, v, lo, hi, &x) == 0)
		*out = (int)x;
}

static const char *
get_choice(struct ctx *c, const char *what, const struct node *v,
    const char *const *names, size_t n, const char *last)
{
	struct buf b = {0};
	int k;

	if (want_scalar(c, what, v, "a string") < 0)
		return NULL;
	if ((k = lookup(v->str, names, n)) >= 0)
		return names[k];
	join(&b, names, n, last);
	problem(c, v, "unknown %s %s (expected %s)", what, q(v->str),
	    buf_str(&b));
	buf_free(&b);
	return NULL;
}

static int
named_cmp(const void *a, const void *b)
{
	const struct named *x = a, *y = b;
	int r = strcmp(x->s, y->s);

	if (r)
		return r;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int
named_find_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct named *)elem)->s);
}

/* Sorts v by name and flags dup[i] for every repeat after the first; by
 * sorting, so that a huge hostile list costs n log n. */
static void
mark_dups(struct named *v, size_t n, unsigned char *dup)
{
	size_t k;

	if (!n)
		return;
	qsort(v, n, sizeof(*v), named_cmp);
	for (k = 1; k < n; k++)
		if (!strcmp(v[k].s, v[k - 1].s))
			dup[v[k].i] = 1;
}

static int
valid_chars(const char *s, const char *extra, int lower_only)
{
	const unsigned char *p = (const unsigned char *)s;

	if (!*p)
		return 0;
	for (; *p; p++) {
		if (*p >= 0x80)
			return 0;
		if (isdigit(*p) || (*p && strchr(extra, *p)))
			continue;
		if (lower_only ? !islower(*p) : !isalpha(*p))
			return 0;
	}
	return 1;
}

/* Ids and matrix names end up in file names: no '/', no "..". */
static int
valid_name(const char *s)
{
	return valid_chars(s, "._+-", 0) && isalnum((unsigned char)s[0]);
}

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
		    q(s));
	} else if (!strncmp(s, "debian:", 7) &&
	    !valid_chars(s + 7, ".+~-", 0)) {
		problem(c, v,
		    "\"source\" %s needs a Debian version after \"debian:\", "
		    "e.g. \"debian:3.13.15\"",
		    q(s));
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
		    describe(v));
		return;
	}
	in->configure_args = xcalloc(v->nkids, sizeof(char *));
	for (i = 0; i < v->nkids; i++) {
		const struct node *a = v->kids[i];

		if (a->kind == NODE_BAD)
			continue;
		if (a->kind != NODE_SCALAR) {
			problem(c, a, "\"configure\" must hold strings, not %s",
			    describe(a));
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
		    describe(v));
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
			    describe(k));
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
			problem(c, k, "duplicate key %s", q(k->str));
			continue;
		}
		if (!valid_chars(k->str, "_", 0) ||
		    isdigit((unsigned char)k->str[0])) {
			problem(c, k,
			    "invalid environment variable name %s (use "
			    "letters, digits and _, not starting with a digit)",
			    q(k->str));
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

/* Where an interpreter's id and variant_of were, for checks that need
 * every entry. */
struct interp_nodes {
	const struct node *id, *variant_of;
};

static const char *
interp_who(const struct interp_spec *in, size_t index, char *buf,
    size_t size)
{
	if (in->id)
		snprintf(buf, size, "interpreter %s", q(in->id));
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
			kind = lookup(v->str, provider_names,
			    NELEM(provider_names));
			break;
		}
	}
	for (i = 0; i + 1 < map->nkids; i += 2) {
		const struct node *key = map->kids[i], *v = map->kids[i + 1];
		char **str = NULL;
		int *flag = NULL, allow_empty = 0;

		if ((k = key_lookup(c, key, interp_keys, NIK, seen, guessed)) < 0)
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
			    q(key->str), provider_names[kind], buf_str(&b));
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
				    q(in->id));
			break;
		case IK_PROVIDER:
			name = get_choice(c, "provider", v, provider_names,
			    NELEM(provider_names), NULL);
			if (name)
				in->provider = lookup(name, provider_names,
				    NELEM(provider_names));
			break;
		case IK_LABEL:
			str = &in->label;
			break;
		case IK_REQUEST:
			str = &in->request;
			break;
		case IK_VERSION:
			str = &in->version;
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
				    q(in->sha256));
			for (char *p = in->sha256; *p; p++)
				*p = tolower((unsigned char)*p);
			break;
		case IK_VARIANT_OF:
			if (get_str(c, "variant_of", v, &in->variant_of, 0) == 0)
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
		join(&b, provider_names, NELEM(provider_names), NULL);
		problem(c, map, "%s is missing \"provider\" (expected %s)", who,
		    buf_str(&b));
		buf_free(&b);
	} else if (kind >= 0 && !seen[provider_required_key[kind]] &&
	    !guessed[provider_required_key[kind]]) {
		problem(c, map, "%s is missing %s (provider %s needs it)", who,
		    q(interp_keys[provider_required_key[kind]]),
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
			    q(in->request));
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

static void
parse_interps(struct ctx *c, const struct node *v, struct matrix *m,
    struct interp_nodes **nodes)
{
	size_t i;

	if (v->kind == NODE_BAD)
		return;
	if (v->kind != NODE_SEQ) {
		problem(c, v,
		    "\"interpreters\" must be a sequence of interpreters, not %s",
		    describe(v));
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
			    describe(item));
			continue;
		}
		parse_interp(c, item, i + 1, &m->interps[m->ninterps],
		    &(*nodes)[m->ninterps]);
		m->ninterps++;
	}
}

/* Cross-entry checks: unique ids, variants of real entries, a baseline that
 * exists. */
static void
check_interps(struct ctx *c, struct matrix *m,
    const struct interp_nodes *nodes, const struct node *baseline_key)
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
			    q(m->interps[i].id));
	for (i = 0; i < m->ninterps; i++) {
		const struct interp_spec *in = &m->interps[i];

		if (in->provider != PROVIDER_VARIANT || !in->variant_of)
			continue;
		found = bsearch(in->variant_of, ids, n, sizeof(*ids),
		    named_find_cmp);
		if (!found)
			problem(c, nodes[i].variant_of,
			    "variant_of %s is not an interpreter of this matrix",
			    q(in->variant_of));
		else if (m->interps[found->i].provider == PROVIDER_VARIANT)
			problem(c, nodes[i].variant_of,
			    "variant_of %s is itself a variant (a variant "
			    "derives from an entry with another provider)",
			    q(in->variant_of));
	}
	if (baseline_key && m->baseline &&
	    !bsearch(m->baseline, ids, n, sizeof(*ids), named_find_cmp))
		problem(c, baseline_key,
		    "baseline %s is not an interpreter of this matrix",
		    q(m->baseline));
	free(ids);
	free(dup);
}

static void
parse_workload(struct ctx *c, const struct node *item, struct matrix *m)
{
	struct workload_spec *w = &m->workloads[m->nworkloads];
	static const char *const keys[] = {"name", "iterations"};
	const struct node *seen[2] = {0}, *name = NULL;
	long long x;
	size_t i;

	w->line = item->line;
	w->col = item->col;
	if (item->kind == NODE_SCALAR) {
		name = item;
	} else if (item->kind == NODE_MAP) {
		for (i = 0; i + 1 < item->nkids; i += 2) {
			const struct node *v = item->kids[i + 1];

			switch (key_lookup(c, item->kids[i], keys, 2, seen, NULL)) {
			case 0:
				if (want_scalar(c, "name", v, "a string") == 0)
					name = v;
				break;
			case 1:
				if (get_int(c, "iterations", v, 1,
					1000000000000LL, &x) == 0)
					w->iterations = (long)x;
				break;
			}
		}
		if (!seen[0])
			problem(c, item, "workload is missing \"name\"");
	} else {
		problem(c, item,
		    "a workload must be a name or a mapping {name: ..., "
		    "iterations: ...}, not %s",
		    describe(item));
	}
	if (!name)
		return;
	if (!valid_chars(name->str, "_", 1)) {
		problem(c, name,
		    "invalid workload name %s (use lowercase letters, digits "
		    "and _)",
		    q(name->str));
		return;
	}
	w->name = xstrdup(name->str);
	m->nworkloads++;
}

static void
parse_workloads(struct ctx *c, const struct node *v, struct matrix *m)
{
	struct named *names;
	unsigned char *dup;
	size_t i;

	if (v->kind == NODE_BAD)
		return;
	if (v->kind != NODE_SEQ) {
		problem(c, v,
		    "\"workloads\" must be a sequence of workload names, not %s",
		    describe(v));
		return;
	}
	if (!v->nkids) {
		problem(c, v, "\"workloads\" must not be empty");
		return;
	}
	m->workloads = xcalloc(v->nkids, sizeof(*m->workloads));
	for (i = 0; i < v->nkids; i++)
		if (v->kids[i]->kind != NODE_BAD)
			parse_workload(c, v->kids[i], m);
	names = xcalloc(m->nworkloads, sizeof(*names));
	dup = xcalloc(m->nworkloads, 1);
	for (i = 0; i < m->nworkloads; i++) {
		names[i].s = m->workloads[i].name;
		names[i].i = i;
	}
	mark_dups(names, m->nworkloads, dup);
	for (i = 0; i < m->nworkloads; i++)
		if (dup[i])
			problem_at(c, m->workloads[i].line, m->workloads[i].col,
			    "duplicate workload %s", q(m->workloads[i].name));
	free(names);
	free(dup);
}

/* The items of a list value; a lone scalar counts as a list of one. */
static int
list_items(struct ctx *c, const char *what, struct node *const *vp,
    const char *expected, struct node *const **items, size_t *n)
{
	const struct node *v = *vp;

	if (v->kind == NODE_BAD)
		return -1;
	if (v->kind == NODE_SCALAR) {
		*items = vp;
		*n = 1;
		return 0;
	}
	if (v->kind != NODE_SEQ) {
		problem(c, v, "%s must be %s, not %s", q(what), expected,
		    describe(v));
		return -1;
	}
	if (!v->nkids) {
		problem(c, v, "%s must not be empty", q(what));
		return -1;
	}
	*items = v->kids;
	*n = v->nkids;
	return 0;
}

static void
parse_engines(struct ctx *c, struct node *v, struct matrix *m)
{
	struct node *const *items;
	const char *name;
	size_t i, n;
	int seen[NELEM(engine_names)] = {0}, k;

	if (list_items(c, "engines", &v, "a sequence of engine names", &items,
		&n) < 0)
		return;
	m->engines = xcalloc(n, sizeof(char *));
	for (i = 0; i < n; i++) {
		name = get_choice(c, "engine", items[i], engine_names,
		    NELEM(engine_names), NULL);
		if (!name)
			continue;
		k = lookup(name, engine_names, NELEM(engine_names));
		if (seen[k]++) {
			problem(c, items[i], "duplicate engine %s", q(name));
			continue;
		}
		m->engines[m->nengines++] = xstrdup(name);
	}
}

static void
parse_threads(struct ctx *c, struct node *v, struct matrix *m)
{
	struct node *const *items;
	unsigned char seen[1025] = {0};
	long long x;
	size_t i, n;

	if (list_items(c, "threads", &v, "a sequence of thread counts", &items,
		&n) < 0)
		return;
	m->threads = xcalloc(n, sizeof(int));
	for (i = 0; i < n; i++) {
		if (get_int(c, "threads", items[i], 1, 1024, &x) < 0)
			continue;
		if (seen[x]++) {
			problem(c, items[i], "duplicate thread count %lld", x);
			continue;
		}
		m->threads[m->nthreads++] = (int)x;
	}
}

static void
parse_timeout(struct ctx *c, const struct node *v, struct matrix *m)
{
	static const char expected[] =
	    "a number of seconds greater than 0 and at most 86400";
	const char *s;
	char *end;
	double x;

	if (want_scalar(c, "timeout", v, expected) < 0)
		return;
	s = v->str;
	/* strtod alone would take "inf", "nan" and hex */
	if (!*s || strspn(s, "0123456789.eE+-") != strlen(s))
		goto bad;
	errno = 0;
	x = strtod(s, &end);
	if (errno || *end || !isfinite(x) || x <= 0 || x > 86400)
		goto bad;
	m->timeout_s = x;
	return;
bad:
	problem(c, v, "\"timeout\" must be %s, not %s", expected, q(s));
}

static char *
name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	char *name;
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".yaml"))
		n -= 5;
	else if (n > 4 && !strcmp(base + n - 4, ".yml"))
		n -= 4;
	name = xstrndup(base, n);
	if (valid_name(name))
		return name;
	free(name);
	return xstrdup("matrix");
}

static void
check_matrix(struct ctx *c, const struct node *root, struct matrix *m)
{
	const struct node *seen[NTK] = {0};
	unsigned char guessed[NTK] = {0};
	struct interp_nodes *nodes = NULL;
	const char *name;
	long long x;
	size_t i;

	for (i = 0; i + 1 < root->nkids; i += 2) {
		struct node *v = root->kids[i + 1];

		switch (key_lookup(c, root->kids[i], top_keys, NTK, seen, guessed)) {
		case TK_NAME:
			if (get_str(c, "name", v, &m->name, 0) == 0 &&
			    !valid_name(m->name))
				problem(c, v,
				    "invalid matrix name %s (use letters, "
				    "digits and . _ + -, starting with a "
				    "letter or digit)",
				    q(m->name));
			break;
		case TK_DESCRIPTION:
			get_str(c, "description", v, &m->description, 1);
			break;
		case TK_BASELINE:
			get_str(c, "baseline", v, &m->baseline, 0);
			break;
		case TK_INTERPRETERS:
			parse_interps(c, v, m, &nodes);
			break;
		case TK_WORKLOADS:
			parse_workloads(c, v, m);
			break;
		case TK_ENGINES:
			parse_engines(c, v, m);
			break;
		case TK_THREADS:
			parse_threads(c, v, m);
			break;
		case TK_REPETITIONS:
			set_int(c, "repetitions", v, 1, 10000, &m->repetitions);
			break;
		case TK_SAMPLES:
			set_int(c, "samples", v, 1, 100000, &m->samples);
			break;
		case TK_WARMUP:
			set_int(c, "warmup", v, 0, 10000, &m->warmup);
			break;
		case TK_ITERATIONS:
			if (get_int(c, "iterations", v, 1, 1000000000000LL,
				&x) == 0)
				m->iterations = (long)x;
			break;
		case TK_SCALING:
			name = get_choice(c, "scaling", v, scaling_names,
			    NELEM(scaling_names), " or ");
			if (name) {
				free(m->scaling);
				m->scaling = xstrdup(name);
			}
			break;
		case TK_TIMEOUT:
			parse_timeout(c, v, m);
			break;
		}
	}
	if (!seen[TK_INTERPRETERS] && !guessed[TK_INTERPRETERS])
		problem(c, root,
		    "the matrix is missing \"interpreters\" (a sequence of "
		    "interpreters to compare)");
	if (!seen[TK_WORKLOADS] && !guessed[TK_WORKLOADS])
		problem(c, root,
		    "the matrix is missing \"workloads\" (a sequence of "
		    "workload names)");
	/* without interpreters, every baseline would be wrong */
	check_interps(c, m, nodes,
	    seen[TK_INTERPRETERS] ? seen[TK_BASELINE] : NULL);
	free(nodes);
	if (!seen[TK_ENGINES]) {
		m->engines = xcalloc(1, sizeof(char *));
		m->engines[m->nengines++] = xstrdup("threads");
	}
	if (!seen[TK_THREADS]) {
		m->threads = xcalloc(2, sizeof(int));
		m->threads[m->nthreads++] = 1;
		m->threads[m->nthreads++] = 2;
	}
}

static void
node_free(struct node *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->nkids; i++)
		node_free(n->kids[i]);
	free(n->kids);
	free(n->str);
	free(n);
}

static struct node *
node_new(struct ctx *c, enum node_kind kind, yaml_mark_t mark)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->line = (int)mark.line + 1;
	n->col = (int)mark.column + 1;
	c->nnodes++;
	return n;
}

static void
node_add(struct node *parent, struct node *kid)
{
	if (parent->nkids == parent->cap) {
		parent->cap = parent->cap ? 2 * parent->cap : 4;
		parent->kids = xreallocarray(parent->kids, parent->cap,
		    sizeof(*parent->kids));
	}
	parent->kids[parent->nkids++] = kid;
}

/* Escapes in quoted scalars can make any character; C strings cannot hold
 * NUL, and labels end up in SVG and terminals, which want no controls. */
static int
has_control(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < len; i++) {
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
			p[i] != '\r') ||
		    p[i] == 0x7f)
			return 1;
		if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f)
			return 1;
	}
	return 0;
}

/* libyaml's reader errors carry a byte offset, not a mark. */
static void
offset_position(const char *text, size_t len, size_t offset, int *line,
    int *col)
{
	size_t i;

	*line = *col = 1;
	i = len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3) ? 3 : 0;
	for (; i < offset && i < len; i++) {
		if (text[i] == '\n') {
			++*line;
			*col = 1;
		} else if (((unsigned char)text[i] & 0xc0) != 0x80) {
			++*col;
		}
	}
}

static void
yaml_problem(struct ctx *c, const yaml_parser_t *p, const char *text,
    size_t len)
{
	int line, col;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		problem_at(c, 1, 1, "out of memory while reading YAML");
		break;
	case YAML_READER_ERROR:
		offset_position(text, len, p->problem_offset, &line, &col);
		if (p->problem_value != -1)
			problem_at(c, line, col, "%s (0x%02x)", p->problem,
			    (unsigned)p->problem_value);
		else
			problem_at(c, line, col, "%s", p->problem);
		break;
	default:
		line = (int)p->problem_mark.line + 1;
		col = (int)p->problem_mark.column + 1;
		if (p->context)
			problem_at(c, line, col, "%s (%s at %d:%d)",
			    p->problem ? p->problem : "syntax error",
			    p->context, (int)p->context_mark.line + 1,
			    (int)p->context_mark.column + 1);
		else
			problem_at(c, line, col, "%s",
			    p->problem ? p->problem : "syntax error");
		break;
	}
}

/* Builds the tree from libyaml's events. Returns -1 when the text is not a
 * YAML document we can check (syntax, nesting, size), after reporting. */
static int
tree_build(struct ctx *c, const char *text, size_t len, struct node **root)
{
	struct node *stack[MATRIX_MAX_DEPTH], *n;
	yaml_parser_t p;
	yaml_event_t ev;
	yaml_mark_t mark;
	int depth = 0, docs = 0, rc = 0, done = 0;
	enum node_kind kind;

	*root = NULL;
	/* libyaml would decode UTF-16, but the text is kept as UTF-8 */
	if (len >= 2 && (!memcmp(text, "\xff\xfe", 2) ||
			    !memcmp(text, "\xfe\xff", 2))) {
		problem_at(c, 1, 1, "the matrix must be UTF-8, not UTF-16");
		return -1;
	}
	if (!yaml_parser_initialize(&p))
		fatal("out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (!done && rc == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_problem(c, &p, text, len);
			rc = -1;
			break;
		}
		mark = ev.start_mark;
		n = NULL;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1) {
				problem_at(c, (int)mark.line + 1,
				    (int)mark.column + 1,
				    "a matrix is one YAML document, this is a "
				    "second one");
				rc = -1;
			}
			break;
		case YAML_ALIAS_EVENT:
			problem_at(c, (int)mark.line + 1, (int)mark.column + 1,
			    "aliases are not allowed in a matrix");
			n = node_new(c, NODE_BAD, mark);
			break;
		case YAML_SCALAR_EVENT:
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			if ((ev.type == YAML_SCALAR_EVENT &&
				ev.data.scalar.anchor) ||
			    (ev.type == YAML_SEQUENCE_START_EVENT &&
				ev.data.sequence_start.anchor) ||
			    (ev.type == YAML_MAPPING_START_EVENT &&
				ev.data.mapping_start.anchor))
				problem_at(c, (int)mark.line + 1,
				    (int)mark.column + 1,
				    "anchors are not allowed in a matrix");
			if (ev.type == YAML_SCALAR_EVENT) {
				kind = NODE_SCALAR;
				if (has_control((char *)ev.data.scalar.value,
					ev.data.scalar.length)) {
					problem_at(c, (int)mark.line + 1,
					    (int)mark.column + 1,
					    "control characters are not "
					    "allowed in a matrix");
					kind = NODE_BAD;
				}
				n = node_new(c, kind, mark);
				if (kind == NODE_SCALAR)
					n->str = xstrndup(
					    (char *)ev.data.scalar.value,
					    ev.data.scalar.length);
				break;
			}
			if (depth == MATRIX_MAX_DEPTH) {
				problem_at(c, (int)mark.line + 1,
				    (int)mark.column + 1,
				    "nesting too deep (a matrix has at most "
				    "%d levels)",
				    MATRIX_MAX_DEPTH);
				rc = -1;
				break;
			}
			n = node_new(c, ev.type == YAML_MAPPING_START_EVENT
				? NODE_MAP : NODE_SEQ, mark);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		if (n) {
			if (depth)
				node_add(stack[depth - 1], n);
			else if (!*root)
				*root = n;
			else
				node_free(n); /* cannot happen: one document */
			if (n->kind == NODE_MAP || n->kind == NODE_SEQ)
				stack[depth++] = n;
		}
		if (rc == 0 && c->nnodes > MATRIX_MAX_NODES) {
			problem_at(c, (int)mark.line + 1, (int)mark.column + 1,
			    "too many values (a matrix has at most %d)",
			    MATRIX_MAX_NODES);
			rc = -1;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	return rc;
}

int
matrix_parse(const char *name, const char *text, size_t len,
    struct matrix *m)
{
	struct ctx c = {0};
	struct node *root = NULL;

	memset(m, 0, sizeof(*m));
	c.file = name ? name : "matrix";
	m->path = xstrdup(c.file);
	m->text = xmalloc(len + 1);
	if (len)
		memcpy(m->text, text, len);
	m->text[len] = '\0';
	m->repetitions = 3;
	m->samples = 5;
	m->warmup = 1;
	m->iterations = 100000;
	m->timeout_s = 600;

	if (len > MATRIX_MAX_BYTES)
		problem_at(&c, 1, 1, "file too large (a matrix is at most 1 MiB)");
	else if (tree_build(&c, m->text, len, &root) == 0) {
		if (!root || root->kind != NODE_MAP)
			problem_at(&c, 1, 1,
			    "the matrix must be a mapping with "
			    "\"interpreters\" and \"workloads\"");
		else
			check_matrix(&c, root, m);
	}
	node_free(root);
	if (!m->name)
		m->name = name_from_path(c.file);
	if (!m->scaling)
		m->scaling = xstrdup("weak");
	return problems_flush(&c);
}

int
matrix_load(const char *path, struct matrix *m)
{
	struct buf b = {0};
	struct stat st;
	char chunk[65536];
	ssize_t n;
	int fd, rc;

	memset(m, 0, sizeof(*m));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error("cannot read %s: %s", path, strerror(errno));
		goto fail;
	}
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		error("cannot read %s: it is a directory", path);
		goto fail;
	}
	/* bounded, so /dev/zero or a huge file cannot fill memory */
	while (b.len <= MATRIX_MAX_BYTES) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error("cannot read %s: %s", path, strerror(errno));
			goto fail;
		}
		buf_add(&b, chunk, n);
	}
	if (b.len > MATRIX_MAX_BYTES) {
		error("%s: file too large (a matrix is at most 1 MiB)", path);
		goto fail;
	}
	close(fd);
	rc = matrix_parse(path, b.data ? b.data : "", b.len, m);
	buf_free(&b);
	return rc;
fail:
	if (fd >= 0)
		close(fd);
	buf_free(&b);
	m->path = xstrdup(path);
	return 1;
}

void
matrix_free(struct matrix *m)
{
	size_t i, j;

	for (i = 0; i < m->ninterps; i++) {
		struct interp_spec *in = &m->interps[i];

		free(in->id);
		free(in->label);
		free(in->request);
		free(in->version);
		free(in->path);
		free(in->source);
		free(in->sha256);
		free(in->variant_of);
		for (j = 0; j < in->nconfigure_args; j++)
			free(in->configure_args[j]);
		free(in->configure_args);
		for (j = 0; j < in->nenv; j++) {
			free(in->env[j].name);
			free(in->env[j].value);
		}
		free(in->env);
	}
	free(m->interps);
	for (i = 0; i < m->nworkloads; i++)
		free(m->workloads[i].name);
	free(m->workloads);
	for (i = 0; i < m->nengines; i++)
		free(m->engines[i]);
	free(m->engines);
	free(m->threads);
	free(m->path);
	free(m->name);
	free(m->description);
	free(m->text);
	free(m->baseline);
	free(m->scaling);
	memset(m, 0, sizeof(*m));
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
