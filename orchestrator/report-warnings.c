#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * What a reader should doubt before trusting a number, most serious
 * first: a run that did not finish, interpreters missing, failed cells,
 * a GIL that changed under a timing, odd data, a noisy machine; then the
 * known-limitation checks that crashed (their crash is their result);
 * then every group too noisy to trust, which a report summarises.
 *
 * The warnings are part of the report model: report_make (report-data.c)
 * collects them as it does the findings and headlines, and they read the
 * model's accessors back, so report-data.c and this file call each other:
 * one concern with report-data.c, in two files.
 */

static const char *const kind_label[] = {
    [WARN_INCOMPLETE] = "incomplete",
    [WARN_UNAVAILABLE] = "unavailable",
    [WARN_BASELINE] = "baseline",
    [WARN_FAILED] = NULL, /* the cell's status */
    [WARN_GIL] = "GIL re-enabled",
    [WARN_ODD_DATA] = "odd data",
    [WARN_MACHINE] = NULL, /* what about the machine */
    [WARN_CHECK_CRASHED] = "check crashed",
    [WARN_NOISY] = "noisy",
};

/* A cell whose times are a result: not a known-limitation check's, whose
 * one sample says how long the check took (and which may re-enable the
 * GIL on purpose, in its own process). */
int
report_cell_timed(const struct report *r, size_t cell)
{
	const char *kind = r->extras[cell].kind;

	return !(kind && strcmp(kind, "finding") == 0) &&
	    report_timed(r, r->rs->cells[cell].workload);
}

static void
add(struct report *r, enum warning_kind kind, const char *label, char *text,
    const char *more, const struct group *g)
{
	struct report_warning *w;

	r->warnings =
	    xreallocarray(r->warnings, r->nwarnings + 1, sizeof(*r->warnings));
	w = &r->warnings[r->nwarnings++];
	w->kind = kind;
	w->label = label ? label : kind_label[kind];
	w->text = text;
	w->more = more && *more ? more : NULL;
	w->group = g;
	r->nwarnings_of[kind]++;
}

static const char *
onoff(int v)
{
	return v < 0 ? "unknown" : v ? "on" : "off";
}

static int
gil_changed(const struct result_cell *c)
{
	return c->gil_enabled_before >= 0 && c->gil_enabled_after >= 0 &&
	    c->gil_enabled_before != c->gil_enabled_after;
}

static void
cells_warnings(struct report *r)
{
	const struct resultset *rs = r->rs;

	for (size_t i = 0; i < rs->ncells; i++) {
		const struct result_cell *c = &rs->cells[i];
		int timed = report_cell_timed(r, i);

		if (strcmp(c->status, "ok") != 0 && timed)
			add(r, WARN_FAILED, c->status,
			    xasprintf("%s: %s", c->key,
			        c->error ? c->error : "no error recorded"),
			    c->stderr_tail, NULL);
		else if (strcmp(c->status, "ok") != 0)
			add(r, WARN_CHECK_CRASHED, NULL,
			    xasprintf("%s: %s", c->key,
			        c->error ? c->error : c->status),
			    c->stderr_tail, NULL);
		if (gil_changed(c) && timed)
			add(r, WARN_GIL, NULL,
			    xasprintf("%s: the GIL was %s before the workload "
			              "and %s after it (an extension module "
			              "without free-threading support may "
			              "have re-enabled it); its times are "
			              "not those of a free-threaded run",
			        c->key, onoff(c->gil_enabled_before),
			        onoff(c->gil_enabled_after)),
			    NULL, NULL);
		if (r->extras[i].problem)
			add(r, WARN_ODD_DATA, NULL,
			    xasprintf("%s: %s; that part is left out", c->key,
			        r->extras[i].problem),
			    NULL, NULL);
	}
}

/* The pre-flight's findings when it ran, else what the machine record
 * says (results from before the pre-flight existed). */
static void
machine_warnings(struct report *r)
{
	const struct resultset *rs = r->rs;
	const char *gov = rs->machine.governor;

	if (rs->preflight.ran) {
		for (size_t i = 0; i < rs->preflight.nwarnings; i++)
			add(r, WARN_MACHINE, "machine",
			    xstrdup(rs->preflight.warnings[i]), NULL, NULL);
		return;
	}
	if (gov && strcmp(gov, "performance") != 0 &&
	    strcmp(gov, "unknown") != 0)
		add(r, WARN_MACHINE, "frequency scaling",
		    xasprintf("the CPU governor was \"%s\"; \"performance\" "
		              "gives steadier numbers",
		        gov),
		    NULL, NULL);
	if (rs->machine.cores > 0 &&
	    rs->machine.loadavg1 > rs->machine.cores / 2.0)
		add(r, WARN_MACHINE, "busy machine",
		    xasprintf("load average %.2f on %d cores when the run "
		              "started",
		        rs->machine.loadavg1, rs->machine.cores),
		    NULL, NULL);
}

static int
cmp_kind(const void *pa, const void *pb)
{
	const struct report_warning *a = pa, *b = pb;

	if (a->kind != b->kind)
		return a->kind < b->kind ? -1 : 1;
	/* the noisiest group first; the rest as collected */
	if (a->kind == WARN_NOISY && a->group->wall.cv != b->group->wall.cv)
		return a->group->wall.cv > b->group->wall.cv ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

void
report_warnings_make(struct report *r)
{
	const struct resultset *rs = r->rs;

	char *missing = results_missing_shards(rs);

	if (missing)
		add(r, WARN_INCOMPLETE, NULL,
		    xasprintf("shard%s %s of %d missing: %s workloads were not "
		              "measured, and the merged results hold %zu cells",
		        strchr(missing, ',') ? "s" : "", missing,
		        rs->shard.count, strchr(missing, ',') ? "their" : "its",
		        rs->ncells),
		    NULL, NULL);
	else if (!rs->complete)
		add(r, WARN_INCOMPLETE, NULL,
		    xasprintf("the run did not finish; %zu cells were "
		              "recorded. Running the same command again "
		              "resumes it.",
		        rs->ncells),
		    NULL, NULL);
	for (size_t i = 0; i < rs->ninterps; i++)
		if (!rs->interps[i].available)
			add(r, WARN_UNAVAILABLE, NULL,
			    xasprintf("%s: %s", rs->interps[i].id,
			        rs->interps[i].error ? rs->interps[i].error
			                             : "no reason recorded"),
			    NULL, NULL);
	if (rs->baseline && r->a.baseline == SIZE_MAX)
		add(r, WARN_BASELINE, NULL,
		    xasprintf("baseline %s has no results; overhead is not "
		              "computed",
		        rs->baseline),
		    NULL, NULL);
	free(missing);
	cells_warnings(r);
	machine_warnings(r);
	/* a check's time is not a result: its noise is no warning */
	for (size_t i = 0; i < r->a.ngroups; i++) {
		const struct group *g = &r->a.groups[i];

		if (g->warning && report_timed(r, g->workload))
			add(r, WARN_NOISY, NULL,
			    xasprintf("%s, %s, %s, %d thread%s: %s",
			        report_label(rs, g->interp), g->workload,
			        g->engine, g->threads,
			        g->threads == 1 ? "" : "s", g->warning),
			    NULL, g);
	}
	for (size_t i = 0; i < r->nwarnings; i++)
		r->warnings[i].seq = i;
	if (r->nwarnings)
		qsort(
		    r->warnings, r->nwarnings, sizeof(*r->warnings), cmp_kind);
}

void
report_warnings_free(struct report *r)
{
	for (size_t i = 0; i < r->nwarnings; i++)
		free(r->warnings[i].text);
	free(r->warnings);
	r->warnings = NULL;
	r->nwarnings = 0;
}

/* The summary's line on the warnings, when there are any: before, what
 * they are (escaped by esc), then after. */
void
report_warnings_notice(struct buf *b, const struct report *r,
    void (*esc)(struct buf *, const char *), const char *before,
    const char *after)
{
	char *brief;

	if (!r->nwarnings)
		return;
	brief = report_warnings_brief(r);
	buf_puts(b, before);
	esc(b, brief);
	buf_puts(b, after);
	free(brief);
}

/* "6 failed cells, 255 noisy measurement groups": what the warnings are,
 * by kind, for the summary. */
char *
report_warnings_brief(const struct report *r)
{
	static const char *const noun[][2] = {
	    [WARN_INCOMPLETE] = {"the run did not finish", NULL},
	    [WARN_UNAVAILABLE] = {"interpreter was not available",
	        "interpreters were not available"},
	    [WARN_BASELINE] = {"the baseline has no results", NULL},
	    [WARN_FAILED] = {"cell failed", "cells failed"},
	    [WARN_GIL] = {"cell ran with the GIL re-enabled",
	        "cells ran with the GIL re-enabled"},
	    [WARN_ODD_DATA] = {"cell has odd data", "cells have odd data"},
	    [WARN_MACHINE] = {"warning about the machine",
	        "warnings about the machine"},
	    [WARN_CHECK_CRASHED] = {"known-limitation check crashed",
	        "known-limitation checks crashed"},
	    [WARN_NOISY] = {"measurement group is noisy",
	        "measurement groups are noisy"},
	};
	struct buf b = {0};

	for (int k = 0; k < WARN_NKINDS; k++) {
		size_t n = r->nwarnings_of[k];

		if (!n)
			continue;
		if (b.len)
			buf_puts(&b, "; ");
		if (!noun[k][1])
			buf_puts(&b, noun[k][0]);
		else
			buf_printf(&b, "%zu %s", n, noun[k][n != 1]);
	}
	return buf_detach(&b);
}

/* The GIL as the timed cells saw it, else as the identity reported it. A
 * known-limitation check that re-enables the GIL in its own process (as
 * finding_gil_reenable does) says nothing about the timings; it is
 * mentioned beside them. */
char *
report_gil_runtime(const struct report *r, size_t interp)
{
	const struct resultset *rs = r->rs;
	const struct identity *id = &rs->interps[interp].identity;
	const char *check = NULL, *state;
	int on = 0, off = 0;
	size_t changed = 0;

	for (size_t k = 0; k < rs->ncells; k++) {
		const struct result_cell *c = &rs->cells[k];

		if (strcmp(c->interp, rs->interps[interp].id) != 0)
			continue;
		if (!report_cell_timed(r, k)) {
			if (gil_changed(c) && !check)
				check = c->workload;
			continue;
		}
		changed += gil_changed(c);
		on += c->gil_enabled_after == 1 || c->gil_enabled_before == 1;
		off += c->gil_enabled_after == 0 || c->gil_enabled_before == 0;
	}
	if (changed)
		return xasprintf("changed during the run in %zu cell%s (see "
		                 "Warnings)",
		    changed, changed == 1 ? "" : "s");
	if (on && off)
		state = "enabled in some cells, disabled in others";
	else if (on || off)
		state = on ? "enabled" : "disabled";
	else if (id->gil_enabled >= 0)
		state = id->gil_enabled ? "enabled" : "disabled";
	else
		state = id->gil_disabled_build ? "unknown" : "enabled";
	if (check)
		return xasprintf("%s (%s turns it on in its own process, by "
		                 "design)",
		    state, check);
	return xstrdup(state);
}
