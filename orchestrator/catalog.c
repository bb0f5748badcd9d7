#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

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
				const char *end = strchr(q, *q == '(' ? ')' : ']');
				struct buf b = { 0 };

				for (q++; end && q < end; q++)
					if (strchr("\"' ,", *q) == NULL)
						buf_add(&b, q, 1);
					else if (*q == ',')
						buf_puts(&b, ",");
				return buf_detach(&b);
			}
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct workload_info *)a)->name,
	    ((const struct workload_info *)b)->name);
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
		struct buf text = { 0 };
		char *path;

		if (len < 4 || strcmp(e->d_name + len - 3, ".py") != 0 ||
		    e->d_name[0] == '_')
			continue;
		path = path_join(dir, e->d_name);
		if (file_read(path, &text) < 0) {
			free(path);
			continue;
		}
		cat->items = xreallocarray(cat->items, cat->n + 1,
		    sizeof(*cat->items));
		w = &cat->items[cat->n++];
		w->name = xstrndup(e->d_name, len - 3);
		w->description = constant(text.data, "DESCRIPTION");
		w->group = constant(text.data, "GROUP");
		w->unit = constant(text.data, "UNIT");
		w->engines = constant(text.data, "ENGINES");
		if (!w->description)
			w->description = xstrdup("");
		if (!w->group)
			w->group = xstrdup("other");
		if (!w->unit)
			w->unit = xstrdup("iterations");
		if (!w->engines)
			w->engines = xstrdup("threads");
		buf_free(&text);
		free(path);
	}
	closedir(d);
	free(dir);
	qsort(cat->items, cat->n, sizeof(*cat->items), by_name);
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
		free(cat->items[i].engines);
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
