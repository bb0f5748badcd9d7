#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ftmatrix.h"

/*
 * The parts of a cell the report reads beyond its wall times, as
 * probes/CONTRACT.md describes them: the cell's "memory" profile and the probe's
 * "metrics", "findings" and per-task "task_ns". A member that is present but
 * malformed is skipped and named in x->problem, so one odd cell cannot stop
 * a report from being drawn.
 */

static void problem(struct cell_extras *x, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
problem(struct cell_extras *x, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (x->problem)
		return; /* the first one says enough */
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	x->problem = s;
}

static char *
dup_str(json_t *o, const char *name)
{
	const char *s = json_string_value(json_object_get(o, name));

	return s ? xstrdup(s) : NULL;
}

static int
mem_stat(json_t *o, const char *name, struct mem_stat *m)
{
	json_t *v = json_object_get(o, name);
	json_t *min = json_object_get(v, "min"),
	       *max = json_object_get(v, "max");
	json_t *avg = json_object_get(v, "avg");

	if (!v)
		return 0; /* e.g. no PSS where smaps_rollup is missing */
	if (!json_is_number(min) || !json_is_number(max) ||
	    !json_is_number(avg))
		return -1;
	m->min = json_number_value(min);
	m->max = json_number_value(max);
	m->avg = json_number_value(avg);
	m->present = 1;
	return 0;
}

static void
memory_parse(struct cell_extras *x, json_t *o)
{
	struct cell_memory *m = &x->memory;
	json_t *tl, *row;
	size_t i;

	if (!json_is_object(o)) {
		problem(x, "\"memory\" is not an object");
		return;
	}
	if (mem_stat(o, "rss_kib", &m->rss) < 0 ||
	    mem_stat(o, "uss_kib", &m->uss) < 0 ||
	    mem_stat(o, "pss_kib", &m->pss) < 0) {
		problem(
		    x, "\"memory\" has a statistic without min, max and avg");
		memset(m, 0, sizeof(*m));
		return;
	}
	m->interval_ms = json_number_value(json_object_get(o, "interval_ms"));
	m->nsamples = (long)json_number_value(json_object_get(o, "nsamples"));
	m->present = m->rss.present || m->uss.present || m->pss.present;
	tl = json_object_get(o, "timeline");
	if (json_is_array(tl) && json_array_size(tl)) {
		m->timeline =
		    xcalloc(json_array_size(tl), sizeof(*m->timeline));
		json_array_foreach(tl, i, row)
		{
			for (size_t k = 0; k < 4; k++) {
				json_t *v = json_array_get(row, k);

				/* a column the sampler could not read is NaN */
				m->timeline[i][k] = json_is_number(v)
				    ? json_number_value(v)
				    : NAN;
			}
			if (!json_is_array(row) || isnan(m->timeline[i][0])) {
				problem(x,
				    "\"memory\".\"timeline\" row %zu is "
				    "not [t_ms, rss, uss, pss]",
				    i);
				free(m->timeline);
				m->timeline = NULL;
				break;
			}
			m->ntimeline = i + 1;
		}
	}
}

static void
metrics_parse(struct cell_extras *x, json_t *metrics)
{
	const char *name;
	json_t *v;

	if (!metrics)
		return;
	if (!json_is_object(metrics)) {
		problem(x, "probe \"metrics\" is not an object");
		return;
	}
	x->metrics =
	    xcalloc(json_object_size(metrics) + 1, sizeof(*x->metrics));
	json_object_foreach(metrics, name, v)
	{
		struct metric *m = &x->metrics[x->nmetrics];
		json_t *value =
		    json_is_object(v) ? json_object_get(v, "value") : v;

		if (!json_is_number(value)) {
			problem(x, "probe metric \"%s\" has no numeric value",
			    name);
			continue;
		}
		m->name = xstrdup(name);
		m->value = json_number_value(value);
		m->unit = dup_str(v, "unit");
		m->description = dup_str(v, "description");
		x->nmetrics++;
	}
}

static void
findings_parse(struct cell_extras *x, json_t *findings)
{
	size_t i;
	json_t *f;

	if (!findings)
		return;
	if (!json_is_array(findings)) {
		problem(x, "probe \"findings\" is not a list");
		return;
	}
	x->findings =
	    xcalloc(json_array_size(findings) + 1, sizeof(*x->findings));
	json_array_foreach(findings, i, f)
	{
		struct finding *d = &x->findings[x->nfindings];
		json_t *details = json_object_get(f, "details");

		d->id = dup_str(f, "id");
		d->outcome = dup_str(f, "outcome");
		if (!d->id || !d->outcome) {
			problem(x,
			    "probe finding %zu has no \"id\" or "
			    "\"outcome\"",
			    i);
			free(d->id);
			free(d->outcome);
			memset(d, 0, sizeof(*d));
			continue;
		}
		d->title = dup_str(f, "title");
		d->summary = dup_str(f, "summary");
		if (details && !json_is_null(details))
			d->details_json = json_dumps(details,
			    JSON_COMPACT | JSON_SORT_KEYS | JSON_ENCODE_ANY);
		x->nfindings++;
	}
}

/* Every sample's "task_ns", pooled; nothing when no sample has them. */
static void
tasks_parse(struct cell_extras *x, json_t *samples)
{
	size_t i, j, total = 0;
	json_t *s, *t;

	json_array_foreach(samples, i, s)
	{
		total += json_array_size(json_object_get(s, "task_ns"));
	}
	if (!total)
		return;
	x->task_ns = xcalloc(total, sizeof(*x->task_ns));
	json_array_foreach(samples, i, s)
	{
		json_array_foreach(json_object_get(s, "task_ns"), j, t)
		{
			if (json_is_number(t))
				x->task_ns[x->ntask++] = json_number_value(t);
		}
	}
}

/* A document as a cell holds it: the object read from results.json, else
 * the text kept verbatim (a probe's output that was no JSON object), parsed
 * as cell_extras_load parses it. A new reference, or NULL. */
static json_t *
doc_of(json_t *v)
{
	if (json_is_string(v))
		return json_loads(json_string_value(v), 0, NULL);
	return json_incref(v);
}

static void
extras_read(struct cell_extras *x, json_t *probe, json_t *memory, int sampled)
{
	memset(x, 0, sizeof(*x));
	if (sampled)
		memory_parse(x, memory);
	/* parsed once, for the workers' sums and the rest */
	cell_workers_read(&x->workers, probe);
	if (!json_is_object(probe))
		return; /* kept verbatim because it did not parse: nothing to
		           add */
	x->kind = dup_str(probe, "kind");
	x->load = dup_str(probe, "load");
	x->unit = dup_str(probe, "unit");
	metrics_parse(x, json_object_get(probe, "metrics"));
	findings_parse(x, json_object_get(probe, "findings"));
	tasks_parse(x, json_object_get(probe, "samples"));
}

void
cell_extras_load(const struct result_cell *c, struct cell_extras *x)
{
	json_t *probe, *memory;

	if (c->extras) {
		*x = *c->extras; /* the cell's: not to be freed */
		return;
	}
	probe = c->probe_json ? json_loads(c->probe_json, 0, NULL) : NULL;
	memory = c->memory_json ? json_loads(c->memory_json, 0, NULL) : NULL;
	extras_read(x, probe, memory, c->memory_json != NULL);
	json_decref(probe);
	json_decref(memory);
}

void
cell_extras_keep(struct result_cell *c, json_t *probe, json_t *memory)
{
	json_t *p = c->probe_json ? doc_of(probe) : NULL;
	json_t *m = c->memory_json ? doc_of(memory) : NULL;

	c->extras = xcalloc(1, sizeof(*c->extras));
	extras_read(c->extras, p, m, c->memory_json != NULL);
	json_decref(p);
	json_decref(m);
}

void
cell_extras_release(const struct result_cell *c, struct cell_extras *x)
{
	if (!c->extras)
		cell_extras_free(x);
	memset(x, 0, sizeof(*x));
}

void
cell_extras_free(struct cell_extras *x)
{
	for (size_t i = 0; i < x->nmetrics; i++) {
		free(x->metrics[i].name);
		free(x->metrics[i].unit);
		free(x->metrics[i].description);
	}
	for (size_t i = 0; i < x->nfindings; i++) {
		free(x->findings[i].id);
		free(x->findings[i].title);
		free(x->findings[i].outcome);
		free(x->findings[i].summary);
		free(x->findings[i].details_json);
	}
	free(x->metrics);
	free(x->findings);
	free(x->task_ns);
	free(x->kind);
	free(x->load);
	free(x->unit);
	free(x->memory.timeline);
	free(x->problem);
	cell_workers_free(&x->workers);
	memset(x, 0, sizeof(*x));
}
