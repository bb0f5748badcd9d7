/* The probe's JSON report into a cell. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"
#include "results-json.h"

static void
set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

static void
cell_fail(struct result_cell *c, const char *status, char *error)
{
	set_str(&c->status, status);
	free(c->error);
	c->error = error;
}

/* The probe's "error" plus the last line of its traceback, which names the
 * exception, when the message does not already say it. */
static char *
probe_error(json_t *root)
{
	const char *msg = json_string_value(json_object_get(root, "error"));
	const char *tb = json_string_value(json_object_get(root, "traceback"));
	char *last, *s;

	if (!msg)
		msg = "probe reported an error";
	if (!tb || !*tb)
		return xstrdup(msg);
	last = text_tail(tb, 1);
	if (!*last || strstr(msg, last))
		s = xstrdup(msg);
	else
		s = xasprintf("%s (%s)", msg, last);
	free(last);
	return s;
}

/* The slowest worker's drift snippet around a sample; 0 when any worker's
 * was not measured. */
static double
sample_drift(json_t *smp)
{
	json_t *drift = json_object_get(smp, "drift_ns"), *t;
	double worst = 0;
	size_t j;

	json_array_foreach(drift, j, t)
	{
		if (!json_is_number(t))
			return 0;
		if (json_number_value(t) > worst)
			worst = json_number_value(t);
	}
	return worst;
}

static double
sample_disturbed(json_t *smp)
{
	const char *why =
	    json_string_value(json_object_get(smp, "disturbed"));

	if (!why)
		return DISTURBED_NO;
	return strcmp(why, "descheduled") == 0 ? DISTURBED_DESCHEDULED
	                                       : DISTURBED_SLOW_PHASE;
}

static int
parse_samples(struct result_cell *c, json_t *samples)
{
	json_t *smp, *t;
	size_t i, j, n = json_array_size(samples);

	free(c->wall_ns);
	free(c->cpu_ns);
	free(c->drift_ns);
	free(c->disturbed);
	c->wall_ns = c->cpu_ns = c->drift_ns = c->disturbed = NULL;
	c->nwall = 0;
	if (!json_is_array(samples) || n == 0)
		return -1;
	c->wall_ns = xcalloc(n, sizeof(double));
	c->cpu_ns = xcalloc(n, sizeof(double));
	if (json_object_get(json_array_get(samples, 0), "drift_ns")) {
		c->drift_ns = xcalloc(n, sizeof(double));
		c->disturbed = xcalloc(n, sizeof(double));
	}
	json_array_foreach(samples, i, smp)
	{
		json_t *wall = json_object_get(smp, "wall_ns");
		json_t *cpu = json_object_get(smp, "thread_cpu_ns");

		if (!json_is_number(wall))
			return -1;
		c->wall_ns[i] = json_number_value(wall);
		json_array_foreach(cpu, j, t)
		{
			c->cpu_ns[i] += json_number_value(t);
		}
		if (c->drift_ns) {
			c->drift_ns[i] = sample_drift(smp);
			c->disturbed[i] = sample_disturbed(smp);
		}
		c->nwall = i + 1;
	}
	return 0;
}

int
result_cell_parse_probe(struct result_cell *c, const char *json)
{
	json_error_t jerr;
	json_t *root, *errors;
	char *head;

	root = json ? json_loads(json, 0, &jerr) : NULL;
	if (!root || !json_is_object(root) ||
	    !json_object_get(root, "probe_version")) {
		head = json ? text_tail(json, 1) : xstrdup("");
		if (strlen(head) > 200)
			head[200] = '\0';
		cell_fail(c, "bad-output",
		    xasprintf("probe output is not its JSON report%s%s%s%s",
		        root ? "" : ": ", root ? "" : jerr.text,
		        *head ? "; last line: " : "", head));
		free(head);
		json_decref(root);
		return -1;
	}
	set_str(&c->probe_json, json);
	if (json_object_get(root, "error")) {
		cell_fail(c, "failed", probe_error(root));
		json_decref(root);
		return 0;
	}
	set_str(&c->group, json_string_value(json_object_get(root, "group")));
	set_str(
	    &c->scaling, json_string_value(json_object_get(root, "scaling")));
	c->iterations =
	    (long)json_number_value(json_object_get(root, "iterations"));
	c->work_per_thread =
	    (long)json_number_value(json_object_get(root, "work_per_thread"));
	{
		struct reader r = {.path = "probe output", .where = "", .failed = 1};

		c->gil_enabled_before =
		    rd_bool(&r, root, "gil_enabled_before", -1);
		c->gil_enabled_after =
		    rd_bool(&r, root, "gil_enabled_after", -1);
	}
	if (parse_samples(c, json_object_get(root, "samples")) < 0) {
		cell_fail(c, "bad-output",
		    xstrdup("probe output has no valid samples"));
		json_decref(root);
		return -1;
	}
	errors = json_object_get(root, "errors");
	if (json_array_size(errors) > 0) {
		json_t *first = json_array_get(errors, 0);
		const char *msg = json_is_string(first)
		    ? json_string_value(first)
		    : json_string_value(json_object_get(first, "error"));

		cell_fail(c, "failed",
		    xasprintf("%zu error%s in the workload: %s",
		        json_array_size(errors),
		        json_array_size(errors) == 1 ? "" : "s",
		        msg ? msg : "(no message)"));
	}
	json_decref(root);
	return 0;
}
