/* libFuzzer target for the matrix parser: any bytes must give a matrix or
 * problems, never a crash, a hang, a leak or undefined behaviour, and a
 * matrix without problems must be one the rest of ftmatrix can run. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

#define ALL_ENGINES "threads,processes,executor-threads,executor-processes"

/* Used when the real catalog (probes/workloads beside the binary's tree,
 * or $FTMATRIX_DATADIR) cannot be read. */
static struct workload_info workloads[] = {
    {"cpu_loop", "basic", "a loop", "iterations", ALL_ENGINES, "ns", "timing",
        "import", 0, NULL, NULL},
    {"int_arith", "basic", "arithmetic", "iterations", ALL_ENGINES, "ns",
        "timing", "import", 0, NULL, NULL},
    {"object_churn", "objects", "objects", "iterations", ALL_ENGINES, "ns",
        "timing", "main", 0, NULL, NULL},
};
static struct catalog catalog = {workloads, 3};

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct catalog real;

	(void)argc;
	(void)argv;
	if (catalog_load(&real) == 0 && real.n > 0)
		catalog = real; /* kept for the whole run */
	return 0;
}

static void
require(int ok)
{
	if (!ok)
		abort();
}

/* What run.c, plan.c and provision.c take for granted of a valid matrix. */
static void
check_valid(const struct matrix *m)
{
	size_t i, j;

	require(m->ninterps > 0 && m->nworkloads > 0);
	require(m->nengines > 0 && m->nthreads > 0);
	require(m->repetitions >= 1 && m->samples >= 1 && m->warmup >= 0);
	require(m->iterations >= 1 && m->timeout_s > 0);
	require(m->name && *m->name && !strchr(m->name, '/'));
	require(m->scaling && m->text);
	for (i = 0; i < m->ninterps; i++) {
		const struct interp_spec *in = &m->interps[i];

		require(in->id && *in->id && !strchr(in->id, '/'));
		require(strcmp(in->id, ".") && strcmp(in->id, ".."));
		switch (in->provider) {
		case PROVIDER_UV:
			require(in->request != NULL);
			break;
		case PROVIDER_SOURCE:
			require(in->source != NULL);
			break;
		case PROVIDER_PATH:
			require(in->path != NULL);
			break;
		case PROVIDER_PYENV:
			require(in->version != NULL);
			break;
		case PROVIDER_VARIANT:
			require(in->variant_of &&
			    matrix_interp(m, in->variant_of) &&
			    matrix_interp(m, in->variant_of)->provider !=
			        PROVIDER_VARIANT);
			break;
		default:
			require(0);
		}
		require(matrix_interp(m, in->id) == in);
		for (j = 0; j < in->nenv; j++)
			require(in->env[j].name && in->env[j].value);
	}
	if (m->baseline)
		require(matrix_interp(m, m->baseline) != NULL);
	for (i = 0; i < m->nworkloads; i++) {
		const struct workload_spec *w = &m->workloads[i];
		size_t len = w->module ? strlen(w->module) : 0;

		require(w->name != NULL && w->module != NULL);
		require(catalog_find(&catalog, w->module) != NULL);
		/* the key: the module, with how it is loaded when given */
		require(!strncmp(w->name, w->module, len) &&
		    (!w->name[len] || !strcmp(w->name + len, "@main") ||
		        !strcmp(w->name + len, "@import")));
		require(w->load == LOAD_IMPORT || w->load == LOAD_MAIN);
		for (j = 0; w->load == LOAD_MAIN && j < w->nengines; j++)
			require(strcmp(w->engines[j], "executor-processes"));
		for (j = 0; j < i; j++)
			require(
			    strcmp(m->workloads[i].name, m->workloads[j].name));
	}
	for (i = 0; i < m->nthreads; i++)
		require(m->threads[i] >= 1 && m->threads[i] <= 1024);
	require((unsigned long long)m->ninterps * m->nworkloads * m->nengines *
	        m->nthreads * m->repetitions <=
	    100000);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct matrix m, again;
	int n;

	n = matrix_parse_catalog(
	    "fuzz.yaml", (const char *)data, size, &catalog, &m);
	require(n >= 0);
	require(m.path && m.name && m.scaling);
	require(m.text && !memcmp(m.text, data, size) && !m.text[size]);
	if (n == 0) {
		check_valid(&m);
		/* what a matrix from a URL may ask for: counted, never more
		 * than its interpreters; a local one is never refused */
		require(matrix_trust_check(&m, "https://fuzz.example/m.yaml",
		            0) <= (int)m.ninterps);
		require(matrix_trust_check(&m, "fuzz.yaml", 0) == 0);
	}
	/* the same bytes, the same verdict */
	require(matrix_parse_catalog("fuzz.yaml", (const char *)data, size,
	            &catalog, &again) == n);
	matrix_free(&again);
	matrix_free(&m);
	return 0;
}
