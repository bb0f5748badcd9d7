#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
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
		if (w->user)
			json_field("path", w->path, 0);
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

		if (w->user) {
			if (!i)
				printf("Your workloads (--workloads)\n");
			printf("  %-24s %s\n", w->name, w->description);
			printf("  %-24s %s%s\n", "", w->path,
			    catalog_find_builtin(cat, w->name)
			        ? " (the catalog has one of that name too)"
			        : "");
		} else if (!group || strcmp(group, w->group) != 0) {
			group = w->group;
			printf("%s%s (%s)\n", i ? "\n" : "",
			    catalog_group_title(group), group);
		}
		if (!w->user)
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

static void
list_usage(FILE *f)
{
	fprintf(f,
	    "usage: ftmatrix list [--json|--names] [--workloads DIR]...\n"
	    "\n"
	    "Lists the workload catalog by group: each workload, what it\n"
	    "measures, its unit and engines; with --workloads, your modules\n"
	    "in DIR first (searched before the catalog). --names: the\n"
	    "names alone, one a line (for shell completion).\n");
}

int
cmd_list(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"json", no_argument, NULL, 'j'},
	    {"names", no_argument, NULL, 'n'},
	    {"workloads", required_argument, NULL, 'W'},
	    {"help", no_argument, NULL, 'h'},
	    {NULL, 0, NULL, 0},
	};
	const char **dirs = xcalloc((size_t)argc + 1, sizeof(*dirs));
	struct catalog cat;
	size_t ndirs = 0;
	int json = 0, c;

	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = 1;
			break;
		case 'n':
			json = 2;
			break;
		case 'W':
			dirs[ndirs++] = optarg;
			break;
		case 'h':
			free(dirs);
			list_usage(stdout);
			return 0;
		default:
			free(dirs);
			return usage_bad_option(
			    argv, "h", longopts, list_usage);
		}
	}
	if (optind != argc) {
		free(dirs);
		fprintf(stderr, "ftmatrix list: unexpected argument %s\n",
		    argv[optind]);
		usage_synopsis("list", list_usage);
		return 2;
	}
	if (catalog_load_dirs(&cat, dirs, ndirs) < 0) {
		free(dirs);
		return 1;
	}
	free(dirs);
	if (json == 2)
		for (size_t i = 0; i < cat.n; i++)
			printf("%s\n", cat.items[i].name);
	else if (json)
		list_json(&cat);
	else
		list_text(&cat);
	catalog_free(&cat);
	return 0;
}
