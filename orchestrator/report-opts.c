#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* Every format but pyperf, light, PNGs at 1200 px */
struct report_opts
report_opts_default(void)
{
	return (struct report_opts){
	    .html = 1, .csv = 1, .md = 1, .png = 1, .svg = 1, .scale = 1};
}

int
report_formats_parse(const char *list, struct report_opts *o)
{
	char *copy = xstrdup(list), *f, *save = NULL;
	int rc = 0, any = 0;

	o->html = o->csv = o->md = o->png = o->svg = o->pyperf = 0;
	for (f = strtok_r(copy, ",", &save); f;
	     f = strtok_r(NULL, ",", &save)) {
		any = 1;
		if (strcmp(f, "html") == 0)
			o->html = 1;
		else if (strcmp(f, "csv") == 0)
			o->csv = 1;
		else if (strcmp(f, "md") == 0)
			o->md = 1;
		else if (strcmp(f, "png") == 0)
			o->png = 1;
		else if (strcmp(f, "svg") == 0)
			o->svg = 1;
		else if (strcmp(f, "pyperf") == 0)
			o->pyperf = 1;
		else {
			error("--format: unknown format \"%s\" (expected html, "
			      "csv, md, png, svg, pyperf)",
			    f);
			rc = -1;
		}
	}
	if (!any) {
		error("--format: no format given (expected a list of html, "
		      "csv, md, png, svg)");
		rc = -1;
	}
	free(copy);
	return rc;
}

int
report_theme_parse(const char *s, struct report_opts *o)
{
	if (strcmp(s, "light") == 0)
		o->theme = THEME_LIGHT;
	else if (strcmp(s, "dark") == 0)
		o->theme = THEME_DARK;
	else {
		error("--theme: unknown theme \"%s\" (expected light or dark)",
		    s);
		return -1;
	}
	return 0;
}
