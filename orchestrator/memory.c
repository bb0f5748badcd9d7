#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"

/* A timeline longer than this is thinned to every other point, so an
 * hour-long cell does not grow results.json without bound; min, max and
 * average still see every sample. */
#define MEMORY_TIMELINE_MAX 2048
#define MEMORY_TREE_MAX 4096 /* processes followed in one tree */

/* Adds one process's Rss, Pss and Private_* from smaps_rollup; 0 when it
 * could not be read (the process exited between listing and reading). */
static int
smaps_add(pid_t pid, struct memory_usage *u)
{
	char path[64], line[256];
	long rss = -1, pss = -1, priv = 0, v;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/smaps_rollup", (int)pid);
	if (!(f = fopen(path, "r")))
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Rss: %ld kB", &v) == 1)
			rss = v;
		else if (sscanf(line, "Pss: %ld kB", &v) == 1)
			pss = v;
		else if (sscanf(line, "Private_Clean: %ld kB", &v) == 1 ||
		    sscanf(line, "Private_Dirty: %ld kB", &v) == 1)
			priv += v;
	}
	fclose(f);
	if (rss < 0 || pss < 0)
		return 0;
	u->rss_kib += rss;
	u->pss_kib += pss;
	u->uss_kib += priv; /* unique set: pages no other process maps */
	return 1;
}

/* CONFIG_PROC_CHILDREN gives each thread a children file. */
static int
children_files_exist(void)
{
	static int exist = -1;
	char path[64];

	if (exist < 0) {
		snprintf(path, sizeof(path), "/proc/self/task/%d/children",
		    (int)getpid());
		exist = access(path, R_OK) == 0;
	}
	return exist;
}

/* Appends the children of every thread of pid. */
static void
children_add(pid_t pid, pid_t *tree, size_t *n)
{
	char path[64], line[4096], *p, *end;
	struct dirent *e;
	DIR *d;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	if (!(d = opendir(path)))
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%.20s/children",
		    (int)pid, e->d_name);
		if (!(f = fopen(path, "r")))
			continue; /* the thread is gone */
		/* "123 456 " for this thread's children */
		while (fgets(line, sizeof(line), f))
			for (p = line; *p && *n < MEMORY_TREE_MAX; p = end) {
				long child = strtol(p, &end, 10);

				if (end == p)
					break;
				tree[(*n)++] = (pid_t)child;
			}
		fclose(f);
	}
	closedir(d);
}

/* Without children files: every process whose process group is the root's
 * (the probe runs in a group of its own). */
static void
group_members(pid_t root, pid_t *tree, size_t *n)
{
	char path[64], line[512], *p;
	struct dirent *e;
	DIR *d = opendir("/proc");
	FILE *f;
	int pgrp;

	*n = 1;
	while (d && (e = readdir(d)) && *n < MEMORY_TREE_MAX) {
		long pid = strtol(e->d_name, &p, 10);

		if (*p || pid <= 0 || pid == root)
			continue;
		snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
		if (!(f = fopen(path, "r")))
			continue;
		/* pid (comm) state ppid pgrp: comm may hold spaces */
		if (fgets(line, sizeof(line), f) && (p = strrchr(line, ')')) &&
		    sscanf(p + 1, " %*c %*d %d", &pgrp) == 1 && pgrp == root)
			tree[(*n)++] = (pid_t)pid;
		fclose(f);
	}
	if (d)
		closedir(d);
}

int
memory_tree_usage(pid_t root, struct memory_usage *u)
{
	pid_t *tree = xcalloc(MEMORY_TREE_MAX, sizeof(*tree));
	size_t n = 1, i;
	int seen = 0;

	memset(u, 0, sizeof(*u));
	tree[0] = root;
	if (children_files_exist())
		for (i = 0; i < n; i++)
			children_add(tree[i], tree, &n);
	else
		group_members(root, tree, &n);
	for (i = 0; i < n; i++)
		seen += smaps_add(tree[i], u);
	free(tree);
	u->nprocs = seen;
	return seen ? 0 : -1;
}

void
memory_begin(struct memory_profile *mp, int interval_ms)
{
	memset(mp, 0, sizeof(*mp));
	mp->interval_ms = interval_ms;
	mp->stride = 1;
	mp->start_s = now_mono_s();
}

static void
range_add(struct memory_range *r, long v, size_t n)
{
	if (n == 1 || v < r->min)
		r->min = v;
	if (n == 1 || v > r->max)
		r->max = v;
	r->avg += ((double)v - r->avg) / (double)n; /* running mean */
}

static void
timeline_add(struct memory_profile *mp, const struct memory_point *pt)
{
	size_t i;

	if ((mp->nsamples - 1) % mp->stride != 0)
		return;
	if (mp->ntimeline == MEMORY_TIMELINE_MAX) {
		for (i = 0; i < mp->ntimeline / 2; i++)
			mp->timeline[i] = mp->timeline[2 * i];
		mp->ntimeline /= 2;
		mp->stride *= 2;
		if ((mp->nsamples - 1) % mp->stride != 0)
			return;
	}
	if (!mp->timeline)
		mp->timeline =
		    xcalloc(MEMORY_TIMELINE_MAX, sizeof(*mp->timeline));
	mp->timeline[mp->ntimeline++] = *pt;
}

void
memory_add(struct memory_profile *mp, double t_ms, const struct memory_usage *u)
{
	struct memory_point pt = {t_ms, u->rss_kib, u->uss_kib, u->pss_kib};

	mp->nsamples++;
	range_add(&mp->rss, u->rss_kib, mp->nsamples);
	range_add(&mp->uss, u->uss_kib, mp->nsamples);
	range_add(&mp->pss, u->pss_kib, mp->nsamples);
	if (u->nprocs > mp->max_procs)
		mp->max_procs = u->nprocs;
	timeline_add(mp, &pt);
}

void
memory_tick(pid_t pid, void *arg)
{
	struct memory_profile *mp = arg;
	struct memory_usage u;

	if (memory_tree_usage(pid, &u) == 0)
		memory_add(mp, (now_mono_s() - mp->start_s) * 1000, &u);
}

void
memory_free(struct memory_profile *mp)
{
	free(mp->timeline);
	memset(mp, 0, sizeof(*mp));
}
