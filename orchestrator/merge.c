/*
 * Shards' results into one file. A shard holds whole workloads, so every
 * ratio a report computes (overhead at the same workload and thread count,
 * speedup of one interpreter) stays within one machine and one run; what
 * merge must guard is that the shards belong together: one matrix, no cell
 * twice, and every interpreter the same build everywhere.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

#define MERGE_NAMED 5 /* cells named in a refusal, then "and N more" */

static int
same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static const char *
base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path;
}

/* "uv 3.13t" for messages; static, two at a time */
static const char *
interp_key(const struct result_interp *ri)
{
	static char text[2][160];
	static int n;

	n = !n;
	snprintf(text[n], sizeof(text[n]), "%s %s",
	    ri->provider ? ri->provider : "?", ri->request ? ri->request : "?");
	return text[n];
}

#define DIFFERS(field, name)                                                   \
	if (!same(a->field, b->field)) {                                       \
		*va = a->field;                                                \
		*vb = b->field;                                                \
		return name;                                                   \
	}

/* What makes two interpreters one build, and the first thing that
 * differs (*va, *vb: its values); the provider's key (uv's directory, the
 * source cache's fingerprint) is the prefix's last part. */
static const char *
identity_differs(const struct result_interp *ra, const struct result_interp *rb,
    const char **va, const char **vb)
{
	const struct identity *a = &ra->identity, *b = &rb->identity;

	if (!same(ra->provider, rb->provider) ||
	    !same(ra->request, rb->request)) {
		*va = interp_key(ra);
		*vb = interp_key(rb);
		return "provider and request";
	}
	DIFFERS(version, "version")
	DIFFERS(implementation, "implementation")
	if (a->gil_disabled_build != b->gil_disabled_build) {
		*va = a->gil_disabled_build ? "free-threaded" : "GIL";
		*vb = b->gil_disabled_build ? "free-threaded" : "GIL";
		return "build";
	}
	DIFFERS(abiflags, "ABI flags")
	DIFFERS(compiler, "compiler")
	DIFFERS(config_args, "configure arguments")
	DIFFERS(build_date, "build date")
	if (!same(base_name(a->prefix), base_name(b->prefix))) {
		*va = base_name(a->prefix);
		*vb = base_name(b->prefix);
		return "installation (uv key or build fingerprint)";
	}
	return NULL;
}

/* "a/b/c, d/e/f and 3 more" of the cells of interpreter id in rs */
static char *
cells_named(const struct resultset *rs, const char *id)
{
	struct buf b = {0};
	size_t n = 0;

	for (size_t i = 0; i < rs->ncells; i++) {
		if (id && strcmp(rs->cells[i].interp, id) != 0)
			continue;
		if (n++ < MERGE_NAMED)
			buf_printf(
			    &b, "%s%s", n > 1 ? ", " : "", rs->cells[i].key);
	}
	if (n > MERGE_NAMED)
		buf_printf(&b, " and %zu more", n - MERGE_NAMED);
	if (!n)
		buf_puts(&b, "no cells");
	return buf_detach(&b);
}

static int
check_matrices(struct resultset *in, const char *const *paths, size_t n)
{
	char sha0[65], sha[65];
	int rc = 0;

	sha256_hex(in[0].matrix_text, strlen(in[0].matrix_text), sha0);
	for (size_t i = 1; i < n; i++) {
		char *cells;

		sha256_hex(in[i].matrix_text, strlen(in[i].matrix_text), sha);
		if (strcmp(sha, sha0) == 0)
			continue;
		cells = cells_named(&in[i], NULL);
		error("%s: another matrix than %s (\"%s\", sha256 %.12s, "
		      "against \"%s\", sha256 %.12s); its cells %s are not "
		      "shards of the same plan",
		    paths[i], paths[0], in[i].matrix_name, sha,
		    in[0].matrix_name, sha0, cells);
		free(cells);
		rc = -1;
	}
	return rc;
}

static int
check_shards(struct resultset *in, const char *const *paths, size_t n)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		const struct shard_info *s = &in[i].shard;

		if (s->count == 0 || s->index == 0) {
			error("%s: not a shard (%s); merge joins the results "
			      "of ftmatrix run --shard K/N",
			    paths[i],
			    s->count ? "already a merged file"
			             : "the whole plan");
			rc = -1;
		} else if (s->count != in[0].shard.count) {
			error("%s: shard %d/%d, but %s is shard %d/%d: the "
			      "plan was cut differently",
			    paths[i], s->index, s->count, paths[0],
			    in[0].shard.index, in[0].shard.count);
			rc = -1;
		}
		for (size_t j = 0; rc == 0 && j < i; j++)
			if (in[j].shard.index == s->index) {
				error("%s and %s: both are shard %d/%d",
				    paths[j], paths[i], s->index, s->count);
				rc = -1;
			}
	}
	return rc;
}

struct key_at {
	const char *key;
	size_t file;
};

static int
key_at_cmp(const void *pa, const void *pb)
{
	const struct key_at *a = pa, *b = pb;
	int c = strcmp(a->key, b->key);

	return c ? c : (a->file > b->file) - (a->file < b->file);
}

static int
check_overlap(struct resultset *in, const char *const *paths, size_t n)
{
	struct key_at *all;
	size_t nall = 0, dup = 0;

	for (size_t i = 0; i < n; i++)
		nall += in[i].ncells;
	all = xcalloc(nall + 1, sizeof(*all));
	nall = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t c = 0; c < in[i].ncells; c++)
			all[nall++] = (struct key_at){in[i].cells[c].key, i};
	qsort(all, nall, sizeof(*all), key_at_cmp);
	for (size_t k = 1; k < nall; k++) {
		if (strcmp(all[k].key, all[k - 1].key) != 0)
			continue;
		if (dup++ < MERGE_NAMED)
			error("cell %s is in both %s and %s", all[k].key,
			    paths[all[k - 1].file], paths[all[k].file]);
	}
	if (dup > MERGE_NAMED)
		error("and %zu more cells in two files", dup - MERGE_NAMED);
	free(all);
	return dup ? -1 : 0;
}

/* Each file's interpreters against the first file where each ran. */
static int
check_identities(struct resultset *in, const char *const *paths, size_t n)
{
	int rc = 0;

	for (size_t i = 1; i < n; i++)
		for (size_t k = 0; k < in[i].ninterps; k++) {
			const struct result_interp *b = &in[i].interps[k],
			                           *a = NULL;
			const char *what, *va = NULL, *vb = NULL;
			char *ca, *cb;
			size_t j = 0;

			for (; j < i && !(a && a->available); j++)
				a = results_interp(&in[j], b->id);
			if (!a || !a->available || !b->available ||
			    !(what = identity_differs(a, b, &va, &vb)))
				continue;
			ca = cells_named(&in[j - 1], b->id);
			cb = cells_named(&in[i], b->id);
			error(
			    "interpreter %s is another build in %s than in %s "
			    "(%s differs: \"%s\" against \"%s\"); its cells "
			    "in %s: %s; in %s: %s",
			    b->id, paths[i], paths[j - 1], what, vb ? vb : "",
			    va ? va : "", paths[i], cb, paths[j - 1], ca);
			free(ca);
			free(cb);
			rc = -1;
		}
	return rc;
}

static int
machine_same(const struct machine *a, const struct machine *b)
{
	return same(a->cpu_model, b->cpu_model) && a->cores == b->cores &&
	    same(a->kernel, b->kernel);
}

static void
machine_copy(struct machine *to, const struct machine *m)
{
	*to = *m;
	to->cpu_model = m->cpu_model ? xstrdup(m->cpu_model) : NULL;
	to->kernel = m->kernel ? xstrdup(m->kernel) : NULL;
	to->governor = m->governor ? xstrdup(m->governor) : NULL;
	to->hostname = m->hostname ? xstrdup(m->hostname) : NULL;
	to->isolated = m->isolated ? xstrdup(m->isolated) : NULL;
}

/* One host per distinct machine, only when there is more than one. */
static void
hosts_make(struct resultset *out, struct resultset *in, size_t n)
{
	size_t *host_of = xcalloc(n, sizeof(*host_of)), nh = 0;

	for (size_t i = 0; i < n; i++) {
		size_t h = 0;

		while (h < i && !machine_same(&in[h].machine, &in[i].machine))
			h++;
		host_of[i] = h == i ? nh++ : host_of[h];
	}
	if (nh > 1) {
		out->hosts = xcalloc(nh, sizeof(*out->hosts));
		out->nhosts = nh;
		for (size_t i = 0; i < n; i++) {
			struct result_host *h = &out->hosts[host_of[i]];
			const struct shard_info *s = &in[i].shard;

			if (!h->shards)
				machine_copy(&h->machine, &in[i].machine);
			h->shards = xreallocarray(
			    h->shards, h->nshards + 1, sizeof(*h->shards));
			h->shards[h->nshards++] = s->index;
			h->workloads = xreallocarray(h->workloads,
			    h->nworkloads + s->nworkloads + 1,
			    sizeof(*h->workloads));
			for (size_t w = 0; w < s->nworkloads; w++)
				h->workloads[h->nworkloads++] =
				    xstrdup(s->workloads[w]);
		}
	}
	free(host_of);
}

/* The order an unsharded run measures in: repetitions outermost, then
 * workloads in matrix order; within both a shard kept the plan's order. */
struct cell_order {
	int rep;
	long rank; /* the workload's place in the matrix */
	size_t pos;
};

static int
cell_order_cmp(const void *pa, const void *pb)
{
	const struct cell_order *a = pa, *b = pb;

	if (a->rep != b->rep)
		return a->rep < b->rep ? -1 : 1;
	if (a->rank != b->rank)
		return a->rank < b->rank ? -1 : 1;
	return (a->pos > b->pos) - (a->pos < b->pos);
}

static void
cells_sort(struct resultset *rs)
{
	size_t i;
	char *const *names = rs->workloads;
	struct cell_order *o = xcalloc(rs->ncells + 1, sizeof(*o));
	struct result_cell *cells = xcalloc(rs->cells_cap + 1, sizeof(*cells));

	for (i = 0; i < rs->ncells; i++) {
		long r = 0;

		while ((size_t)r < rs->nworkloads &&
		    strcmp(names[r], rs->cells[i].workload) != 0)
			r++;
		o[i] = (struct cell_order){rs->cells[i].rep, r, i};
	}
	qsort(o, rs->ncells, sizeof(*o), cell_order_cmp);
	for (i = 0; i < rs->ncells; i++)
		cells[i] = rs->cells[o[i].pos];
	free(rs->cells);
	rs->cells = cells;
	free(o);
}

static int
int_cmp(const void *a, const void *b)
{
	return (*(const int *)a > *(const int *)b) -
	    (*(const int *)a < *(const int *)b);
}

/* Moves what in[i] holds into out (in[0] becomes out). */
static void
join(struct resultset *out, struct resultset *in, size_t n)
{
	int complete = 1;

	struct resultset hosts = {0};

	hosts_make(&hosts, in, n);
	*out = in[0];
	memset(&in[0], 0, sizeof(in[0]));
	out->hosts = hosts.hosts;
	out->nhosts = hosts.nhosts;
	complete = out->complete;
	out->shard.merged = xcalloc(n, sizeof(int));
	out->shard.merged[out->shard.nmerged++] = out->shard.index;
	for (size_t i = 1; i < n; i++) {
		struct resultset *s = &in[i];

		complete &= s->complete;
		out->shard.merged[out->shard.nmerged++] = s->shard.index;
		for (size_t c = 0; c < s->ncells; c++)
			*results_add_cell(out) = s->cells[c];
		s->ncells = 0;
		out->calibrations = xreallocarray(out->calibrations,
		    out->ncalibrations + s->ncalibrations + 1,
		    sizeof(*out->calibrations));
		for (size_t c = 0; c < s->ncalibrations; c++)
			out->calibrations[out->ncalibrations++] =
			    s->calibrations[c];
		s->ncalibrations = 0;
		/* an interpreter unavailable in one shard may have run in
		 * another */
		for (size_t k = 0; k < out->ninterps; k++) {
			struct result_interp *o = &out->interps[k];
			size_t j = 0;

			while (
			    j < s->ninterps && strcmp(s->interps[j].id, o->id))
				j++;
			if (j < s->ninterps && !o->available &&
			    s->interps[j].available) {
				struct result_interp t = *o;

				*o = s->interps[j];
				s->interps[j] = t;
			}
		}
		if (s->created && out->created &&
		    strcmp(s->created, out->created) < 0) {
			free(out->created);
			out->created = s->created;
			s->created = NULL;
		}
		if (s->updated && out->updated &&
		    strcmp(s->updated, out->updated) > 0) {
			free(out->updated);
			out->updated = s->updated;
			s->updated = NULL;
		}
	}
	qsort(out->shard.merged, out->shard.nmerged, sizeof(int), int_cmp);
	for (size_t w = 0; w < out->shard.nworkloads; w++)
		free(out->shard.workloads[w]);
	free(out->shard.workloads);
	out->shard.workloads = NULL;
	out->shard.nworkloads = 0;
	out->shard.index = 0;
	out->shard.estimated_s = 0;
	out->complete =
	    complete && out->shard.nmerged == (size_t)out->shard.count;
	cells_sort(out);
	/* the first shard's, if it had one, holds only its own cells */
	if (out->analysis) {
		analysis_free(out->analysis);
		free(out->analysis);
	}
	out->analysis = analysis_new(out);
}

int
merge_results(struct resultset *in, const char *const *paths, size_t n,
    struct resultset *out)
{
	int rc = 0;

	if (check_matrices(in, paths, n) < 0)
		return -1;
	/* every refusal at once: the user fixes them in one go */
	rc |= check_shards(in, paths, n);
	rc |= check_overlap(in, paths, n);
	rc |= check_identities(in, paths, n);
	if (rc)
		return -1;
	join(out, in, n);
	return 0;
}
