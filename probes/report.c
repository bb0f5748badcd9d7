/* The one JSON document on stdout: identity, parameters, GIL state,
 * samples, metrics and findings, or an error with its traceback. */
#include "probe.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

FILE *
stdout_claim(void)
{
	int fd = dup(STDOUT_FILENO);
	FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;

	if (!out || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) {
		fprintf(stderr, "probe: cannot redirect stdout: %s\n",
		    strerror(errno));
		exit(1);
	}
	return out;
}

int
report_write(struct report *rep, struct buf *b)
{
	buf_puts(b, "\n");
	if (fwrite(b->data, 1, b->len, rep->out) != b->len ||
	    fflush(rep->out) != 0) {
		fprintf(stderr, "probe: cannot write the result: %s\n",
		    strerror(errno));
		return -1;
	}
	return 0;
}

void
metrics_add(struct metrics *m, const char *name, double value, const char *unit,
    const char *description)
{
	buf_puts(&m->json, m->n++ ? ",\n    " : "\n    ");
	json_string(&m->json, name);
	if (!isfinite(value))
		buf_puts(&m->json, ": {\"value\": null");
	else if (value == floor(value) && fabs(value) < 1e15)
		buf_printf(&m->json, ": {\"value\": %.0f", value);
	else
		buf_printf(&m->json, ": {\"value\": %.6g", value);
	buf_puts(&m->json, ", \"unit\": ");
	json_string(&m->json, unit);
	buf_puts(&m->json, ", \"description\": ");
	json_string(&m->json, description);
	buf_puts(&m->json, "}");
}

static char *
dict_text(PyObject *d, const char *key, const char *fallback)
{
	PyObject *v = PyDict_Check(d) ? PyDict_GetItemString(d, key) : NULL;

	if (v && PyUnicode_Check(v))
		return py_strdup(v);
	return fallback ? xstrdup(fallback) : NULL;
}

/* metrics() -> {name: {"value": number, "unit": str, "description": str}}
 * (or a (value, unit, description) tuple), from a Python workload. */
int
report_python_metrics(struct report *rep)
{
	PyObject *fn = NULL, *result, *key, *value;
	Py_ssize_t pos = 0;
	int has = attr_optional(rep->workload.module, "metrics", &fn);

	if (has <= 0) {
		PyErr_Clear();
		return 0;
	}
	result = PyObject_CallNoArgs(fn);
	Py_DECREF(fn);
	if (!result || !PyDict_Check(result)) {
		if (result)
			PyErr_SetString(
			    PyExc_TypeError, "metrics() must return a dict");
		Py_XDECREF(result);
		failure_from_exception(&rep->failure, "workload metrics()");
		return -1;
	}
	while (PyDict_Next(result, &pos, &key, &value)) {
		PyObject *number = NULL;
		char *name = py_strdup(key), *unit = NULL, *desc = NULL;

		if (PyTuple_Check(value) && PyTuple_GET_SIZE(value) == 3) {
			number = PyTuple_GET_ITEM(value, 0);
			unit = py_strdup(PyTuple_GET_ITEM(value, 1));
			desc = py_strdup(PyTuple_GET_ITEM(value, 2));
		} else if (PyDict_Check(value)) {
			number = PyDict_GetItemString(value, "value");
			unit = dict_text(value, "unit", "");
			desc = dict_text(value, "description", "");
		}
		if (number && PyNumber_Check(number)) {
			double v = PyFloat_AsDouble(number);

			PyErr_Clear();
			metrics_add(&rep->metrics, name, v, unit, desc);
		} else if (rep->nerrors < REPORT_ERRORS_MAX) {
			rep->errors[rep->nerrors++] = xasprintf("metrics(): "
			                                        "%s has no "
			                                        "number",
			    name);
		}
		free(name);
		free(unit);
		free(desc);
	}
	Py_DECREF(result);
	return 0;
}

static const char *const outcomes[] = {"ok", "issue", "unsupported"};

/* The finding as JSON, through the json module so details can be any
 * plain data the check returns. */
static char *
finding_json(struct report *rep, PyObject *result)
{
	struct workload *w = &rep->workload;
	char *outcome = dict_text(result, "outcome", NULL), *text = NULL;
	PyObject *record = NULL, *json = NULL, *dumped = NULL, *v;
	int known = 0;

	for (size_t i = 0; outcome && i < 3; i++)
		known |= strcmp(outcome, outcomes[i]) == 0;
	if (!PyDict_Check(result) || !known ||
	    !PyDict_GetItemString(result, "summary")) {
		PyErr_Format(PyExc_ValueError,
		    "check() must return a dict with \"outcome\" (ok, issue "
		    "or unsupported) and \"summary\", got outcome %s",
		    outcome ? outcome : "(none)");
		free(outcome);
		return NULL;
	}
	free(outcome);
	record = PyDict_New();
	json = PyImport_ImportModule("json");
	v = PyUnicode_FromString(w->finding_id);
	if (record && json && v && PyDict_SetItemString(record, "id", v) == 0) {
		Py_DECREF(v);
		v = PyDict_GetItemString(result, "title");
		if (!v)
			v = PyObject_GetAttrString(w->module, "DESCRIPTION");
		else
			Py_INCREF(v);
		if (v && PyDict_SetItemString(record, "title", v) == 0 &&
		    PyDict_SetItemString(record, "outcome",
		        PyDict_GetItemString(result, "outcome")) == 0 &&
		    PyDict_SetItemString(record, "summary",
		        PyDict_GetItemString(result, "summary")) == 0) {
			PyObject *details =
			    PyDict_GetItemString(result, "details");
			PyObject *empty = details ? NULL : PyDict_New();

			if ((details || empty) &&
			    PyDict_SetItemString(record, "details",
			        details ? details : empty) == 0)
				dumped = PyObject_CallMethod(
				    json, "dumps", "O", record);
			Py_XDECREF(empty);
		}
	}
	Py_XDECREF(v);
	if (dumped)
		text = py_strdup(dumped);
	Py_XDECREF(dumped);
	Py_XDECREF(json);
	Py_XDECREF(record);
	return text;
}

int
report_run_finding(struct report *rep)
{
	struct options *opt = rep->opt;
	struct workload *w = &rep->workload;
	int64_t wall0, wall1, cpu0, cpu1;
	PyObject *result;
	char *text, *context;

	/* one check, one sample: a finding is an observation, not a timing */
	opt->warmup = 0;
	opt->samples = 1;
	opt->tasks = 1;
	opt->task_warmup = 0;
	opt->tasks_given = 0;
	opt->extra_samples = 0;
	opt->drift = 0;
	samples_init(&rep->samples, opt, 1);
	rep->samples.rounds_run = 1;
	wall0 = clock_ns(CLOCK_MONOTONIC);
	cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	result = PyObject_CallFunction(w->check, "i", opt->threads);
	cpu1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
	wall1 = clock_ns(CLOCK_MONOTONIC);
	text = result ? finding_json(rep, result) : NULL;
	Py_XDECREF(result);
	if (!text) {
		context = xasprintf(
		    "finding %s: check(%d)", w->finding_id, opt->threads);
		failure_from_exception(&rep->failure, context);
		free(context);
		return -1;
	}
	rep->samples.start_ns[0] = wall0;
	rep->samples.end_ns[0] = wall1;
	rep->samples.cpu_ns[0] = cpu1 - cpu0;
	buf_puts(&rep->findings, rep->nfindings++ ? ",\n    " : "\n    ");
	buf_puts(&rep->findings, text);
	free(text);
	return 0;
}

int
report_success(struct report *rep)
{
	const struct options *opt = rep->opt;
	const struct workload *w = &rep->workload;
	struct buf b = {0};
	int rc;

	buf_printf(
	    &b, "{\n  \"probe_version\": %d,\n  \"identity\": ", PROBE_VERSION);
	identity_json(&b, &rep->identity);
	buf_puts(&b, ",\n  \"workload\": ");
	json_string(&b, w->name);
	buf_puts(&b, ", \"group\": ");
	json_string(&b, w->group);
	buf_puts(&b, ", \"description\": ");
	json_string(&b, w->description);
	buf_puts(&b, ", \"unit\": ");
	json_string(&b, w->unit);
	buf_puts(&b, ", \"measures\": ");
	json_string(&b, w->measures);
	/* what the samples are: timings, or the time a finding's check took */
	buf_puts(&b, ", \"kind\": ");
	json_string(&b,
	    w->finding_id          ? "finding"
	        : w->c             ? "c"
	        : w->self_parallel ? "self-parallel"
	                           : "timing");
	buf_puts(&b, ", \"load\": ");
	json_string(&b, opt->load == LOAD_MAIN ? "main" : "import");
	buf_puts(&b, ",\n  \"engine\": ");
	json_string(&b, opt->engine);
	buf_printf(&b,
	    ", \"threads\": %d, \"workers\": %d, \"iterations\": %lld, "
	    "\"scaling\": \"%s\", \"work_per_thread\": %lld, "
	    "\"warmup\": %d, \"tasks\": %d, \"task_warmup\": %d,\n"
	    "  \"gil_enabled_before\": ",
	    opt->threads, rep->samples.nworkers, opt->iterations,
	    opt->scaling == SCALING_STRONG ? "strong" : "weak",
	    options_work_per_worker(opt, w->self_parallel), opt->warmup,
	    opt->tasks, opt->task_warmup);
	json_tristate(&b, rep->gil_enabled_before);
	buf_puts(&b, ", \"gil_enabled_after\": ");
	json_tristate(&b, rep->gil_enabled_after);
	buf_puts(&b, ",\n  \"params\": {");
	for (int i = 0; i < opt->nparams; i++) {
		buf_puts(&b, i ? ", " : "");
		json_string(&b, opt->params[i].name);
		buf_puts(&b, ": ");
		json_string(&b, opt->params[i].value);
	}
	buf_puts(&b, "},\n  \"drift\": ");
	if (opt->drift)
		buf_printf(&b,
		    "{\"reference_ns\": %lld, \"threshold\": %.4g, "
		    "\"extra_samples\": %d, \"samples_run\": %d}",
		    (long long)samples_drift_reference(&rep->samples, opt),
		    opt->drift_threshold, opt->extra_samples,
		    rep->samples.rounds_run / rep->samples.per_sample -
		        opt->warmup);
	else
		buf_puts(&b, "null");
	buf_printf(&b, ", \"blocks\": %s", opt->blocks ? "true" : "false");
	buf_puts(&b, ",\n  \"samples\": [");
	samples_json(&b, &rep->samples, opt);
	buf_puts(&b, "\n  ]");
	samples_counters_json(&b, &rep->samples);
	buf_printf(&b, ",\n  \"metrics\": {%s%s},\n  \"findings\": [%s%s]",
	    rep->metrics.json.data ? rep->metrics.json.data : "",
	    rep->metrics.n ? "\n  " : "",
	    rep->findings.data ? rep->findings.data : "",
	    rep->nfindings ? "\n  " : "");
	buf_puts(&b, ",\n  \"errors\": [");
	for (int i = 0; i < rep->nerrors; i++) {
		buf_puts(&b, i ? ", " : "");
		json_string(&b, rep->errors[i]);
	}
	buf_puts(&b, "]\n}");
	rc = report_write(rep, &b);
	free(b.data);
	return rc;
}

int
report_failure(struct report *rep)
{
	struct buf b = {0};

	buf_printf(&b, "{\"probe_version\": %d", PROBE_VERSION);
	if (rep->identity_known) {
		buf_puts(&b, ",\n \"identity\": ");
		identity_json(&b, &rep->identity);
	}
	buf_puts(&b, ",\n \"error\": ");
	json_string(&b, rep->failure.message);
	buf_puts(&b, ",\n \"traceback\": ");
	json_string(&b, rep->failure.traceback);
	buf_puts(&b, "}");
	report_write(rep, &b);
	free(b.data);
	fprintf(stderr, "probe: %s\n", rep->failure.message);
	return 1;
}

void
report_free(struct report *rep)
{
	identity_free(&rep->identity);
	workload_free(&rep->workload);
	samples_free(&rep->samples);
	free(rep->metrics.json.data);
	free(rep->findings.data);
	for (int i = 0; i < rep->nerrors; i++)
		free(rep->errors[i]);
	free(rep->failure.message);
	free(rep->failure.traceback);
	pthread_mutex_destroy(&rep->failure.lock);
	fclose(rep->out);
}
