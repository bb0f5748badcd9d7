#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ftmatrix.h"
#include "fixtures.h"

/* Each case is one workload on the free-threaded build whose evidence
 * points one way; the GIL build is there to be compared with. */

/* A probe document: per worker, per sample the same wall, CPU and
 * run-queue times; runq < 0 leaves the newer members out, as an older
 * probe did. */
static char *
probe_doc(int workers, double wall, double cpu, double runq, int vcsw)
{
	struct buf b = {0};

	buf_puts(&b, "{\"probe_version\": 2, \"kind\": \"timing\", "
	             "\"samples\": [");
	for (int s = 0; s < 3; s++) {
		buf_printf(&b, "%s{\"wall_ns\": %.0f", s ? ", " : "", wall);
		buf_puts(&b, ", \"thread_wall_ns\": [");
		for (int w = 0; w < workers; w++)
			buf_printf(&b, "%s%.0f", w ? ", " : "", wall);
		buf_puts(&b, "], \"thread_cpu_ns\": [");
		for (int w = 0; w < workers; w++)
			buf_printf(&b, "%s%.0f", w ? ", " : "", cpu);
		buf_puts(&b, "]");
		if (runq >= 0) {
			buf_puts(&b, ", \"thread_runq_ns\": [");
			for (int w = 0; w < workers; w++)
				buf_printf(&b, "%s%.0f", w ? ", " : "", runq);
			buf_puts(&b, "], \"thread_vcsw\": [");
			for (int w = 0; w < workers; w++)
				buf_printf(&b, "%s%d", w ? ", " : "", vcsw);
			buf_puts(&b, "], \"thread_ivcsw\": [");
			for (int w = 0; w < workers; w++)
				buf_printf(&b, "%s1", w ? ", " : "");
			buf_puts(&b, "]");
		}
		buf_puts(&b, "}");
	}
	buf_puts(&b, "]}");
	return b.data;
}

static struct result_cell cells[64];
static size_t ncells;
static double walls[64][3];

static void
cell(const char *interp, const char *workload, const char *engine,
    int threads, double wall, double worker_wall, double cpu, double runq,
    int vcsw)
{
	struct result_cell *c = &cells[ncells];

	for (int i = 0; i < 3; i++)
		walls[ncells][i] = wall;
	*c = (struct result_cell){.key = "k",
	    .interp = (char *)interp,
	    .workload = (char *)workload,
	    .engine = (char *)engine,
	    .threads = threads,
	    .status = "ok",
	    .scaling = "weak",
	    .work_per_thread = 1000,
	    .gil_enabled_before = -1,
	    .gil_enabled_after = -1,
	    .wall_ns = walls[ncells],
	    .nwall = 3,
	    .probe_json = probe_doc(threads, worker_wall, cpu, runq, vcsw)};
	ncells++;
}

/* A workload that scales on the GIL build's processes and on neither's
 * threads; the free-threaded build's 2-thread threads cell is given. */
static void
workload(const char *name, double wall2, double worker_wall2, double cpu2,
    double runq2, int vcsw2)
{
	cell("gil", name, "threads", 1, 100, 100, 99, 0, 0);
	cell("gil", name, "threads", 2, 200, 200, 99, 0, 50);
	cell("ft", name, "threads", 1, 100, 100, 99, 0, 0);
	cell("ft", name, "threads", 2, wall2, worker_wall2, cpu2, runq2, vcsw2);
	cell("ft", name, "processes", 1, 100, 100, 99, 0, 0);
	cell("ft", name, "processes", 2, 105, 105, 100, 0, 0);
}

static void
cells_free(void)
{
	for (size_t i = 0; i < ncells; i++)
		free(cells[i].probe_json);
	ncells = 0;
}

static const struct diagnosis *
find(const struct diagnosis *d, size_t n, const char *workload)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(d[i].group->workload, workload) == 0)
			return &d[i];
	fail_msg("no sentence for %s", workload);
	return NULL;
}

static void
test_causes(void **state)
{
	struct resultset rs;
	struct report r;
	struct diagnosis *d;
	size_t n;

	(void)state;
	/* busy, three times the CPU per iteration, processes fine */
	workload("contend_shared", 300, 300, 297, 0, 0);
	/* its private twin scales */
	workload("contend_private", 105, 105, 100, 0, 0);
	/* half the time off the CPU, not waiting for one */
	workload("wait", 200, 200, 99, 0, 20);
	/* half the time waiting for a CPU */
	workload("machine", 200, 200, 99, 100, 0);
	/* more CPU per iteration, but mostly waiting for a CPU: the threads
	 * hardly ran at once, so that says nothing of contention */
	workload("queued", 400, 400, 150, 240, 0);
	/* busy, no slower per iteration: time lost between workers */
	workload("skew", 200, 100, 99, 0, 0);
	/* an older probe: wall and CPU only, off the CPU half the time */
	workload("old", 200, 200, 99, -1, 0);

	fixture_resultset(&rs, cells, ncells);
	rs.machine.cores = 4;
	report_make(&rs, NULL, &r);
	diagnosis_make(&r, &d, &n);

	/* the free-threaded build only, and only what falls short */
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(d[i].group->interp, 1);
		assert_string_not_equal(d[i].group->workload, "contend_private");
	}
	assert_int_equal(n, 6);
	assert_int_equal(find(d, n, "contend_shared")->cause, CAUSE_CONTENTION);
	assert_int_equal(find(d, n, "queued")->cause, CAUSE_MACHINE);
	assert_non_null(strstr(find(d, n, "contend_shared")->text,
	    "2 processes reach 1.9x"));
	assert_non_null(strstr(find(d, n, "contend_shared")->text,
	    "compare contend_private: 1.9x"));
	assert_non_null(strstr(
	    find(d, n, "contend_shared")->text, "(3.13.15: 1.0x)"));
	assert_int_equal(find(d, n, "wait")->cause, CAUSE_WAITING);
	assert_int_equal(find(d, n, "machine")->cause, CAUSE_MACHINE);
	assert_int_equal(find(d, n, "skew")->cause, CAUSE_UNDECIDED);
	assert_int_equal(find(d, n, "old")->cause, CAUSE_UNDECIDED);
	assert_non_null(strstr(find(d, n, "old")->text, "would tell"));
	assert_string_equal(diagnosis_cause_name(CAUSE_MACHINE), "machine");
	diagnosis_free(d, n);

	/* the plain sentences, for the terminal */
	{
		char **s = diagnosis_sentences(&r, &n);

		assert_int_equal(n, 6);
		assert_null(s[n]);
		assert_memory_equal(s[0], "contend_shared on 3.13.15t: 0.7x",
		    strlen("contend_shared on 3.13.15t: 0.7x"));
		for (size_t i = 0; i < n; i++)
			free(s[i]);
		free(s);
	}
	report_free(&r);
	cells_free();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_causes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
