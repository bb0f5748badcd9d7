#include <stdlib.h>

#include "ftmatrix.h"

void
plan_make(const struct matrix *m, struct plan *p)
{
	size_t n = 0, w, e, t, i;
	int rep;

	p->ncells = (size_t)m->repetitions * m->nworkloads * m->nengines *
	    m->nthreads * m->ninterps;
	p->cells = xcalloc(p->ncells, sizeof(*p->cells));
	/* interpreters innermost: A B C A B C, so drift hits all alike */
	for (rep = 0; rep < m->repetitions; rep++)
		for (w = 0; w < m->nworkloads; w++)
			for (e = 0; e < m->nengines; e++)
				for (t = 0; t < m->nthreads; t++)
					for (i = 0; i < m->ninterps; i++)
						if (matrix_cell_wanted(m, w,
							m->engines[e], m->threads[t]))
							p->cells[n++] = (struct cell){ .interp = i,
								.workload = w, .engine = e,
								.threads = m->threads[t], .rep = rep };
	p->ncells = n;
}

void
plan_free(struct plan *p)
{
	free(p->cells);
	p->cells = NULL;
	p->ncells = 0;
}

char *
cell_key(const struct matrix *m, const struct cell *c)
{
	return xasprintf("%s/%s/%s/%d/%d", m->interps[c->interp].id,
	    m->workloads[c->workload].name, m->engines[c->engine], c->threads,
	    c->rep);
}
