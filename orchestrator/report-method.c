/* What the run did to keep its numbers honest, in sentences: samples a
 * slow phase of the machine disturbed (left out and measured again),
 * probe processes replaced, and the precision each ratio reached against
 * the target. The summary of every report format ends with them. */
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* Ratios shown by name when a target was missed, at most. */
#define UNRESOLVED_NAMED 4

static void
disturbed_sentence(const struct report *r, char ***out, size_t *n)
{
	const struct analysis *a = &r->a;
	size_t measured = 0, slow = 0, desched = 0, replaced = 0, left = 0;
	size_t all = 0;

	for (size_t i = 0; i < a->ngroups; i++) {
		const struct group *g = &a->groups[i];

		if (!report_timed(r, g->workload))
			continue;
		measured += g->nsamples;
		slow += g->nslow;
		desched += g->ndescheduled;
		replaced += g->nreplaced;
		left += g->nleft_out;
		all += g->all_disturbed;
	}
	if (r->rs->settings.drift_threshold <= 0 || !measured)
		return;
	strv_push(out, n,
	    xasprintf("Of %zu samples, %zu ran in a slow phase of the machine "
	              "(the drift snippet more than %.0f%% slower than the "
	              "interpreter's fastest) and %zu were descheduled; they "
	              "are left out of every estimate, and probes measured "
	              "others in their place.",
	        measured, slow, r->rs->settings.drift_threshold * 100,
	        desched));
	if (replaced)
		strv_push(out, n,
		    xasprintf("%zu probe process%s had no sample that counted "
		              "(a slow phase or descheduling throughout) and "
		              "%s replaced by a fresh one.",
		        replaced, replaced == 1 ? "" : "es",
		        replaced == 1 ? "was" : "were"));
	if (left)
		strv_push(out, n,
		    xasprintf("%zu probe process%s kept no sample against the "
		              "run's fastest drift snippet and %s left out.",
		        left, left == 1 ? "" : "es", left == 1 ? "is" : "are"));
	if (all)
		strv_push(out, n,
		    xasprintf("%zu measurement group%s had no sample that "
		              "counted: the speedups and overheads that rest on "
		              "%s are not given, and %s times use every sample.",
		        all, all == 1 ? "" : "s", all == 1 ? "it" : "them",
		        all == 1 ? "its" : "their"));
}

static void
ratio_name(struct buf *b, const struct report *r, const struct group *g,
    const char *ratio, double p)
{
	buf_printf(b, "%s%s %s %s x%d (±%.1f%%)", b->len ? ", " : "",
	    report_label(r->rs, g->interp), g->workload, ratio, g->threads,
	    p * 100);
}

static void
precision_sentence(const struct report *r, char ***out, size_t *n)
{
	const struct analysis *a = &r->a;
	double target = r->rs->settings.target_ci;
	struct buf names = {0};
	size_t ratios = 0, met = 0, named = 0;

	if (target <= 0)
		return;
	for (size_t i = 0; i < a->ngroups; i++) {
		const struct group *g = &a->groups[i];
		double p;

		if (!report_timed(r, g->workload))
			continue;
		if (g->has_overhead && g->interp != a->baseline) {
			p = precision_of(
			    g->overhead, g->overhead_lo, g->overhead_hi);
			ratios++;
			if (p <= target)
				met++;
			else if (named++ < UNRESOLVED_NAMED)
				ratio_name(&names, r, g, "overhead", p);
		}
		if (g->has_speedup && g->threads > 1) {
			p = precision_of(
			    g->speedup, g->speedup_lo, g->speedup_hi);
			ratios++;
			if (p <= target)
				met++;
			else if (named++ < UNRESOLVED_NAMED)
				ratio_name(&names, r, g, "speedup", p);
		}
	}
	if (!ratios)
		return;
	if (met == ratios)
		strv_push(out, n,
		    xasprintf("Every ratio (%zu) reached the precision target: "
		              "a 95%% CI within ±%.3g%%.",
		        ratios, target * 100));
	else
		strv_push(out, n,
		    xasprintf("%zu of %zu ratios reached the precision target "
		              "(a 95%% CI within ±%.3g%%); not resolved: "
		              "%s%s.",
		        met, ratios, target * 100, buf_str(&names),
		        named > UNRESOLVED_NAMED ? ", and more in the tables"
		                                 : ""));
	buf_free(&names);
}

char **
report_method_sentences(const struct report *r, size_t *n)
{
	char **out = NULL;

	*n = 0;
	disturbed_sentence(r, &out, n);
	precision_sentence(r, &out, n);
	return out;
}
