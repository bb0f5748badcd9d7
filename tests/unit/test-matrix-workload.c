/* A workload entry's own settings: engines, threads, tasks, task_warmup,
 * params, and the cells the plan makes of them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h> /* after the four above, which it needs */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"

static char *captured;

#define HEAD                                                                   \
	"interpreters:\n"                                                      \
	"  - {id: a, provider: path, path: /usr/bin/python3}\n"                \
	"  - {id: b, provider: path, path: /usr/bin/python3}\n"

static struct workload_info infos[] = {
    {.name = "cpu_loop",
        .group = "basic",
        .description = "",
        .unit = "iterations",
        .measures = "",
        .engines = "threads,processes,executor-threads,executor-processes",
        .kind = "timing"},
    {.name = "finding_x",
        .group = "findings",
        .description = "",
        .unit = "checks",
        .measures = "",
        .engines = "threads",
        .kind = "finding"},
    {.name = "c_probe",
        .group = "cprobes",
        .description = "",
        .unit = "pairs",
        .measures = "",
        .engines = "threads,processes",
        .kind = "c"},
    {.name = "script_x",
        .group = "basic",
        .description = "",
        .unit = "iterations",
        .measures = "",
        .engines = "threads,processes,executor-threads,executor-processes",
        .kind = "timing",
        .load = "main"},
    {.name = "odd_load",
        .group = "basic",
        .description = "",
        .unit = "iterations",
        .measures = "",
        .engines = "threads",
        .kind = "timing",
        .load = "exec"},
};
static const struct catalog cat = {infos, 5};

/* Parses text against the catalog above, stderr kept in captured. */
static int
parse(const char *text, struct matrix *m)
{
	FILE *tmp = tmpfile();
	int saved = dup(2), rc;
	long size;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	rc = matrix_parse_catalog("m.yaml", text, strlen(text), &cat, m);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	size = ftell(tmp) >= 0 ? (fseek(tmp, 0, SEEK_END), ftell(tmp)) : 0;
	free(captured);
	captured = calloc(1, (size_t)size + 1);
	rewind(tmp);
	assert_int_equal(fread(captured, 1, (size_t)size, tmp), (size_t)size);
	fclose(tmp);
	return rc;
}

static void
expect_line(const char *line)
{
	char *want = NULL;

	assert_true(asprintf(&want, "ftmatrix: %s\n", line) > 0);
	if (!strstr(captured, want))
		fail_msg("missing line: %s\ngot:\n%s", want, captured);
	free(want);
}

static size_t
plan_cells(const struct matrix *m, const char *workload, const char *engine,
    int threads)
{
	struct plan p;
	size_t n = 0;

	plan_make(m, &p);
	for (size_t i = 0; i < p.ncells; i++) {
		const struct cell *c = &p.cells[i];

		if ((!workload ||
		        !strcmp(m->workloads[c->workload].name, workload)) &&
		    (!engine || !strcmp(m->engines[c->engine], engine)) &&
		    (!threads || c->threads == threads))
			n++;
	}
	plan_free(&p);
	return n;
}

static void
test_own_settings(void **state)
{
	struct matrix m;

	(void)state;
	assert_int_equal(parse(HEAD "workloads:\n"
	                            "  - cpu_loop\n"
	                            "  - name: finding_x\n"
	                            "    threads: [4]\n"
	                            "  - name: c_probe\n"
	                            "    engines: [processes]\n"
	                            "    tasks: 1000\n"
	                            "    task_warmup: 5\n"
	                            "    params: {hold_ms: 1000, mode: fast}\n"
	                            "engines: [threads, executor-threads]\n"
	                            "threads: [1, 2]\n"
	                            "repetitions: 2\n",
	                     &m),
	    0);
	/* the workload's own lists went into the matrix's */
	assert_int_equal(m.nengines, 3);
	assert_string_equal(m.engines[2], "processes");
	assert_int_equal(m.nthreads, 3);
	assert_int_equal(m.threads[2], 4);
	assert_int_equal(m.workloads[2].tasks, 1000);
	assert_int_equal(m.workloads[2].task_warmup, 5);
	assert_int_equal(m.workloads[2].nparams, 2);
	assert_string_equal(m.workloads[2].params[0], "hold_ms=1000");
	assert_string_equal(m.workloads[2].params[1], "mode=fast");

	/* cpu_loop: the matrix's engines and threads, not the others' */
	assert_true(matrix_cell_wanted(&m, 0, "threads", 2));
	assert_true(matrix_cell_wanted(&m, 0, "executor-threads", 1));
	assert_false(matrix_cell_wanted(&m, 0, "processes", 1));
	assert_false(matrix_cell_wanted(&m, 0, "threads", 4));
	/* finding_x: threads only (its module), at 4 threads only */
	assert_true(matrix_cell_wanted(&m, 1, "threads", 4));
	assert_false(matrix_cell_wanted(&m, 1, "threads", 2));
	assert_false(matrix_cell_wanted(&m, 1, "executor-threads", 4));
	/* c_probe: its own engine, the matrix's threads */
	assert_true(matrix_cell_wanted(&m, 2, "processes", 1));
	assert_false(matrix_cell_wanted(&m, 2, "threads", 1));

	/* 2 interpreters x 2 repetitions x (4 + 1 + 2) */
	assert_int_equal(plan_cells(&m, NULL, NULL, 0), 2 * 2 * 7);
	assert_int_equal(plan_cells(&m, "cpu_loop", NULL, 0), 2 * 2 * 4);
	assert_int_equal(plan_cells(&m, "finding_x", "threads", 4), 2 * 2);
	assert_int_equal(plan_cells(&m, "c_probe", "processes", 0), 2 * 2 * 2);
	matrix_free(&m);
}

static void
test_unsupported_engines(void **state)
{
	struct matrix m;

	(void)state;
	assert_int_equal(parse(HEAD "workloads:\n"
	                            "  - name: finding_x\n"
	                            "    engines: [processes]\n"
	                            "  - c_probe\n"
	                            "engines: [executor-threads]\n",
	                     &m),
	    2);
	expect_line("m.yaml:6:14: workload \"finding_x\" does not run on "
	            "engine \"processes\" (it supports: threads)");
	expect_line(
	    "m.yaml:7:5: workload \"c_probe\" runs on none of the "
	    "matrix's engines (it supports: threads,processes); give it "
	    "its own \"engines\"");
	matrix_free(&m);
}

static void
test_bad_values(void **state)
{
	struct matrix m;

	(void)state;
	assert_true(
	    parse(HEAD "workloads:\n"
	               "  - name: cpu_loop\n"
	               "    tasks: 0\n"
	               "    task_warmup: -1\n"
	               "    engines: [threads, threads, fibers]\n"
	               "    threads: [2, 2]\n"
	               "    params: [hold_ms]\n"
	               "  - name: c_probe\n"
	               "    params: {1x: 2, ok: 1, ok: 2, deep: {a: 1}}\n",
	        &m) > 0);
	expect_line("m.yaml:6:12: \"tasks\" must be an integer between 1 and "
	            "10000000, not \"0\"");
	expect_line("m.yaml:7:18: \"task_warmup\" must be an integer between "
	            "0 and 10000000, not \"-1\"");
	expect_line("m.yaml:8:24: duplicate engine \"threads\"");
	expect_line("m.yaml:8:33: unknown engine \"fibers\" (expected threads, "
	            "processes, executor-threads, executor-processes)");
	expect_line("m.yaml:9:18: duplicate thread count 2");
	expect_line("m.yaml:10:13: \"params\" must be a mapping of names to "
	            "values, e.g. {hold_ms: 1000}, not a sequence");
	expect_line("m.yaml:12:14: invalid parameter name \"1x\" (use "
	            "letters, digits and _)");
	matrix_free(&m);
}

static int
argv_has(char **argv, const char *arg)
{
	for (; *argv; argv++)
		if (!strcmp(*argv, arg))
			return 1;
	return 0;
}

/* One module both ways: keyed apart, the probe told how to load each, and
 * a process pool (which imports by name) left out for __main__. */
static void
test_load(void **state)
{
	struct matrix m;
	struct interp in = {.probe = "probe"};
	struct cell c = {.workload = 1, .engine = 0, .threads = 1};
	char **argv;

	(void)state;
	assert_int_equal(parse(HEAD "workloads:\n"
	                            "  - cpu_loop\n"
	                            "  - {name: cpu_loop, load: main}\n"
	                            "  - {name: script_x}\n"
	                            "  - {name: script_x, load: import}\n"
	                            "engines: [threads, executor-processes]\n"
	                            "threads: [1]\n"
	                            "repetitions: 1\n",
	                     &m),
	    0);
	assert_int_equal(m.nworkloads, 4);
	assert_string_equal(m.workloads[0].name, "cpu_loop");
	assert_int_equal(m.workloads[0].load, LOAD_IMPORT);
	assert_string_equal(m.workloads[1].name, "cpu_loop@main");
	assert_string_equal(m.workloads[1].module, "cpu_loop");
	assert_int_equal(m.workloads[1].load, LOAD_MAIN);
	/* the module's own LOAD, unless the entry says otherwise */
	assert_string_equal(m.workloads[2].name, "script_x");
	assert_int_equal(m.workloads[2].load, LOAD_MAIN);
	assert_string_equal(m.workloads[3].name, "script_x@import");
	assert_int_equal(m.workloads[3].load, LOAD_IMPORT);
	assert_true(matrix_cell_wanted(&m, 0, "executor-processes", 1));
	assert_false(matrix_cell_wanted(&m, 1, "executor-processes", 1));
	assert_false(matrix_cell_wanted(&m, 2, "executor-processes", 1));
	assert_true(matrix_cell_wanted(&m, 1, "threads", 1));
	assert_int_equal(plan_cells(&m, "cpu_loop@main", NULL, 0), 2);

	argv = probe_argv(&m, &in, &c);
	assert_true(argv_has(argv, "--workload=cpu_loop"));
	assert_true(argv_has(argv, "--load=main"));
	probe_argv_free(argv);
	c.workload = 0;
	argv = probe_argv(&m, &in, &c);
	assert_false(argv_has(argv, "--load=main"));
	probe_argv_free(argv);
	matrix_free(&m);

	assert_int_equal(parse(HEAD "workloads:\n"
	                            "  - {name: cpu_loop, load: exec}\n"
	                            "  - {name: cpu_loop, load: main,\n"
	                            "     engines: [executor-processes]}\n"
	                            "  - odd_load\n"
	                            "  - {name: cpu_loop, load: main}\n",
	                     &m),
	    4);
	expect_line("m.yaml:5:28: unknown load \"exec\" (expected import, "
	            "main)");
	expect_line("m.yaml:7:15: workload \"cpu_loop@main\": engine "
	            "\"executor-processes\" cannot load it as __main__ (its "
	            "pool's processes import it); use threads, processes or "
	            "executor-threads");
	expect_line("m.yaml:8:5: workload \"odd_load\" declares LOAD = "
	            "\"exec\" (expected \"import\" or \"main\")");
	expect_line("m.yaml:9:5: duplicate workload \"cpu_loop@main\"");
	matrix_free(&m);
}

/* The names a results file's matrix lists, whatever else its text holds;
 * nothing is printed, since the matrix is not what is being read. */
static char **
text_workloads(const char *text, size_t *n)
{
	FILE *tmp = tmpfile();
	int saved = dup(2);
	char **names;

	assert_non_null(tmp);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	names = matrix_text_workloads(text, strlen(text), n);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	assert_int_equal(ftell(tmp), 0);
	fclose(tmp);
	return names;
}

static void
names_free(char **names)
{
	for (char **p = names; p && *p; p++)
		free(*p);
	free(names);
}

static void
test_text_workloads(void **state)
{
	static const char *const not_lists[] = {"name: [x\n",
	    "interpreters: []\n", "workloads: cpu_loop\n", "- workloads\n",
	    "", "workloads: [a]\n---\nworkloads: [b]\n"};
	char **names;
	size_t n;

	(void)state;
	names = text_workloads(HEAD "colour: red\n"
				    "workloads:\n"
				    "  - cpu_loop\n"
				    "  - {name: c_probe, future: 1}\n"
				    "  - [not, a, name]\n"
				    "  - {load: main, name: cpu_loop}\n",
	    &n);
	assert_non_null(names);
	assert_int_equal(n, 3);
	assert_string_equal(names[0], "cpu_loop");
	assert_string_equal(names[1], "c_probe");
	assert_string_equal(names[2], "cpu_loop@main");
	assert_null(names[3]);
	names_free(names);
	names = text_workloads("workloads: []\n", &n);
	assert_non_null(names);
	assert_int_equal(n, 0);
	names_free(names);
	for (size_t i = 0; i < sizeof(not_lists) / sizeof(*not_lists); i++) {
		names = text_workloads(not_lists[i], &n);
		if (names)
			fail_msg("a list of workloads in: %s", not_lists[i]);
		assert_int_equal(n, 0);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_own_settings),
	    cmocka_unit_test(test_unsupported_engines),
	    cmocka_unit_test(test_bad_values),
	    cmocka_unit_test(test_text_workloads),
	    cmocka_unit_test(test_load),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	free(captured);
	return rc;
}
