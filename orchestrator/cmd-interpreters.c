#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "ftmatrix.h"

static const char *
gil_word(int enabled)
{
	return enabled < 0 ? "n/a" : enabled ? "on" : "off";
}

int
cmd_interpreters(int argc, char **argv)
{
	struct provision_opts po = { 0 };
	struct interp *in = NULL;
	struct matrix m;
	int rc = 0, i;
	size_t k;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--rebuild") == 0)
			po.rebuild = 1;
		else {
			fprintf(stderr,
			    "usage: ftmatrix interpreters MATRIX [--rebuild]\n");
			return 2;
		}
	}
	if (i != argc - 1) {
		fprintf(stderr, "usage: ftmatrix interpreters MATRIX [--rebuild]\n");
		return 2;
	}
	if (matrix_load(argv[i], &m) != 0) {
		matrix_free(&m);
		return 1;
	}
	if (provision_all(&m, &po, &in) < 0)
		rc = 1;
	printf("%-12s %-22s %-8s %-9s %-4s %s\n", "id", "label", "provider",
	    "ft-build", "gil", "executable");
	for (k = 0; k < m.ninterps; k++) {
		const struct interp *x = &in[k];

		if (!x->available) {
			printf("%-12s %-22s %-8s %-9s %-4s (unavailable: %s)\n",
			    m.interps[k].id, "-", provider_name(m.interps[k].provider),
			    "-", "-", x->error ? x->error : "?");
			continue;
		}
		printf("%-12s %-22s %-8s %-9s %-4s %s\n", m.interps[k].id, x->label,
		    provider_name(m.interps[k].provider),
		    x->identity.gil_disabled_build ? "yes" : "no",
		    gil_word(x->identity.gil_enabled), x->python);
	}
	interps_free(in, m.ninterps);
	matrix_free(&m);
	return rc;
}
