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

int
cmd_list(int argc, char **argv)
{
	struct catalog cat;
	int json = argc > 1 && strcmp(argv[1], "--json") == 0;
	size_t i;

	if (argc > 1 && !json) {
		fprintf(stderr, "usage: ftmatrix list [--json]\n");
		return 2;
	}
	if (catalog_load(&cat) < 0)
		return 1;
	if (json)
		printf("[");
	for (i = 0; i < cat.n; i++) {
		const struct workload_info *w = &cat.items[i];

		if (json) {
			printf("%s\n {\"name\": ", i ? "," : "");
			json_string(w->name);
			printf(", \"group\": ");
			json_string(w->group);
			printf(", \"description\": ");
			json_string(w->description);
			printf(", \"unit\": ");
			json_string(w->unit);
			printf(", \"engines\": ");
			json_string(w->engines);
			printf("}");
		} else {
			printf("%-22s %-14s %s\n", w->name, w->group,
			    w->description);
		}
	}
	if (json)
		printf("\n]\n");
	catalog_free(&cat);
	return 0;
}
