#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"
#include "matrix-tree.h"

/* A scalar, or a problem saying what was expected instead. */
int
want_scalar(
    struct ctx *c, const char *what, const struct node *v, const char *expected)
{
	if (v->kind == NODE_BAD)
		return -1;
	if (v->kind != NODE_SCALAR) {
		problem(c, v, "%s must be %s, not %s", quote(what), expected,
		    node_describe(v));
		return -1;
	}
	return 0;
}

int
get_str(struct ctx *c, const char *what, const struct node *v, char **out,
    int allow_empty)
{
	if (want_scalar(c, what, v, "a string") < 0)
		return -1;
	if (!allow_empty && !*v->str) {
		problem(c, v, "%s must not be empty", quote(what));
		return -1;
	}
	free(*out);
	*out = xstrdup(v->str);
	return 0;
}

int
get_bool(struct ctx *c, const char *what, const struct node *v, int *out)
{
	static const char *const yes[] = {
	    "true", "True", "TRUE", "yes", "Yes", "YES"};
	static const char *const no[] = {
	    "false", "False", "FALSE", "no", "No", "NO"};

	if (want_scalar(c, what, v, "true or false") < 0)
		return -1;
	if (name_index(v->str, yes, NELEM(yes)) >= 0)
		*out = 1;
	else if (name_index(v->str, no, NELEM(no)) >= 0)
		*out = 0;
	else {
		problem(c, v, "%s must be true or false, not %s", quote(what),
		    quote(v->str));
		return -1;
	}
	return 0;
}

/* Plain base-10 only: no 0x, no 1_000, no leading zeros (YAML 1.1 would
 * read 010 as 8). */
int
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
	problem(c, v, "%s must be %s, not %s", quote(what), expected,
	    quote(v->str));
	return -1;
}

void
set_int(struct ctx *c, const char *what, const struct node *v, long long lo,
    long long hi, int *out)
{
	long long x;

	if (get_int(c, what, v, lo, hi, &x) == 0)
		*out = (int)x;
}

const char *
get_choice(struct ctx *c, const char *what, const struct node *v,
    const char *const *names, size_t n, const char *last)
{
	struct buf b = {0};
	int k;

	if (want_scalar(c, what, v, "a string") < 0)
		return NULL;
	if ((k = name_index(v->str, names, n)) >= 0)
		return names[k];
	names_join(&b, names, n, last);
	problem(c, v, "unknown %s %s (expected %s)", what, quote(v->str),
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

int
named_find_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct named *)elem)->s);
}

/* Sorts v by name and flags dup[i] for every repeat after the first; by
 * sorting, so that a huge hostile list costs n log n. */
void
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

int
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
int
valid_name(const char *s)
{
	return valid_chars(s, "._+-", 0) && isalnum((unsigned char)s[0]);
}

/* The items of a list value; a lone scalar counts as a list of one. */
int
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
		problem(c, v, "%s must be %s, not %s", quote(what), expected,
		    node_describe(v));
		return -1;
	}
	if (!v->nkids) {
		problem(c, v, "%s must not be empty", quote(what));
		return -1;
	}
	*items = v->kids;
	*n = v->nkids;
	return 0;
}
