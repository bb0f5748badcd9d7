#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* The groups in the order of the benchmark plan (seed 000), then seed 001,
 * the C probes and the findings. */
static const struct catalog_group groups[] = {
    {"basic", "Single-thread overhead: basic operations"},
    {"objects", "Single-thread overhead: object creation and destruction"},
    {"refcount", "Reference counting: shared against private objects"},
    {"allocation", "Memory allocation patterns"},
    {"sync", "Thread synchronisation: locks, conditions, queues, barriers"},
    {"shared-data", "Thread-local against shared data"},
    {"false-sharing", "Cache-line contention (false sharing)"},
    {"lock-free", "Lock-free operations"},
    {"memory-ordering", "Memory ordering: publishing data to other threads"},
    {"specialization", "Interpreter: specialisation under threads"},
    {"interpreter", "Interpreter: bytecode dispatch, frames, iterators"},
    {"ftscaling", "Scaling set in the spirit of Tools/ftscalingbench"},
    {"progression", "Optimisation progression: one task in four versions"},
    {"patterns", "Parallel patterns: thread pool, process pool, hybrid"},
    {"seed-001", "Seed 001: threads against processes, overhead and memory"},
    {"cprobes", "C-level probes (metrics)"},
    {"findings", "Known limitations, as findings"},
};

static const char all_engines[] =
    "threads,processes,executor-threads,executor-processes";

/* The value of a top-level `NAME = "text"` line; NULL when absent. The
 * modules are ours, so a line scan is enough and needs no interpreter. */
static char *
constant(const char *text, const char *name)
{
	size_t n = strlen(name);
	const char *p = text;

	while (p && *p) {
		if (strncmp(p, name, n) == 0 && strchr(" =", p[n])) {
			const char *q = p + n + strspn(p + n, " =");
			char quote = *q;

			if (quote == '"' || quote == '\'') {
				const char *end = strchr(q + 1, quote);

				if (end)
					return xstrndup(q + 1, end - q - 1);
			}
			if (*q == '(' || *q == '[') {
				/* a tuple of strings: keep its words */
				const char *end =
				    strchr(q, *q == '(' ? ')' : ']');
				struct buf b = {0};

				for (q++; end && q < end; q++)
					if (strchr("\"' ,", *q) == NULL)
						buf_add(&b, q, 1);
					else if (*q == ',' && b.len &&
					    b.data[b.len - 1] != ',')
						buf_puts(&b, ",");
				if (b.len && b.data[b.len - 1] == ',')
					b.data[--b.len] = '\0';
				return buf_detach(&b);
			}
			/* True, a number: the rest of the line */
			return xstrndup(q, strcspn(q, "\r\n"));
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static int
group_rank(const char *group)
{
	size_t i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (strcmp(groups[i].name, group) == 0)
			return (int)i;
	return (int)i;
}

static int
by_group_then_name(const void *a, const void *b)
{
	const struct workload_info *x = a, *y = b;
	int gx = group_rank(x->group), gy = group_rank(y->group);

	if (gx != gy)
		return gx - gy;
	if (strcmp(x->group, y->group))
		return strcmp(x->group, y->group);
	return strcmp(x->name, y->name);
}

/* Which engines a module can run on when it does not say: what its kind
 * allows (see probes/workloads/README.md). */
static const char *
default_engines(const char *text, const char **kind)
{
	char *c = constant(text, "C_WORKLOAD");
	char *finding = constant(text, "FINDING");
	char *self = constant(text, "SELF_PARALLEL");
	const char *engines = all_engines;

	*kind = "timing";
	if (finding) {
		*kind = "finding";
		engines = "threads";
	} else if (c) {
		*kind = "c";
		engines = "threads,processes";
	} else if (self && strncmp(self, "True", 4) == 0) {
		*kind = "self-parallel";
		engines = "threads";
	}
	free(c);
	free(finding);
	free(self);
	return engines;
}

/* One module's entry, from its text. */
static void
item_fill(struct workload_info *w, const char *name, const char *text)
{
	const char *engines;

	memset(w, 0, sizeof(*w));
	w->name = xstrdup(name);
	w->description = constant(text, "DESCRIPTION");
	w->group = constant(text, "GROUP");
	w->unit = constant(text, "UNIT");
	w->measures = constant(text, "MEASURES");
	w->engines = constant(text, "ENGINES");
	w->load = constant(text, "LOAD");
	engines = default_engines(text, &w->kind);
	if (!w->description)
		w->description = xstrdup("");
	if (!w->group)
		w->group = xstrdup("other");
	if (!w->unit)
		w->unit = xstrdup("iterations");
	if (!w->measures)
		w->measures = xasprintf("wall time of n %s", w->unit);
	if (!w->load)
		w->load = xstrdup("import");
	/* a process pool's workers import the module by name */
	if (!w->engines && strcmp(w->load, "main") == 0 &&
	    strcmp(engines, all_engines) == 0)
		engines = "threads,processes,executor-threads";
	if (!w->engines)
		w->engines = xstrdup(engines);
}

static struct workload_info *
item_new(struct catalog *cat)
{
	cat->items = xreallocarray(cat->items, cat->n + 1, sizeof(*cat->items));
	return &cat->items[cat->n++];
}

int
catalog_add_file(struct catalog *cat, const char *name, const char *path)
{
	struct workload_info *w;
	struct buf text = {0};
	const char *slash;

	if (file_read(path, &text) < 0)
		return -1;
	w = item_new(cat);
	item_fill(w, name, buf_str(&text));
	w->path = xstrdup(path);
	slash = strrchr(path, '/');
	w->dir = slash ? xstrndup(path, slash == path ? 1 : slash - path)
	               : xstrdup(".");
	w->user = 1;
	buf_free(&text);
	return 0;
}

int
catalog_add_dir(struct catalog *cat, const char *dir)
{
	struct dirent **list;
	int n, i;

	n = scandir(dir, &list, NULL, alphasort);
	if (n < 0) {
		error("%s: cannot read the workloads directory: %s", dir,
		    strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *f = list[i]->d_name;
		size_t len = strlen(f);

		if (len > 3 && strcmp(f + len - 3, ".py") == 0 && f[0] != '_') {
			char *path = path_join(dir, f);
			char *name = xstrndup(f, len - 3);

			if (!catalog_find_user(cat, name))
				catalog_add_file(cat, name, path);
			free(name);
			free(path);
		}
		free(list[i]);
	}
	free(list);
	return 0;
}

void
catalog_add_copy(struct catalog *cat, const struct workload_info *from)
{
	struct workload_info *w = item_new(cat);

	*w = *from;
	w->name = xstrdup(from->name);
	w->group = xstrdup(from->group);
	w->description = xstrdup(from->description);
	w->unit = xstrdup(from->unit);
	w->measures = xstrdup(from->measures);
	w->engines = xstrdup(from->engines);
	w->load = from->load ? xstrdup(from->load) : NULL;
	w->path = from->path ? xstrdup(from->path) : NULL;
	w->dir = from->dir ? xstrdup(from->dir) : NULL;
}

int
catalog_load(struct catalog *cat)
{
	char *dir = path_join(data_dir(), "probes/workloads");
	struct dirent *e;
	DIR *d;

	memset(cat, 0, sizeof(*cat));
	d = opendir(dir);
	if (!d) {
		error("%s: cannot read the workload catalog", dir);
		free(dir);
		return -1;
	}
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		struct buf text = {0};
		char *name, *path;

		if (len < 4 || strcmp(e->d_name + len - 3, ".py") != 0 ||
		    e->d_name[0] == '_')
			continue;
		path = path_join(dir, e->d_name);
		if (file_read(path, &text) < 0) {
			free(path);
			continue;
		}
		name = xstrndup(e->d_name, len - 3);
		item_fill(item_new(cat), name, buf_str(&text));
		free(name);
		buf_free(&text);
		free(path);
	}
	closedir(d);
	free(dir);
	qsort(cat->items, cat->n, sizeof(*cat->items), by_group_then_name);
	return 0;
}

int
catalog_load_dirs(struct catalog *cat, const char *const *dirs, size_t n)
{
	struct catalog builtin;
	size_t i;

	memset(cat, 0, sizeof(*cat));
	for (i = 0; i < n; i++)
		if (catalog_add_dir(cat, dirs[i]) < 0) {
			catalog_free(cat);
			return -1;
		}
	if (catalog_load(&builtin) < 0) {
		catalog_free(cat);
		return -1;
	}
	cat->items =
	    xreallocarray(cat->items, cat->n + builtin.n, sizeof(*cat->items));
	memcpy(cat->items + cat->n, builtin.items,
	    builtin.n * sizeof(*cat->items));
	cat->n += builtin.n;
	free(builtin.items);
	return 0;
}

void
catalog_free(struct catalog *cat)
{
	size_t i;

	for (i = 0; i < cat->n; i++) {
		free(cat->items[i].name);
		free(cat->items[i].group);
		free(cat->items[i].description);
		free(cat->items[i].unit);
		free(cat->items[i].measures);
		free(cat->items[i].engines);
		free(cat->items[i].path);
		free(cat->items[i].dir);
		free(cat->items[i].load);
	}
	free(cat->items);
	memset(cat, 0, sizeof(*cat));
}

/* The first of that name among the user's workloads (user 1), or the
 * catalog's (0), or either (-1). */
static const struct workload_info *
find(const struct catalog *cat, const char *name, int user)
{
	size_t i;

	for (i = 0; i < cat->n; i++)
		if ((user < 0 || cat->items[i].user == user) &&
		    strcmp(cat->items[i].name, name) == 0)
			return &cat->items[i];
	return NULL;
}

const struct workload_info *
catalog_find(const struct catalog *cat, const char *name)
{
	const struct workload_info *w = find(cat, name, 1);

	return w ? w : find(cat, name, 0);
}

const struct workload_info *
catalog_find_user(const struct catalog *cat, const char *name)
{
	return find(cat, name, 1);
}

const struct workload_info *
catalog_find_builtin(const struct catalog *cat, const char *name)
{
	return find(cat, name, 0);
}

const char *
catalog_group_title(const char *group)
{
	int i = group_rank(group);

	return i < (int)(sizeof(groups) / sizeof(groups[0])) ? groups[i].title
	                                                     : group;
}
