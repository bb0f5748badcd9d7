/* results.c: results.json round trip, corrupt files, probe output. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "ftmatrix.h"

#define IDENTITY_FT                                                            \
	"{\"abiflags\": \"t\", \"build_date\": \"Nov 20 2025 14:02:11\", "     \
	"\"compiler\": \"GCC 14.2.0\", \"config_args\": \"'--disable-gil'\", " \
	"\"executable\": \"/opt/py/bin/python3.13t\", "                        \
	"\"gil_disabled_build\": true, \"gil_enabled\": false, "               \
	"\"hexversion\": 51187696, \"implementation\": \"cpython\", "          \
	"\"includepy\": \"/opt/py/include/python3.13t\", "                     \
	"\"ldlibrary\": \"libpython3.13t.so\", \"ldversion\": \"3.13t\", "     \
	"\"libdir\": \"/opt/py/lib\", \"prefix\": \"/opt/py\", "               \
	"\"shared\": true, \"version\": \"3.13.15\"}"

#define PROBE_OK                                                               \
	"{\"probe_version\":1,\"identity\":{\"version\":\"3.13.15\"},"         \
	"\"workload\":\"cpu_loop\",\"group\":\"basic\",\"description\":\"x\"," \
	"\"unit\":\"iterations\",\"engine\":\"threads\",\"threads\":2,"        \
	"\"iterations\":200000,\"scaling\":\"weak\","                          \
	"\"work_per_thread\":100000,\"warmup\":1,"                             \
	"\"gil_enabled_before\":false,\"gil_enabled_after\":null,"             \
	"\"samples\":[{\"wall_ns\":123456,\"thread_wall_ns\":[1,2],"           \
	"\"thread_cpu_ns\":[100,200]},{\"wall_ns\":123999,"                    \
	"\"thread_wall_ns\":[3,4],\"thread_cpu_ns\":[300,400]}],\"errors\":[]}"

#define PROBE_ERROR                                                            \
	"{\"probe_version\":1,\"identity\":{},\"error\":\"workload cpu_loop: " \
	"run() raised\",\"traceback\":\"Traceback (most recent call last):\\n" \
	"  File \\\"w.py\\\", line 3, in run\\nZeroDivisionError: division by " \
	"zero\\n\"}"

static char tmpdir[] = "/tmp/ftmatrix-test-results-XXXXXX";
static char captured[8192];
static int saved_stderr = -1;

/* error() writes to stderr; tests check its message through a file */
static void
capture_begin(void)
{
	char *path = path_join(tmpdir, "stderr");
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);

	fflush(stderr);
	saved_stderr = dup(2);
	dup2(fd, 2);
	close(fd);
	free(path);
}

static const char *
capture_end(void)
{
	char *path = path_join(tmpdir, "stderr");
	struct buf b = { 0 };

	fflush(stderr);
	dup2(saved_stderr, 2);
	close(saved_stderr);
	file_read(path, &b);
	snprintf(captured, sizeof(captured), "%s", buf_str(&b));
	buf_free(&b);
	unlink(path);
	free(path);
	return captured;
}

static void
fill_resultset(struct resultset *rs)
{
	struct result_cell *c;

	memset(rs, 0, sizeof(*rs));
	rs->schema_version = RESULTS_SCHEMA_VERSION;
	rs->ftmatrix_version = xstrdup(FTMATRIX_VERSION);
	rs->created = xstrdup("2025-11-23T09:00:00Z");
	rs->updated = xstrdup("2025-11-23T09:10:00Z");
	rs->command = xstrdup("ftmatrix run matrices/quick.yaml");
	rs->matrix_name = xstrdup("quick");
	rs->matrix_path = xstrdup("matrices/quick.yaml");
	rs->matrix_text = xstrdup("name: quick\n# \"quoted\" \\ and ünïcode\n"
				  "workloads: [cpu_loop]\n");
	rs->workloads = xcalloc(1, sizeof(*rs->workloads));
	rs->workloads[rs->nworkloads++] = xstrdup("cpu_loop");
	rs->baseline = xstrdup("3.13");
	rs->machine.cpu_model = xstrdup("Test CPU @ 3.0GHz");
	rs->machine.cores = 4;
	rs->machine.kernel = xstrdup("Linux 6.1.0 x86_64");
	rs->machine.governor = xstrdup("performance");
	rs->machine.hostname = xstrdup("box");
	rs->machine.loadavg1 = 0.37;

	rs->ninterps = 2;
	rs->interps = xcalloc(2, sizeof(*rs->interps));
	rs->interps[0].id = xstrdup("3.13t");
	rs->interps[0].label = xstrdup("3.13.15t");
	rs->interps[0].provider = xstrdup("source");
	rs->interps[0].request = xstrdup("debian:3.13.15");
	rs->interps[0].available = 1;
	assert_int_equal(identity_parse(IDENTITY_FT, &rs->interps[0].identity), 0);
	rs->interps[1].id = xstrdup("3.13");
	rs->interps[1].provider = xstrdup("uv");
	rs->interps[1].request = xstrdup("3.13");
	rs->interps[1].error = xstrdup("uv python install 3.13 failed");
	rs->interps[1].identity.gil_enabled = -1;

	c = results_add_cell(rs);
	c->key = xstrdup("3.13t/cpu_loop/threads/2/0");
	c->interp = xstrdup("3.13t");
	c->workload = xstrdup("cpu_loop");
	c->engine = xstrdup("threads");
	c->threads = 2;
	c->status = xstrdup("ok");
	c->stderr_tail = xstrdup("");
	c->elapsed_s = 1.234567;
	assert_int_equal(result_cell_parse_probe(c, PROBE_OK), 0);

	c = results_add_cell(rs);
	c->key = xstrdup("3.13t/cpu_loop/threads/1/1");
	c->interp = xstrdup("3.13t");
	c->workload = xstrdup("cpu_loop");
	c->engine = xstrdup("threads");
	c->threads = 1;
	c->rep = 1;
	c->exit_status = 1;
	c->stderr_tail = xstrdup("Fatal Python error: x\n");
	c->elapsed_s = 0.5;
	assert_int_equal(result_cell_parse_probe(c, PROBE_ERROR), 0);
	rs->complete = 0;
}

static void
assert_str(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
assert_same(const struct resultset *a, const struct resultset *b)
{
	assert_int_equal(a->schema_version, b->schema_version);
	assert_str(a->ftmatrix_version, b->ftmatrix_version);
	assert_str(a->created, b->created);
	assert_str(a->updated, b->updated);
	assert_str(a->command, b->command);
	assert_str(a->matrix_name, b->matrix_name);
	assert_str(a->matrix_path, b->matrix_path);
	assert_str(a->matrix_text, b->matrix_text);
	assert_str(a->baseline, b->baseline);
	assert_int_equal(a->nworkloads, b->nworkloads);
	for (size_t i = 0; i < a->nworkloads; i++)
		assert_str(a->workloads[i], b->workloads[i]);
	assert_int_equal(a->complete, b->complete);
	assert_str(a->machine.cpu_model, b->machine.cpu_model);
	assert_int_equal(a->machine.cores, b->machine.cores);
	assert_str(a->machine.kernel, b->machine.kernel);
	assert_str(a->machine.governor, b->machine.governor);
	assert_str(a->machine.hostname, b->machine.hostname);
	assert_true(a->machine.loadavg1 == b->machine.loadavg1);
	assert_int_equal(a->ninterps, b->ninterps);
	for (size_t i = 0; i < a->ninterps; i++) {
		const struct result_interp *x = &a->interps[i], *y = &b->interps[i];

		assert_str(x->id, y->id);
		assert_str(x->label, y->label);
		assert_str(x->provider, y->provider);
		assert_str(x->request, y->request);
		assert_int_equal(x->available, y->available);
		assert_str(x->error, y->error);
		assert_str(x->identity.version, y->identity.version);
		assert_str(x->identity.implementation, y->identity.implementation);
		assert_int_equal(x->identity.gil_disabled_build,
		    y->identity.gil_disabled_build);
		assert_int_equal(x->identity.gil_enabled, y->identity.gil_enabled);
		assert_str(x->identity.config_args, y->identity.config_args);
		assert_str(x->identity.executable, y->identity.executable);
		assert_str(x->identity.ldlibrary, y->identity.ldlibrary);
		assert_str(x->identity.build_date, y->identity.build_date);
		assert_int_equal(x->identity.shared, y->identity.shared);
		assert_int_equal(x->identity.json == NULL, y->identity.json == NULL);
	}
	assert_int_equal(a->ncells, b->ncells);
	for (size_t i = 0; i < a->ncells; i++) {
		const struct result_cell *x = &a->cells[i], *y = &b->cells[i];

		assert_str(x->key, y->key);
		assert_str(x->interp, y->interp);
		assert_str(x->workload, y->workload);
		assert_str(x->engine, y->engine);
		assert_str(x->group, y->group);
		assert_int_equal(x->threads, y->threads);
		assert_int_equal(x->rep, y->rep);
		assert_str(x->status, y->status);
		assert_str(x->error, y->error);
		assert_str(x->stderr_tail, y->stderr_tail);
		assert_int_equal(x->exit_status, y->exit_status);
		assert_str(x->scaling, y->scaling);
		assert_int_equal(x->iterations, y->iterations);
		assert_int_equal(x->work_per_thread, y->work_per_thread);
		assert_int_equal(x->gil_enabled_before, y->gil_enabled_before);
		assert_int_equal(x->gil_enabled_after, y->gil_enabled_after);
		assert_true(x->elapsed_s == y->elapsed_s);
		assert_int_equal(x->nwall, y->nwall);
		for (size_t k = 0; k < x->nwall; k++) {
			assert_true(x->wall_ns[k] == y->wall_ns[k]);
			assert_true(x->cpu_ns[k] == y->cpu_ns[k]);
		}
		assert_int_equal(x->probe_json == NULL, y->probe_json == NULL);
	}
}

static char *
tmp_path(const char *name)
{
	return path_join(tmpdir, name);
}

static void
test_round_trip(void **state)
{
	struct resultset a, b, c;
	char *p1 = tmp_path("r1.json"), *p2 = tmp_path("r2.json");
	struct buf f1 = { 0 }, f2 = { 0 };

	(void)state;
	fill_resultset(&a);
	assert_int_equal(results_save(&a, p1), 0);
	assert_int_equal(results_load(p1, &b), 0);
	assert_same(&a, &b);
	/* embedded documents come back as the same JSON */
	assert_non_null(strstr(b.cells[0].probe_json, "\"thread_cpu_ns\":[100,200]"));
	assert_non_null(strstr(b.interps[0].identity.json, "\"version\":\"3.13.15\""));
	assert_null(b.interps[1].identity.json);
	/* a second generation is byte for byte the first */
	assert_int_equal(results_save(&b, p2), 0);
	assert_int_equal(results_load(p2, &c), 0);
	assert_same(&b, &c);
	assert_string_equal(b.cells[0].probe_json, c.cells[0].probe_json);
	assert_int_equal(file_read(p1, &f1), 0);
	assert_int_equal(file_read(p2, &f2), 0);
	assert_string_equal(buf_str(&f1), buf_str(&f2));
	assert_non_null(strstr(buf_str(&f1), "\"schema\": \"ftmatrix-results\""));
	assert_non_null(strstr(buf_str(&f1), "\"gil_enabled_after\": null"));
	buf_free(&f1);
	buf_free(&f2);
	results_free(&a);
	results_free(&b);
	results_free(&c);
	unlink(p1);
	unlink(p2);
	free(p1);
	free(p2);
}

static void
test_atomic_no_temp_files(void **state)
{
	struct resultset rs;
	char *p = tmp_path("atomic.json");
	struct dirent *e;
	DIR *d;
	int n = 0;

	(void)state;
	fill_resultset(&rs);
	for (int i = 0; i < 3; i++)
		assert_int_equal(results_save(&rs, p), 0);
	d = opendir(tmpdir);
	assert_non_null(d);
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		assert_string_equal(e->d_name, "atomic.json");
		n++;
	}
	closedir(d);
	assert_int_equal(n, 1);
	results_free(&rs);
	unlink(p);
	free(p);
}

static void
test_truncated(void **state)
{
	struct resultset rs;
	char *p = tmp_path("trunc.json");
	struct buf b = { 0 };
	const char *msg;

	(void)state;
	fill_resultset(&rs);
	assert_int_equal(results_save(&rs, p), 0);
	results_free(&rs);
	assert_int_equal(file_read(p, &b), 0);
	assert_int_equal(file_write_atomic(p, b.data, b.len / 2), 0);
	buf_free(&b);
	capture_begin();
	assert_int_equal(results_load(p, &rs), -1);
	msg = capture_end();
	/* file:line:col: ... */
	assert_non_null(strstr(msg, p));
	assert_non_null(strstr(msg, "corrupt or truncated"));
	assert_true(strncmp(msg + strlen("ftmatrix: ") + strlen(p), ":", 1) == 0);
	assert_int_equal(rs.ncells, 0);
	unlink(p);
	free(p);
}

static void
load_text(const char *text, int expect, const char *needle)
{
	char *p = tmp_path("text.json");
	struct resultset rs;
	const char *msg;

	assert_int_equal(file_write_atomic(p, text, strlen(text)), 0);
	capture_begin();
	assert_int_equal(results_load(p, &rs), expect);
	msg = capture_end();
	if (needle)
		assert_non_null(strstr(msg, needle));
	if (expect == 0)
		results_free(&rs);
	unlink(p);
	free(p);
}

/* What every results file has before its cells: a matrix listing workload
 * b and interpreter a. */
#define HEAD(v)                                                       \
	"{\"schema\": \"ftmatrix-results\", \"schema_version\": " #v \
	", \"matrix\": {\"text\": \"workloads: [b]\"}, "          \
	"\"interpreters\": [{\"id\": \"a\"}], "

static void
test_bad_files(void **state)
{
	(void)state;
	load_text("{\"schema\": \"something-else\", \"schema_version\": 1}", -1,
	    "not an ftmatrix results file");
	load_text("[1, 2]", -1, "not an ftmatrix results file");
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 99}",
	    -1, "newer than this ftmatrix");
	load_text("{\"schema\": \"ftmatrix-results\"}", -1, "schema_version");
	load_text(HEAD(1) "\"cells\": [{\"key\": \"a/b/threads/two/0\", "
	    "\"interpreter\": \"a\", \"workload\": \"b\", "
	    "\"engine\": \"threads\", \"threads\": \"two\", "
	    "\"rep\": 0, \"status\": \"ok\"}]}",
	    -1, "cell 0 (a/b/threads/two/0): \"threads\" is not an integer");
	load_text(HEAD(1) "\"cells\": [{\"key\": \"k\", "
	    "\"interpreter\": \"a\", "
	    "\"workload\": \"b\", \"engine\": \"threads\", "
	    "\"threads\": 1, \"rep\": 0}]}",
	    -1, "cell 0 (k): \"status\" is missing");
	load_text(HEAD(1) "\"cells\": [{\"key\": \"k\", "
	    "\"interpreter\": \"a\", "
	    "\"workload\": \"b\", \"engine\": \"threads\", "
	    "\"threads\": 1, \"rep\": 0, \"status\": \"ok\", "
	    "\"wall_ns\": [1, 2], \"cpu_ns\": [1]}]}",
	    -1, "cpu_ns");
	/* the smallest whole file: a run stopped before its first cell */
	load_text(HEAD(1) "\"cells\": []}", 0, NULL);
}

/* The sections results_save always writes: without one the file was cut
 * or edited, and reading on would show less than was measured. */
static void
test_missing_sections(void **state)
{
	(void)state;
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 1}",
	    -1, "\"matrix\" is missing");
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 2, "
		  "\"matrix\": {\"text\": \"workloads: [b]\"}, \"cells\": []}",
	    -1, "text.json: \"interpreters\" is missing");
	load_text(HEAD(2) "\"calibration\": []}", -1,
	    "text.json: \"cells\" is missing");
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 2, "
		  "\"matrix\": [], \"interpreters\": [], \"cells\": []}",
	    -1, "\"matrix\" is not an object");
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 2, "
		  "\"matrix\": {\"name\": \"m\"}, \"interpreters\": [], "
		  "\"cells\": []}",
	    -1, "matrix: \"text\" is missing");
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 2, "
		  "\"matrix\": {\"text\": \"name: [m\"}, \"interpreters\": [], "
		  "\"cells\": []}",
	    -1, "matrix: \"text\" is not YAML with a \"workloads\" list");
	/* a matrix key this version does not know is no reason to refuse */
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 2, "
		  "\"matrix\": {\"text\": \"colour: red\\n"
		  "workloads: [{name: b, future: 1}]\"}, "
		  "\"interpreters\": [{\"id\": \"a\"}], "
		  "\"cells\": [{\"key\": \"a/b/threads/1/0\", "
		  "\"interpreter\": \"a\", \"workload\": \"b\", "
		  "\"engine\": \"threads\", \"threads\": 1, \"rep\": 0, "
		  "\"status\": \"failed\"}]}",
	    0, NULL);
}

/* A key given twice would leave one of its values, chosen silently. */
static void
test_duplicate_keys(void **state)
{
	(void)state;
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 2,\n"
		  "\"schema_version\": 1}",
	    -1, "text.json:2:16: edited or damaged results file: duplicate "
		"object key");
	load_text(HEAD(2) "\"cells\": [{\"key\": \"a/b/threads/1/0\", "
	    "\"interpreter\": \"a\", \"workload\": \"b\", "
	    "\"engine\": \"threads\", \"threads\": 1, \"rep\": 0, "
	    "\"status\": \"ok\", \"wall_ns\": [1], "
	    "\"wall_ns\": [2]}]}",
	    -1, "in cell 0 (a/b/threads/1/0)");
}

/* A file of one cell a/b/threads/1/0 with members (a JSON fragment):
 * refused with needle in the message, or read when needle is NULL. */
static void
load_cell(const char *members, const char *needle)
{
	char *text = xasprintf(HEAD(2) "\"cells\": [{\"key\": "
				       "\"a/b/threads/1/0\", %s}]}",
	    members);

	load_text(text, needle ? -1 : 0, needle);
	free(text);
}

#define CELL                                              \
	"\"interpreter\": \"a\", \"workload\": \"b\", " \
	"\"engine\": \"threads\", "

/* A cell whose "probe" and "memory" are probe, read back: each document
 * kept is the same JSON as in the file, however it was spaced or spelled
 * there. */
static void
docs_kept(const char *probe, const char *memory)
{
	char *text = xasprintf(HEAD(2) "\"cells\": [\n  {\n    \"key\": "
				       "\"a/b/threads/1/0\", " CELL
				       "\"threads\": 1, \"rep\": 0, "
				       "\"status\": \"failed\",\n    "
				       "\"probe\": %s,\n    \"memory\": %s\n  }\n]}",
	    probe, memory);
	char *p = tmp_path("docs.json");
	struct resultset rs;
	json_t *want, *got;

	assert_int_equal(file_write_atomic(p, text, strlen(text)), 0);
	assert_int_equal(results_load(p, &rs), 0);
	assert_int_equal(rs.ncells, 1);
	want = json_loads(probe, 0, NULL);
	got = json_loads(rs.cells[0].probe_json, 0, NULL);
	assert_true(json_equal(want, got));
	json_decref(want);
	json_decref(got);
	want = json_loads(memory, 0, NULL);
	got = json_loads(rs.cells[0].memory_json, 0, NULL);
	assert_true(json_equal(want, got));
	json_decref(want);
	json_decref(got);
	results_free(&rs);
	unlink(p);
	free(p);
	free(text);
}

static void
test_documents_kept(void **state)
{
	(void)state;
	docs_kept("{ \"kind\" : \"timing\",\n\t\"samples\": [ {\"wall_ns\": "
		  "1.5e-07, \"x\": [ [ ], { } ] } ],\n  \"s\": \"a \\\"}\\\" "
		  "b\\\\\", \"u\": \"\\u00e9 \\n\", \"n\": null, \"t\": true "
		  "}",
	    "{\"rss_kib\": {\"min\": 1, \"max\": 2, \"avg\": 1.5}}");
	/* a key spelled with an escape is read all the same */
	docs_kept("{\"k\\u0069nd\": \"c\", \"samples\": []}",
	    "{ \"interval_ms\" : 10 , \"nsamples\": 0 }");
	docs_kept("{}", "{ }");
}

/* Values no measurement has: the report would show them as numbers. */
static void
test_impossible_values(void **state)
{
	(void)state;
	load_cell(CELL "\"threads\": 1, \"rep\": 0, \"status\": \"ok\", "
	    "\"wall_ns\": [5, 7], \"cpu_ns\": [4, 6]",
	    NULL);
	load_cell(CELL "\"threads\": 1, \"rep\": 0, \"status\": \"ok\", "
	    "\"wall_ns\": [5, -7]",
	    "cell 0 (a/b/threads/1/0): \"wall_ns\" is negative at sample 1 "
	    "(-7)");
	load_cell(CELL "\"threads\": 1, \"rep\": 0, \"status\": \"ok\", "
	    "\"wall_ns\": [5], \"cpu_ns\": [-1.5]",
	    "\"cpu_ns\" is negative at sample 0 (-1.5)");
	load_cell(CELL "\"threads\": 1, \"rep\": 0, \"status\": \"ok\", "
	    "\"wall_ns\": []",
	    "cell 0 (a/b/threads/1/0): \"wall_ns\" is empty in an \"ok\" "
	    "cell");
	/* a failed cell has no samples to give */
	load_cell(CELL "\"threads\": 1, \"rep\": 0, \"status\": \"crashed\", "
	    "\"wall_ns\": [], \"exit_status\": -1",
	    NULL);
	load_cell(CELL "\"threads\": 1, \"rep\": 0, \"status\": \"done\"",
	    "\"status\" is \"done\" (expected ok, failed, timeout, crashed "
	    "or bad-output)");
	load_cell(CELL "\"threads\": 1, \"rep\": 0, \"status\": \"failed\", "
	    "\"exit_status\": 256",
	    "\"exit_status\" is not an exit status");
	load_cell(CELL "\"threads\": 1, \"rep\": 0, \"status\": \"failed\", "
	    "\"elapsed_s\": -1.0",
	    "\"elapsed_s\" is negative");
	load_cell(CELL "\"threads\": 1, \"rep\": 0, \"status\": \"failed\", "
	    "\"iterations\": -3",
	    "\"iterations\" is negative");
	load_cell(CELL "\"threads\": 1, \"rep\": 0, \"status\": \"failed\", "
	    "\"rusage\": {\"user_s\": -1}",
	    "\"rusage\" is not a resource usage");
	load_cell(CELL "\"threads\": 4294967297, \"rep\": 0, "
	    "\"status\": \"failed\"",
	    "\"threads\" is out of range");
	/* a real too large for a long: refused, never converted */
	load_cell(CELL "\"threads\": 1e300, \"rep\": 0, \"status\": \"failed\"",
	    "\"threads\" is not an integer");
	load_cell(CELL "\"threads\": 0, \"rep\": 0, \"status\": \"failed\"",
	    "\"threads\" is not a positive integer");
}

static void
test_probe_ok(void **state)
{
	struct resultset rs = { 0 };
	struct result_cell *c = results_add_cell(&rs);

	(void)state;
	assert_int_equal(c->gil_enabled_before, -1);
	assert_int_equal(result_cell_parse_probe(c, PROBE_OK), 0);
	assert_null(c->status); /* left to the caller */
	assert_null(c->error);
	assert_string_equal(c->group, "basic");
	assert_string_equal(c->scaling, "weak");
	assert_int_equal(c->iterations, 200000);
	assert_int_equal(c->work_per_thread, 100000);
	assert_int_equal(c->gil_enabled_before, 0);
	assert_int_equal(c->gil_enabled_after, -1);
	assert_int_equal(c->nwall, 2);
	assert_true(c->wall_ns[0] == 123456 && c->wall_ns[1] == 123999);
	assert_true(c->cpu_ns[0] == 300 && c->cpu_ns[1] == 700);
	assert_string_equal(c->probe_json, PROBE_OK);
	results_free(&rs);
}

static void
test_probe_error(void **state)
{
	struct resultset rs = { 0 };
	struct result_cell *c = results_add_cell(&rs);

	(void)state;
	assert_int_equal(result_cell_parse_probe(c, PROBE_ERROR), 0);
	assert_string_equal(c->status, "failed");
	assert_string_equal(c->error, "workload cpu_loop: run() raised "
				      "(ZeroDivisionError: division by zero)");
	assert_non_null(c->probe_json);
	assert_int_equal(c->nwall, 0);

	c = results_add_cell(&rs);
	assert_int_equal(result_cell_parse_probe(c,
			     "{\"probe_version\":1,\"samples\":[{\"wall_ns\":5,"
			     "\"thread_cpu_ns\":[1]}],\"errors\":[\"thread 1: "
			     "KeyError\"]}"),
	    0);
	assert_string_equal(c->status, "failed");
	assert_non_null(strstr(c->error, "thread 1: KeyError"));
	results_free(&rs);
}

static void
test_probe_garbage(void **state)
{
	static const char *const bad[] = { "", "Segmentation fault",
		"{\"probe_version\":1,\"samples\":[{\"wall_ns\":1}",
		"[1,2,3]", "{\"no\":\"probe\"}",
		"{\"probe_version\":1,\"samples\":[]}", NULL };
	struct resultset rs = { 0 };

	(void)state;
	for (int i = 0; bad[i]; i++) {
		struct result_cell *c = results_add_cell(&rs);

		assert_int_equal(result_cell_parse_probe(c, bad[i]), -1);
		assert_string_equal(c->status, "bad-output");
		assert_non_null(c->error);
	}
	results_free(&rs);
}

static void
test_identity(void **state)
{
	struct identity id;

	(void)state;
	assert_int_equal(identity_parse(IDENTITY_FT, &id), 0);
	assert_string_equal(id.version, "3.13.15");
	assert_string_equal(id.implementation, "cpython");
	assert_int_equal(id.gil_disabled_build, 1);
	assert_int_equal(id.gil_enabled, 0);
	assert_string_equal(id.abiflags, "t");
	assert_string_equal(id.ldversion, "3.13t");
	assert_int_equal(id.shared, 1);
	assert_string_equal(id.json, IDENTITY_FT);
	identity_free(&id);

	assert_int_equal(identity_parse("{\"version\": \"3.12.3\", "
					"\"gil_disabled_build\": 0, "
					"\"gil_enabled\": null, \"shared\": 1}",
			     &id),
	    0);
	assert_int_equal(id.gil_disabled_build, 0);
	assert_int_equal(id.gil_enabled, -1);
	assert_int_equal(id.shared, 1);
	identity_free(&id);

	capture_begin();
	assert_int_equal(identity_parse("not json", &id), -1);
	capture_end();
}

static void
test_cells(void **state)
{
	struct resultset rs = { 0 };
	char key[64];

	(void)state;
	for (int i = 0; i < 40; i++) {
		struct result_cell *c = results_add_cell(&rs);

		assert_null(c->key);
		assert_int_equal(c->gil_enabled_after, -1);
		snprintf(key, sizeof(key), "x/w/threads/1/%d", i);
		c->key = xstrdup(key);
	}
	assert_int_equal(rs.ncells, 40);
	assert_non_null(results_find(&rs, "x/w/threads/1/39"));
	assert_null(results_find(&rs, "x/w/threads/1/40"));
	results_drop_last(&rs);
	assert_int_equal(rs.ncells, 39);
	assert_null(results_find(&rs, "x/w/threads/1/39"));
	assert_null(results_interp(&rs, "3.13"));
	results_free(&rs);
}

static void
test_machine(void **state)
{
	struct machine m;

	(void)state;
	machine_capture(&m);
	assert_non_null(m.cpu_model);
	assert_non_null(m.kernel);
	assert_non_null(m.governor);
	assert_non_null(m.hostname);
	assert_true(m.cores >= 1);
	machine_free(&m);
}

/* Schema 2 sections: settings, pre-flight, calibration, each cell's rusage
 * and memory, and the derived analysis (written, not read). */
static void
test_sections_round_trip(void **state)
{
	struct resultset rs, back;
	char *p = tmp_path("sections.json");
	struct buf b = { 0 };
	struct calibration *cal;

	(void)state;
	fill_resultset(&rs);
	rs.settings = (struct run_settings){ .repetitions = 5, .samples = 3,
		.warmup = 1, .memory_interval_ms = 50, .min_time_s = 0.1,
		.timeout_s = 120, .scaling = xstrdup("weak"),
		.affinity = xstrdup("0-1") };
	rs.preflight.ran = 1;
	rs.preflight.loadavg1 = 0.25;
	rs.preflight.cores = 2;
	rs.preflight.governor = xstrdup("performance");
	rs.preflight.spread_cv = 0.004;
	rs.preflight.spread_n = 21;
	rs.preflight.warnings = xcalloc(1, sizeof(char *));
	rs.preflight.warnings[0] = xstrdup("turbo boost is on");
	rs.preflight.nwarnings = 1;
	rs.calibrations = cal = xcalloc(1, sizeof(*cal));
	rs.ncalibrations = 1;
	cal->workload = xstrdup("cpu_loop");
	cal->min_time_s = 0.1;
	cal->iterations = 1600000;
	cal->points = xcalloc(2, sizeof(*cal->points));
	cal->npoints = 2;
	cal->points[0] = (struct calibration_point){ xstrdup("3.13t"), 1600000,
		123456789, 3 };
	cal->points[1] = (struct calibration_point){ xstrdup("3.13"), 800000,
		101000000, 2 };
	rs.cells[0].rusage = (struct cell_rusage){ 1, 0.5, 0.25, 20480, 7, 9 };
	rs.cells[0].memory_json = xstrdup("{\"interval_ms\":50,\"nsamples\":1,"
					  "\"rss_kib\":{\"min\":1,\"max\":1,"
					  "\"avg\":1},\"timeline\":[[50,1,1,1]]}");
	/* the analysis only when asked: it bootstraps every group */
	assert_int_equal(results_save(&rs, p), 0);
	assert_int_equal(file_read(p, &b), 0);
	assert_null(strstr(b.data, "\"analysis\""));
	buf_free(&b);
	rs.analysis = analysis_new(&rs);
	assert_int_equal(results_save(&rs, p), 0);
	assert_int_equal(file_read(p, &b), 0);
	assert_non_null(strstr(b.data, "\"analysis\": {"));
	assert_non_null(strstr(b.data, "two-stage: probe processes"));
	buf_free(&b);
	assert_int_equal(results_load(p, &back), 0);
	assert_same(&rs, &back);
	/* the analysis comes back whole, ready for a report */
	assert_non_null(back.analysis);
	assert_true(analysis_fits(back.analysis, &back));
	assert_int_equal(back.analysis->ngroups, rs.analysis->ngroups);
	for (size_t i = 0; i < rs.analysis->ngroups; i++) {
		const struct group *x = &rs.analysis->groups[i];
		const struct group *y = &back.analysis->groups[i];

		assert_string_equal(x->workload, y->workload);
		assert_string_equal(x->engine, y->engine);
		assert_int_equal(x->interp, y->interp);
		assert_int_equal(x->threads, y->threads);
		assert_int_equal(x->ncells, y->ncells);
		assert_int_equal(x->wall.n, y->wall.n);
		assert_memory_equal(&x->wall.median, &y->wall.median,
		    sizeof(double));
		assert_memory_equal(&x->wall.ci_lo, &y->wall.ci_lo,
		    sizeof(double));
		assert_int_equal(x->has_speedup, y->has_speedup);
		assert_int_equal(x->gil_enabled, y->gil_enabled);
		assert_int_equal(x->units, y->units);
		assert_str(x->warning, y->warning);
	}
	assert_int_equal(back.analysis->baseline, rs.analysis->baseline);
	assert_int_equal(back.schema_version, RESULTS_SCHEMA_VERSION);
	assert_int_equal(back.settings.repetitions, 5);
	assert_int_equal(back.settings.samples, 3);
	assert_int_equal(back.settings.warmup, 1);
	assert_int_equal(back.settings.memory_interval_ms, 50);
	assert_true(back.settings.min_time_s == 0.1);
	assert_true(back.settings.timeout_s == 120);
	assert_string_equal(back.settings.scaling, "weak");
	assert_string_equal(back.settings.affinity, "0-1");
	assert_int_equal(back.preflight.ran, 1);
	assert_true(back.preflight.loadavg1 == 0.25);
	assert_int_equal(back.preflight.cores, 2);
	assert_string_equal(back.preflight.governor, "performance");
	assert_true(back.preflight.spread_cv == 0.004);
	assert_int_equal(back.preflight.spread_n, 21);
	assert_int_equal(back.preflight.nwarnings, 1);
	assert_string_equal(back.preflight.warnings[0], "turbo boost is on");
	assert_int_equal(back.ncalibrations, 1);
	assert_non_null(results_calibration(&back, "cpu_loop"));
	assert_null(results_calibration(&back, "object_churn"));
	cal = &back.calibrations[0];
	assert_string_equal(cal->workload, "cpu_loop");
	assert_int_equal(cal->iterations, 1600000);
	assert_int_equal(cal->npoints, 2);
	assert_string_equal(cal->points[1].interp, "3.13");
	assert_int_equal(cal->points[1].iterations, 800000);
	assert_true(cal->points[1].sample_ns == 101000000);
	assert_int_equal(cal->points[1].probes, 2);
	assert_int_equal(back.cells[0].rusage.present, 1);
	assert_true(back.cells[0].rusage.user_s == 0.5);
	assert_int_equal(back.cells[0].rusage.maxrss_kib, 20480);
	assert_int_equal(back.cells[0].rusage.involuntary_switches, 9);
	assert_int_equal(back.cells[1].rusage.present, 0);
	assert_non_null(strstr(back.cells[0].memory_json, "\"timeline\""));
	assert_null(back.cells[1].memory_json);
	results_free(&rs);
	results_free(&back);
	unlink(p);
	free(p);
}

/* Cut anywhere inside a cell, the error names that cell and how many
 * before it are whole. */
static void
test_truncated_names_the_cell(void **state)
{
	struct resultset rs;
	char *p = tmp_path("cut.json");
	struct buf b = { 0 };
	const char *msg, *second;

	(void)state;
	fill_resultset(&rs);
	assert_int_equal(results_save(&rs, p), 0);
	results_free(&rs);
	assert_int_equal(file_read(p, &b), 0);
	second = strstr(b.data, "\"key\": \"3.13t/cpu_loop/threads/1/1\"");
	assert_non_null(second);
	assert_int_equal(file_write_atomic(p, b.data,
			     (size_t)(second - b.data) + 60), 0);
	capture_begin();
	assert_int_equal(results_load(p, &rs), -1);
	msg = capture_end();
	assert_non_null(strstr(msg, "in cell 1 (3.13t/cpu_loop/threads/1/1); "
				    "the 1 cell before it reads whole"));
	assert_non_null(strstr(msg, "nothing was read from it"));
	/* cut before the cells */
	assert_int_equal(file_write_atomic(p, b.data, 40), 0);
	capture_begin();
	assert_int_equal(results_load(p, &rs), -1);
	msg = capture_end();
	assert_non_null(strstr(msg, "before the first cell"));
	buf_free(&b);
	unlink(p);
	free(p);
}

/* The matrix's planned workloads are stored, so that loading a file of
 * this version never parses its matrix text; an older file's come from
 * that text. */
static void
test_planned_workloads(void **state)
{
	char *p = tmp_path("planned.json");
	struct resultset rs;
	static const char cell[] =
	    "\"cells\": [{\"key\": \"a/b/threads/1/0\", "
	    "\"interpreter\": \"a\", \"workload\": \"b\", "
	    "\"engine\": \"threads\", \"threads\": 1, \"rep\": 0, "
	    "\"status\": \"failed\"}]}";
	char *text;

	(void)state;
	/* version 3: the names as stored, whatever the text is */
	text = xasprintf("{\"schema\": \"ftmatrix-results\", "
			 "\"schema_version\": 3, \"matrix\": {\"text\": "
			 "\"{ not: [yaml\", \"workloads\": [\"b\", \"c\"]}, "
			 "\"interpreters\": [{\"id\": \"a\"}], %s",
	    cell);
	assert_int_equal(file_write_atomic(p, text, strlen(text)), 0);
	assert_int_equal(results_load(p, &rs), 0);
	assert_int_equal(rs.nworkloads, 2);
	assert_string_equal(rs.workloads[1], "c");
	assert_int_equal(results_save(&rs, p), 0);
	results_free(&rs);
	assert_int_equal(results_load(p, &rs), 0);
	assert_int_equal(rs.nworkloads, 2);
	assert_string_equal(rs.workloads[0], "b");
	results_free(&rs);
	free(text);
	/* without them, a version 3 file is refused */
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 3, "
		  "\"matrix\": {\"text\": \"workloads: [b]\"}, "
		  "\"interpreters\": [{\"id\": \"a\"}], \"cells\": []}",
	    -1, "matrix: \"workloads\" is missing");
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 3, "
		  "\"matrix\": {\"text\": \"\", \"workloads\": [\"b\"]}, "
		  "\"interpreters\": [{\"id\": \"a\"}], "
		  "\"cells\": [{\"key\": \"a/c/threads/1/0\", "
		  "\"interpreter\": \"a\", \"workload\": \"c\", "
		  "\"engine\": \"threads\", \"threads\": 1, \"rep\": 0, "
		  "\"status\": \"failed\"}]}",
	    -1, "workload \"c\" is not among its matrix's workloads");
	/* version 2: from the matrix text, which must be YAML then */
	text = xasprintf(HEAD(2) "%s", cell);
	assert_int_equal(file_write_atomic(p, text, strlen(text)), 0);
	assert_int_equal(results_load(p, &rs), 0);
	assert_int_equal(rs.nworkloads, 1);
	assert_string_equal(rs.workloads[0], "b");
	assert_null(rs.analysis);
	results_free(&rs);
	free(text);
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 2, "
		  "\"matrix\": {\"text\": \"{ not: [yaml\"}, "
		  "\"interpreters\": [{\"id\": \"a\"}], \"cells\": []}",
	    -1, "is not YAML with a \"workloads\" list");
	unlink(p);
	free(p);
}

/* A stored analysis is used only while it is the cells': one that does
 * not fit them is dropped, and the file still loads. */
static void
test_stored_analysis_fits(void **state)
{
	struct resultset rs, back;
	char *p = tmp_path("fits.json");
	struct buf b = { 0 };
	char *at;

	(void)state;
	fill_resultset(&rs);
	rs.analysis = analysis_new(&rs);
	assert_true(analysis_fits(rs.analysis, &rs));
	assert_int_equal(results_save(&rs, p), 0);
	/* another baseline: the overheads are not this analysis's */
	free(rs.baseline);
	rs.baseline = xstrdup("3.13t");
	assert_false(analysis_fits(rs.analysis, &rs));
	results_free(&rs);
	/* a cell count the cells do not have */
	assert_int_equal(file_read(p, &b), 0);
	at = strstr(b.data, "\"cells\": 1,");
	assert_non_null(at);
	at[9] = '7';
	assert_int_equal(file_write_atomic(p, b.data, b.len), 0);
	assert_int_equal(results_load(p, &back), 0);
	assert_null(back.analysis);
	results_free(&back);
	buf_free(&b);
	unlink(p);
	free(p);
}

static void
test_inconsistent_cells(void **state)
{
	(void)state;
	load_text(HEAD(2) "\"cells\": [{\"key\": \"a/b/threads/1/0\", "
	    "\"interpreter\": \"a\", \"workload\": \"b\", "
	    "\"engine\": \"threads\", \"threads\": 2, \"rep\": 0, "
	    "\"status\": \"failed\"}]}",
	    -1, "cell 0 (a/b/threads/1/0): \"key\" does not match");
	load_text(HEAD(2) "\"cells\": [{\"key\": \"a/b/threads/1/0\", "
	    "\"interpreter\": \"a\", \"workload\": \"b\", "
	    "\"engine\": \"threads\", \"threads\": 1, \"rep\": 0, "
	    "\"status\": \"failed\"}, {\"key\": \"a/b/threads/1/0\", "
	    "\"interpreter\": \"a\", \"workload\": \"b\", "
	    "\"engine\": \"threads\", \"threads\": 1, \"rep\": 0, "
	    "\"status\": \"failed\"}]}",
	    -1, "cell 1 (a/b/threads/1/0): the same key as cell 0");
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 2, "
		  "\"matrix\": {\"text\": \"workloads: [b]\"}, "
		  "\"interpreters\": [{\"id\": \"x\"}], "
		  "\"cells\": [{\"key\": \"a/b/threads/1/0\", "
		  "\"interpreter\": \"a\", \"workload\": \"b\", "
		  "\"engine\": \"threads\", \"threads\": 1, \"rep\": 0, "
		  "\"status\": \"failed\"}]}",
	    -1, "interpreter \"a\" is not among the file's interpreters");
	/* an empty list of interpreters is no exception */
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 2, "
		  "\"matrix\": {\"text\": \"workloads: [b]\"}, "
		  "\"interpreters\": [], "
		  "\"cells\": [{\"key\": \"a/b/threads/1/0\", "
		  "\"interpreter\": \"a\", \"workload\": \"b\", "
		  "\"engine\": \"threads\", \"threads\": 1, \"rep\": 0, "
		  "\"status\": \"failed\"}]}",
	    -1, "interpreter \"a\" is not among the file's interpreters");
	load_text(HEAD(2) "\"cells\": [{\"key\": \"a/c/threads/1/0\", "
	    "\"interpreter\": \"a\", \"workload\": \"c\", "
	    "\"engine\": \"threads\", \"threads\": 1, \"rep\": 0, "
	    "\"status\": \"failed\"}]}",
	    -1, "cell 0 (a/c/threads/1/0): workload \"c\" is not among its "
		"matrix's workloads");
	load_text("{\"schema\": \"ftmatrix-results\", \"schema_version\": 2, "
		  "\"matrix\": {\"text\": \"workloads: [b]\"}, "
		  "\"interpreters\": [{\"id\": \"a\"}, {\"id\": \"a\"}], "
		  "\"cells\": []}",
	    -1, "interpreter 1 (a): the same id as interpreter 0");
	load_text(HEAD(2) "\"cells\": [], "
	    "\"calibration\": [{\"workload\": \"w\", "
	    "\"iterations\": 0}]}",
	    -1, "calibration");
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(tmpdir) ? 0 : -1;
}

static int
teardown(void **state)
{
	(void)state;
	return remove_tree(tmpdir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_atomic_no_temp_files),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_missing_sections),
		cmocka_unit_test(test_duplicate_keys),
		cmocka_unit_test(test_impossible_values),
		cmocka_unit_test(test_documents_kept),
		cmocka_unit_test(test_probe_ok),
		cmocka_unit_test(test_probe_error),
		cmocka_unit_test(test_probe_garbage),
		cmocka_unit_test(test_identity),
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_machine),
		cmocka_unit_test(test_sections_round_trip),
		cmocka_unit_test(test_truncated_names_the_cell),
		cmocka_unit_test(test_inconsistent_cells),
		cmocka_unit_test(test_planned_workloads),
		cmocka_unit_test(test_stored_analysis_fits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
