#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ftmatrix.h"

/* What the last parse printed on stderr. */
static char *captured;

/* Runs fn with stderr redirected into a temporary file, kept in captured. */
static int
capture(int (*fn)(void *), void *arg)
{
	FILE *tmp = tmpfile();
	int saved, rc;
	off_t size;

	assert_non_null(tmp);
	fflush(stderr);
	saved = dup(2);
	assert_true(saved >= 0);
	assert_true(dup2(fileno(tmp), 2) >= 0);
	rc = fn(arg);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	size = lseek(fileno(tmp), 0, SEEK_END);
	assert_true(size >= 0);
	free(captured);
	captured = calloc(1, size + 1);
	assert_non_null(captured);
	assert_int_equal(pread(fileno(tmp), captured, size, 0), size);
	fclose(tmp);
	return rc;
}

struct parse_args {
	const char *file, *text;
	size_t len;
	struct matrix *m;
};

static int
do_parse(void *arg)
{
	struct parse_args *a = arg;

	return matrix_parse(a->file, a->text, a->len, a->m);
}

static int
do_load(void *arg)
{
	struct parse_args *a = arg;

	return matrix_load(a->file, a->m);
}

static int
parse_named(const char *file, const char *text, size_t len, struct matrix *m)
{
	struct parse_args a = {file, text, len, m};

	return capture(do_parse, &a);
}

static int
parse(const char *text, struct matrix *m)
{
	return parse_named("quick.yaml", text, strlen(text), m);
}

static int
load(const char *path, struct matrix *m)
{
	struct parse_args a = {path, NULL, 0, m};

	return capture(do_load, &a);
}

static int
lines(const char *s)
{
	int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The captured output holds this whole line. */
static void
expect_line(const char *line)
{
	char *want = NULL;
	const char *p;

	assert_true(asprintf(&want, "ftmatrix: %s\n", line) > 0);
	for (p = captured; p && *p;
	     p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, want, strlen(want)))
			break;
	if (!p || !*p)
		fail_msg("missing line: %s\ngot:\n%s", line, captured);
	free(want);
}

/* Exactly one problem, this one. */
static void
expect_only(int n, const char *line)
{
	char *want = NULL;

	assert_true(asprintf(&want, "ftmatrix: %s\n", line) > 0);
	assert_string_equal(captured, want);
	assert_int_equal(n, 1);
	free(want);
}

static void
parse_one_problem(const char *text, const char *line)
{
	struct matrix m;
	int n = parse(text, &m);

	expect_only(n, line);
	matrix_free(&m);
}

#define HEAD "name: quick\n"
#define OK_INTERP "interpreters:\n  - {id: a, provider: path, path: /x}\n"
#define OK_WORKLOADS "workloads: [cpu_loop]\n"

static const char full[] =
    "name: quick\n"
    "description: \"A first look\"\n"
    "baseline: \"3.13\"\n"
    "interpreters:\n"
    "  - id: \"3.13\"\n"
    "    label: \"3.13.15\"\n"
    "    provider: source\n"
    "    source: \"debian:3.13.15\"\n"
    "    sha256: \"ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef012345"
    "6789\"\n"
    "    free_threaded: false\n"
    "    optimizations: true\n"
    "    lto: yes\n"
    "    jit: no\n"
    "    configure: [\"--with-pydebug\", \"--without-doc-strings\"]\n"
    "  - id: \"3.13t\"\n"
    "    provider: uv\n"
    "    request: \"3.13t\"\n"
    "  - id: \"3.12\"\n"
    "    provider: pyenv\n"
    "    version: \"3.12.1\"\n"
    "    optional: true\n"
    "  - id: \"sys\"\n"
    "    provider: path\n"
    "    path: /usr/bin/python3\n"
    "  - id: \"3.13t-gil\"\n"
    "    provider: variant\n"
    "    variant_of: \"3.13t\"\n"
    "    env: {PYTHON_GIL: \"1\", PYTHONHASHSEED: 0}\n"
    "workloads:\n"
    "  - cpu_loop\n"
    "  - name: object_churn\n"
    "    iterations: 20000\n"
    "engines: [threads, processes, executor-threads, executor-processes]\n"
    "threads: [1, 2, 1024]\n"
    "repetitions: 100\n"
    "samples: 100000\n"
    "warmup: 0\n"
    "iterations: 1000000000000\n"
    "scaling: strong\n"
    "timeout: 0.5\n";

static void
test_full(void **state)
{
	const struct interp_spec *in;
	struct matrix m;

	(void)state;
	assert_int_equal(parse(full, &m), 0);
	assert_string_equal(captured, "");
	assert_string_equal(m.path, "quick.yaml");
	assert_string_equal(m.text, full);
	assert_string_equal(m.name, "quick");
	assert_string_equal(m.description, "A first look");
	assert_string_equal(m.baseline, "3.13");
	assert_int_equal(m.ninterps, 5);

	in = &m.interps[0];
	assert_string_equal(in->id, "3.13");
	assert_string_equal(in->label, "3.13.15");
	assert_int_equal(in->provider, PROVIDER_SOURCE);
	assert_string_equal(in->source, "debian:3.13.15");
	assert_string_equal(in->sha256,
	    "abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789");
	assert_int_equal(in->free_threaded, 0);
	assert_int_equal(in->optimizations, 1);
	assert_int_equal(in->lto, 1);
	assert_int_equal(in->jit, 0);
	assert_int_equal(in->nconfigure_args, 2);
	assert_string_equal(in->configure_args[0], "--with-pydebug");
	assert_string_equal(in->configure_args[1], "--without-doc-strings");
	assert_int_equal(in->optional, 0);
	assert_int_equal(in->nenv, 0);
	assert_null(in->request);
	assert_int_equal(in->line, 5);
	assert_int_equal(in->col, 5);

	in = &m.interps[1];
	assert_string_equal(in->id, "3.13t");
	assert_null(in->label);
	assert_int_equal(in->provider, PROVIDER_UV);
	assert_string_equal(in->request, "3.13t");
	assert_int_equal(in->free_threaded, 1); /* from the request */
	assert_int_equal(in->line, 15);

	in = &m.interps[2];
	assert_int_equal(in->provider, PROVIDER_PYENV);
	assert_string_equal(in->version, "3.12.1");
	assert_int_equal(in->optional, 1);
	assert_int_equal(in->free_threaded, -1);

	in = &m.interps[3];
	assert_int_equal(in->provider, PROVIDER_PATH);
	assert_string_equal(in->path, "/usr/bin/python3");

	in = &m.interps[4];
	assert_int_equal(in->provider, PROVIDER_VARIANT);
	assert_string_equal(in->variant_of, "3.13t");
	assert_int_equal(in->nenv, 2);
	assert_string_equal(in->env[0].name, "PYTHON_GIL");
	assert_string_equal(in->env[0].value, "1");
	assert_string_equal(in->env[1].name, "PYTHONHASHSEED");
	assert_string_equal(in->env[1].value, "0");

	assert_int_equal(m.nworkloads, 2);
	assert_string_equal(m.workloads[0].name, "cpu_loop");
	assert_int_equal(m.workloads[0].iterations, 0);
	assert_int_equal(m.workloads[0].line, 30);
	assert_int_equal(m.workloads[0].col, 5);
	assert_string_equal(m.workloads[1].name, "object_churn");
	assert_int_equal(m.workloads[1].iterations, 20000);
	assert_int_equal(m.nengines, 4);
	assert_string_equal(m.engines[0], "threads");
	assert_string_equal(m.engines[3], "executor-processes");
	assert_int_equal(m.nthreads, 3);
	assert_int_equal(m.threads[0], 1);
	assert_int_equal(m.threads[1], 2);
	assert_int_equal(m.threads[2], 1024);
	assert_int_equal(m.repetitions, 100);
	assert_int_equal(m.samples, 100000);
	assert_int_equal(m.warmup, 0);
	assert_true(m.iterations == 1000000000000L);
	assert_string_equal(m.scaling, "strong");
	assert_true(m.timeout_s == 0.5);

	assert_ptr_equal(matrix_interp(&m, "3.13t"), &m.interps[1]);
	assert_ptr_equal(matrix_interp(&m, "sys"), &m.interps[3]);
	assert_null(matrix_interp(&m, "3.14"));
	assert_null(matrix_interp(&m, NULL));
	matrix_free(&m);
	matrix_free(&m); /* zeroed, so harmless */
}

static void
test_defaults(void **state)
{
	static const char text[] = OK_INTERP OK_WORKLOADS;
	struct matrix m;

	(void)state;
	assert_int_equal(
	    parse_named("dir/sub/my-matrix.yml", text, strlen(text), &m), 0);
	assert_string_equal(m.name, "my-matrix");
	assert_string_equal(m.path, "dir/sub/my-matrix.yml");
	assert_null(m.description);
	assert_null(m.baseline);
	assert_int_equal(m.nengines, 1);
	assert_string_equal(m.engines[0], "threads");
	assert_int_equal(m.nthreads, 2);
	assert_int_equal(m.threads[0], 1);
	assert_int_equal(m.threads[1], 2);
	assert_int_equal(m.repetitions, 3);
	assert_int_equal(m.samples, 5);
	assert_int_equal(m.warmup, 1);
	assert_int_equal(m.iterations, 100000);
	assert_string_equal(m.scaling, "weak");
	assert_true(m.timeout_s == 600);
	assert_int_equal(m.interps[0].free_threaded, -1);
	assert_int_equal(m.interps[0].optional, 0);
	matrix_free(&m);

	assert_int_equal(parse_named("quick.yaml", text, strlen(text), &m), 0);
	assert_string_equal(m.name, "quick");
	matrix_free(&m);
	/* a default name that would make a bad file name is not used */
	assert_int_equal(
	    parse_named("https://example.org/..", text, strlen(text), &m), 0);
	assert_string_equal(m.name, "matrix");
	matrix_free(&m);
	parse_one_problem("name: ../../etc\n" OK_INTERP OK_WORKLOADS,
	    "quick.yaml:1:7: invalid matrix name \"../../etc\" (use letters, "
	    "digits and . _ + -, starting with a letter or digit)");
}

static void
test_provider_names(void **state)
{
	(void)state;
	assert_string_equal(provider_name(PROVIDER_UV), "uv");
	assert_string_equal(provider_name(PROVIDER_SOURCE), "source");
	assert_string_equal(provider_name(PROVIDER_PATH), "path");
	assert_string_equal(provider_name(PROVIDER_PYENV), "pyenv");
	assert_string_equal(provider_name(PROVIDER_VARIANT), "variant");
}

static void
test_unknown_provider(void **state)
{
	(void)state;
	parse_one_problem(HEAD "interpreters:\n"
	                       "  - id: \"3.13\"\n"
	                       "    provider: uv\n"
	                       "    request: \"3.13\"\n"
	                       "  - id: \"x\"\n"
	                       "    provider: uvv\n" OK_WORKLOADS,
	    "quick.yaml:7:15: unknown provider \"uvv\" (expected uv, source, "
	    "path, pyenv, variant)");
}

static void
test_unknown_key(void **state)
{
	(void)state;
	/* the suggestion stands in for "missing interpreters" */
	parse_one_problem(HEAD OK_WORKLOADS
	    "interpeters:\n"
	    "  - {id: a, provider: path, path: /x}\n",
	    "quick.yaml:3:1: unknown key \"interpeters\" (did you mean "
	    "\"interpreters\"?)");
	parse_one_problem(HEAD OK_INTERP OK_WORKLOADS "colour: blue\n",
	    "quick.yaml:5:1: unknown key \"colour\" (expected name, "
	    "description, baseline, interpreters, workloads, engines, threads, "
	    "repetitions, samples, warmup, iterations, scaling, timeout, "
	    "min_time, affinity, memory_interval_ms, drift_threshold, extra_samples, target_ci, max_time, workloads_dir)");
	parse_one_problem(HEAD OK_WORKLOADS
	    "interpreters:\n"
	    "  - {id: a, provider: uv, reqest: \"3.13\"}\n",
	    "quick.yaml:4:27: unknown key \"reqest\" (did you mean "
	    "\"request\"?)");
}

static void
test_threads(void **state)
{
	struct matrix m;
	int n;

	(void)state;
	parse_one_problem(HEAD OK_INTERP OK_WORKLOADS "description: x\n"
	                                              "engines: [threads]\n"
	                                              "repetitions: 3\n"
	                                              "samples: 5\n"
	                                              "warmup: 1\n"
	                                              "iterations: 10\n"
	                                              "scaling: weak\n"
	                                              "threads: [1, 0]\n",
	    "quick.yaml:12:14: \"threads\" must be an integer between 1 and "
	    "1024, not \"0\"");

	n = parse(HEAD OK_INTERP OK_WORKLOADS
	    "threads: [0, -1, 100000, 1.5, abc, 99999999999999999999, \"\", "
	    "0x10, 010, 2, 2, [3]]\n",
	    &m);
	assert_int_equal(n, 11);
	assert_int_equal(lines(captured), 11);
	expect_line("quick.yaml:5:11: \"threads\" must be an integer between 1 "
	            "and 1024, not \"0\"");
	expect_line("quick.yaml:5:14: \"threads\" must be an integer between 1 "
	            "and 1024, not \"-1\"");
	expect_line("quick.yaml:5:18: \"threads\" must be an integer between 1 "
	            "and 1024, not \"100000\"");
	expect_line("quick.yaml:5:26: \"threads\" must be an integer between 1 "
	            "and 1024, not \"1.5\"");
	expect_line("quick.yaml:5:31: \"threads\" must be an integer between 1 "
	            "and 1024, not \"abc\"");
	expect_line("quick.yaml:5:36: \"threads\" must be an integer between 1 "
	            "and 1024, not \"99999999999999999999\"");
	expect_line("quick.yaml:5:58: \"threads\" must be an integer between 1 "
	            "and 1024, not \"\"");
	expect_line("quick.yaml:5:62: \"threads\" must be an integer between 1 "
	            "and 1024, not \"0x10\"");
	expect_line("quick.yaml:5:68: \"threads\" must be an integer between 1 "
	            "and 1024, not \"010\"");
	expect_line("quick.yaml:5:76: duplicate thread count 2");
	expect_line("quick.yaml:5:79: \"threads\" must be an integer between 1 "
	            "and 1024, not a sequence");
	matrix_free(&m);

	parse_one_problem(HEAD OK_INTERP OK_WORKLOADS "threads: []\n",
	    "quick.yaml:5:10: \"threads\" must not be empty");
	/* a lone count is a list of one */
	assert_int_equal(
	    parse(HEAD OK_INTERP OK_WORKLOADS "threads: 4\n", &m), 0);
	assert_int_equal(m.nthreads, 1);
	assert_int_equal(m.threads[0], 4);
	matrix_free(&m);
}

static void
test_ints(void **state)
{
	struct matrix m;
	int n;

	(void)state;
	n = parse(HEAD OK_INTERP OK_WORKLOADS
	    "iterations: 1000000000001\n"
	    "repetitions: 99999999999999999999999999\n"
	    "samples: 0\n"
	    "warmup: -1\n"
	    "timeout: 0\n",
	    &m);
	assert_int_equal(n, 5);
	expect_line(
	    "quick.yaml:5:13: \"iterations\" must be an integer between "
	    "1 and 1000000000000, not \"1000000000001\"");
	expect_line("quick.yaml:6:14: \"repetitions\" must be an integer "
	            "between 1 and 10000, not \"99999999999999999999999999\"");
	expect_line("quick.yaml:7:10: \"samples\" must be an integer between 1 "
	            "and 100000, not \"0\"");
	expect_line("quick.yaml:8:9: \"warmup\" must be an integer between 0 "
	            "and 10000, not \"-1\"");
	expect_line("quick.yaml:9:10: \"timeout\" must be a number of seconds "
	            "greater than 0 and at most 86400, not \"0\"");
	matrix_free(&m);

	n = parse(HEAD OK_INTERP OK_WORKLOADS "timeout: inf\n"
	                                      "timeout: 86401\n"
	                                      "warmup: {a: 1}\n",
	    &m);
	assert_int_equal(n, 3);
	expect_line("quick.yaml:5:10: \"timeout\" must be a number of seconds "
	            "greater than 0 and at most 86400, not \"inf\"");
	expect_line("quick.yaml:6:1: duplicate key \"timeout\"");
	expect_line("quick.yaml:7:9: \"warmup\" must be an integer between 0 "
	            "and 10000, not a mapping");
	matrix_free(&m);

	assert_int_equal(
	    parse(HEAD OK_INTERP OK_WORKLOADS "timeout: 1e3\n", &m), 0);
	assert_true(m.timeout_s == 1000);
	matrix_free(&m);

	/* each at its largest is fine while the product stays in bounds */
	assert_int_equal(
	    parse(HEAD OK_INTERP OK_WORKLOADS "repetitions: 10000\n"
	                                      "threads: [1024]\n",
	        &m),
	    0);
	assert_int_equal(m.repetitions, 10000);
	matrix_free(&m);
}

/* Messages never carry what would reorder or hide text on a terminal. */
static void
test_quote_invisible(void **state)
{
	(void)state;
	parse_one_problem(HEAD OK_WORKLOADS
	    "interpreters:\n"
	    "  - {id: \"a\\u202eb\\u2066c\\u200bd\", "
	    "provider: path, path: /x}\n",
	    "quick.yaml:4:10: invalid interpreter id "
	    "\"a\\u202eb\\u2066c\\u200bd\" (use letters, digits and . _ "
	    "+ -, starting with a letter or digit)");
}

/* A file full of mistakes is reported in full but printed in part. */
static void
test_many_problems(void **state)
{
	struct buf b = {0};
	struct matrix m;
	int i, n, lines = 0;
	const char *p;

	(void)state;
	buf_puts(&b, HEAD OK_INTERP OK_WORKLOADS);
	for (i = 0; i < 150; i++)
		buf_printf(&b, "k%d: 1\n", i);
	n = parse(buf_str(&b), &m);
	assert_int_equal(n, 150);
	for (p = captured; (p = strchr(p, '\n')); p++)
		lines++;
	assert_int_equal(lines, 101);
	expect_line(
	    "quick.yaml:5:1: unknown key \"k0\" (expected name, "
	    "description, baseline, interpreters, workloads, engines, "
	    "threads, repetitions, samples, warmup, iterations, "
	    "scaling, timeout, min_time, affinity, memory_interval_ms, drift_threshold, extra_samples, target_ci, max_time, workloads_dir)");
	expect_line("quick.yaml: 50 more problems not shown");
	assert_null(strstr(captured, "\"k100\""));
	matrix_free(&m);
	buf_free(&b);
}

/* The plan holds every cell: millions of them are refused up front. */
static void
test_cells(void **state)
{
	struct matrix m;

	(void)state;
	parse_one_problem(HEAD OK_INTERP OK_WORKLOADS
	    "repetitions: 10000\n"
	    "threads: [1, 2, 3, 4, 5, 6, "
	    "7, 8, 9, 10, 11]\n",
	    "quick.yaml:1:1: the matrix asks for 110000 cells (interpreters x "
	    "workloads x engines x threads x repetitions), at most 100000");
	assert_int_equal(parse(HEAD OK_INTERP OK_WORKLOADS
	                     "repetitions: 10000\n"
	                     "threads: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\n",
	                     &m),
	    0);
	matrix_free(&m);
}

static void
test_missing_request(void **state)
{
	(void)state;
	parse_one_problem(HEAD "description: x\n"
	                       "threads: [1]\n"
	                       "interpreters:\n"
	                       "  - id: \"3.13t\"\n"
	                       "    provider: uv\n" OK_WORKLOADS,
	    "quick.yaml:5:5: interpreter \"3.13t\" is missing \"request\" "
	    "(provider uv needs it)");
}

static void
test_duplicates(void **state)
{
	struct matrix m;
	int n;

	(void)state;
	parse_one_problem(HEAD "interpreters:\n"
	                       "  - id: \"3.13\"\n"
	                       "    provider: uv\n"
	                       "    request: \"3.13\"\n"
	                       "  - id: \"3.12\"\n"
	                       "    provider: uv\n"
	                       "    request: \"3.12\"\n"
	                       "  - id: \"3.13\"\n"
	                       "    provider: path\n"
	                       "    path: /usr/bin/python3\n" OK_WORKLOADS,
	    "quick.yaml:9:9: duplicate interpreter id \"3.13\"");
	parse_one_problem(HEAD OK_INTERP OK_WORKLOADS "threads: [1, 2]\n"
	                                              "threads: [4]\n",
	    "quick.yaml:6:1: duplicate key \"threads\"");

	n = parse(HEAD OK_WORKLOADS
	    "interpreters:\n"
	    "  - id: a\n"
	    "    provider: path\n"
	    "    path: /x\n"
	    "    path: /y\n"
	    "    env: {A: \"1\", B: \"2\", A: \"3\"}\n"
	    "workloads: [cpu_loop, cpu_loop, {name: x, name: y}]\n",
	    &m);
	/* the repeated key's value is not looked at */
	assert_int_equal(n, 3);
	expect_line("quick.yaml:7:5: duplicate key \"path\"");
	expect_line("quick.yaml:8:27: duplicate key \"A\"");
	expect_line("quick.yaml:9:1: duplicate key \"workloads\"");
	matrix_free(&m);

	n = parse(HEAD OK_INTERP
	    "workloads: [cpu_loop, b, cpu_loop, {name: x, name: y}]\n"
	    "engines: [threads, threads]\n",
	    &m);
	assert_int_equal(n, 3);
	expect_line("quick.yaml:4:26: duplicate workload \"cpu_loop\"");
	expect_line("quick.yaml:4:46: duplicate key \"name\"");
	expect_line("quick.yaml:5:20: duplicate engine \"threads\"");
	matrix_free(&m);
}

static void
test_baseline(void **state)
{
	(void)state;
	parse_one_problem("baseline: \"3.14\"\n" OK_INTERP OK_WORKLOADS,
	    "quick.yaml:1:1: baseline \"3.14\" is not an interpreter of this "
	    "matrix");
}

static void
test_syntax(void **state)
{
	(void)state;
	parse_one_problem(HEAD "threads: [1, 2\nsamples: 3\n",
	    "quick.yaml:3:8: did not find expected ',' or ']' (while parsing a "
	    "flow sequence at 2:10)");
	parse_one_problem(HEAD "\tthreads: 1\n",
	    "quick.yaml:2:1: found a tab character that violates indentation "
	    "(while scanning a plain scalar at 1:7)");
	parse_one_problem(HEAD "---\nname: other\n",
	    "quick.yaml:2:1: a matrix is one YAML document, this is a second "
	    "one");
}

static void
test_not_a_mapping(void **state)
{
	static const char *const empty[] = {
	    "", "   \n\n", "# nothing\n", "---\n", "--- # nothing\n...\n"};
	static const char *const texts[][2] = {
	    {"42\n",
	        "1:1: the matrix must be a mapping with \"interpreters\" "
	        "and \"workloads\", not \"42\""},
	    {"\n- a\n- b\n",
	        "2:1: the matrix must be a mapping with "
	        "\"interpreters\" and \"workloads\", not a "
	        "sequence"},
	    {"# c\n  \"text\"\n",
	        "2:3: the matrix must be a mapping with "
	        "\"interpreters\" and \"workloads\", not "
	        "\"text\""},
	};
	struct matrix m;
	char line[256];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(empty) / sizeof(empty[0]); i++) {
		int n = parse(empty[i], &m);

		expect_only(n,
		    "quick.yaml:1:1: the matrix is empty (it needs "
		    "\"interpreters\" and \"workloads\")");
		matrix_free(&m);
	}
	for (i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		int n = parse(texts[i][0], &m);

		snprintf(line, sizeof(line), "quick.yaml:%s", texts[i][1]);
		expect_only(n, line);
		matrix_free(&m);
	}
	assert_int_equal(parse("{}\n", &m), 2);
	expect_line("quick.yaml:1:1: the matrix is missing \"interpreters\" (a "
	            "sequence of interpreters to compare)");
	expect_line("quick.yaml:1:1: the matrix is missing \"workloads\" (a "
	            "sequence of workload names)");
	matrix_free(&m);
}

static void
test_provider_keys(void **state)
{
	struct matrix m;
	int n;

	(void)state;
	parse_one_problem(HEAD OK_WORKLOADS "interpreters:\n"
	                                    "  - id: \"3.12\"\n"
	                                    "    request: \"3.12\"\n"
	                                    "    provider: pyenv\n"
	                                    "    version: \"3.12.1\"\n",
	    "quick.yaml:5:5: \"request\" does not apply to provider pyenv (it "
	    "is for uv)");

	n = parse(HEAD OK_WORKLOADS
	    "interpreters:\n"
	    "  - {id: v, provider: variant, variant_of: a, free_threaded: "
	    "true, lto: true}\n"
	    "  - {id: a, provider: path, path: /x, configure: [x], jit: no}\n"
	    "  - {provider: pyenv}\n"
	    "  - {id: b}\n"
	    "  - 3.12\n",
	    &m);
	assert_int_equal(n, 8);
	expect_line("quick.yaml:4:47: \"free_threaded\" does not apply to "
	            "provider variant (it is for uv, source, path, pyenv)");
	expect_line("quick.yaml:4:68: \"lto\" does not apply to provider "
	            "variant (it is for source)");
	expect_line("quick.yaml:5:39: \"configure\" does not apply to provider "
	            "path (it is for source)");
	expect_line("quick.yaml:5:55: \"jit\" does not apply to provider path "
	            "(it is for source)");
	expect_line("quick.yaml:6:5: interpreter 3 is missing \"id\"");
	expect_line("quick.yaml:6:5: interpreter 3 is missing \"version\" "
	            "(provider pyenv needs it)");
	expect_line("quick.yaml:7:5: interpreter \"b\" is missing \"provider\" "
	            "(expected uv, source, path, pyenv, variant)");
	expect_line("quick.yaml:8:5: an interpreter must be a mapping with "
	            "\"id\" and \"provider\", not \"3.12\"");
	matrix_free(&m);
}

static void
test_interp_values(void **state)
{
	struct matrix m;
	int n;

	(void)state;
	n = parse(HEAD OK_WORKLOADS
	    "interpreters:\n"
	    "  - id: \"a b\"\n"
	    "    provider: source\n"
	    "    source: \"ftp://example.org/Python.tgz\"\n"
	    "    sha256: abc\n"
	    "    lto: maybe\n"
	    "    configure: --with-lto\n"
	    "    env: {\"A=B\": x, C: [1], 1X: y}\n"
	    "  - id: \"..\"\n"
	    "    provider: source\n"
	    "    source: \"debian:\"\n"
	    "    optional: 1\n"
	    "    env: [PYTHON_GIL]\n"
	    "  - id: \"\"\n"
	    "    provider: path\n"
	    "    path: \"\"\n"
	    "    label: [x]\n",
	    &m);
	assert_int_equal(n, 15);
	expect_line("quick.yaml:4:9: invalid interpreter id \"a b\" (use "
	            "letters, digits and . _ + -, starting with a letter or "
	            "digit)");
	expect_line(
	    "quick.yaml:6:13: \"source\" \"ftp://example.org/Python.tgz\" "
	    "is not a URL ftmatrix can fetch (expected http, https or "
	    "file)");
	expect_line(
	    "quick.yaml:7:13: \"sha256\" must be 64 hexadecimal digits, "
	    "not \"abc\"");
	expect_line("quick.yaml:8:10: \"lto\" must be true or false, not "
	            "\"maybe\"");
	expect_line("quick.yaml:9:16: \"configure\" must be a sequence of "
	            "strings, e.g. [\"--with-pydebug\"], not \"--with-lto\"");
	expect_line("quick.yaml:10:11: invalid environment variable name "
	            "\"A=B\" (use letters, digits and _, not starting with a "
	            "digit)");
	expect_line("quick.yaml:10:24: \"C\" must be a string, not a sequence");
	expect_line("quick.yaml:10:29: invalid environment variable name "
	            "\"1X\" (use letters, digits and _, not starting with a "
	            "digit)");
	expect_line("quick.yaml:11:9: invalid interpreter id \"..\" (use "
	            "letters, digits and . _ + -, starting with a letter or "
	            "digit)");
	expect_line("quick.yaml:13:13: \"source\" \"debian:\" needs a Debian "
	            "version after \"debian:\", e.g. \"debian:3.13.15\"");
	expect_line("quick.yaml:14:15: \"optional\" must be true or false, not "
	            "\"1\"");
	expect_line("quick.yaml:15:10: \"env\" must be a mapping of names to "
	            "strings, e.g. {PYTHON_GIL: \"1\"}, not a sequence");
	expect_line("quick.yaml:16:9: \"id\" must not be empty");
	expect_line("quick.yaml:18:11: \"path\" must not be empty");
	expect_line("quick.yaml:19:12: \"label\" must be a string, not a "
	            "sequence");
	matrix_free(&m);

	assert_int_equal(parse(HEAD OK_WORKLOADS
	                     "interpreters:\n"
	                     "  - id: a\n"
	                     "    provider: source\n"
	                     "    source: https://www.python.org/ftp/python/"
	                     "3.13.1/Python-3.13.1.tar.xz\n"
	                     "  - {id: b, provider: source, source: "
	                     "/tmp/Python-3.13.1.tgz}\n"
	                     "  - {id: c, provider: source, source: "
	                     "\"file:///tmp/x.tgz\"}\n",
	                     &m),
	    0);
	matrix_free(&m);
}

static void
test_variants(void **state)
{
	struct matrix m;
	int n;

	(void)state;
	/* a variant may come before the entry it derives from */
	assert_int_equal(
	    parse(HEAD OK_WORKLOADS
	        "interpreters:\n"
	        "  - {id: t-gil, provider: variant, variant_of: t, "
	        "env: {PYTHON_GIL: \"1\"}}\n"
	        "  - {id: t, provider: uv, request: 3.14t}\n",
	        &m),
	    0);
	assert_string_equal(m.interps[0].variant_of, "t");
	matrix_free(&m);

	n = parse(HEAD OK_WORKLOADS
	    "interpreters:\n"
	    "  - {id: a, provider: variant, variant_of: nope}\n"
	    "  - {id: b, provider: variant, variant_of: a}\n"
	    "  - {id: c, provider: variant, variant_of: c}\n",
	    &m);
	assert_int_equal(n, 3);
	expect_line(
	    "quick.yaml:4:44: variant_of \"nope\" is not an interpreter "
	    "of this matrix");
	expect_line("quick.yaml:5:44: variant_of \"a\" is itself a variant (a "
	            "variant derives from an entry with another provider)");
	expect_line("quick.yaml:6:44: variant_of \"c\" is itself a variant (a "
	            "variant derives from an entry with another provider)");
	matrix_free(&m);
}

static void
test_free_threaded(void **state)
{
	struct matrix m;
	int n;

	(void)state;
	assert_int_equal(parse(HEAD OK_WORKLOADS
	                     "interpreters:\n"
	                     "  - {id: a, provider: uv, request: \"3.13\"}\n"
	                     "  - {id: b, provider: uv, request: "
	                     "\"cpython-3.13.1+freethreaded\"}\n"
	                     "  - {id: c, provider: uv, request: \"3.14\", "
	                     "free_threaded: true}\n"
	                     "  - {id: d, provider: source, source: x.tgz, "
	                     "configure: [--disable-gil]}\n"
	                     "  - {id: e, provider: path, path: /x, "
	                     "free_threaded: yes}\n",
	                     &m),
	    0);
	assert_int_equal(m.interps[0].free_threaded, 0);
	assert_int_equal(m.interps[1].free_threaded, 1);
	assert_int_equal(m.interps[2].free_threaded, 1);
	assert_int_equal(m.interps[3].free_threaded, 1);
	assert_int_equal(m.interps[4].free_threaded, 1);
	matrix_free(&m);

	n = parse(HEAD OK_WORKLOADS
	    "interpreters:\n"
	    "  - {id: a, provider: uv, request: 3.13t, free_threaded: false}\n"
	    "  - {id: b, provider: source, source: x.tgz, free_threaded: no, "
	    "configure: [--disable-gil]}\n",
	    &m);
	assert_int_equal(n, 2);
	expect_line("quick.yaml:4:58: \"free_threaded\" is false but request "
	            "\"3.13t\" asks for a free-threaded build");
	expect_line("quick.yaml:5:61: \"free_threaded\" is false but "
	            "\"configure\" has --disable-gil");
	matrix_free(&m);
}

static void
test_workloads(void **state)
{
	struct matrix m;
	int n;

	(void)state;
	n = parse(HEAD OK_INTERP "workloads:\n"
	                         "  - Cpu-Loop\n"
	                         "  - {name: x, iterations: 0}\n"
	                         "  - {iterations: 5}\n"
	                         "  - [a]\n"
	                         "  - {name: ok, iters: 5}\n",
	    &m);
	assert_int_equal(n, 5);
	expect_line("quick.yaml:5:5: invalid workload name \"Cpu-Loop\" (use "
	            "lowercase letters, digits and _)");
	expect_line(
	    "quick.yaml:6:27: \"iterations\" must be an integer between "
	    "1 and 1000000000000, not \"0\"");
	expect_line("quick.yaml:7:5: workload is missing \"name\"");
	expect_line("quick.yaml:8:5: a workload must be a name or a mapping "
	            "{name: ..., iterations: ...}, not a sequence");
	expect_line(
	    "quick.yaml:9:16: unknown key \"iters\" (expected name, "
	    "iterations, engines, threads, tasks, task_warmup, params, path, "
	    "override_catalog, load)");
	matrix_free(&m);

	parse_one_problem(HEAD OK_INTERP "workloads: []\n",
	    "quick.yaml:4:12: \"workloads\" must not be empty");
	parse_one_problem(HEAD OK_INTERP "workloads: cpu_loop\n",
	    "quick.yaml:4:12: \"workloads\" must be a sequence of workload "
	    "names, not \"cpu_loop\"");
	parse_one_problem(HEAD OK_WORKLOADS "interpreters: []\n",
	    "quick.yaml:3:15: \"interpreters\" must not be empty");
	parse_one_problem(HEAD OK_INTERP OK_WORKLOADS "engines: [thread]\n",
	    "quick.yaml:5:11: unknown engine \"thread\" (expected threads, "
	    "processes, executor-threads, executor-processes)");
	parse_one_problem(HEAD OK_INTERP OK_WORKLOADS "scaling: medium\n",
	    "quick.yaml:5:10: unknown scaling \"medium\" (expected weak or "
	    "strong)");
}

static void
test_aliases(void **state)
{
	struct matrix m;
	int n;

	(void)state;
	n = parse(HEAD OK_INTERP OK_WORKLOADS "threads: &t [1, 2]\n"
	                                      "engines: *t\n",
	    &m);
	assert_int_equal(n, 2);
	expect_line("quick.yaml:5:10: anchors are not allowed in a matrix");
	expect_line("quick.yaml:6:10: aliases are not allowed in a matrix");
	matrix_free(&m);

	/* billion laughs: rejected without expanding anything */
	n = parse(
	    "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\","
	    "\"lol\",\"lol\"]\n"
	    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
	    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
	    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
	    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
	    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
	    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
	    "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
	    "i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
	    "interpreters: *i\n",
	    &m);
	/* 9 anchors, 73 aliases, 9 unknown keys, missing workloads */
	assert_int_equal(n, 92);
	expect_line("quick.yaml:2:8: aliases are not allowed in a matrix");
	expect_line("quick.yaml:10:15: aliases are not allowed in a matrix");
	matrix_free(&m);

	n = parse(HEAD OK_INTERP OK_WORKLOADS "<<: *x\n", &m);
	assert_int_equal(n, 2);
	expect_line("quick.yaml:5:5: aliases are not allowed in a matrix");
	matrix_free(&m);
}

static char *
repeat(const char *s, size_t n)
{
	size_t len = strlen(s), i;
	char *out = malloc(len * n + 1);

	assert_non_null(out);
	for (i = 0; i < n; i++)
		memcpy(out + i * len, s, len);
	out[len * n] = '\0';
	return out;
}

static void
test_deep_nesting(void **state)
{
	struct buf b = {0};
	struct matrix m;
	char *open = repeat("[", 100000), *close = repeat("]", 100000);
	int i, n;

	(void)state;
	buf_printf(&b, "threads: %s%s\n", open, close);
	n = parse(b.data, &m);
	expect_only(n,
	    "quick.yaml:1:41: nesting too deep (a matrix has at most "
	    "32 levels)");
	matrix_free(&m);
	buf_free(&b);
	free(open);
	free(close);

	for (i = 0; i < 200; i++)
		buf_printf(&b, "%*sk%d:\n", i, "", i);
	n = parse(b.data, &m);
	expect_only(n,
	    "quick.yaml:33:33: nesting too deep (a matrix has at "
	    "most 32 levels)");
	matrix_free(&m);
	buf_free(&b);

	for (i = 0; i < 200; i++)
		buf_printf(&b, "%*s- \n", 2 * i, "");
	n = parse(b.data, &m);
	assert_int_equal(n, 1);
	assert_non_null(strstr(captured, "nesting too deep"));
	matrix_free(&m);
	buf_free(&b);
}

static void
test_utf8(void **state)
{
	static const char latin1[] = HEAD "description: caf\xe9 au lait\n";
	static const char bad[] = HEAD "description: \"\xe6\x97\xa5\xe6\x9c\xac"
	                               "\xff\"\n";
	static const char nul[] = HEAD "description: a\0b\n";
	struct matrix m;
	int n;

	(void)state;
	parse_one_problem(latin1,
	    "quick.yaml:2:18: the matrix is not valid UTF-8 (invalid "
	    "trailing UTF-8 octet 0x20)");
	parse_one_problem(bad,
	    "quick.yaml:2:17: the matrix is not valid UTF-8 (invalid "
	    "leading UTF-8 octet 0xff)");
	n = parse_named("quick.yaml", nul, sizeof(nul) - 1, &m);
	expect_only(n,
	    "quick.yaml:2:15: control characters are not allowed "
	    "(0x00)");
	/* the text is kept byte for byte */
	assert_memory_equal(m.text, nul, sizeof(nul));
	matrix_free(&m);
	parse_one_problem("\xff\xfen\0a\0m\0e\0",
	    "quick.yaml:1:1: the matrix "
	    "must be UTF-8, not UTF-16");
	/* escapes can make what the file cannot hold */
	parse_one_problem(HEAD OK_INTERP OK_WORKLOADS
	    "description: \"a\\0b\"\n",
	    "quick.yaml:5:14: control characters are not allowed in a matrix");
	parse_one_problem(HEAD OK_INTERP OK_WORKLOADS
	    "description: \"\\e[31mred\"\n",
	    "quick.yaml:5:14: control characters are not allowed in a matrix");
	parse_one_problem(HEAD OK_INTERP OK_WORKLOADS
	    "description: \"\\u009b31m\"\n",
	    "quick.yaml:5:14: control characters are not allowed in a matrix");

	/* a byte order mark is fine; non-ASCII text too */
	assert_int_equal(parse("\xef\xbb\xbf" HEAD OK_INTERP OK_WORKLOADS
	                       "description: \"日本語\"\n",
	                     &m),
	    0);
	assert_string_equal(m.description, "日本語");
	matrix_free(&m);
}

static void
test_messages_are_safe(void **state)
{
	struct buf b = {0};
	struct matrix m;
	char *long_value = repeat("x", 5000);
	int n;

	(void)state;
	/* long values are cut short in messages, newlines escaped */
	buf_printf(&b, HEAD OK_INTERP OK_WORKLOADS "scaling: %s\n", long_value);
	n = parse(b.data, &m);
	assert_int_equal(n, 1);
	assert_true(strlen(captured) < 300);
	assert_non_null(strstr(captured, "xxx...\" (expected weak or strong)"));
	matrix_free(&m);
	buf_free(&b);
	free(long_value);

	parse_one_problem(HEAD OK_INTERP OK_WORKLOADS
	    "scaling: \"a\\nb\\\"\"\n",
	    "quick.yaml:5:10: unknown scaling \"a\\nb\\\"\" (expected weak or "
	    "strong)");
	parse_one_problem(HEAD OK_INTERP OK_WORKLOADS "? [a]\n: 1\n",
	    "quick.yaml:5:3: keys must be strings, not a sequence");
}

static void
test_too_large(void **state)
{
	size_t len = 1024 * 1024 + 1;
	char *text = malloc(len);
	struct matrix m;
	int n;

	(void)state;
	assert_non_null(text);
	memset(text, '#', len);
	n = parse_named("big.yaml", text, len, &m);
	expect_only(n,
	    "big.yaml:1:1: file too large (a matrix is at most 1 "
	    "MiB)");
	matrix_free(&m);
	free(text);
}

static void
test_many_values(void **state)
{
	struct buf b = {0};
	struct matrix m;
	int i, n;

	(void)state;
	buf_puts(&b, HEAD OK_INTERP OK_WORKLOADS "threads: [");
	for (i = 0; i < 200000; i++)
		buf_puts(&b, "1,");
	buf_puts(&b, "1]\n");
	n = parse(b.data, &m);
	assert_int_equal(n, 1);
	assert_non_null(strstr(captured, "too many values"));
	matrix_free(&m);
	buf_free(&b);

	/* many distinct bad keys: one problem each, and quickly */
	buf_puts(&b, HEAD OK_INTERP OK_WORKLOADS);
	for (i = 0; i < 20000; i++)
		buf_printf(&b, "k%d: 1\n", i);
	n = parse(b.data, &m);
	assert_int_equal(n, 20000);
	matrix_free(&m);
	buf_free(&b);
}

static char tmpdir[64];

static char *
write_tmp(const char *name, const char *text, size_t len)
{
	char *path = NULL;
	FILE *f;

	assert_true(asprintf(&path, "%s/%s", tmpdir, name) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	return path;
}

static void
test_load(void **state)
{
	struct matrix m;
	char *path, *big;
	size_t len = 2 * 1024 * 1024;
	int n;

	(void)state;
	strcpy(tmpdir, "/tmp/test-matrix-XXXXXX");
	assert_non_null(mkdtemp(tmpdir));

	path = write_tmp("full.yml", full, strlen(full));
	assert_int_equal(load(path, &m), 0);
	assert_string_equal(m.path, path);
	assert_string_equal(m.text, full);
	assert_string_equal(m.name, "quick");
	assert_int_equal(m.ninterps, 5);
	matrix_free(&m);
	unlink(path);
	free(path);

	path = write_tmp("bad.yaml", "threads: [0]\n", 13);
	n = load(path, &m);
	assert_int_equal(n, 3);
	assert_non_null(
	    strstr(captured, "/bad.yaml:1:11: \"threads\" must be"));
	matrix_free(&m);
	unlink(path);
	free(path);

	big = malloc(len);
	assert_non_null(big);
	memset(big, '#', len);
	path = write_tmp("big.yaml", big, len);
	n = load(path, &m);
	assert_true(n != 0);
	assert_non_null(strstr(captured, "big.yaml:1:1: file too large"));
	matrix_free(&m);
	unlink(path);
	free(path);
	free(big);

	n = load(tmpdir, &m);
	assert_true(n != 0);
	assert_non_null(strstr(captured, "it is a directory"));
	matrix_free(&m);

	n = load("/nonexistent/matrix.yaml", &m);
	assert_true(n != 0);
	assert_string_equal(captured,
	    "ftmatrix: cannot read "
	    "/nonexistent/matrix.yaml: No such file "
	    "or directory\n");
	assert_string_equal(m.path, "/nonexistent/matrix.yaml");
	matrix_free(&m);

	/* endless input is cut off, not read into memory */
	n = load("/dev/zero", &m);
	assert_true(n != 0);
	assert_non_null(strstr(captured, "file too large"));
	matrix_free(&m);

	/* a FIFO nobody writes to reads as empty instead of hanging */
	assert_true(asprintf(&path, "%s/fifo.yaml", tmpdir) > 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	n = load(path, &m);
	assert_int_equal(n, 1);
	assert_non_null(strstr(captured, "fifo.yaml:1:1: the matrix is empty"));
	matrix_free(&m);
	unlink(path);
	free(path);

	rmdir(tmpdir);
}

/* The matrices shipped in matrices/ are valid. */
static void
test_shipped(void **state)
{
	static const char *const names[] = {
	    "default.yaml", "local.yaml", "quick.yaml"};
	char *src = strdup(__FILE__), *dir, *path;
	struct matrix m;
	size_t i;

	(void)state;
	dir = dirname(src);
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_true(
		    asprintf(&path, "%s/../../matrices/%s", dir, names[i]) > 0);
		if (access(path, R_OK) < 0) {
			free(path);
			free(src);
			skip();
		}
		if (load(path, &m) != 0)
			fail_msg("%s:\n%s", path, captured);
		assert_true(m.ninterps > 0);
		assert_true(m.nworkloads > 0);
		matrix_free(&m);
		free(path);
	}
	free(src);
}

/* Every line printed is a "file:line:col: message" problem within the
 * text; as many lines as problems (a problem's message is one line). */
static void
expect_problems(int n, const char *text, size_t len)
{
	const char *p = captured;
	int lines = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		unsigned long line, col;
		char colon;

		if (!nl)
			fail_msg("unterminated message: %s", p);
		if (sscanf(p, "ftmatrix: fuzz.yaml:%lu:%lu%c", &line, &col,
		        &colon) != 3 ||
		    colon != ':' || line < 1 || col < 1)
			fail_msg("not a located problem: %.*s", (int)(nl - p), p);
		/* within the text, or just past its end */
		{
			unsigned long lines_in_text = 1;

			for (size_t i = 0; i < len; i++)
				lines_in_text += text[i] == '\n';
			if (line > lines_in_text + 1)
				fail_msg("line %lu of %lu: %.*s", line,
				    lines_in_text, (int)(nl - p), p);
		}
		lines++;
		p = nl + 1;
	}
	assert_int_equal(lines, n);
}

/* Random damage to a valid matrix never crashes (run under ASan), and
 * is either refused with located problems or still a usable matrix. */
static void
test_mutations(void **state)
{
	static const char junk[] = "[]{}:,-&*!|>'\"#%@`?\n\t \\\xff\xc3\x80"
	                           "0aZ";
	size_t len = strlen(full), i, k;
	unsigned seed = 12345;
	struct matrix m;
	char *text;
	int n;

	(void)state;
	text = malloc(len + 1);
	assert_non_null(text);
	for (i = 0; i < 3000; i++) {
		memcpy(text, full, len + 1);
		for (k = 0; k < 1 + i % 8; k++) {
			seed = seed * 1103515245 + 12345;
			text[(seed >> 8) % len] =
			    junk[(seed >> 20) % (sizeof(junk) - 1)];
		}
		seed = seed * 1103515245 + 12345;
		k = (seed >> 8) % (len + 1);
		n = parse_named("fuzz.yaml", text, k, &m);
		if (n == 0) {
			assert_string_equal(captured, "");
			assert_true(m.ninterps > 0 && m.nworkloads > 0);
			assert_true(m.nengines > 0 && m.nthreads > 0);
		} else {
			assert_true(n > 0);
			expect_problems(n, text, k);
		}
		matrix_free(&m);
	}
	free(text);
}

/* min_time, affinity and memory_interval_ms (the run's methodology) */
static void
test_method_keys(void **state)
{
	struct matrix m;
	int n;

	(void)state;
	assert_int_equal(parse(HEAD OK_INTERP OK_WORKLOADS, &m), 0);
	assert_true(m.min_time_s == 0);
	assert_null(m.affinity);
	assert_int_equal(m.memory_interval_ms, 50);
	matrix_free(&m);

	assert_int_equal(
	    parse(HEAD OK_INTERP OK_WORKLOADS "min_time: 0.1\n"
	                                      "affinity: \"0-1,3\"\n"
	                                      "memory_interval_ms: 0\n",
	        &m),
	    0);
	assert_true(m.min_time_s == 0.1);
	assert_string_equal(m.affinity, "0-1,3");
	assert_int_equal(m.memory_interval_ms, 0);
	matrix_free(&m);

	n = parse(HEAD OK_INTERP OK_WORKLOADS "min_time: -1\n"
	                                      "affinity: \"3-1\"\n"
	                                      "memory_interval_ms: 60001\n",
	    &m);
	assert_int_equal(n, 3);
	expect_line("quick.yaml:5:11: \"min_time\" must be a number of seconds "
	            "from 0 and at most 60, not \"-1\"");
	expect_line("quick.yaml:6:11: \"affinity\" must be a CPU list like "
	            "\"0-3,6\" or \"all\", not \"3-1\" (expected a range like "
	            "0-3)");
	expect_line(
	    "quick.yaml:7:21: \"memory_interval_ms\" must be an integer "
	    "between 0 and 60000, not \"60001\"");
	matrix_free(&m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_full),
	    cmocka_unit_test(test_defaults),
	    cmocka_unit_test(test_provider_names),
	    cmocka_unit_test(test_unknown_provider),
	    cmocka_unit_test(test_unknown_key),
	    cmocka_unit_test(test_threads),
	    cmocka_unit_test(test_ints),
	    cmocka_unit_test(test_missing_request),
	    cmocka_unit_test(test_duplicates),
	    cmocka_unit_test(test_baseline),
	    cmocka_unit_test(test_syntax),
	    cmocka_unit_test(test_not_a_mapping),
	    cmocka_unit_test(test_cells),
	    cmocka_unit_test(test_quote_invisible),
	    cmocka_unit_test(test_many_problems),
	    cmocka_unit_test(test_provider_keys),
	    cmocka_unit_test(test_interp_values),
	    cmocka_unit_test(test_variants),
	    cmocka_unit_test(test_free_threaded),
	    cmocka_unit_test(test_workloads),
	    cmocka_unit_test(test_aliases),
	    cmocka_unit_test(test_deep_nesting),
	    cmocka_unit_test(test_utf8),
	    cmocka_unit_test(test_messages_are_safe),
	    cmocka_unit_test(test_too_large),
	    cmocka_unit_test(test_many_values),
	    cmocka_unit_test(test_load),
	    cmocka_unit_test(test_shipped),
	    cmocka_unit_test(test_mutations),
	    cmocka_unit_test(test_method_keys),
	};
	int rc = cmocka_run_group_tests(tests, NULL, NULL);

	free(captured);
	return rc;
}
