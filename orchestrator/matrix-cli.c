/*
 * A matrix from the command line, and a matrix file changed by it:
 *   ftmatrix run --python 3.13=/usr/bin/python3.13 --python uv:3.13t \
 *                -w cpu_loop -w ./mybench.py --threads 1,2,4
 * Both end as YAML text that goes through the same parser as a file, so a
 * flag's mistake is reported like a key's, and `--print-matrix` shows a
 * matrix that loads back as the same one.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"
#include "matrix-tree.h"

static struct node *
node_make(enum node_kind kind, const char *str)
{
	struct node *n = xcalloc(1, sizeof(*n));

	n->kind = kind;
	n->line = n->col = 1;
	if (str)
		n->str = xstrdup(str);
	return n;
}

static void
node_append(struct node *parent, struct node *kid)
{
	if (parent->nkids == parent->cap) {
		parent->cap = parent->cap ? 2 * parent->cap : 4;
		parent->kids = xreallocarray(
		    parent->kids, parent->cap, sizeof(*parent->kids));
	}
	parent->kids[parent->nkids++] = kid;
}

static void
map_set(struct node *map, const char *key, struct node *v)
{
	size_t i;

	for (i = 0; i + 1 < map->nkids; i += 2)
		if (map->kids[i]->kind == NODE_SCALAR &&
		    strcmp(map->kids[i]->str, key) == 0) {
			node_free(map->kids[i + 1]);
			map->kids[i + 1] = v;
			return;
		}
	node_append(map, node_make(NODE_SCALAR, key));
	node_append(map, v);
}

static void
map_str(struct node *map, const char *key, const char *value)
{
	map_set(map, key, node_make(NODE_SCALAR, value));
}

/* Plain when YAML reads it back as the same string (or number); quoted
 * otherwise. */
static void
emit_scalar(struct buf *b, const char *s)
{
	int plain = *s &&
	    strspn(s,
	        "abcdefghijklmnopqrstuvwxyz"
	        "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	        "0123456789_./+-") == strlen(s) &&
	    (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_/",
	         s[0]) ||
	        strspn(s, "0123456789") == strlen(s));

	if (plain) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_printf(b, "\\%c", *s);
		else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			buf_printf(b, "\\x%02x", (unsigned char)*s);
		else
			buf_add(b, s, 1);
	}
	buf_puts(b, "\"");
}

static void
emit_flow(struct buf *b, const struct node *n)
{
	size_t i;

	switch (n->kind) {
	case NODE_SCALAR:
		emit_scalar(b, n->str);
		break;
	case NODE_SEQ:
		buf_puts(b, "[");
		for (i = 0; i < n->nkids; i++) {
			buf_puts(b, i ? ", " : "");
			emit_flow(b, n->kids[i]);
		}
		buf_puts(b, "]");
		break;
	case NODE_MAP:
		buf_puts(b, "{");
		for (i = 0; i + 1 < n->nkids; i += 2) {
			buf_puts(b, i ? ", " : "");
			emit_flow(b, n->kids[i]);
			buf_puts(b, ": ");
			emit_flow(b, n->kids[i + 1]);
		}
		buf_puts(b, "}");
		break;
	case NODE_BAD:
		buf_puts(b, "null");
		break;
	}
}

/* Top-level keys one a line; a sequence of mappings one item a line. */
static char *
emit(const struct node *root, const char *comment)
{
	struct buf b = {0};
	size_t i, k;

	if (comment)
		buf_printf(&b, "# %s\n", comment);
	for (i = 0; i + 1 < root->nkids; i += 2) {
		const struct node *v = root->kids[i + 1];
		int block = v->kind == NODE_SEQ && v->nkids;

		for (k = 0; block && k < v->nkids; k++)
			block = v->kids[k]->kind == NODE_MAP ||
			    (v->kids[k]->kind == NODE_SCALAR &&
			        !strcmp(root->kids[i]->str, "workloads"));
		emit_flow(&b, root->kids[i]);
		if (!block) {
			buf_puts(&b, ": ");
			emit_flow(&b, v);
			buf_puts(&b, "\n");
			continue;
		}
		buf_puts(&b, ":\n");
		for (k = 0; k < v->nkids; k++) {
			buf_puts(&b, "  - ");
			emit_flow(&b, v->kids[k]);
			buf_puts(&b, "\n");
		}
	}
	return buf_detach(&b);
}

/* Absolute, so the matrix reads the same from anywhere; symlinks kept, as
 * the user named them */
static char *
absolute(const char *path)
{
	char *cwd, *joined;

	if (path[0] == '/' || !(cwd = getcwd(NULL, 0)))
		return xstrdup(path);
	if (path[0] == '.' && path[1] == '/')
		path += 2;
	joined = path_join(cwd, path);
	free(cwd);
	return joined;
}

/* --python [ID=]SPEC: uv:REQ, pyenv:VER, source:SRC (a trailing "t":
 * free-threaded), path:P, a path, a bare version (uv) or a name on PATH */
static struct node *
python_entry(const char *arg, struct node *seen_ids)
{
	const char *eq = strchr(arg, '='), *spec = arg,
	           *slash = strchr(arg, '/');
	struct node *e = node_make(NODE_MAP, NULL);
	char *id = NULL, *value = NULL, *p;
	size_t i;
	int n;

	if (eq && (!slash || eq < slash)) {
		id = xstrndup(arg, eq - arg);
		spec = eq + 1;
	}
	if (!strncmp(spec, "uv:", 3)) {
		map_str(e, "provider", "uv");
		map_str(e, "request", spec + 3);
		value = xstrdup(spec + 3);
	} else if (!strncmp(spec, "pyenv:", 6)) {
		map_str(e, "provider", "pyenv");
		map_str(e, "version", spec + 6);
		value = xasprintf("pyenv-%s", spec + 6);
	} else if (!strncmp(spec, "source:", 7)) {
		char *src = xstrdup(spec + 7);
		size_t len = strlen(src);
		int ft = len > 1 && src[len - 1] == 't' &&
		    strchr("0123456789", src[len - 2]);

		if (ft)
			src[len - 1] = '\0';
		map_str(e, "provider", "source");
		map_str(e, "source", src);
		if (ft)
			map_str(e, "free_threaded", "true");
		p = strrchr(src, ':') ? strrchr(src, ':') + 1 : src;
		p = strrchr(p, '/') ? strrchr(p, '/') + 1 : p;
		value = xasprintf("%s%s", p, ft ? "t" : "");
		free(src);
	} else if (!strncmp(spec, "path:", 5) || strchr(spec, '/') ||
	    !strchr("0123456789", spec[0])) {
		const char *path = !strncmp(spec, "path:", 5) ? spec + 5 : spec;
		char *abs = strchr(path, '/') ? absolute(path) : xstrdup(path);

		map_str(e, "provider", "path");
		map_str(e, "path", abs);
		value =
		    xstrdup(strrchr(abs, '/') ? strrchr(abs, '/') + 1 : abs);
		free(abs);
	} else {
		map_str(e, "provider", "uv");
		map_str(e, "request", spec);
		value = xstrdup(spec);
	}
	if (!id) {
		/* two builds may share a file name: python3.13 and python3.13
		 */
		id = xstrdup(value);
		for (n = 2;; n++) {
			for (i = 0; i < seen_ids->nkids; i++)
				if (!strcmp(seen_ids->kids[i]->str, id))
					break;
			if (i == seen_ids->nkids)
				break;
			free(id);
			id = xasprintf("%s-%d", value, n);
		}
	}
	node_append(seen_ids, node_make(NODE_SCALAR, id));
	/* id first, as people write it */
	{
		struct node *out = node_make(NODE_MAP, NULL);

		map_str(out, "id", id);
		for (i = 0; i + 1 < e->nkids; i += 2) {
			node_append(out, e->kids[i]);
			node_append(out, e->kids[i + 1]);
		}
		e->nkids = 0;
		node_free(e);
		e = out;
	}
	free(id);
	free(value);
	return e;
}

static struct node *
node_copy(const struct node *n)
{
	struct node *c = node_make(n->kind, n->str);
	size_t i;

	for (i = 0; i < n->nkids; i++)
		node_append(c, node_copy(n->kids[i]));
	return c;
}

/* The name of a "workloads" entry: the scalar or its "name" */
static const char *
entry_name(const struct node *k)
{
	size_t j;

	if (k->kind == NODE_SCALAR)
		return k->str;
	for (j = 0; k->kind == NODE_MAP && j + 1 < k->nkids; j += 2)
		if (k->kids[j]->kind == NODE_SCALAR &&
		    !strcmp(k->kids[j]->str, "name") &&
		    k->kids[j + 1]->kind == NODE_SCALAR)
			return k->kids[j + 1]->str;
	return NULL;
}

static int
is_file_arg(const char *arg)
{
	size_t n = strlen(arg);

	return strchr(arg, '/') || (n > 3 && !strcmp(arg + n - 3, ".py"));
}

/* -w NAME (the file's own entry when it has one, with its iterations and
 * params), or -w FILE.py: {name: stem, path: /absolute/FILE.py} */
static struct node *
workload_entry(const char *arg, const struct node *old)
{
	size_t i, n;
	struct node *e;
	const char *base, *kn;
	char *name, *abs;

	if (!is_file_arg(arg)) {
		for (i = 0; old && old->kind == NODE_SEQ && i < old->nkids; i++)
			if ((kn = entry_name(old->kids[i])) && !strcmp(kn, arg))
				return node_copy(old->kids[i]);
		return node_make(NODE_SCALAR, arg);
	}
	abs = absolute(arg);
	base = strrchr(abs, '/') ? strrchr(abs, '/') + 1 : abs;
	n = strlen(base);
	name =
	    xstrndup(base, n > 3 && !strcmp(base + n - 3, ".py") ? n - 3 : n);
	e = node_make(NODE_MAP, NULL);
	map_str(e, "name", name);
	map_str(e, "path", abs);
	free(name);
	free(abs);
	return e;
}

/* "1,2,4" as a sequence; the parser checks each count */
static struct node *
threads_list(const char *list)
{
	struct node *seq = node_make(NODE_SEQ, NULL);
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ", ");
		char *item = xstrndup(p, n);

		if (*item)
			node_append(seq, node_make(NODE_SCALAR, item));
		free(item);
		p += n;
		p += strspn(p, ", ");
	}
	return seq;
}

static const struct node *
map_get(const struct node *map, const char *key)
{
	size_t i;

	for (i = 0; map->kind == NODE_MAP && i + 1 < map->nkids; i += 2)
		if (map->kids[i]->kind == NODE_SCALAR &&
		    !strcmp(map->kids[i]->str, key))
			return map->kids[i + 1];
	return NULL;
}

static void
apply(struct node *root, const struct matrix_overrides *o)
{
	size_t i;

	if (o->npythons) {
		struct node *list = node_make(NODE_SEQ, NULL);
		struct node *ids = node_make(NODE_SEQ, NULL);

		for (i = 0; i < o->npythons; i++)
			node_append(list, python_entry(o->pythons[i], ids));
		node_free(ids);
		map_set(root, "interpreters", list);
	}
	if (o->nworkloads_dirs) {
		struct node *list = node_make(NODE_SEQ, NULL);

		for (i = 0; i < o->nworkloads_dirs; i++) {
			char *abs = absolute(o->workloads_dirs[i]);

			node_append(list, node_make(NODE_SCALAR, abs));
			free(abs);
		}
		map_set(root, "workloads_dir", list);
	}
	if (o->nworkloads) {
		struct node *list = node_make(NODE_SEQ, NULL);
		const struct node *old = map_get(root, "workloads");

		for (i = 0; i < o->nworkloads; i++)
			node_append(list, workload_entry(o->workloads[i], old));
		map_set(root, "workloads", list);
	}
	if (o->threads)
		map_set(root, "threads", threads_list(o->threads));
	if (o->repetitions)
		map_str(root, "repetitions", o->repetitions);
	if (o->samples)
		map_str(root, "samples", o->samples);
}

char *
matrix_cli_text(const struct matrix_overrides *o)
{
	struct node *root = node_make(NODE_MAP, NULL);
	char *text;

	map_str(root, "name", "cli");
	apply(root, o);
	text = emit(root,
	    "a matrix from the command line (ftmatrix run "
	    "--print-matrix)");
	node_free(root);
	return text;
}

char *
matrix_override_text(const char *name, const char *text, size_t len,
    const struct matrix_overrides *o)
{
	struct ctx c = {.file = name};
	struct node *root = NULL;
	char *out = NULL, *comment;

	/* (an alias, say: the file's own message is better than ours) */
	if (tree_build(&c, text, len, &root) == 0 && !c.nproblems && root &&
	    root->kind == NODE_MAP) {
		comment =
		    xasprintf("%s, with the command line's changes", name);
		apply(root, o);
		out = emit(root, comment);
		free(comment);
	}
	/* a file that is not a matrix is reported by the parser itself */
	problems_discard(&c);
	node_free(root);
	return out;
}

int
matrix_overrides_any(const struct matrix_overrides *o)
{
	return o->npythons || o->nworkloads || o->nworkloads_dirs ||
	    o->threads || o->repetitions || o->samples;
}
