/* The probe's command line for one cell of the plan. */
#include <stdlib.h>

#include "ftmatrix.h"

static void
add(char ***argv, size_t *n, char *arg)
{
	*argv = xreallocarray(*argv, *n + 2, sizeof(**argv));
	(*argv)[(*n)++] = arg;
	(*argv)[*n] = NULL;
}

char **
probe_argv(
    const struct matrix *m, const struct interp *in, const struct cell *c)
{
	const struct workload_spec *w = &m->workloads[c->workload];
	char **argv = NULL;
	size_t n = 0, i;

	add(&argv, &n, xstrdup(in->probe));
	if (w->module_dir) {
		add(&argv, &n, xasprintf("--workloads-dir=%s", w->module_dir));
		add(&argv, &n,
		    xasprintf("--helpers-dir=%s/probes/workloads", data_dir()));
	} else
		add(&argv, &n,
		    xasprintf(
		        "--workloads-dir=%s/probes/workloads", data_dir()));
	add(&argv, &n, xasprintf("--workload=%s", w->module));
	add(&argv, &n, xasprintf("--engine=%s", m->engines[c->engine]));
	add(&argv, &n, xasprintf("--threads=%d", c->threads));
	add(&argv, &n,
	    xasprintf("--iterations=%ld",
	        w->iterations ? w->iterations : m->iterations));
	add(&argv, &n, xasprintf("--scaling=%s", m->scaling));
	add(&argv, &n, xasprintf("--samples=%d", m->samples));
	add(&argv, &n, xasprintf("--warmup=%d", m->warmup));
	if (w->tasks)
		add(&argv, &n, xasprintf("--tasks=%d", w->tasks));
	if (w->task_warmup)
		add(&argv, &n, xasprintf("--task-warmup=%d", w->task_warmup));
	if (w->load == LOAD_MAIN)
		add(&argv, &n, xstrdup("--load=main"));
	for (i = 0; i < w->nparams; i++)
		add(&argv, &n, xasprintf("--param=%s", w->params[i]));
	/* sys.executable for process pools: the interpreter, not the probe */
	if (in->python)
		add(&argv, &n, xasprintf("--python=%s", in->python));
	return argv;
}

char **
probe_argv_drift(char **argv, double threshold, double ref_ns,
    int extra_samples)
{
	size_t n = 0;

	while (argv[n])
		n++;
	if (threshold <= 0) {
		add(&argv, &n, xstrdup("--no-drift"));
		return argv;
	}
	add(&argv, &n,
	    xasprintf("--drift-threshold=%d", (int)(threshold * 1000 + 0.5)));
	if (ref_ns > 0)
		add(&argv, &n, xasprintf("--drift-ref=%.0f", ref_ns));
	if (extra_samples > 0)
		add(&argv, &n, xasprintf("--extra-samples=%d", extra_samples));
	return argv;
}

void
probe_argv_free(char **argv)
{
	for (char **a = argv; a && *a; a++)
		free(*a);
	free(argv);
}
