/*
 * Why a workload does not scale on an interpreter running without the GIL,
 * from what the run measured: each worker's CPU time against its wall time,
 * how much of the rest it spent waiting for a CPU (the machine) or blocked
 * (a lock), CPU time per iteration against one thread (contention shows
 * there, a loaded machine does not), processes at the same count, the same
 * workload with the GIL, and related probes in the same run. One sentence
 * per case, naming its evidence; where the evidence does not decide, the
 * sentence says which measurement would.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

#define DIAG_EFFICIENCY 0.75 /* a speedup below this share of N falls short */
#define DIAG_CPU_SLOWER 1.3  /* CPU time per iteration grew this much */
#define DIAG_OFF_CPU 0.15    /* off the CPU this share of the time */
#define DIAG_RUNQ 0.10	     /* waiting for a CPU this share: the machine */
#define DIAG_RUNQ_BUSY 0.25  /* ... whatever else the threads show */
#define DIAG_BUSY 0.5	     /* on the CPU at least this share: busy */

/* A group's workers, summed over its ok cells. */
struct evidence {
	int present, has_switches, has_runq;
	double on_cpu;		/* CPU time / wall time of the workers */
	double cpu_unit_ns;	/* CPU time per unit of work */
	double runq_share;	/* waiting for a CPU */
	double vcsw_s, ivcsw_s; /* per second of a worker's wall time */
};

static int
evidence_of(const struct report *r, size_t interp, const char *workload,
    const char *engine, int threads, struct evidence *e)
{
	const struct resultset *rs = r->rs;
	double wall = 0, cpu = 0, units = 0, runq = 0, v = 0, iv = 0;
	int switches = 1, has_runq = 1, any = 0;

	memset(e, 0, sizeof(*e));
	for (size_t i = 0; i < rs->ncells; i++) {
		const struct result_cell *c = &rs->cells[i];
		const struct cell_workers *w = &r->extras[i].workers;

		/* a workload that drives its own workers reports one */
		if (r->extras[i].kind &&
		    strcmp(r->extras[i].kind, "self-parallel") == 0)
			continue;
		if (!c->status || strcmp(c->status, "ok") != 0 ||
		    c->threads != threads || strcmp(c->workload, workload) ||
		    strcmp(c->engine, engine) ||
		    report_interp_index(rs, c->interp) != interp ||
		    !w->present)
			continue;
		any = 1;
		wall += w->wall_ns;
		cpu += w->cpu_ns;
		units += (double)w->nworkers * (double)w->nsamples *
		    (double)(c->work_per_thread > 0 ? c->work_per_thread : 1);
		switches &= w->has_switches;
		has_runq &= w->has_runq;
		v += w->vcsw;
		iv += w->ivcsw;
		runq += w->runq_ns;
	}
	if (!any || wall <= 0)
		return 0;
	e->present = 1;
	e->on_cpu = cpu / wall;
	e->cpu_unit_ns = cpu / units;
	e->has_switches = switches;
	e->has_runq = has_runq;
	e->runq_share = runq / wall;
	e->vcsw_s = v / (wall / 1e9);
	e->ivcsw_s = iv / (wall / 1e9);
	return 1;
}

static int
runs_without_gil(const struct report *r, const struct group *g)
{
	const struct identity *id = &r->rs->interps[g->interp].identity;

	if (g->gil_enabled >= 0)
		return g->gil_enabled == 0;
	return id->gil_disabled_build && id->gil_enabled == 0;
}

static const char *
processes_engine(const char *engine)
{
	if (strcmp(engine, "threads") == 0)
		return "processes";
	if (strcmp(engine, "executor-threads") == 0)
		return "executor-processes";
	return NULL;
}

/* The highest thread count of this interpreter, workload and engine that
 * has a speedup. */
static int
top_count(const struct analysis *a, const struct group *g)
{
	int top = 0;

	for (size_t k = 0; k < a->nthreads; k++) {
		const struct group *o = analysis_find(
		    a, g->interp, g->workload, g->engine, a->threads[k]);

		if (o && (o->has_speedup || o->speedup_unresolved) &&
		    o->threads > top)
			top = o->threads;
	}
	return top;
}

static const struct group *
speedup_of(const struct report *r, size_t interp, const char *workload,
    const char *engine, int threads)
{
	const struct group *g =
	    analysis_find(&r->a, interp, workload, engine, threads);

	return g && g->has_speedup ? g : NULL;
}

/* " (3.13.15t-gil: 1.0x, 3.13.15: 0.9x)": the same workload with the GIL,
 * on the same binary with PYTHON_GIL=1 and on GIL builds. */
static void
gil_peers(struct buf *b, const struct report *r, const struct group *g)
{
	int n = 0;

	for (size_t j = 0; j < r->rs->ninterps; j++) {
		const char *label = report_label(r->rs, j);
		const struct group *o;

		if (j == g->interp)
			continue;
		o = speedup_of(r, j, g->workload, g->engine, g->threads);
		if (!o || runs_without_gil(r, o))
			continue;
		/* a variant's own label usually says it already */
		buf_printf(b, "%s%s%s: %.1fx", n++ ? ", " : " (",
		    r->rs->interps[j].identity.gil_disabled_build &&
		            !strstr(label, "GIL")
		        ? "with the GIL, "
		        : "",
		    label, o->speedup);
	}
	if (n)
		buf_puts(b, ")");
}

/* Whether the run holds a workload of this name. */
static int
in_run(const struct report *r, const char *workload)
{
	for (size_t w = 0; w < r->a.nworkloads; w++)
		if (strcmp(r->a.workloads[w], workload) == 0)
			return 1;
	return 0;
}

/* name with one word swapped, or NULL when it does not hold it */
static char *
swapped(const char *name, const char *from, const char *to)
{
	const char *at = strstr(name, from);

	if (!at)
		return NULL;
	return xasprintf("%.*s%s%s", (int)(at - name), name, to,
	    at + strlen(from));
}

static void
related_one(struct buf *b, const struct report *r, const struct group *g,
    const char *name, int *n)
{
	const struct group *o;

	if (!name || strcmp(name, g->workload) == 0 || !in_run(r, name))
		return;
	o = speedup_of(r, g->interp, name, g->engine, g->threads);
	if (!o)
		return;
	buf_printf(b, "%s%s: %.1fx", (*n)++ ? ", " : "; compare ", name,
	    o->speedup);
}

/* "; compare refcount_private: 1.9x, c_refcount_shared: 0.2x": the
 * workload's private (or padded) twin, and the C probes of reference-count
 * contention, at the same count on the same interpreter. */
static void
related(struct buf *b, const struct report *r, const struct group *g,
    int contention)
{
	static const char *const pairs[][2] = {{"shared", "private"},
	    {"private", "shared"}, {"adjacent", "padded"},
	    {"padded", "adjacent"}};
	int n = 0;

	for (size_t k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
		char *twin = swapped(g->workload, pairs[k][0], pairs[k][1]);

		related_one(b, r, g, twin, &n);
		free(twin);
		if (twin)
			break;
	}
	if (contention) {
		related_one(b, r, g, "c_refcount_shared", &n);
		related_one(b, r, g, "c_refcount_private", &n);
	}
}

static double
pct(double share)
{
	return share * 100;
}

static char *
sentence(const struct report *r, const struct group *g, enum diag_cause *cause)
{
	const char *pe = processes_engine(g->engine);
	const struct group *p =
	    pe ? speedup_of(r, g->interp, g->workload, pe, g->threads) : NULL;
	struct evidence en, e1, pn, p1;
	int have = evidence_of(r, g->interp, g->workload, g->engine,
	               g->threads, &en) &&
	    evidence_of(r, g->interp, g->workload, g->engine, 1, &e1);
	int phave = pe &&
	    evidence_of(r, g->interp, g->workload, pe, g->threads, &pn) &&
	    evidence_of(r, g->interp, g->workload, pe, 1, &p1);
	int cores = r->rs->machine.cores;
	double slower = have && e1.cpu_unit_ns > 0
	    ? en.cpu_unit_ns / e1.cpu_unit_ns
	    : NAN;
	double pslower = phave && p1.cpu_unit_ns > 0
	    ? pn.cpu_unit_ns / p1.cpu_unit_ns
	    : NAN;
	double off = have ? 1 - en.on_cpu : 0;
	double blocked = have && en.has_runq ? off - en.runq_share : off;
	int busy = have && en.on_cpu >= DIAG_BUSY;
	/* threads that wait for a CPU barely run at once: what they would
	 * do to each other cannot show, so the machine comes first */
	int queued = have && en.has_runq && blocked < DIAG_OFF_CPU &&
	    (en.runq_share >= DIAG_RUNQ_BUSY ||
	        (en.runq_share >= DIAG_RUNQ &&
	            !(busy && slower >= DIAG_CPU_SLOWER)));
	struct buf b = {0};

	buf_printf(&b, "%s on %s: %.1fx on %d threads", g->workload,
	    report_label(r->rs, g->interp), g->speedup, g->threads);
	if (strcmp(g->engine, "threads") != 0)
		buf_printf(&b, " (%s)", g->engine);
	gil_peers(&b, r, g);
	if (cores > 0 && g->threads > cores &&
	    g->speedup >= DIAG_EFFICIENCY * cores) {
		*cause = CAUSE_CORES;
		buf_printf(&b,
		    "; %d threads share %d CPUs, so %dx is the most they can "
		    "reach: the machine has too few CPUs for this count",
		    g->threads, cores, cores);
	} else if (!have) {
		*cause = CAUSE_UNDECIDED;
		if (p)
			buf_printf(&b, "; %d processes reach %.1fx", g->threads,
			    p->speedup);
		buf_puts(&b,
		    "; the run has no per-worker CPU time for it, so the "
		    "evidence does not decide between waiting, contention "
		    "and the machine: the threads engine of this version "
		    "records what each worker spent");
	} else if (queued) {
		*cause = CAUSE_MACHINE;
		buf_printf(&b,
		    "; each thread waited for a CPU %.0f%% of the time "
		    "(%.0f%% on one thread; %.0f involuntary context switches "
		    "a second) and was blocked %.0f%%: other work on the "
		    "machine took the CPUs, not the interpreter; re-measure "
		    "on a quiet machine",
		    pct(en.runq_share), pct(e1.runq_share), en.ivcsw_s,
		    pct(blocked > 0 ? blocked : 0));
	} else if (busy && slower >= DIAG_CPU_SLOWER &&
	    (!phave || pslower * DIAG_CPU_SLOWER <= slower)) {
		*cause = phave ? CAUSE_CONTENTION : CAUSE_UNDECIDED;
		buf_printf(&b,
		    "; each thread is on the CPU %.0f%% of the time but "
		    "takes %.1fx the CPU time per iteration it takes alone",
		    pct(en.on_cpu), slower);
		if (phave)
			buf_printf(&b,
			    ", while %d processes reach %.1fx (%.1fx the CPU "
			    "time per iteration): the threads contend for "
			    "shared interpreter state or a shared object "
			    "(reference counts, a shared cache line)",
			    g->threads, p ? p->speedup : NAN, pslower);
		else
			buf_printf(&b,
			    ": the threads likely contend for shared state, "
			    "but the evidence does not decide between that and "
			    "the machine; the processes engine at %d would "
			    "(processes that scale clear the machine)",
			    g->threads);
		related(&b, r, g, 1);
	} else if (busy && slower >= DIAG_CPU_SLOWER) {
		*cause = CAUSE_MACHINE;
		buf_printf(&b,
		    "; each thread takes %.1fx the CPU time per iteration it "
		    "takes alone, and %d processes too (%.1fx, reaching "
		    "%.1fx): the machine (shared caches, memory bandwidth, "
		    "clock frequency) slows both, not the interpreter",
		    slower, g->threads, pslower, p ? p->speedup : NAN);
		related(&b, r, g, 0);
	} else if (off >= DIAG_OFF_CPU && !en.has_runq && en.has_switches &&
	    en.ivcsw_s > en.vcsw_s) {
		*cause = CAUSE_MACHINE;
		buf_printf(&b,
		    "; each thread is on the CPU only %.0f%% of the time, "
		    "with more involuntary context switches (%.0f a second) "
		    "than voluntary (%.0f): other work on the machine took "
		    "the CPUs; re-measure on a quiet machine",
		    pct(en.on_cpu), en.ivcsw_s, en.vcsw_s);
	} else if (off >= DIAG_OFF_CPU &&
	    ((en.has_runq && blocked >= DIAG_OFF_CPU) ||
	        (!en.has_runq && en.has_switches))) {
		*cause = CAUSE_WAITING;
		buf_printf(&b, "; each thread is on the CPU only %.0f%% of the time",
		    pct(en.on_cpu));
		if (en.has_runq)
			buf_printf(&b, " and blocked %.0f%%", pct(blocked));
		if (en.has_switches)
			buf_printf(&b, " (%.0f voluntary context switches a second)",
			    en.vcsw_s);
		buf_printf(&b,
		    ", with the CPU time per iteration it takes alone (%.1fx)",
		    slower);
		if (p)
			buf_printf(&b, ", while %d processes reach %.1fx",
			    g->threads, p->speedup);
		buf_puts(&b,
		    ": the threads wait for each other, on a lock of the "
		    "workload or of the interpreter");
		related(&b, r, g, 0);
	} else if (off >= DIAG_OFF_CPU) {
		*cause = CAUSE_UNDECIDED;
		buf_printf(&b,
		    "; each thread is off the CPU %.0f%% of the time, which "
		    "the evidence does not place: blocked on a lock, or "
		    "waiting for a CPU; each worker's run-queue wait (this "
		    "version's threads engine) would tell",
		    pct(off));
	} else {
		*cause = CAUSE_UNDECIDED;
		buf_printf(&b,
		    "; each thread is on the CPU %.0f%% of the time with the "
		    "CPU time per iteration it takes alone (%.1fx), so the "
		    "time is lost between the workers (one starting or "
		    "ending late): the evidence does not decide; longer "
		    "rounds (a larger min_time) would show whether it stays",
		    pct(en.on_cpu), slower);
	}
	buf_puts(&b, ".");
	return b.data;
}

const char *
diagnosis_cause_name(enum diag_cause c)
{
	static const char *const names[] = {"contention", "waiting",
	    "machine", "cores", "undecided"};

	return c <= CAUSE_UNDECIDED ? names[c] : "?";
}

/* A speedup the drift snippet left unresolved: every sample of the
 * group, or of its one-thread reference, was disturbed. That is the
 * machine's doing, whatever the interpreter would have shown. */
static char *
unresolved_sentence(const struct report *r, const struct group *g)
{
	const struct group *one =
	    analysis_find(&r->a, g->interp, g->workload, g->engine, 1);
	const struct group *d = g->all_disturbed || !one ? g : one;

	return xasprintf("%s on %s: the speedup on %d threads is not "
	                 "resolved: every sample%s was disturbed (%zu "
	                 "descheduled, %zu in a slow phase of the machine "
	                 "that the drift snippet shows, of %zu): the "
	                 "machine, not the interpreter; re-measure on a "
	                 "quieter machine.",
	    g->workload, report_label(r->rs, g->interp), g->threads,
	    d == g ? "" : " on one thread", d->ndescheduled, d->nslow,
	    d->nsamples);
}

void
diagnosis_make(const struct report *r, struct diagnosis **out, size_t *n)
{
	const struct analysis *a = &r->a;

	*out = NULL;
	*n = 0;
	for (size_t i = 0; i < a->ngroups; i++) {
		const struct group *g = &a->groups[i];
		struct diagnosis *d;

		if (!processes_engine(g->engine) || g->threads < 2 ||
		    !(g->has_speedup || g->speedup_unresolved) ||
		    !report_timed(r, g->workload) || !runs_without_gil(r, g) ||
		    top_count(a, g) != g->threads ||
		    (g->has_speedup &&
		        g->speedup >= DIAG_EFFICIENCY * g->threads))
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		d = &(*out)[(*n)++];
		d->group = g;
		if (g->speedup_unresolved) {
			d->cause = CAUSE_MACHINE;
			d->text = unresolved_sentence(r, g);
		} else {
			d->text = sentence(r, g, &d->cause);
		}
	}
}

void
diagnosis_free(struct diagnosis *d, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(d[i].text);
	free(d);
}

char **
diagnosis_sentences(const struct report *r, size_t *n)
{
	struct diagnosis *d;
	char **out;

	diagnosis_make(r, &d, n);
	out = xcalloc(*n + 1, sizeof(*out));
	for (size_t i = 0; i < *n; i++) {
		out[i] = d[i].text;
		d[i].text = NULL;
	}
	diagnosis_free(d, *n);
	return out;
}
