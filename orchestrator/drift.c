/* Which samples a slow phase of the machine disturbed. Around every sample
 * the probe times a fixed Python snippet on each worker's own thread; a
 * sample whose snippet ran more than the threshold slower than the fastest
 * snippet of the same interpreter and thread count, anywhere in the run,
 * was taken in a slow phase and does not count. The probe judged it too,
 * against what it knew then; here the whole run is known. */
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

int
cell_ok(const struct result_cell *c)
{
	return c->status && strcmp(c->status, "ok") == 0;
}

static size_t
ref_find(const struct drift_refs *d, const char *interp, int threads)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->threads[i] == threads && strcmp(d->interp[i], interp) == 0)
			return i;
	return SIZE_MAX;
}

void
drift_refs_note(struct drift_refs *d, const char *interp, int threads,
    double drift_ns)
{
	size_t i;

	if (drift_ns <= 0 || !interp)
		return;
	i = ref_find(d, interp, threads);
	if (i == SIZE_MAX) {
		i = d->n++;
		d->interp = xreallocarray(d->interp, d->n, sizeof(*d->interp));
		d->threads =
		    xreallocarray(d->threads, d->n, sizeof(*d->threads));
		d->ref_ns = xreallocarray(d->ref_ns, d->n, sizeof(*d->ref_ns));
		d->interp[i] = xstrdup(interp);
		d->threads[i] = threads;
		d->ref_ns[i] = drift_ns;
	} else if (drift_ns < d->ref_ns[i]) {
		d->ref_ns[i] = drift_ns;
	}
}

void
drift_refs_add_cell(struct drift_refs *d, const struct result_cell *c)
{
	if (!cell_ok(c) || !c->drift_ns)
		return;
	for (size_t i = 0; i < c->nwall; i++)
		drift_refs_note(d, c->interp, c->threads, c->drift_ns[i]);
}

void
drift_refs_make(const struct resultset *rs, struct drift_refs *d)
{
	memset(d, 0, sizeof(*d));
	d->threshold = rs->settings.drift_threshold;
	for (size_t i = 0; i < rs->ncells; i++)
		drift_refs_add_cell(d, &rs->cells[i]);
}

double
drift_refs_get(const struct drift_refs *d, const char *interp, int threads)
{
	size_t i = interp ? ref_find(d, interp, threads) : SIZE_MAX;

	return i == SIZE_MAX ? 0 : d->ref_ns[i];
}

int
drift_sample_state(
    const struct drift_refs *d, const struct result_cell *c, size_t i)
{
	double ref;

	if (!c->disturbed || i >= c->nwall)
		return DISTURBED_NO;
	if ((int)c->disturbed[i] == DISTURBED_DESCHEDULED)
		return DISTURBED_DESCHEDULED;
	/* results from before the threshold was recorded: as the probe
	 * judged */
	if (d->threshold <= 0)
		return (int)c->disturbed[i];
	ref = drift_refs_get(d, c->interp, c->threads);
	if (c->drift_ns[i] > 0 && ref > 0 &&
	    c->drift_ns[i] > ref * (1 + d->threshold))
		return DISTURBED_SLOW_PHASE;
	return DISTURBED_NO;
}

size_t
drift_cell_kept(const struct drift_refs *d, const struct result_cell *c,
    double *out)
{
	size_t n = 0;

	for (size_t i = 0; i < c->nwall; i++)
		if (drift_sample_state(d, c, i) == DISTURBED_NO) {
			if (out)
				out[n] = c->wall_ns[i];
			n++;
		}
	return n;
}

void
drift_refs_free(struct drift_refs *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->interp[i]);
	free(d->interp);
	free(d->threads);
	free(d->ref_ns);
	memset(d, 0, sizeof(*d));
}
