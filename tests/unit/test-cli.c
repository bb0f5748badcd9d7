/* The command line's helpers: "did you mean", a matrix from flags (and a
 * file's changed by them) read back as the same matrix, and a user's
 * workload module checked without running it. */
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

static void
test_suggest(void **state)
{
	static const char *const workloads[] = {
	    "cpu_loop", "int_arith", "float_arith", "func_calls"};
	static const char *const commands[] = {
	    "run", "report", "compare", "validate", "list"};

	(void)state;
	assert_int_equal(name_suggest("int_arithmetic", workloads, 4), 1);
	assert_int_equal(name_suggest("cpu_lop", workloads, 4), 0);
	assert_int_equal(name_suggest("arith", workloads, 4), 1);
	assert_int_equal(name_suggest("zzzzzz", workloads, 4), -1);
	assert_int_equal(name_suggest("rnu", commands, 5), 0);
	assert_int_equal(name_suggest("valdiate", commands, 5), 3);
	assert_int_equal(name_suggest("x", commands, 5), -1);
	/* a short part matches too much to mean anything */
	assert_int_equal(name_suggest("zzlis", commands, 5), -1);
	assert_int_equal(name_suggest("compare_all", commands, 5), 2);
	assert_int_equal(name_index_exact("list", commands, 5), 4);
}

static void
test_cli_matrix(void **state)
{
	const char *pythons[] = {"3.13=/opt/py/bin/python3.13",
	    "source:debian:3.13.15t", "pyenv:3.12.1", "3.14t", "python3",
	    "python3"};
	const char *workloads[] = {"cpu_loop", "/tmp/bench/mine.py"};
	struct matrix_overrides o = {.pythons = pythons,
	    .npythons = 6,
	    .workloads = workloads,
	    .nworkloads = 2,
	    .threads = "1,2,4",
	    .repetitions = "2"};
	struct matrix m, again;
	char *text = matrix_cli_text(&o), *back;

	(void)state;
	assert_int_equal(matrix_parse("cli", text, strlen(text), &m), 0);
	assert_int_equal(m.ninterps, 6);
	assert_string_equal(m.interps[0].id, "3.13");
	assert_int_equal(m.interps[0].provider, PROVIDER_PATH);
	assert_string_equal(m.interps[0].path, "/opt/py/bin/python3.13");
	assert_string_equal(m.interps[1].id, "3.13.15t");
	assert_int_equal(m.interps[1].provider, PROVIDER_SOURCE);
	assert_string_equal(m.interps[1].source, "debian:3.13.15");
	assert_int_equal(m.interps[1].free_threaded, 1);
	assert_string_equal(m.interps[2].id, "pyenv-3.12.1");
	assert_string_equal(m.interps[2].version, "3.12.1");
	assert_int_equal(m.interps[3].provider, PROVIDER_UV);
	assert_string_equal(m.interps[3].request, "3.14t");
	assert_string_equal(m.interps[4].path, "python3");
	/* two of one name get ids of their own */
	assert_string_equal(m.interps[5].id, "python3-2");
	assert_int_equal(m.nworkloads, 2);
	assert_string_equal(m.workloads[1].name, "mine");
	assert_string_equal(m.workloads[1].path, "/tmp/bench/mine.py");
	assert_int_equal(m.nthreads, 3);
	assert_int_equal(m.threads[2], 4);
	assert_int_equal(m.repetitions, 2);

	/* printed, changed by nothing, printed again: the same text */
	{
		struct matrix_overrides none = {0};

		back = matrix_override_text("cli", text, strlen(text), &none);
		assert_non_null(back);
		assert_int_equal(
		    matrix_parse("cli", back, strlen(back), &again), 0);
		assert_int_equal(again.ninterps, m.ninterps);
		assert_string_equal(strchr(back, '\n'), strchr(text, '\n'));
		matrix_free(&again);
		free(back);
	}
	matrix_free(&m);
	free(text);
}

static void
test_override_file(void **state)
{
	static const char file[] =
	    "# kept out\n"
	    "interpreters:\n"
	    "  - {id: a, provider: path, path: /usr/bin/python3, env: "
	    "{PYTHON_GIL: \"1\"}}\n"
	    "workloads:\n"
	    "  - {name: cpu_loop, iterations: 3000, params: {x: 1}}\n"
	    "  - int_arith\n"
	    "threads: [1, 2]\n"
	    "description: \"a \\\"quoted\\\" word: here\"\n";
	const char *workloads[] = {"cpu_loop", "func_calls"};
	struct matrix_overrides o = {.workloads = workloads,
	    .nworkloads = 2,
	    .threads = "8",
	    .samples = "7"};
	struct matrix m;
	char *text = matrix_override_text("m.yaml", file, strlen(file), &o);

	(void)state;
	assert_non_null(text);
	assert_int_equal(matrix_parse("m.yaml", text, strlen(text), &m), 0);
	assert_int_equal(m.nworkloads, 2);
	assert_string_equal(m.workloads[0].name, "cpu_loop");
	assert_int_equal(m.workloads[0].iterations, 3000);
	assert_int_equal(m.workloads[0].nparams, 1);
	assert_string_equal(m.workloads[1].name, "func_calls");
	assert_int_equal(m.nthreads, 1);
	assert_int_equal(m.threads[0], 8);
	assert_int_equal(m.samples, 7);
	assert_string_equal(m.description, "a \"quoted\" word: here");
	assert_int_equal(m.interps[0].nenv, 1);
	assert_string_equal(m.interps[0].env[0].value, "1");
	assert_null(strstr(text, "kept out"));
	matrix_free(&m);
	free(text);
	/* not a mapping: the parser says why, not this */
	assert_null(matrix_override_text("m.yaml", "- a\n", 4, &o));
}

/* checks text written as dir/name.py; returns the problems, stderr in
 * *err */
static int
check_module(const char *name, const char *text, char **err)
{
	char dir[] = "/tmp/ftmatrix-test-cli.XXXXXX", *path;
	FILE *f, *tmp = tmpfile();
	int saved = dup(2), n;
	long size;

	assert_non_null(mkdtemp(dir));
	assert_true(asprintf(&path, "%s/%s.py", dir, name) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	fflush(stderr);
	dup2(fileno(tmp), 2);
	n = workload_module_check(path, name);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	fseek(tmp, 0, SEEK_END);
	size = ftell(tmp);
	rewind(tmp);
	*err = calloc(1, (size_t)size + 1);
	assert_int_equal(fread(*err, 1, (size_t)size, tmp), (size_t)size);
	fclose(tmp);
	unlink(path);
	rmdir(dir);
	free(path);
	return n;
}

static void
test_module_check(void **state)
{
	char *err;

	(void)state;
	assert_int_equal(check_module("good",
	                     "\"\"\"doc\"\"\"\n"
	                     "DESCRIPTION = 'ok'\n"
	                     "GROUP: str = \"mine\"\n"
	                     "UNIT = \"calls\"\n"
	                     "ENGINES = (\"threads\", \"processes\")\n"
	                     "def thread_run(index, nthreads):\n"
	                     "    return lambda n: None\n",
	                     &err),
	    0);
	assert_string_equal(err, "");
	free(err);
	assert_int_equal(check_module("Bad-Name",
	                     "DESCRIPTION = 1\n"
	                     "GROUP = \"g\"\n"
	                     "UNIT = \"u\"\n"
	                     "ENGINES = [\"threads\", \"green\"]\n",
	                     &err),
	    4);
	assert_non_null(strstr(err,
	    "Bad-Name.py:1:1: Bad-Name is not a "
	    "workload name"));
	assert_non_null(strstr(err,
	    "Bad-Name.py:1:15: DESCRIPTION must be "
	    "a str"));
	assert_non_null(strstr(err, "Bad-Name.py:1:1: no run(n) function"));
	assert_non_null(strstr(err,
	    "Bad-Name.py:4:23: unknown engine "
	    "\"green\""));
	free(err);
	assert_int_equal(check_module("finding",
	                     "DESCRIPTION = 'd'\nGROUP = 'g'\nUNIT = 'u'\n"
	                     "FINDING = 'x'\n",
	                     &err),
	    1);
	assert_non_null(strstr(err, "FINDING without a check(nthreads)"));
	free(err);
	assert_int_equal(workload_module_check("/nonexistent/x.py", "x"), 1);
	assert_true(workload_name_valid("my_bench2"));
	assert_false(workload_name_valid("_private"));
	assert_false(workload_name_valid("2fast"));
	assert_false(workload_name_valid("my-bench"));
}

/* A remote matrix is untrusted: it may not point at files here */
static void
test_remote_no_files(void **state)
{
	static struct workload_info infos[] = {{.name = "cpu_loop",
	    .group = "basic",
	    .description = "",
	    .unit = "iterations",
	    .measures = "",
	    .engines = "threads",
	    .kind = "timing"}};
	static const struct catalog cat = {infos, 1};
	static const char text[] =
	    "interpreters:\n"
	    "  - {id: a, provider: path, path: /usr/bin/python3}\n"
	    "workloads_dir: /tmp\n"
	    "workloads:\n"
	    "  - cpu_loop\n"
	    "  - {name: x, path: /tmp/x.py}\n";
	struct matrix m;

	(void)state;
	assert_int_equal(matrix_parse_catalog("https://example.org/m.yaml",
	                     text, strlen(text), &cat, &m),
	    2);
	assert_int_equal(m.nworkloads_dirs, 0);
	assert_null(m.workloads[1].module_file);
	matrix_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_suggest),
	    cmocka_unit_test(test_cli_matrix),
	    cmocka_unit_test(test_override_file),
	    cmocka_unit_test(test_module_check),
	    cmocka_unit_test(test_remote_no_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
