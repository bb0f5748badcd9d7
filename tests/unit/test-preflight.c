/* preflight.c: what other processes take of the CPUs, from /proc/stat. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ftmatrix.h"

static char *
stat_file(const char *text)
{
	char *path = xstrdup("/tmp/ftmatrix-test-stat.XXXXXX");
	int fd = mkstemp(path);
	FILE *f;

	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* user nice system idle iowait irq softirq steal: waiting on I/O is idle
 * time, a neighbour's steal is busy time */
static void
ticks_count_steal_as_busy_and_iowait_as_idle(void **state)
{
	char *path = stat_file("cpu  100 20 30 1000 400 5 6 7 0 0\n"
	                       "cpu0 50 10 15 500 200 2 3 3 0 0\n");
	unsigned long long busy, total;

	(void)state;
	assert_int_equal(cpu_ticks(path, &busy, &total), 0);
	assert_int_equal(busy, 100 + 20 + 30 + 5 + 6 + 7);
	assert_int_equal(total, busy + 1000 + 400);
	unlink(path);
	free(path);
}

/* Kernels before 2.6.11 print four fields; the rest count as zero. */
static void
ticks_of_an_old_kernel(void **state)
{
	char *path = stat_file("cpu  10 0 5 85\n");
	unsigned long long busy, total;

	(void)state;
	assert_int_equal(cpu_ticks(path, &busy, &total), 0);
	assert_int_equal(busy, 15);
	assert_int_equal(total, 100);
	unlink(path);
	free(path);
}

static void
no_share_without_a_stat_file(void **state)
{
	char *path = stat_file("intr 12345\n");
	unsigned long long busy, total;

	(void)state;
	assert_int_equal(cpu_ticks(path, &busy, &total), -1);
	assert_true(others_busy_share("/nonexistent/stat", 0.01) < 0);
	/* a file that does not move tells nothing either */
	assert_true(others_busy_share(path, 0.01) < 0);
	unlink(path);
	free(path);
}

/* The real one: a share of all CPUs' time, between none and all. */
static void
share_of_this_machine(void **state)
{
	double share = others_busy_share("/proc/stat", 0.05);

	(void)state;
	assert_true(share >= 0 && share <= 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ticks_count_steal_as_busy_and_iowait_as_idle),
	    cmocka_unit_test(ticks_of_an_old_kernel),
	    cmocka_unit_test(no_share_without_a_stat_file),
	    cmocka_unit_test(share_of_this_machine),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
