/* The sections of results.json beyond the flat tables: cell memory and
 * rusage, settings, preflight, calibration, and the derived analysis. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"
#include "results-json.h"

static json_t *
range_to_json(const struct memory_range *r)
{
	return json_pack("{s:I, s:I, s:o}", "min", (json_int_t)r->min, "max",
	    (json_int_t)r->max, "avg", jv_real(r->avg));
}

/* The data contract (probes/CONTRACT.md): interval_ms, nsamples, rss_kib,
 * uss_kib, pss_kib as {min, max, avg} and timeline [[t_ms, rss, uss, pss],
 * ...]. */
json_t *
memory_to_json(const struct memory_profile *mp)
{
	json_t *o, *tl = json_array();
	size_t i;

	for (i = 0; i < mp->ntimeline; i++) {
		const struct memory_point *p = &mp->timeline[i];

		json_array_append_new(tl,
		    json_pack("[o, I, I, I]",
		        jv_num((double)(long long)(p->t_ms + 0.5)),
		        (json_int_t)p->rss_kib, (json_int_t)p->uss_kib,
		        (json_int_t)p->pss_kib));
	}
	o = json_pack("{s:i, s:I, s:o, s:o, s:o, s:i, s:I, s:o}", "interval_ms",
	    mp->interval_ms, "nsamples", (json_int_t)mp->nsamples, "rss_kib",
	    range_to_json(&mp->rss), "uss_kib", range_to_json(&mp->uss),
	    "pss_kib", range_to_json(&mp->pss), "max_processes", mp->max_procs,
	    "timeline_stride", (json_int_t)mp->stride, "timeline", tl);
	return o;
}

/* The profile as the text a cell keeps in memory_json. */
char *
memory_profile_json(const struct memory_profile *mp)
{
	json_t *o = memory_to_json(mp);
	char *text = json_dumps(o, JSON_COMPACT | JSON_REAL_PRECISION(17));

	json_decref(o);
	return text;
}

json_t *
rusage_to_json(const struct cell_rusage *ru)
{
	if (!ru->present)
		return json_null();
	return json_pack("{s:o, s:o, s:I, s:I, s:I}", "user_s",
	    jv_real(ru->user_s), "sys_s", jv_real(ru->sys_s), "maxrss_kib",
	    (json_int_t)ru->maxrss_kib, "voluntary_switches",
	    (json_int_t)ru->voluntary_switches, "involuntary_switches",
	    (json_int_t)ru->involuntary_switches);
}

int
rusage_from_json(struct reader *r, json_t *o, struct cell_rusage *ru)
{
	memset(ru, 0, sizeof(*ru));
	if (!o || json_is_null(o))
		return 0;
	if (!json_is_object(o)) {
		rd_bad(r, "rusage", "not an object");
		return -1;
	}
	ru->present = 1;
	ru->user_s = rd_real(r, o, "user_s", 0);
	ru->sys_s = rd_real(r, o, "sys_s", 0);
	ru->maxrss_kib = rd_int(r, o, "maxrss_kib", 0);
	ru->voluntary_switches = rd_int(r, o, "voluntary_switches", 0);
	ru->involuntary_switches = rd_int(r, o, "involuntary_switches", 0);
	return r->failed ? -1 : 0;
}

json_t *
settings_to_json(const struct run_settings *s)
{
	return json_pack("{s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:i, "
	                 "s:o, s:o}",
	    "repetitions", s->repetitions, "samples", s->samples, "warmup",
	    s->warmup, "memory_interval_ms", s->memory_interval_ms,
	    "min_time_s", jv_real(s->min_time_s), "timeout_s",
	    jv_real(s->timeout_s), "scaling", jv_str(s->scaling), "affinity",
	    jv_str(s->affinity), "drift_threshold", jv_real(s->drift_threshold),
	    "extra_samples", s->extra_samples, "target_ci",
	    jv_real(s->target_ci), "max_time_s", jv_real(s->max_time_s));
}

void
settings_from_json(struct reader *r, json_t *o, struct run_settings *s)
{
	memset(s, 0, sizeof(*s));
	if (!json_is_object(o))
		return;
	s->repetitions = (int)rd_int(r, o, "repetitions", 0);
	s->samples = (int)rd_int(r, o, "samples", 0);
	s->warmup = (int)rd_int(r, o, "warmup", 0);
	s->memory_interval_ms = (int)rd_int(r, o, "memory_interval_ms", 0);
	s->min_time_s = rd_real(r, o, "min_time_s", 0);
	s->timeout_s = rd_real(r, o, "timeout_s", 0);
	s->scaling = rd_str(r, o, "scaling");
	s->affinity = rd_str(r, o, "affinity");
	s->drift_threshold = rd_real(r, o, "drift_threshold", 0);
	s->extra_samples = (int)rd_int(r, o, "extra_samples", 0);
	s->target_ci = rd_real(r, o, "target_ci", 0);
	s->max_time_s = rd_real(r, o, "max_time_s", 0);
}

void
run_settings_free(struct run_settings *s)
{
	free(s->scaling);
	free(s->affinity);
	memset(s, 0, sizeof(*s));
}

json_t *
preflight_to_json(const struct preflight *p)
{
	json_t *w = json_array();
	size_t i;

	if (!p->ran) {
		json_decref(w);
		return json_null();
	}
	for (i = 0; i < p->nwarnings; i++)
		json_array_append_new(w, json_string(p->warnings[i]));
	return json_pack("{s:o, s:i, s:o, s:o, s:i, s:o, s:o}", "loadavg1",
	    jv_real(p->loadavg1), "cores", p->cores, "governor",
	    jv_str(p->governor), "spread_cv", jv_real(p->spread_cv), "spread_n",
	    p->spread_n, "others_busy",
	    jv_real(p->others_busy < 0 ? NAN : p->others_busy), "warnings", w);
}

void
preflight_from_json(struct reader *r, json_t *o, struct preflight *p)
{
	json_t *w, *v;
	size_t i;

	memset(p, 0, sizeof(*p));
	if (!json_is_object(o))
		return;
	p->ran = 1;
	p->loadavg1 = rd_real(r, o, "loadavg1", 0);
	p->cores = (int)rd_int(r, o, "cores", 0);
	p->governor = rd_str(r, o, "governor");
	p->spread_cv = rd_real(r, o, "spread_cv", 0);
	p->spread_n = (int)rd_int(r, o, "spread_n", 0);
	p->others_busy = rd_real(r, o, "others_busy", -1);
	w = json_object_get(o, "warnings");
	p->warnings = xcalloc(json_array_size(w) + 1, sizeof(*p->warnings));
	json_array_foreach(w, i, v)
	{
		if (json_is_string(v))
			p->warnings[p->nwarnings++] =
			    xstrdup(json_string_value(v));
	}
}

void
preflight_free(struct preflight *p)
{
	size_t i;

	for (i = 0; i < p->nwarnings; i++)
		free(p->warnings[i]);
	free(p->warnings);
	free(p->governor);
	memset(p, 0, sizeof(*p));
}

json_t *
calibrations_to_json(const struct resultset *rs)
{
	json_t *a = json_array(), *pts;
	size_t i, j;

	for (i = 0; i < rs->ncalibrations; i++) {
		const struct calibration *c = &rs->calibrations[i];

		pts = json_array();
		for (j = 0; j < c->npoints; j++)
			json_array_append_new(pts,
			    json_pack("{s:o, s:I, s:o, s:i}", "interpreter",
			        jv_str(c->points[j].interp), "iterations",
			        (json_int_t)c->points[j].iterations,
			        "sample_ns", jv_num(c->points[j].sample_ns),
			        "probes", c->points[j].probes));
		json_array_append_new(a,
		    json_pack("{s:o, s:o, s:I, s:o}", "workload",
		        jv_str(c->workload), "min_time_s",
		        jv_real(c->min_time_s), "iterations",
		        (json_int_t)c->iterations, "interpreters", pts));
	}
	return a;
}

int
calibrations_from_json(struct reader *r, json_t *a, struct resultset *rs)
{
	json_t *o, *pts, *p;
	size_t i, j;

	if (!a || json_is_null(a))
		return 0;
	if (!json_is_array(a)) {
		rd_bad(r, "calibration", "not an array");
		return -1;
	}
	rs->calibrations =
	    xcalloc(json_array_size(a) + 1, sizeof(*rs->calibrations));
	json_array_foreach(a, i, o)
	{
		struct calibration *c = &rs->calibrations[rs->ncalibrations];

		c->workload = rd_str(r, o, "workload");
		c->min_time_s = rd_real(r, o, "min_time_s", 0);
		c->iterations = rd_int(r, o, "iterations", 0);
		pts = json_object_get(o, "interpreters");
		c->points =
		    xcalloc(json_array_size(pts) + 1, sizeof(*c->points));
		json_array_foreach(pts, j, p)
		{
			struct calibration_point *cp = &c->points[c->npoints++];

			cp->interp = rd_str(r, p, "interpreter");
			cp->iterations = rd_int(r, p, "iterations", 0);
			cp->sample_ns = rd_real(r, p, "sample_ns", 0);
			cp->probes = (int)rd_int(r, p, "probes", 0);
		}
		rs->ncalibrations++;
		if (!c->workload || c->iterations < 1) {
			rd_bad(r, "calibration",
			    "missing a workload or a positive iteration count");
			return -1;
		}
	}
	return r->failed ? -1 : 0;
}

void
calibration_free(struct calibration *c)
{
	size_t i;

	for (i = 0; i < c->npoints; i++)
		free(c->points[i].interp);
	free(c->points);
	free(c->workload);
	memset(c, 0, sizeof(*c));
}

struct workload_file *
workload_files_load(const char *json, size_t *n)
{
	json_t *o = json ? json_loads(json, 0, NULL) : NULL, *w;
	struct workload_file *f = NULL;
	const char *name;

	*n = 0;
	if (!json_is_object(o) || !json_object_size(o)) {
		json_decref(o);
		return NULL;
	}
	f = xcalloc(json_object_size(o), sizeof(*f));
	json_object_foreach(o, name, w)
	{
		json_t *path = json_object_get(w, "path");
		json_t *sha = json_object_get(w, "sha256");
		json_t *text = json_object_get(w, "text");
		struct workload_file *x = &f[(*n)++];

		x->name = xstrdup(name);
		x->path = xstrdup(
		    json_is_string(path) ? json_string_value(path) : "");
		x->text = json_is_string(text)
		    ? xstrdup(json_string_value(text))
		    : NULL;
		snprintf(x->sha256, sizeof(x->sha256), "%s",
		    json_is_string(sha) ? json_string_value(sha) : "");
	}
	json_decref(o);
	return f;
}

void
workload_files_free(struct workload_file *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(f[i].name);
		free(f[i].path);
		free(f[i].text);
	}
	free(f);
}
