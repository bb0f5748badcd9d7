/* The probe's JSON report into a cell. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

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
	const char *msg = jv_get_str(root, "error");
	const char *tb = jv_get_str(root, "traceback");
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
	json_t *drift = jv_get(smp, "drift_ns");
	double worst = 0;
	size_t j;

	for (j = 0; j < jv_len(drift); j++) {
		json_t *t = jv_at(drift, j);

		if (!jv_is_number(t))
			return 0;
		if (jv_number(t) > worst)
			worst = jv_number(t);
	}
	return worst;
}

static double
sample_disturbed(json_t *smp)
{
	const char *why = jv_get_str(smp, "disturbed");

	if (!why)
		return DISTURBED_NO;
	return strcmp(why, "descheduled") == 0 ? DISTURBED_DESCHEDULED
	                                       : DISTURBED_SLOW_PHASE;
}

static int
parse_samples(struct result_cell *c, json_t *samples)
{
	size_t i, j, n = jv_len(samples);

	free(c->wall_ns);
	free(c->cpu_ns);
	free(c->drift_ns);
	free(c->disturbed);
	c->wall_ns = c->cpu_ns = c->drift_ns = c->disturbed = NULL;
	c->nwall = 0;
	if (!jv_is_list(samples) || n == 0)
		return -1;
	c->wall_ns = xcalloc(n, sizeof(double));
	c->cpu_ns = xcalloc(n, sizeof(double));
	if (jv_get(jv_at(samples, 0), "drift_ns")) {
		c->drift_ns = xcalloc(n, sizeof(double));
		c->disturbed = xcalloc(n, sizeof(double));
	}
	for (i = 0; i < n; i++) {
		json_t *smp = jv_at(samples, i);
		json_t *wall = jv_get(smp, "wall_ns");
		json_t *cpu = jv_get(smp, "thread_cpu_ns");

		if (!jv_is_number(wall))
			return -1;
		c->wall_ns[i] = jv_number(wall);
		for (j = 0; j < jv_len(cpu); j++)
			c->cpu_ns[i] += jv_number(jv_at(cpu, j));
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
	struct jv_error jerr = {0};
	json_t *root, *errors;
	char *head;

	root = json ? jv_parse(json, &jerr) : NULL;
	if (!root || !jv_is_object(root) || !jv_get(root, "probe_version")) {
		head = json ? text_tail(json, 1) : xstrdup("");
		if (strlen(head) > 200)
			head[200] = '\0';
		cell_fail(c, "bad-output",
		    xasprintf("probe output is not its JSON report%s%s%s%s",
		        root ? "" : ": ", root ? "" : jerr.text,
		        *head ? "; last line: " : "", head));
		free(head);
		jv_free(root);
		return -1;
	}
	set_str(&c->probe_json, json);
	if (jv_get(root, "error")) {
		cell_fail(c, "failed", probe_error(root));
		jv_free(root);
		return 0;
	}
	set_str(&c->group, jv_get_str(root, "group"));
	set_str(&c->scaling, jv_get_str(root, "scaling"));
	c->iterations = (long)jv_number(jv_get(root, "iterations"));
	c->work_per_thread = (long)jv_number(jv_get(root, "work_per_thread"));
	{
		struct reader r = {.path = "probe output", .where = "", .failed = 1};

		c->gil_enabled_before =
		    rd_bool(&r, root, "gil_enabled_before", -1);
		c->gil_enabled_after =
		    rd_bool(&r, root, "gil_enabled_after", -1);
	}
	if (parse_samples(c, jv_get(root, "samples")) < 0) {
		cell_fail(c, "bad-output",
		    xstrdup("probe output has no valid samples"));
		jv_free(root);
		return -1;
	}
	errors = jv_get(root, "errors");
	if (jv_len(errors) > 0) {
		json_t *first = jv_at(errors, 0);
		const char *msg = jv_string(first) ? jv_string(first)
		                                   : jv_get_str(first, "error");

		cell_fail(c, "failed",
		    xasprintf("%zu error%s in the workload: %s",
		        jv_len(errors), jv_len(errors) == 1 ? "" : "s",
		        msg ? msg : "(no message)"));
	}
	jv_free(root);
	return 0;
}
