#include <dirent.h>
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
			return xstrdup(q); /* True, a number: the rest */
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
		struct workload_info *w;
		struct buf text = {0};
		const char *engines;
		char *path;

		if (len < 4 || strcmp(e->d_name + len - 3, ".py") != 0 ||
		    e->d_name[0] == '_')
			continue;
		path = path_join(dir, e->d_name);
		if (file_read(path, &text) < 0) {
			free(path);
			continue;
		}
		cat->items =
		    xreallocarray(cat->items, cat->n + 1, sizeof(*cat->items));
		w = &cat->items[cat->n++];
		memset(w, 0, sizeof(*w));
		w->name = xstrndup(e->d_name, len - 3);
		w->description = constant(buf_str(&text), "DESCRIPTION");
		w->group = constant(buf_str(&text), "GROUP");
		w->unit = constant(buf_str(&text), "UNIT");
		w->measures = constant(buf_str(&text), "MEASURES");
		w->engines = constant(buf_str(&text), "ENGINES");
		w->load = constant(buf_str(&text), "LOAD");
		engines = default_engines(buf_str(&text), &w->kind);
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
		buf_free(&text);
		free(path);
	}
	closedir(d);
	free(dir);
	qsort(cat->items, cat->n, sizeof(*cat->items), by_group_then_name);
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
		free(cat->items[i].load);
	}
	free(cat->items);
	memset(cat, 0, sizeof(*cat));
}

const struct workload_info *
catalog_find(const struct catalog *cat, const char *name)
{
	size_t i;

	for (i = 0; i < cat->n; i++)
		if (strcmp(cat->items[i].name, name) == 0)
			return &cat->items[i];
	return NULL;
}

const char *
catalog_group_title(const char *group)
{
	int i = group_rank(group);

	return i < (int)(sizeof(groups) / sizeof(groups[0])) ? groups[i].title
	                                                     : group;
}
