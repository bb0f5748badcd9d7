/* results.json's "shard" (which part of the plan a file holds) and
 * "hosts" (the machines of a merged file whose shards ran on several). */
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"
#include "results-json.h"

static json_t *
ints_to_json(const int *x, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_integer(x[i]));
	return a;
}

static json_t *
strs_to_json(char *const *x, size_t n)
{
	json_t *a = json_array();

	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(x[i]));
	return a;
}

static int
ints_from_json(
    struct reader *r, json_t *a, const char *name, int **x, size_t *n)
{
	json_t *v;
	size_t i;

	*x = NULL;
	*n = 0;
	if (!a)
		return 0;
	if (!json_is_array(a)) {
		rd_bad(r, name, "not an array of integers");
		return -1;
	}
	*x = xcalloc(json_array_size(a) + 1, sizeof(**x));
	json_array_foreach(a, i, v)
	{
		if (!json_is_integer(v)) {
			rd_bad(r, name, "not an array of integers");
			return -1;
		}
		(*x)[(*n)++] = (int)json_integer_value(v);
	}
	return 0;
}

static int
strs_from_json(
    struct reader *r, json_t *a, const char *name, char ***x, size_t *n)
{
	json_t *v;
	size_t i;

	*x = NULL;
	*n = 0;
	if (!a)
		return 0;
	if (!json_is_array(a)) {
		rd_bad(r, name, "not an array of strings");
		return -1;
	}
	*x = xcalloc(json_array_size(a) + 1, sizeof(**x));
	json_array_foreach(a, i, v)
	{
		if (!json_is_string(v)) {
			rd_bad(r, name, "not an array of strings");
			return -1;
		}
		(*x)[(*n)++] = xstrdup(json_string_value(v));
	}
	return 0;
}

json_t *
shard_to_json(const struct shard_info *s)
{
	json_t *o;

	if (s->count == 0)
		return json_null();
	o = json_pack("{s:i, s:i}", "index", s->index, "count", s->count);
	if (s->index > 0) {
		json_object_set_new(
		    o, "workloads", strs_to_json(s->workloads, s->nworkloads));
		json_object_set_new(o, "estimated_s", jv_real(s->estimated_s));
	} else {
		json_t *missing = json_array();

		json_object_set_new(
		    o, "merged", ints_to_json(s->merged, s->nmerged));
		for (int k = 1; k <= s->count; k++) {
			size_t i = 0;

			while (i < s->nmerged && s->merged[i] != k)
				i++;
			if (i == s->nmerged)
				json_array_append_new(missing, json_integer(k));
		}
		json_object_set_new(o, "missing", missing);
	}
	return o;
}

int
shard_from_json(struct reader *r, json_t *o, struct shard_info *s)
{
	const char *where = r->where;
	int rc = 0;

	memset(s, 0, sizeof(*s));
	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o)) {
		rd_bad(r, "shard", "not an object");
		return -1;
	}
	r->where = "shard";
	s->index = (int)rd_int(r, o, "index", 0);
	s->count = (int)rd_int(r, o, "count", 0);
	s->estimated_s = rd_real(r, o, "estimated_s", 0);
	if (strs_from_json(r, json_object_get(o, "workloads"), "workloads",
	        &s->workloads, &s->nworkloads) < 0 ||
	    ints_from_json(r, json_object_get(o, "merged"), "merged",
	        &s->merged, &s->nmerged) < 0)
		rc = -1;
	if (rc == 0 && !r->failed &&
	    (s->count < 1 || s->count > SHARD_MAX || s->index < 0 ||
	        s->index > s->count)) {
		rd_bad(r, "index", "not a shard of \"count\"");
		rc = -1;
	}
	r->where = where;
	return r->failed ? -1 : rc;
}

static json_t *
machine_to_json(const struct machine *m)
{
	return json_pack("{s:o, s:i, s:o, s:o, s:o, s:I}", "cpu_model",
	    jv_str(m->cpu_model), "cores", m->cores, "kernel",
	    jv_str(m->kernel), "governor", jv_str(m->governor), "hostname",
	    jv_str(m->hostname), "mem_total_kib", (json_int_t)m->mem_total_kib);
}

json_t *
hosts_to_json(const struct resultset *rs)
{
	json_t *a = json_array();

	for (size_t i = 0; i < rs->nhosts; i++) {
		const struct result_host *h = &rs->hosts[i];

		json_array_append_new(a,
		    json_pack("{s:o, s:o, s:o}", "machine",
		        machine_to_json(&h->machine), "shards",
		        ints_to_json(h->shards, h->nshards), "workloads",
		        strs_to_json(h->workloads, h->nworkloads)));
	}
	return a;
}

int
hosts_from_json(struct reader *r, json_t *a, struct resultset *rs)
{
	const char *where = r->where;
	json_t *v, *m;
	size_t i;

	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a)) {
		rd_bad(r, "hosts", "not an array");
		return -1;
	}
	rs->hosts = xcalloc(json_array_size(a) + 1, sizeof(*rs->hosts));
	r->where = "hosts";
	json_array_foreach(a, i, v)
	{
		struct result_host *h = &rs->hosts[rs->nhosts++];

		m = json_object_get(v, "machine");
		if (!json_is_object(v) || !json_is_object(m)) {
			rd_bad(r, "machine", "not an object");
			break;
		}
		h->machine.cpu_model = rd_str(r, m, "cpu_model");
		h->machine.cores = (int)rd_int(r, m, "cores", 0);
		h->machine.kernel = rd_str(r, m, "kernel");
		h->machine.governor = rd_str(r, m, "governor");
		h->machine.hostname = rd_str(r, m, "hostname");
		h->machine.mem_total_kib = rd_int(r, m, "mem_total_kib", 0);
		h->machine.smt = h->machine.boost = h->machine.aslr = -1;
		if (ints_from_json(r, json_object_get(v, "shards"), "shards",
		        &h->shards, &h->nshards) < 0 ||
		    strs_from_json(r, json_object_get(v, "workloads"),
		        "workloads", &h->workloads, &h->nworkloads) < 0)
			break;
	}
	r->where = where;
	return r->failed ? -1 : 0;
}

void
shard_info_free(struct shard_info *s)
{
	for (size_t i = 0; i < s->nworkloads; i++)
		free(s->workloads[i]);
	free(s->workloads);
	free(s->merged);
	memset(s, 0, sizeof(*s));
}

void
result_host_free(struct result_host *h)
{
	machine_free(&h->machine);
	for (size_t i = 0; i < h->nworkloads; i++)
		free(h->workloads[i]);
	free(h->workloads);
	free(h->shards);
	memset(h, 0, sizeof(*h));
}

const struct result_host *
results_host(const struct resultset *rs, const char *workload)
{
	for (size_t i = 0; i < rs->nhosts; i++)
		for (size_t w = 0; w < rs->hosts[i].nworkloads; w++)
			if (strcmp(rs->hosts[i].workloads[w], workload) == 0)
				return &rs->hosts[i];
	return NULL;
}

char *
results_missing_shards(const struct resultset *rs)
{
	struct buf b = {0};
	size_t nmissing = 0;

	for (int k = 1; rs->shard.index == 0 && k <= rs->shard.count; k++) {
		size_t i = 0;

		while (i < rs->shard.nmerged && rs->shard.merged[i] != k)
			i++;
		if (i < rs->shard.nmerged)
			continue;
		buf_printf(&b, "%s%d", nmissing++ ? ", " : "", k);
	}
	if (!nmissing) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}
