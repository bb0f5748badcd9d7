/* memory.c: the process-tree sampler and its bounded timeline. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ftmatrix.h"

static void
usage_of_self_is_plausible(void **state)
{
	struct memory_usage u;

	(void)state;
	assert_int_equal(memory_tree_usage(getpid(), &u), 0);
	assert_int_equal(u.nprocs, 1);
	assert_true(u.rss_kib > 0);
	assert_true(u.uss_kib > 0 && u.uss_kib <= u.rss_kib);
	assert_true(u.pss_kib >= u.uss_kib && u.pss_kib <= u.rss_kib);
}

/* A forked child that dirties 32 MiB: the tree's RSS and PSS grow by about
 * that (a little less: pages it shares with us move from our USS to
 * nobody's), and its own 32 MiB are unique to it. */
static void
children_are_counted(void **state)
{
	struct memory_usage alone, both;
	int ready[2];
	char c;
	pid_t pid;

	(void)state;
	assert_int_equal(memory_tree_usage(getpid(), &alone), 0);
	assert_int_equal(pipe(ready), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		size_t n = 32u << 20, i;
		volatile char *p = malloc(n); /* volatile: the stores stay */

		for (i = 0; i < n; i += 4096)
			p[i] = 1;
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	assert_int_equal(read(ready[0], &c, 1), 1);
	assert_int_equal(memory_tree_usage(getpid(), &both), 0);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	close(ready[0]);
	close(ready[1]);
	assert_int_equal(both.nprocs, 2);
	assert_true(both.rss_kib >= alone.rss_kib + 32 * 1024);
	assert_true(both.pss_kib >= alone.pss_kib + 31 * 1024);
	assert_true(both.uss_kib >= 32 * 1024);
}

static void
gone_process_is_an_error(void **state)
{
	struct memory_usage u;
	pid_t pid;

	(void)state;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(0);
	waitpid(pid, NULL, 0);
	assert_int_equal(memory_tree_usage(pid, &u), -1);
}

static void
ranges_see_every_sample(void **state)
{
	struct memory_profile mp;
	struct memory_usage u = {0};
	long i;

	(void)state;
	memory_begin(&mp, 50);
	for (i = 1; i <= 5000; i++) {
		u.rss_kib = i;
		u.uss_kib = 2 * i;
		u.pss_kib = 10000 - i;
		u.nprocs = i == 77 ? 3 : 1;
		memory_add(&mp, (double)i * 50, &u);
	}
	assert_int_equal(mp.nsamples, 5000);
	assert_int_equal(mp.rss.min, 1);
	assert_int_equal(mp.rss.max, 5000);
	assert_true(mp.rss.avg == 2500.5);
	assert_int_equal(mp.uss.max, 10000);
	assert_int_equal(mp.pss.min, 5000);
	assert_int_equal(mp.max_procs, 3);
	/* thinned to every 4th sample: 5000 / 4 = 1250 points, the first
	 * and every 4th after it */
	assert_int_equal(mp.stride, 4);
	assert_int_equal(mp.ntimeline, 1250);
	for (i = 0; i < (long)mp.ntimeline; i++)
		assert_int_equal(mp.timeline[i].rss_kib, 1 + 4 * i);
	memory_free(&mp);
}

static void
short_timelines_are_whole(void **state)
{
	struct memory_profile mp;
	struct memory_usage u = {10, 5, 7, 1};
	char *json;

	(void)state;
	memory_begin(&mp, 20);
	memory_add(&mp, 20.4, &u);
	memory_add(&mp, 40.6, &u);
	assert_int_equal(mp.ntimeline, 2);
	assert_int_equal(mp.stride, 1);
	json = memory_profile_json(&mp);
	assert_string_equal(json,
	    "{\"interval_ms\":20,\"nsamples\":2,\"rss_kib\":{\"min\":10,"
	    "\"max\":"
	    "10,\"avg\":10.0},\"uss_kib\":{\"min\":5,\"max\":5,\"avg\":5.0},"
	    "\"pss_kib\":{\"min\":7,\"max\":7,\"avg\":7.0},\"max_processes\":"
	    "1,\"timeline_stride\":1,\"timeline\":[[20,10,5,7],[41,10,5,7]]}");
	free(json);
	memory_free(&mp);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(usage_of_self_is_plausible),
	    cmocka_unit_test(children_are_counted),
	    cmocka_unit_test(gone_process_is_an_error),
	    cmocka_unit_test(ranges_see_every_sample),
	    cmocka_unit_test(short_timelines_are_whole),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
