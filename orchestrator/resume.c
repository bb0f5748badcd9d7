#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * Resuming keeps the cells a results file already holds and measures the
 * rest. That is sound only if the old cells were measured the way the new
 * ones will be: same interpreters, same work per sample, same sampling and
 * pinning. Anything else may change freely: names, descriptions, comments,
 * baseline, timeout, order, and more interpreters, workloads, thread
 * counts or repetitions (more cells to run). Every old cell must still be
 * planned, so none is silently orphaned.
 */

/* What decides how an interpreter is obtained and run; not its label. */
static char *
spec_text(const struct interp_spec *s)
{
	struct buf b = {0};
	size_t i;

	buf_printf(&b, "provider %s", provider_name(s->provider));
	if (s->request)
		buf_printf(&b, ", request %s", s->request);
	if (s->version)
		buf_printf(&b, ", version %s", s->version);
	if (s->path)
		buf_printf(&b, ", path %s", s->path);
	if (s->source)
		buf_printf(&b, ", source %s", s->source);
	if (s->sha256)
		buf_printf(&b, ", sha256 %s", s->sha256);
	if (s->variant_of)
		buf_printf(&b, ", variant of %s", s->variant_of);
	if (s->free_threaded >= 0)
		buf_printf(&b, ", free_threaded %d", s->free_threaded);
	if (s->optimizations > 0 || s->lto > 0 || s->jit > 0)
		buf_printf(&b, ", optimizations %d lto %d jit %d",
		    s->optimizations, s->lto, s->jit);
	for (i = 0; i < s->nconfigure_args; i++)
		buf_printf(&b, ", configure %s", s->configure_args[i]);
	for (i = 0; i < s->nenv; i++)
		buf_printf(&b, ", env %s=%s", s->env[i].name, s->env[i].value);
	return buf_detach(&b);
}

static const struct workload_spec *
workload_find(const struct matrix *m, const char *name)
{
	size_t i;

	for (i = 0; i < m->nworkloads; i++)
		if (strcmp(m->workloads[i].name, name) == 0)
			return &m->workloads[i];
	return NULL;
}

static int
cmp_key(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The keys of every cell the matrix plans, sorted for bsearch. */
static char **
planned_keys(const struct matrix *m, size_t *n)
{
	struct plan p;
	char **keys;
	size_t i;

	plan_make(m, &p);
	keys = xcalloc(p.ncells + 1, sizeof(*keys));
	for (i = 0; i < p.ncells; i++)
		keys[i] = cell_key(m, &p.cells[i]);
	qsort(keys, p.ncells, sizeof(*keys), cmp_key);
	*n = p.ncells;
	plan_free(&p);
	return keys;
}

/* Work per sample when it is fixed by the matrix; 0 when calibrated. */
static long
fixed_iterations(const struct matrix *m, const struct workload_spec *w)
{
	if (w->iterations)
		return w->iterations;
	return m->min_time_s > 0 ? 0 : m->iterations;
}

static const char *
str_or_none(const char *s)
{
	return s ? s : "none";
}

static int refuse(const char *path, size_t ncells, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
refuse(const char *path, size_t ncells, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	char *what;

	va_start(ap, fmt);
	if (vasprintf(&what, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	buf_printf(&b,
	    "%s: cannot resume: %s; the %zu cell%s already there "
	    "would not be comparable with new ones (undo the "
	    "change, or use another -o DIR)",
	    path, what, ncells, ncells == 1 ? "" : "s");
	error("%s", buf_str(&b));
	free(what);
	buf_free(&b);
	return -1;
}

/* The settings the old cells were measured with: recorded since schema
 * 2, else what their matrix said. */
static void
old_settings(const struct resultset *old, const struct matrix *om,
    struct run_settings *s)
{
	if (old->settings.samples > 0) {
		*s = old->settings;
		return;
	}
	memset(s, 0, sizeof(*s));
	s->samples = om->samples;
	s->warmup = om->warmup;
	s->scaling = om->scaling;
	s->min_time_s = om->min_time_s;
	s->memory_interval_ms = 0; /* version 1 did not sample */
	s->affinity = om->affinity;
}

static int
check_settings(const struct run_settings *a, const struct run_settings *b,
    const char *path, size_t n)
{
	const char *sa = str_or_none(a->scaling), *sb = str_or_none(b->scaling);
	const char *aa = str_or_none(a->affinity),
	           *ab = str_or_none(b->affinity);

	if (a->samples != b->samples)
		return refuse(path, n, "\"samples\" was %d, now %d", a->samples,
		    b->samples);
	if (a->warmup != b->warmup)
		return refuse(
		    path, n, "\"warmup\" was %d, now %d", a->warmup, b->warmup);
	if (strcmp(sa, sb) != 0)
		return refuse(path, n, "\"scaling\" was %s, now %s", sa, sb);
	if (fabs(a->min_time_s - b->min_time_s) > 1e-12)
		return refuse(path, n, "\"min_time\" was %g, now %g",
		    a->min_time_s, b->min_time_s);
	if (strcmp(aa, ab) != 0)
		return refuse(path, n, "CPU affinity was %s, now %s", aa, ab);
	if (a->memory_interval_ms != b->memory_interval_ms)
		return refuse(path, n,
		    "\"memory_interval_ms\" was %d, now %d (sampling memory "
		    "costs the probe a little time)",
		    a->memory_interval_ms, b->memory_interval_ms);
	return 0;
}

static int
check_interp(const struct matrix *om, const struct matrix *m, const char *id,
    const char *path, size_t n)
{
	const struct interp_spec *a = matrix_interp(om, id);
	const struct interp_spec *b = matrix_interp(m, id);
	char *ta, *tb;
	int rc = 0;

	if (!b)
		return refuse(path, n,
		    "interpreter \"%s\" has cells there but is not in the "
		    "matrix any more",
		    id);
	if (!a)
		return 0; /* hand-made file: the identity check still runs */
	ta = spec_text(a);
	tb = spec_text(b);
	if (strcmp(ta, tb) != 0)
		rc = refuse(path, n, "interpreter \"%s\" was {%s}, now {%s}",
		    id, ta, tb);
	free(ta);
	free(tb);
	return rc;
}

static int
check_workload(const struct matrix *om, const struct matrix *m,
    const char *name, const char *path, size_t n)
{
	const struct workload_spec *a = workload_find(om, name);
	const struct workload_spec *b = workload_find(m, name);
	long ia, ib;

	if (!b)
		return refuse(path, n,
		    "workload \"%s\" has cells there but is not in the matrix "
		    "any more",
		    name);
	if (!a)
		return 0;
	ia = fixed_iterations(om, a);
	ib = fixed_iterations(m, b);
	if (ia != ib)
		return refuse(path, n,
		    "workload \"%s\" ran %ld iterations per sample, now %ld",
		    name, ia, ib);
	return 0;
}

int
resume_check(const struct resultset *old, const struct matrix *m,
    const struct run_settings *now, const char *path)
{
	struct matrix om;
	struct run_settings was;
	char **keys = NULL;
	size_t i, n = old->ncells, nkeys = 0;
	int rc = -1;

	if (n == 0)
		return 0;
	if (!old->matrix_text ||
	    matrix_parse(old->matrix_path, old->matrix_text,
	        strlen(old->matrix_text), &om) != 0) {
		if (old->matrix_text)
			matrix_free(&om);
		error("%s: cannot resume: the matrix it was measured with does "
		      "not parse any more (use another -o DIR)",
		    path);
		return -1;
	}
	old_settings(old, &om, &was);
	if (check_settings(&was, now, path, n) < 0)
		goto out;
	keys = planned_keys(m, &nkeys);
	for (i = 0; i < n; i++) {
		const struct result_cell *c = &old->cells[i];

		/* each interpreter and workload once is enough, but the
		 * checks are cheap and the cells few */
		if (check_interp(&om, m, c->interp, path, n) < 0 ||
		    check_workload(&om, m, c->workload, path, n) < 0)
			goto out;
		if (!bsearch(&c->key, keys, nkeys, sizeof(*keys), cmp_key)) {
			refuse(path, n,
			    "cell %s is not planned by the matrix any more "
			    "(its engine, thread count or repetition was "
			    "removed)",
			    c->key);
			goto out;
		}
	}
	rc = 0;
out:
	for (i = 0; i < nkeys; i++)
		free(keys[i]);
	free(keys);
	matrix_free(&om);
	return rc;
}

/* After provisioning: the same spec can resolve to another build (a uv
 * request that now finds a newer patch release). */
int
resume_check_identities(
    const struct resultset *old, const struct resultset *rs, const char *path)
{
	size_t i;

	for (i = 0; i < rs->ninterps; i++) {
		const struct result_interp *a =
		    results_interp(old, rs->interps[i].id);
		const struct identity *was, *now = &rs->interps[i].identity;

		if (!a || !a->available || !rs->interps[i].available)
			continue;
		was = &a->identity;
		if (strcmp(str_or_none(was->version),
		        str_or_none(now->version)) != 0 ||
		    was->gil_disabled_build != now->gil_disabled_build ||
		    strcmp(str_or_none(was->config_args),
		        str_or_none(now->config_args)) != 0 ||
		    strcmp(str_or_none(was->compiler),
		        str_or_none(now->compiler)) != 0)
			return refuse(path, old->ncells,
			    "interpreter \"%s\" is now %s (%s), the old cells "
			    "measured %s (%s)",
			    rs->interps[i].id, str_or_none(now->version),
			    str_or_none(now->compiler),
			    str_or_none(was->version),
			    str_or_none(was->compiler));
	}
	return 0;
}
