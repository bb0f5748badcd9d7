/* When the way a workload was loaded changes its result: the same module
 * measured imported and as the __main__ script (load: import | main), on
 * the same interpreter, with 95% CIs that do not overlap. On free-threaded
 * builds the two compile constants differently (immortal or not), so a
 * figure can hold for one and not for the other. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

static size_t
module_len(const char *workload)
{
	return strcspn(workload, (char[]){WORKLOAD_LOAD_SEP, '\0'});
}

static int
same_module(const char *a, const char *b)
{
	size_t n = module_len(a);

	return n == module_len(b) && strncmp(a, b, n) == 0;
}

static int
apart(double lo_a, double hi_a, double lo_b, double hi_b)
{
	return lo_a > hi_b || lo_b > hi_a;
}

/* The imported key of the same module as the __main__ one, or NULL. */
static const char *
imported_twin(const struct report *r, size_t wmain)
{
	const struct analysis *a = &r->a;

	for (size_t w = 0; w < a->nworkloads; w++)
		if (w != wmain && r->perf[w] == 1 &&
		    same_module(a->workloads[w], a->workloads[wmain]) &&
		    strcmp(report_load(r, a->workloads[w]), "import") == 0)
			return a->workloads[w];
	return NULL;
}

static void
pair_sentences(const struct report *r, const char *wm, const char *wi,
    char ***out, size_t *n)
{
	const struct analysis *a = &r->a;
	const char *e = report_engine(a, wm);
	int len = (int)module_len(wm);

	for (size_t i = 0; e && i < r->rs->ninterps; i++) {
		const char *who = report_label(r->rs, i);
		const struct group *m = analysis_find(a, i, wm, e, 1),
		                   *p = analysis_find(a, i, wi, e, 1);

		if (i != a->baseline && a->baseline != SIZE_MAX && m && p &&
		    m->has_overhead && p->has_overhead &&
		    apart(m->overhead_lo, m->overhead_hi, p->overhead_lo,
		        p->overhead_hi)) {
			strv_push(out, n,
			    xasprintf("%.*s: how it is loaded changes the "
			              "result: %s takes %.2fx the time of %s "
			              "on one thread run as the __main__ "
			              "script, %.2fx imported (95%% CIs "
			              "apart).",
			        len, wm, who, m->overhead,
			        report_label(r->rs, a->baseline), p->overhead));
		}
		for (size_t k = a->nthreads; k-- > 1;) {
			m = analysis_find(a, i, wm, e, a->threads[k]);
			p = analysis_find(a, i, wi, e, a->threads[k]);
			if (!m || !p || !m->has_speedup || !p->has_speedup)
				continue;
			if (apart(m->speedup_lo, m->speedup_hi, p->speedup_lo,
			        p->speedup_hi)) {
				strv_push(out, n,
				    xasprintf("%.*s: how it is loaded "
				              "changes the result: %s "
				              "scales %.2fx on %d threads "
				              "run as the __main__ script, "
				              "%.2fx imported (95%% CIs "
				              "apart).",
				        len, wm, who, m->speedup, a->threads[k],
				        p->speedup));
			}
			break;
		}
	}
}

void
load_sentences(const struct report *r, char ***out, size_t *n)
{
	const struct analysis *a = &r->a;

	for (size_t w = 0; w < a->nworkloads; w++) {
		const char *twin;

		if (r->perf[w] != 1 ||
		    strcmp(report_load(r, a->workloads[w]), "main") != 0)
			continue;
		twin = imported_twin(r, w);
		if (twin)
			pair_sentences(r, a->workloads[w], twin, out, n);
	}
}
