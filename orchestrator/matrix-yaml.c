#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "ftmatrix.h"
#include "matrix-tree.h"

void
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
		parent->kids = xreallocarray(
		    parent->kids, parent->cap, sizeof(*parent->kids));
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
offset_position(
    const char *text, size_t len, size_t offset, int *line, int *col)
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
yaml_problem(
    struct ctx *c, const yaml_parser_t *p, const char *text, size_t len)
{
	int line, col;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		problem_at(c, 1, 1, "out of memory while reading YAML");
		break;
	case YAML_READER_ERROR:
		offset_position(text, len, p->problem_offset, &line, &col);
		if (strstr(p->problem, "UTF-8") && p->problem_value != -1)
			problem_at(c, line, col,
			    "the matrix is not valid UTF-8 (%s 0x%02x)",
			    p->problem, (unsigned)p->problem_value);
		else if (strstr(p->problem, "UTF-8"))
			problem_at(c, line, col,
			    "the matrix is not valid UTF-8 (%s)", p->problem);
		else if (p->problem_value != -1)
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

#define problem_at_mark(c, mark, ...)                                          \
	problem_at(c, (int)(mark).line + 1, (int)(mark).column + 1, __VA_ARGS__)

/* The tree as libyaml's events build it: the open mappings and sequences
 * are on the stack. */
struct builder {
	struct ctx *c;
	struct node *stack[MATRIX_MAX_DEPTH];
	int depth, docs;
	struct node *root;
};

static int
event_anchored(const yaml_event_t *ev)
{
	return (ev->type == YAML_SCALAR_EVENT && ev->data.scalar.anchor) ||
	    (ev->type == YAML_SEQUENCE_START_EVENT &&
	        ev->data.sequence_start.anchor) ||
	    (ev->type == YAML_MAPPING_START_EVENT &&
	        ev->data.mapping_start.anchor);
}

/* A scalar's node: NODE_BAD when its text cannot be kept. */
static struct node *
scalar_node(struct ctx *c, const yaml_event_t *ev)
{
	const char *value = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct node *n;

	if (has_control(value, len)) {
		problem_at_mark(c, ev->start_mark,
		    "control characters are not allowed in a matrix");
		return node_new(c, NODE_BAD, ev->start_mark);
	}
	n = node_new(c, NODE_SCALAR, ev->start_mark);
	n->str = xstrndup(value, len);
	return n;
}

static void
builder_add(struct builder *b, struct node *n)
{
	if (b->depth)
		node_add(b->stack[b->depth - 1], n);
	else if (!b->root)
		b->root = n;
	else
		node_free(n); /* cannot happen: one document */
	if (n->kind == NODE_MAP || n->kind == NODE_SEQ)
		b->stack[b->depth++] = n;
}

/* One event into the tree: 1 at the end of the stream, -1 when the text
 * is not a document we can check, else 0. */
static int
builder_event(struct builder *b, const yaml_event_t *ev)
{
	struct ctx *c = b->c;
	yaml_mark_t mark = ev->start_mark;
	struct node *n;

	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (++b->docs > 1) {
			problem_at_mark(c, mark,
			    "a matrix is one YAML document, this is a second "
			    "one");
			return -1;
		}
		return 0;
	case YAML_ALIAS_EVENT:
		problem_at_mark(c, mark, "aliases are not allowed in a matrix");
		n = node_new(c, NODE_BAD, mark);
		break;
	case YAML_SCALAR_EVENT:
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		if (event_anchored(ev))
			problem_at_mark(
			    c, mark, "anchors are not allowed in a matrix");
		if (ev->type == YAML_SCALAR_EVENT) {
			n = scalar_node(c, ev);
			break;
		}
		if (b->depth == MATRIX_MAX_DEPTH) {
			problem_at_mark(c, mark,
			    "nesting too deep (a matrix has at most %d levels)",
			    MATRIX_MAX_DEPTH);
			return -1;
		}
		n = node_new(c,
		    ev->type == YAML_MAPPING_START_EVENT ? NODE_MAP : NODE_SEQ,
		    mark);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		b->depth--;
		return 0;
	default:
		return 0;
	}
	builder_add(b, n);
	if (c->nnodes > MATRIX_MAX_NODES) {
		problem_at_mark(c, mark,
		    "too many values (a matrix has at most %d)",
		    MATRIX_MAX_NODES);
		return -1;
	}
	return 0;
}

/* Builds the tree from libyaml's events. Returns -1 when the text is not a
 * YAML document we can check (syntax, nesting, size), after reporting. */
int
tree_build(struct ctx *c, const char *text, size_t len, struct node **root)
{
	struct builder b = {.c = c};
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = 0;

	*root = NULL;
	/* libyaml would decode UTF-16, but the text is kept as UTF-8 */
	if (len >= 2 &&
	    (!memcmp(text, "\xff\xfe", 2) || !memcmp(text, "\xfe\xff", 2))) {
		problem_at(c, 1, 1, "the matrix must be UTF-8, not UTF-16");
		return -1;
	}
	if (!yaml_parser_initialize(&p))
		fatal("out of memory");
	yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
	while (rc == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			yaml_problem(c, &p, text, len);
			rc = -1;
			break;
		}
		rc = builder_event(&b, &ev);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	*root = b.root;
	return rc < 0 ? -1 : 0;
}
