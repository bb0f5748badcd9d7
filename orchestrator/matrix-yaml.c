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

/* Builds the tree from libyaml's events. Returns -1 when the text is not a
 * YAML document we can check (syntax, nesting, size), after reporting. */
int
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
	if (len >= 2 &&
	    (!memcmp(text, "\xff\xfe", 2) || !memcmp(text, "\xfe\xff", 2))) {
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
			n = node_new(c,
			    ev.type == YAML_MAPPING_START_EVENT ? NODE_MAP
			                                        : NODE_SEQ,
			    mark);
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
