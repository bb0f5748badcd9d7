/* Engine "threads": N persistent pthreads released together each round by a
 * barrier. A thread never waits on the barrier while attached: under the GIL
 * that would deadlock, and without it a stop-the-world pause would. A
 * workload that drives its own workers (SELF_PARALLEL) gets one caller. */
#include "probe.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

struct threads_shared {
	const struct options *opt;
	const struct drift *drift;
	struct workload *workload;
	struct samples *samples;
	struct failure *failure;
	pthread_mutex_t start_lock;
	pthread_barrier_t barrier;
	/* first round nobody may run; every party reads it right after the
	 * same barrier, so all stop at the same round and none is left
	 * waiting */
	atomic_int stop_round;
	int nworkers;
	long long work;
};

struct worker {
	struct threads_shared *shared;
	int index;
	pthread_t thread;
};

static void
stop_at(struct threads_shared *s, int round)
{
	int current = atomic_load(&s->stop_round);

	while (round < current &&
	    !atomic_compare_exchange_weak(&s->stop_round, &current, round))
		;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct threads_shared *s = w->shared;
	struct samples *smp = s->samples;
	int attached = workload_attached(s->workload);
	PyGILState_STATE gstate = PyGILState_UNLOCKED;
	struct runner runner;

	/* wait until the main thread has sized the barrier */
	pthread_mutex_lock(&s->start_lock);
	pthread_mutex_unlock(&s->start_lock);

	if (attached)
		gstate = PyGILState_Ensure();
	if (runner_init(&runner, s->workload, w->index, s->nworkers, s->work,
	        s->failure) != 0)
		stop_at(s, 0);
	counters_open(&smp->counters[w->index], RUSAGE_THREAD,
	    counters_affordable(s->nworkers));

	/* one more pass than rounds: its snippet closes the last round */
	for (int r = 0; r <= smp->rounds; r++) {
		size_t slot = (size_t)r * smp->nworkers + w->index;
		PyThreadState *tstate;
		int64_t wall0, cpu0, cpu1, wall1;
		int rc;

		if (attached)
			smp->drift_ns[slot] = drift_time(s->drift);
		tstate = attached ? PyEval_SaveThread() : NULL;
		pthread_barrier_wait(&s->barrier);
		/* the main thread decides here whether this round runs */
		if (samples_decision_round(smp, s->opt, r))
			pthread_barrier_wait(&s->barrier);
		if (attached)
			PyEval_RestoreThread(tstate);
		if (r >= atomic_load(&s->stop_round))
			break;
		counters_begin(&smp->counters[w->index]);
		wall0 = clock_ns(CLOCK_MONOTONIC);
		cpu0 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		rc = runner_call(&runner);
		cpu1 = clock_ns(CLOCK_THREAD_CPUTIME_ID);
		wall1 = clock_ns(CLOCK_MONOTONIC);
		counters_end(&smp->counters[w->index],
		    options_round_measured(s->opt, r), &smp->counts[slot]);
		if (rc != 0) {
			runner_fail(&runner, w->index, s->failure);
			/* keep going to the next barrier, where all stop */
			stop_at(s, r + 1);
			continue;
		}
		smp->start_ns[slot] = wall0;
		smp->end_ns[slot] = wall1;
		smp->cpu_ns[slot] = cpu1 - cpu0;
	}
	runner_clear(&runner);
	if (attached)
		PyGILState_Release(gstate);
	return NULL;
}

int
engine_threads(const struct options *opt, struct workload *workload,
    struct samples *samples, struct failure *f)
{
	int nworkers = workload->self_parallel ? 1 : opt->threads;
	struct threads_shared s = {.opt = opt,
	    .workload = workload,
	    .samples = samples,
	    .failure = f,
	    .nworkers = nworkers,
	    .work = options_work_per_worker(opt, workload->self_parallel)};
	struct worker *workers = xcalloc((size_t)nworkers, sizeof(*workers));
	struct drift drift = {0};
	PyThreadState *tstate;
	int started = 0, err = 0, r;

	samples_init(samples, opt, nworkers);
	if (opt->drift && workload_attached(workload) &&
	    drift_init(&drift, f) != 0) {
		free(workers);
		return -1;
	}
	s.drift = &drift;
	samples->counted = 1;
	atomic_init(&s.stop_round, samples->rounds);
	pthread_mutex_init(&s.start_lock, NULL);
	pthread_mutex_lock(&s.start_lock);
	for (; started < nworkers; started++) {
		workers[started] =
		    (struct worker){.shared = &s, .index = started};
		err = pthread_create(&workers[started].thread, NULL,
		    worker_main, &workers[started]);
		if (err)
			break;
	}
	if (err) {
		failure_set(f,
		    xasprintf("cannot start thread %d of %d: %s", started,
		        nworkers, strerror(err)),
		    NULL);
		atomic_store(&s.stop_round, 0);
	}
	pthread_barrier_init(&s.barrier, NULL, (unsigned)started + 1);
	pthread_mutex_unlock(&s.start_lock);

	tstate = PyEval_SaveThread();
	for (r = 0; r <= samples->rounds; r++) {
		pthread_barrier_wait(&s.barrier);
		/* every worker finished round r-1 and its snippet */
		if (samples_decision_round(samples, opt, r)) {
			if (!samples_continue(samples, opt, r))
				stop_at(&s, r);
			pthread_barrier_wait(&s.barrier);
		}
		if (r >= atomic_load(&s.stop_round))
			break;
	}
	for (int i = 0; i < started; i++)
		pthread_join(workers[i].thread, NULL);
	PyEval_RestoreThread(tstate);
	drift_clear(&drift);
	samples->rounds_run = r < samples->rounds ? r : samples->rounds;

	pthread_barrier_destroy(&s.barrier);
	pthread_mutex_destroy(&s.start_lock);
	free(workers);
	return f->message ? -1 : 0;
}
