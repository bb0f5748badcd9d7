/*
 * What a cell's workers spent, from the probe's document: per sample and
 * worker the wall and CPU times, context switches and run-queue wait, and
 * per worker the kernel's counters. Summed over workers and samples; older
 * probes wrote only the times, and those cells say so by what is missing.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ftmatrix.h"

static const char *const counter_names[WORKER_COUNTERS_N] = {
    "task_clock_ns", "context_switches", "cpu_migrations", "page_faults",
    "cycles", "instructions", "cache_misses"};

const char *
worker_counter_name(int id)
{
	return id >= 0 && id < WORKER_COUNTERS_N ? counter_names[id] : "?";
}

/* Sum of a per-worker array; -1 when it is missing or holds a null. */
static double
array_sum(json_t *a, size_t *n)
{
	json_t *v;
	size_t i;
	double sum = 0;

	if (!json_is_array(a) || json_array_size(a) == 0)
		return -1;
	json_array_foreach(a, i, v)
	{
		if (!json_is_number(v) || json_number_value(v) < 0)
			return -1;
		sum += json_number_value(v);
	}
	if (n)
		*n = json_array_size(a);
	return sum;
}

static void
samples_sum(struct cell_workers *w, json_t *samples)
{
	json_t *s;
	size_t i;
	int switches = 1, runq = 1;

	json_array_foreach(samples, i, s)
	{
		size_t n = 0;
		double wall = array_sum(json_object_get(s, "thread_wall_ns"), &n);
		double cpu = array_sum(json_object_get(s, "thread_cpu_ns"), NULL);
		double v = array_sum(json_object_get(s, "thread_vcsw"), NULL);
		double iv = array_sum(json_object_get(s, "thread_ivcsw"), NULL);
		double q = array_sum(json_object_get(s, "thread_runq_ns"), NULL);

		if (wall <= 0 || cpu < 0)
			return;
		w->wall_ns += wall;
		w->cpu_ns += cpu;
		w->nworkers = (int)n;
		w->nsamples++;
		if (v < 0 || iv < 0)
			switches = 0;
		else {
			w->vcsw += v;
			w->ivcsw += iv;
		}
		if (q < 0)
			runq = 0;
		else
			w->runq_ns += q;
	}
	w->present = w->nsamples > 0;
	w->has_switches = w->present && switches;
	w->has_runq = w->present && runq;
}

static void
counters_sum(struct cell_workers *w, json_t *list)
{
	json_t *o;
	size_t i;
	struct buf absent = {0};

	if (!json_is_array(list) || json_array_size(list) == 0)
		return;
	for (int k = 0; k < WORKER_COUNTERS_N; k++)
		w->has_counter[k] = 1;
	json_array_foreach(list, i, o)
	{
		for (int k = 0; k < WORKER_COUNTERS_N; k++) {
			json_t *v = json_object_get(o, counter_names[k]);

			if (json_is_number(v))
				w->counter[k] += json_number_value(v);
			else
				w->has_counter[k] = 0;
		}
	}
	/* the reasons as the first worker gave them: all share a kernel */
	{
		json_t *why = json_object_get(json_array_get(list, 0), "absent");
		const char *name;
		json_t *v;

		json_object_foreach(why, name, v)
		{
			buf_printf(&absent, "%s%s (%s)", absent.len ? "; " : "",
			    name, json_is_string(v) ? json_string_value(v) : "?");
		}
	}
	w->absent = absent.data;
}

void
cell_workers_read(struct cell_workers *w, json_t *probe)
{
	memset(w, 0, sizeof(*w));
	if (json_is_object(probe)) {
		samples_sum(w, json_object_get(probe, "samples"));
		counters_sum(w, json_object_get(probe, "worker_counters"));
	}
}

void
cell_workers_free(struct cell_workers *w)
{
	free(w->absent);
	memset(w, 0, sizeof(*w));
}
