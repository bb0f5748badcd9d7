#include <stdio.h>
#include <string.h>

#include "ftmatrix.h"

static void
json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

static void
json_field(const char *name, const char *value, int first)
{
	printf("%s\"%s\": ", first ? "" : ", ", name);
	json_string(value);
}

static void
list_json(const struct catalog *cat)
{
	size_t i;

	printf("[");
	for (i = 0; i < cat->n; i++) {
		const struct workload_info *w = &cat->items[i];
		const char *e = w->engines;

		printf("%s\n {", i ? "," : "");
		json_field("name", w->name, 1);
		json_field("group", w->group, 0);
		json_field("group_title", catalog_group_title(w->group), 0);
		json_field("description", w->description, 0);
		json_field("measures", w->measures, 0);
		json_field("unit", w->unit, 0);
		json_field("kind", w->kind, 0);
		json_field("load", w->load, 0);
		printf(", \"engines\": [");
		while (*e) {
			size_t n = strcspn(e, ",");

			printf("%s\"%.*s\"", e == w->engines ? "" : ", ",
			    (int)n, e);
			e += n + (e[n] == ',');
		}
		printf("]}");
	}
	printf("\n]\n");
}

/* Grouped like `git help -a`: a heading per group, a line per workload
 * and an indented line saying what its result means. */
static void
list_text(const struct catalog *cat)
{
	const char *group = NULL;
	size_t i;

	for (i = 0; i < cat->n; i++) {
		const struct workload_info *w = &cat->items[i];

		if (!group || strcmp(group, w->group) != 0) {
			group = w->group;
			printf("%s%s (%s)\n", i ? "\n" : "",
			    catalog_group_title(group), group);
		}
		printf("  %-24s %s\n", w->name, w->description);
		printf("  %-24s %s; n: %s; ", "", w->measures, w->unit);
		if (strcmp(w->engines,
		        "threads,processes,executor-threads,"
		        "executor-processes") == 0)
			printf("all engines\n");
		else
			printf("engines: %s\n", w->engines);
		if (w->load && strcmp(w->load, "import") != 0)
			printf("  %-24s loaded as LOAD = \"%s\" says\n", "",
			    w->load);
	}
}

int
cmd_list(int argc, char **argv)
{
	struct catalog cat;
	int json = argc > 1 && strcmp(argv[1], "--json") == 0;

	if (argc > 1 &&
	    (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		printf("usage: ftmatrix list [--json]\n");
		return 0;
	}
	if (argc > 2 || (argc > 1 && !json)) {
		fprintf(stderr, "usage: ftmatrix list [--json]\n");
		return 2;
	}
	if (catalog_load(&cat) < 0)
		return 1;
	if (json)
		list_json(&cat);
	else
		list_text(&cat);
	catalog_free(&cat);
	return 0;
}
