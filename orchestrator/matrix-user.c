/*
 * The user's own workloads in a matrix:
 *   workloads_dir: ./bench            (or a list; relative to the matrix)
 *   workloads:
 *     - mybench                       found in workloads_dir
 *     - {name: x, path: ./bench/x.py} one file
 *     - {name: cpu_loop, path: ./cpu_loop.py, override_catalog: true}
 * searched before the catalog, after --workloads; each named module is
 * checked without running it (workload-check.c).
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ftmatrix.h"
#include "matrix-tree.h"

/* The directory relative paths in the matrix start from */
static char *
base_dir(const char *file)
{
	const char *slash = strrchr(file, '/');

	if (!slash)
		return xstrdup(".");
	return xstrndup(file, slash == file ? 1 : (size_t)(slash - file));
}

static char *
resolve(const char *file, const char *path)
{
	char *base, *joined, real[PATH_MAX];

	if (path[0] == '/')
		joined = xstrdup(path);
	else {
		base = base_dir(file);
		joined = path_join(base, path);
		free(base);
	}
	if (realpath(joined, real)) {
		free(joined);
		return xstrdup(real);
	}
	return joined;
}

void
parse_workloads_dirs(struct ctx *c, struct node *v, struct matrix *m)
{
	struct node *const *items;
	struct stat st;
	size_t i, n;
	char *s, *dir;

	if (list_items(c, "workloads_dir", &v, "a directory or a list of them",
	        &items, &n) < 0)
		return;
	for (i = 0; i < n; i++) {
		s = NULL;
		if (get_str(c, "workloads_dir", items[i], &s, 0) < 0)
			continue;
		if (url_is_remote(c->file)) {
			problem(c, items[i],
			    "a remote matrix cannot name local workload files");
			free(s);
			continue;
		}
		dir = resolve(c->file, s);
		free(s);
		if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
			problem(
			    c, items[i], "%s is not a directory", quote(dir));
			free(dir);
			continue;
		}
		m->workloads_dirs = xreallocarray(m->workloads_dirs,
		    m->nworkloads_dirs + 1, sizeof(*m->workloads_dirs));
		m->workloads_dirs[m->nworkloads_dirs++] = dir;
	}
}

/* An entry's own file: a .py named like the workload */
static void
add_path(struct ctx *c, struct workload_spec *w, struct catalog *merged)
{
	const char *base;
	char *file;
	size_t n;

	if (url_is_remote(c->file)) {
		problem_at(c, w->path_line, w->path_col,
		    "a remote matrix cannot name local workload files");
		return;
	}
	file = resolve(c->file, w->path);
	base = strrchr(file, '/') ? strrchr(file, '/') + 1 : file;
	n = strlen(base);
	if (n < 4 || strcmp(base + n - 3, ".py") != 0)
		problem_at(c, w->path_line, w->path_col,
		    "\"path\" must name a .py file, not %s", quote(w->path));
	else if (strncmp(base, w->module, n - 3) != 0 || strlen(w->module) != n - 3)
		problem_at(c, w->path_line, w->path_col,
		    "the file of workload %s must be named %s.py (the probe "
		    "imports it by that name), not %s",
		    quote(w->module), w->module, quote(base));
	else if (!path_exists(file))
		problem_at(
		    c, w->path_line, w->path_col, "no file %s", quote(file));
	else if (!catalog_find_user(merged, w->module))
		catalog_add_file(merged, w->module, file);
	free(file);
}

static void
unknown(
    struct ctx *c, const struct workload_spec *w, const struct catalog *merged)
{
	const char **names = xcalloc(merged->n + 1, sizeof(*names));
	size_t i;
	int k;

	for (i = 0; i < merged->n; i++)
		names[i] = merged->items[i].name;
	k = name_suggest(w->module, names, merged->n);
	if (k >= 0)
		problem_at(c, w->line, w->col,
		    "unknown workload %s (did you mean %s?)", quote(w->module),
		    quote(names[k]));
	else
		problem_at(c, w->line, w->col,
		    "unknown workload %s (see ftmatrix list)", quote(w->module));
	free(names);
}

int
workloads_resolve(struct ctx *c, struct matrix *m, const struct catalog *cat,
    struct catalog *merged)
{
	int problems = 0;
	size_t i;

	for (i = 0; i < m->nworkloads; i++)
		if (m->workloads[i].path)
			add_path(c, &m->workloads[i], merged);
	for (i = 0; i < cat->n; i++)
		if (cat->items[i].user &&
		    !catalog_find_user(merged, cat->items[i].name))
			catalog_add_copy(merged, &cat->items[i]);
	for (i = 0; i < m->nworkloads_dirs; i++)
		catalog_add_dir(merged, m->workloads_dirs[i]);
	for (i = 0; i < cat->n; i++)
		if (!cat->items[i].user)
			catalog_add_copy(merged, &cat->items[i]);

	for (i = 0; i < m->nworkloads; i++) {
		struct workload_spec *w = &m->workloads[i];
		const struct workload_info *info =
		    catalog_find(merged, w->module);

		if (!info) {
			if (!w->path)
				unknown(c, w, merged);
			continue;
		}
		if (!info->user)
			continue;
		if (catalog_find_builtin(merged, w->module) &&
		    !w->override_catalog)
			problem_at(c, w->line, w->col,
			    "workload %s (%s) has the name of a catalog "
			    "workload; rename the file, or give its entry "
			    "\"override_catalog: true\"",
			    quote(w->module), info->path);
		free(w->module_file);
		free(w->module_dir);
		w->module_file = xstrdup(info->path);
		w->module_dir = xstrdup(info->dir);
		problems += workload_module_check(info->path, w->module);
	}
	return problems;
}
