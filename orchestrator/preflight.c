#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ftmatrix.h"

#define SPREAD_RUNS 21
#define SPREAD_RUN_S 0.005 /* each run of the fixed loop, about */
#define SPREAD_CV_MAX 0.03
#define LOAD_PER_CORE_MAX 0.5

/* A loop the compiler cannot fold away: integer work with no memory
 * traffic, so it measures only whether we get the CPU. */
static unsigned long
spin(unsigned long n)
{
	volatile unsigned long x = 1;
	unsigned long i;

	for (i = 0; i < n; i++)
		x = x * 6364136223846793005ul + 1442695040888963407ul;
	return x;
}

static double
spin_time(unsigned long n)
{
	double t = now_mono_s();

	spin(n);
	return now_mono_s() - t;
}

/*
 * The spread of a fixed CPU loop timed SPREAD_RUNS times: on a quiet
 * machine it barely moves; when other processes take the CPU it does.
 * Pinned to the probes' CPUs when they are pinned, since that is where
 * the noise matters.
 */
static double
spread_cv(const struct cpus *pinned, int *runs)
{
	double t[SPREAD_RUNS], sum = 0, sq = 0, mean;
	unsigned long n = 1000;
	cpu_set_t saved, set;
	int i, swapped = 0;

	if (pinned && sched_getaffinity(0, sizeof(saved), &saved) == 0) {
		CPU_ZERO(&set);
		for (i = 0; i < CPUS_MAX && i < CPU_SETSIZE; i++)
			if (cpus_has(pinned, i))
				CPU_SET(i, &set);
		swapped = sched_setaffinity(0, sizeof(set), &set) == 0;
	}
	while (spin_time(n) < SPREAD_RUN_S / 4 && n < (1ul << 40))
		n *= 2;
	n *= 4;
	spin(n); /* warm-up */
	for (i = 0; i < SPREAD_RUNS; i++) {
		t[i] = spin_time(n);
		sum += t[i];
	}
	if (swapped)
		sched_setaffinity(0, sizeof(saved), &saved);
	mean = sum / SPREAD_RUNS;
	for (i = 0; i < SPREAD_RUNS; i++)
		sq += (t[i] - mean) * (t[i] - mean);
	*runs = SPREAD_RUNS;
	return mean > 0 ? sqrt(sq / (SPREAD_RUNS - 1)) / mean : 0;
}

/* Busy and total CPU time of all CPUs so far, in ticks, from the first
 * line of /proc/stat; steal (a neighbour on the host) counts as busy. */
int
cpu_ticks(const char *path, unsigned long long *busy,
    unsigned long long *total)
{
	unsigned long long v[8] = {0};
	FILE *f = fopen(path, "re");
	int n;

	if (!f)
		return -1;
	n = fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
	    &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]);
	fclose(f);
	if (n < 4)
		return -1;
	/* user nice system idle iowait irq softirq steal */
	*busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
	*total = *busy + v[3] + v[4];
	return 0;
}

/*
 * The share of all CPUs' time that other processes used while we slept
 * for pause_s: what the load average means to say, measured now. (The
 * load average also counts tasks waiting on I/O, and remembers the last
 * minute: a build that just finished, or a kernel thread asleep in the D
 * state, as on some virtual machines, raise it on an idle machine.) -1
 * when the stat file cannot tell.
 */
double
others_busy_share(const char *stat_path, double pause_s)
{
	unsigned long long b0, t0, b1, t1;
	struct timespec ts = {(time_t)pause_s,
	    (long)((pause_s - (double)(time_t)pause_s) * 1e9)};

	if (cpu_ticks(stat_path, &b0, &t0) < 0)
		return -1;
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !interrupted)
		;
	if (cpu_ticks(stat_path, &b1, &t1) < 0 || t1 <= t0 || b1 < b0)
		return -1;
	return (double)(b1 - b0) / (double)(t1 - t0);
}

static void
add_warning(struct preflight *p, char *w)
{
	p->warnings =
	    xreallocarray(p->warnings, p->nwarnings + 1, sizeof(*p->warnings));
	p->warnings[p->nwarnings++] = w;
}

static int
max_threads(const struct matrix *m)
{
	size_t i;
	int n = 1;

	for (i = 0; i < m->nthreads; i++)
		if (m->threads[i] > n)
			n = m->threads[i];
	return n;
}

/* Returns how many warnings are about noise (what --strict refuses); an
 * oversubscribed matrix is noted but may be the point of the run. */
int
preflight_run(struct preflight *p, const struct machine *mc,
    const struct matrix *m, const struct cpus *pinned)
{
	int cpus = pinned ? pinned->count : mc->cores, top = max_threads(m);
	int noisy;

	memset(p, 0, sizeof(*p));
	p->ran = 1;
	p->cores = mc->cores;
	p->loadavg1 = mc->loadavg1;
	p->governor = xstrdup(mc->governor ? mc->governor : "unknown");
	p->others_busy = others_busy_share("/proc/stat", PAUSE_S);
	if (p->others_busy > OTHERS_BUSY_MAX)
		add_warning(p,
		    xasprintf("other processes kept %.0f%% of the CPUs busy "
		              "during a %.1f s pause (load average %.2f on %d "
		              "cores): they will disturb the timings; wait for "
		              "a quieter moment",
		        p->others_busy * 100, PAUSE_S, p->loadavg1,
		        mc->cores));
	else if (p->others_busy < 0 &&
	    p->loadavg1 > LOAD_PER_CORE_MAX * mc->cores)
		add_warning(p,
		    xasprintf("load average %.2f on %d cores: other processes "
		              "are running and will disturb the timings; wait "
		              "for a quieter moment",
		        p->loadavg1, mc->cores));
	if (strcmp(p->governor, "unknown") != 0 &&
	    strcmp(p->governor, "performance") != 0)
		add_warning(p,
		    xasprintf("CPU frequency governor is \"%s\": the clock "
		              "follows the load; use \"performance\" (cpupower "
		              "frequency-set -g performance)",
		        p->governor));
	if (mc->boost == 1)
		add_warning(p,
		    xstrdup("turbo boost is on: the clock depends on "
		            "temperature and on how many cores are busy, which "
		            "skews scaling; turn it off for stable numbers"));
	noisy = (int)p->nwarnings;
	if (top > cpus)
		add_warning(p,
		    xasprintf(
		        "the matrix asks for %d threads on %d CPU%s: past "
		        "%d, cells measure contention, not parallelism",
		        top, cpus, cpus == 1 ? "" : "s", cpus));
	p->spread_cv = spread_cv(pinned, &p->spread_n);
	if (p->spread_cv > SPREAD_CV_MAX) {
		noisy++;
		add_warning(p,
		    xasprintf(
		        "a fixed CPU loop timed %d times varied by CV "
		        "%.1f%% (above %.0f%%): something else competes "
		        "for the CPU; try --affinity, or a quieter machine",
		        p->spread_n, p->spread_cv * 100, SPREAD_CV_MAX * 100));
	}
	return noisy;
}
