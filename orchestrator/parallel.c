#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#include "ftmatrix.h"

/*
 * Independent pieces of work spread over the online CPUs: loading the
 * files of a comparison, the bootstrap of each of its rows. Piece i always
 * computes the same thing whichever thread runs it, so the output does not
 * depend on the number of CPUs. Never used while measuring.
 */

struct parallel {
	void (*fn)(void *ctx, size_t i);
	void *ctx;
	size_t n, stride, first;
};

static void *
parallel_run(void *arg)
{
	const struct parallel *p = arg;

	for (size_t i = p->first; i < p->n; i += p->stride)
		p->fn(p->ctx, i);
	return NULL;
}

void
parallel_for(size_t n, void (*fn)(void *ctx, size_t i), void *ctx)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t nthreads = ncpu > 1 ? (size_t)ncpu : 1;
	struct parallel *part;
	pthread_t *tid;
	char *started;

	if (nthreads > PARALLEL_MAX_THREADS)
		nthreads = PARALLEL_MAX_THREADS;
	if (nthreads > n)
		nthreads = n;
	part = xcalloc(nthreads + 1, sizeof(*part));
	tid = xcalloc(nthreads + 1, sizeof(*tid));
	started = xcalloc(nthreads + 1, 1);
	for (size_t t = 0; t < nthreads; t++)
		part[t] = (struct parallel){fn, ctx, n, nthreads, t};
	/* share 0 runs on this thread, and so does a share whose thread
	 * cannot be started */
	for (size_t t = 1; t < nthreads; t++)
		started[t] = pthread_create(
				 &tid[t], NULL, parallel_run, &part[t]) == 0;
	for (size_t t = 0; t < nthreads; t++)
		if (!started[t])
			parallel_run(&part[t]);
	for (size_t t = 1; t < nthreads; t++)
		if (started[t])
			pthread_join(tid[t], NULL);
	free(part);
	free(tid);
	free(started);
}
