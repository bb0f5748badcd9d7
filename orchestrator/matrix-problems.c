#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"
#include "matrix-tree.h"

static void
vproblem_at(struct ctx *c, int line, int col, const char *fmt, va_list ap)
{
	struct problem *p;
	char *msg;

	if (vasprintf(&msg, fmt, ap) < 0)
		fatal("out of memory");
	if (c->nproblems == c->problems_cap) {
		c->problems_cap = c->problems_cap ? 2 * c->problems_cap : 16;
		c->problems = xreallocarray(
		    c->problems, c->problems_cap, sizeof(*c->problems));
	}
	p = &c->problems[c->nproblems];
	p->line = line;
	p->col = col;
	p->seq = c->nproblems++;
	p->msg = msg;
}

void
problem_at(struct ctx *c, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vproblem_at(c, line, col, fmt, ap);
	va_end(ap);
}

void
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

/* Prints the problems in file order, the first MATRIX_MAX_SHOWN of them;
 * returns how many there were. */
int
problems_flush(struct ctx *c)
{
	size_t i;
	int n = (int)c->nproblems;

	if (c->nproblems)
		qsort(c->problems, c->nproblems, sizeof(*c->problems),
		    problem_cmp);
	for (i = 0; i < c->nproblems; i++) {
		if (i < MATRIX_MAX_SHOWN)
			error("%s:%d:%d: %s", c->file, c->problems[i].line,
			    c->problems[i].col, c->problems[i].msg);
		free(c->problems[i].msg);
	}
	if (c->nproblems > MATRIX_MAX_SHOWN)
		error("%s: %zu more problems not shown", c->file,
		    c->nproblems - MATRIX_MAX_SHOWN);
	free(c->problems);
	c->problems = NULL;
	c->nproblems = c->problems_cap = 0;
	return n;
}

void
problems_discard(struct ctx *c)
{
	for (size_t i = 0; i < c->nproblems; i++)
		free(c->problems[i].msg);
	free(c->problems);
	c->problems = NULL;
	c->nproblems = c->problems_cap = 0;
}

/* Zero-width and bidirectional formatting characters (U+200B-U+200F,
 * U+2028-U+202E, U+2066-U+2069): they make a message read other than it
 * is, as "Trojan Source" showed. */
static int
invisible(const unsigned char *p)
{
	if (p[0] != 0xe2)
		return 0;
	if (p[1] == 0x80)
		return (p[2] >= 0x8b && p[2] <= 0x8f) ||
		    (p[2] >= 0xa8 && p[2] <= 0xae);
	return p[1] == 0x81 && p[2] >= 0xa6 && p[2] <= 0xa9;
}

/* A value quoted for a message: escaped, so a hostile matrix cannot send
 * terminal control sequences or reorder what is shown, and cut short.
 * Four calls may be live on each thread (an old results file's matrix
 * is read while compare loads its files side by side). */
const char *
quote(const char *s)
{
	static _Thread_local char ring[4][QUOTE_MAX * 6 + 8];
	static _Thread_local unsigned next;
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
		} else if (invisible(p)) {
			o += sprintf(o, "\\u%04x",
			    (p[0] & 0x0f) << 12 | (p[1] & 0x3f) << 6 |
			        (p[2] & 0x3f));
			p += 3;
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

const char *
node_describe(const struct node *n)
{
	switch (n->kind) {
	case NODE_SCALAR:
		return quote(n->str);
	case NODE_SEQ:
		return "a sequence";
	case NODE_MAP:
		return "a mapping";
	default:
		return "an invalid value";
	}
}

void
names_join(struct buf *b, const char *const *names, size_t n, const char *last)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			buf_puts(b, i + 1 == n && last ? last : ", ");
		buf_puts(b, names[i]);
	}
}

int
name_index(const char *s, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (names[i] && !strcmp(s, names[i]))
			return (int)i;
	return -1;
}

int
name_closest(const char *s, const char *const *names, size_t n)
{
	return name_suggest(s, names, n);
}

/* The index of a mapping key among names, or -1 after reporting why not.
 * A misspelt key sets guessed[] (when given), so that the key it was meant
 * to be is not also reported missing. */
int
key_lookup(struct ctx *c, const struct node *key, const char *const *names,
    size_t n, const struct node **seen, unsigned char *guessed)
{
	struct buf b = {0};
	int k;

	if (key->kind == NODE_BAD)
		return -1;
	if (key->kind != NODE_SCALAR) {
		problem(
		    c, key, "keys must be strings, not %s", node_describe(key));
		return -1;
	}
	if ((k = name_index(key->str, names, n)) >= 0) {
		if (seen[k]) {
			problem(c, key, "duplicate key %s", quote(key->str));
			return -1;
		}
		seen[k] = key;
		return k;
	}
	if ((k = name_closest(key->str, names, n)) >= 0) {
		problem(c, key, "unknown key %s (did you mean %s?)",
		    quote(key->str), quote(names[k]));
		if (guessed)
			guessed[k] = 1;
	} else {
		names_join(&b, names, n, NULL);
		problem(c, key, "unknown key %s (expected %s)", quote(key->str),
		    buf_str(&b));
		buf_free(&b);
	}
	return -1;
}
