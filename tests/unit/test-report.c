#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ftmatrix.h"
#include "fixtures.h"

static void
test_units(void **state)
{
	(void)state;
	assert_text(format_duration(4031000, -1), "4.03 ms");
	assert_text(format_duration(999, -1), "999 ns");
	assert_text(format_duration(12345, -1), "12.3 µs");
	/* an interval reads in its median's unit */
	assert_text(format_duration(999000, 1200000), "1.00 ms");
	assert_text(format_kib(512), "512 KiB");
	assert_text(format_kib(39014400.0 / 1024), "37.2 MiB");
	assert_text(format_metric_value(16, "bytes"), "16 B");
	assert_text(format_metric_value(84.3, "ns"), "84.3 ns");
	assert_text(format_metric_value(3, "count"), "3");
	assert_text(format_metric_value(NAN, "ns"), "–");
}

static void
test_chart_names(void **state)
{
	struct buf b = {0};

	(void)state;
	assert_text(
	    chart_name("scaling", "cpu loop/../x"), "scaling-cpu_loop_.._x");
	assert_text(chart_name("scaling", "fts_str_const@main"),
	    "scaling-fts_str_const.main");
	/* a quote in a label cannot end gnuplot's string; a newline cannot
	 * end its command */
	chart_quote(&b, "it's\nfine");
	assert_string_equal(b.data, "'it''s fine'");
	buf_free(&b);
	assert_string_equal(chart_value_format(123), "%.0f");
	assert_string_equal(chart_value_format(12.3), "%.1f");
	assert_string_equal(chart_value_format(1.23), "%.2f");
}

static void
test_svg_compact(void **state)
{
	(void)state;
	/* empty groups go, nested ones too; white space between tags goes,
	 * a text's stays; gnuplot's per-plot tooltips go */
	assert_text(svg_compact("<svg>\n<g id=\"gnuplot_plot_1\" ><title>"
	                        "gnuplot_plot_1</title>\n<g fill=\"none\">\n"
	                        "</g>\n\t</g>\n<g a=\"1\">\n\t<text> a  b "
	                        "</text>\n</g>\n<g/></svg>\n"),
	    "<svg><g a=\"1\"><text> a  b </text></g><g/></svg>\n");
	/* the initial values go when nothing sets another */
	assert_text(svg_compact("<g stroke-linecap=\"butt\" "
	                        "stroke-linejoin=\"miter\"><path/></g>"),
	    "<g><path/></g>");
	assert_text(svg_compact("<g stroke-linecap=\"butt\"><path/></g><g "
	                        "stroke-linecap=\"round\"><path/></g>"),
	    "<g stroke-linecap=\"butt\"><path/></g><g "
	    "stroke-linecap=\"round\"><path/></g>");
	/* a title that is not gnuplot's stays */
	assert_text(svg_compact("<title>Speedup</title><title>gnuplot_plot_x"
	                        "</title>"),
	    "<title>Speedup</title><title>gnuplot_plot_x</title>");
}

static char *
file_text(const char *dir, const char *name)
{
	char *path = path_join(dir, name);
	struct buf b = {0};

	if (file_read(path, &b) < 0)
		fail_msg("cannot read %s", path);
	free(path);
	return buf_detach(&b);
}

/* A stage replaces dir/charts whole; a killed render's stage is swept;
 * a reader's own file in dir/charts stays. */
static void
test_charts_commit(void **state)
{
	char dir[] = "/tmp/ftmatrix-charts.XXXXXX", *stage, *path, *dead;
	struct manifest m;

	(void)state;
	assert_non_null(mkdtemp(dir));
	assert_int_equal(manifest_load(&m, dir), 0);
	/* no charts yet: the stage becomes them */
	stage = charts_stage(dir);
	assert_non_null(stage);
	path = path_join(stage, "a.svg");
	assert_int_equal(file_write_atomic(path, "first", 5), 0);
	free(path);
	assert_int_equal(charts_commit(dir, stage, &m), 0);
	assert_false(path_exists(stage));
	free(stage);
	assert_text(file_text(dir, "charts/a.svg"), "first");
	/* a second render swaps in; what it did not draw is gone */
	dead = xasprintf("%s/.charts-new.999999999", dir);
	assert_int_equal(mkdir_p(dead), 0);
	stage = charts_stage(dir);
	assert_false(path_exists(dead));
	path = path_join(stage, "b.svg");
	assert_int_equal(file_write_atomic(path, "second", 6), 0);
	free(path);
	/* until the commit the old set is whole */
	assert_text(file_text(dir, "charts/a.svg"), "first");
	assert_int_equal(charts_commit(dir, stage, &m), 0);
	assert_false(path_exists(stage));
	assert_text(file_text(dir, "charts/b.svg"), "second");
	path = path_join(dir, "charts/a.svg");
	assert_false(path_exists(path));
	free(path);
	free(stage);
	assert_true(manifest_has(&m, "charts/b.svg"));
	assert_false(manifest_has(&m, "charts/a.svg"));
	/* a file ftmatrix did not write: the next set goes in beside it */
	path = path_join(dir, "charts/mine.svg");
	assert_int_equal(file_write_atomic(path, "mine", 4), 0);
	free(path);
	stage = charts_stage(dir);
	path = path_join(stage, "c.svg");
	assert_int_equal(file_write_atomic(path, "third", 5), 0);
	free(path);
	assert_int_equal(charts_commit(dir, stage, &m), 0);
	assert_false(path_exists(stage));
	assert_text(file_text(dir, "charts/c.svg"), "third");
	assert_text(file_text(dir, "charts/mine.svg"), "mine");
	path = path_join(dir, "charts/b.svg");
	assert_false(path_exists(path));
	free(path);
	assert_false(manifest_has(&m, "charts/mine.svg"));
	free(stage);
	free(dead);
	manifest_free(&m);
	assert_int_equal(remove_tree(dir), 0);
}

static void
test_extras(void **state)
{
	struct result_cell c = {0};
	struct cell_extras x;

	(void)state;
	c.memory_json = "{\"interval_ms\": 50, \"nsamples\": 2,"
	                "\"rss_kib\": {\"min\": 1, \"max\": 3, \"avg\": 2},"
	                "\"uss_kib\": {\"min\": 1, \"max\": 2, \"avg\": 1.5},"
	                "\"timeline\": [[0, 1, 1, null], [50, 3, 2, 2]]}";
	c.probe_json = "{\"probe_version\": 1,"
	               "\"metrics\": {\"sizeof_pyobject\": {\"value\": 32,"
	               " \"unit\": \"bytes\", \"description\": \"d\"}},"
	               "\"findings\": [{\"id\": \"shared_iterator\","
	               " \"outcome\": \"issue\", \"summary\": \"lost 1\","
	               " \"details\": {\"lost\": 1}}],"
	               "\"samples\": [{\"wall_ns\": 10, \"task_ns\": [1, 2]},"
	               " {\"wall_ns\": 11, \"task_ns\": [3]}]}";
	cell_extras_load(&c, &x);
	assert_null(x.problem);
	assert_true(x.memory.present);
	assert_near(x.memory.rss.max, 3, 0);
	assert_false(x.memory.pss.present);
	assert_int_equal(x.memory.ntimeline, 2);
	assert_true(isnan(x.memory.timeline[0][3]));
	assert_int_equal(x.nmetrics, 1);
	assert_string_equal(x.metrics[0].unit, "bytes");
	assert_int_equal(x.nfindings, 1);
	assert_string_equal(x.findings[0].outcome, "issue");
	assert_string_equal(x.findings[0].details_json, "{\"lost\":1}");
	assert_int_equal(x.ntask, 3);
	assert_near(x.task_ns[2], 3, 0);
	cell_extras_free(&x);

	/* a malformed member is named, and the rest still read */
	c.memory_json = "{\"rss_kib\": {\"min\": 1}}";
	cell_extras_load(&c, &x);
	assert_non_null(x.problem);
	assert_non_null(strstr(x.problem, "min, max and avg"));
	assert_false(x.memory.present);
	assert_int_equal(x.nmetrics, 1);
	cell_extras_free(&x);
}

/* Overheads 1.10 (cpu_loop) and 1.30 (obj): median 1.20. On 2 threads,
 * weak scaling, ft doubles its work in the same time and gil does not. */
static double gil1[] = {100, 100, 100}, gil2[] = {200, 200, 200};
static double ft1[] = {110, 110, 110}, ft2[] = {110, 110, 110};
static double ogil1[] = {100, 100}, oft1[] = {130, 130};
static double one[] = {50};

#define CELL(in, wl, th, st, samples, probe)                                   \
	FIXTURE_CELL(in, wl, th, st, samples, .probe_json = probe)

#define FINDING                                                                \
	"{\"probe_version\": 1, \"findings\": [{\"id\": \"shared_iterator\", " \
	"\"title\": \"Shared iterator\", \"outcome\": \"ok\", \"summary\": "   \
	"\"fine\"}]}"
#define METRIC                                                                 \
	"{\"probe_version\": 1, \"metrics\": {\"sizeof_pyobject\": "           \
	"{\"value\": 16, \"unit\": \"bytes\"}}}"

static struct result_cell cells[] = {
    CELL("gil", "cpu_loop", 1, "ok", gil1, NULL),
    CELL("ft", "cpu_loop", 1, "ok", ft1, NULL),
    CELL("gil", "cpu_loop", 2, "ok", gil2, NULL),
    CELL("ft", "cpu_loop", 2, "ok", ft2, NULL),
    CELL("gil", "obj", 1, "ok", ogil1, NULL),
    CELL("ft", "obj", 1, "ok", oft1, NULL),
    CELL("gil", "fw", 2, "ok", one, FINDING),
    {.key = "ft/fw",
        .interp = "ft",
        .workload = "fw",
        .engine = "threads",
        .threads = 2,
        .status = "crashed",
        .error = "killed by signal 11 (SIGSEGV)",
        .scaling = "weak",
        .gil_enabled_before = -1,
        .gil_enabled_after = -1},
    CELL("gil", "capi", 1, "ok", one, METRIC),
};

static void
test_report_model(void **state)
{
	struct resultset rs;
	struct report r;

	(void)state;
	fixture_resultset(&rs, cells, sizeof(cells) / sizeof(cells[0]));
	report_make(&rs, NULL, &r);
	/* the findings run is not performance */
	for (size_t w = 0; w < r.a.nworkloads; w++)
		assert_int_equal(
		    r.perf[w], strcmp(r.a.workloads[w], "fw") != 0);
	assert_int_equal(r.nheadlines, 2);
	assert_int_equal(r.headlines[1].interp, 1);
	/* capi ran on the baseline only: no overhead there */
	assert_int_equal(r.headlines[1].nover, 2);
	report_free(&r);
}

static void
test_headlines(void **state)
{
	struct resultset rs;
	struct report r;
	size_t nh;
	char **h;

	(void)state;
	/* cpu_loop and obj only: overheads 10% and 30% */
	fixture_resultset(&rs, cells, 8);
	report_make(&rs, NULL, &r);
	assert_near(r.headlines[1].over, 1.20, 1e-12);
	assert_int_equal(r.headlines[1].threads, 2);
	assert_near(r.headlines[1].speedup, 2.0, 1e-12);
	assert_near(r.headlines[1].base_speedup, 1.0, 1e-12);
	h = report_headlines(&r, &nh);
	assert_true(nh >= 2);
	assert_string_equal(h[0],
	    "3.13.15t is 20% ± 0.0% slower than 3.13.15 on one thread "
	    "(median over 2 workloads; from +10.0% on cpu_loop to +30.0% on "
	    "obj); it scales 2.00x on 2 threads where 3.13.15 stays at 1.00x. "
	    "Speedup 95% CIs: 2.00–2.00x for 3.13.15t, 1.00–1.00x for "
	    "3.13.15; 3.13.15's is within noise of 1x.");
	/* the crashed findings run counts as a crash of the finding its
	 * workload reports elsewhere */
	assert_int_equal(r.nfindings, 1);
	assert_string_equal(r.findings[0].per_interp[0].outcome, "ok");
	assert_string_equal(r.findings[0].per_interp[1].outcome, "crash");
	assert_string_equal(r.findings[0].per_interp[1].summary,
	    "killed by signal 11 (SIGSEGV)");
	assert_string_equal(h[nh - 1],
	    "3.13.15t: 1 of 1 known-limitation check found a problem: "
	    "shared_iterator (crash).");
	for (size_t i = 0; i < nh; i++)
		free(h[i]);
	free(h);
	report_free(&r);

	/* the metric, median over its cells, missing where not measured */
	fixture_resultset(&rs, cells, sizeof(cells) / sizeof(cells[0]));
	report_make(&rs, NULL, &r);
	assert_int_equal(r.nmetrics, 1);
	assert_near(r.metrics[0].per_interp[0], 16, 0);
	assert_true(isnan(r.metrics[0].per_interp[1]));
	report_free(&r);
}

/* One module imported and run as __main__: on the free-threaded build the
 * __main__ copy is 40% slower than the baseline instead of 10% and does
 * not scale; the other workload, alike both ways, gets no sentence. */
#define LOADED(how) "{\"probe_version\": 2, \"load\": \"" how "\"}"
static double ft1_main[] = {140, 140, 140}, ft2_main[] = {280, 280, 280};
static struct result_cell cells_load[] = {
    CELL("gil", "sc", 1, "ok", gil1, LOADED("import")),
    CELL("ft", "sc", 1, "ok", ft1, LOADED("import")),
    CELL("gil", "sc", 2, "ok", gil2, LOADED("import")),
    CELL("ft", "sc", 2, "ok", ft2, LOADED("import")),
    CELL("gil", "sc@main", 1, "ok", gil1, LOADED("main")),
    CELL("ft", "sc@main", 1, "ok", ft1_main, LOADED("main")),
    CELL("gil", "sc@main", 2, "ok", gil2, LOADED("main")),
    CELL("ft", "sc@main", 2, "ok", ft2_main, LOADED("main")),
    CELL("gil", "same", 1, "ok", gil1, NULL),
    CELL("ft", "same", 1, "ok", ft1, NULL),
    CELL("gil", "same@main", 1, "ok", gil1, LOADED("main")),
    CELL("ft", "same@main", 1, "ok", ft1, LOADED("main")),
};

static void
test_load_sentences(void **state)
{
	struct resultset rs;
	struct report r;
	char **h = NULL;
	size_t nh = 0;

	(void)state;
	fixture_resultset(&rs, cells_load, sizeof(cells_load) / sizeof(*cells_load));
	report_make(&rs, NULL, &r);
	load_sentences(&r, &h, &nh);
	assert_int_equal(nh, 2);
	assert_string_equal(h[0],
	    "sc: how it is loaded changes the result: 3.13.15t takes 1.40x the "
	    "time of 3.13.15 on one thread run as the __main__ script, 1.10x "
	    "imported (95% CIs apart).");
	assert_string_equal(h[1],
	    "sc: how it is loaded changes the result: 3.13.15t scales 1.00x "
	    "on 2 threads run as the __main__ script, 2.00x imported (95% "
	    "CIs apart).");
	for (size_t i = 0; i < nh; i++)
		free(h[i]);
	free(h);
	report_free(&r);
}

/* Warnings: a failed cell, a timed cell and a check that changed the GIL,
 * a crashed check, and noise in a timed workload and in a check. */
static double noisy[] = {100, 200, 100, 300}, noisy_check[] = {100, 300};
#define CHECK                                                                  \
	"{\"probe_version\": 2, \"kind\": \"finding\", \"findings\": "         \
	"[{\"id\": \"gil_reenable\", \"title\": \"GIL re-enabled\", "          \
	"\"outcome\": \"issue\", \"summary\": \"turned on\"}]}"
static struct result_cell cells_w[] = {
    CELL("gil", "cpu_loop", 1, "ok", gil1, NULL),
    CELL("ft", "cpu_loop", 1, "ok", ft1, NULL),
    CELL("gil", "obj", 1, "ok", noisy, NULL),
    CELL("ft", "obj", 1, "failed", one, NULL),
    CELL("gil", "check", 1, "ok", noisy_check, CHECK),
    CELL("ft", "check", 1, "ok", one, CHECK),
    CELL("ft", "check", 1, "crashed", one, NULL),
};

static void
test_warnings(void **state)
{
	struct resultset rs;
	struct report r;
	char *brief;

	(void)state;
	/* ft ran with the GIL off; the check turned it on, by design */
	for (size_t i = 0; i < 7; i++)
		cells_w[i].gil_enabled_before = cells_w[i].gil_enabled_after =
		    strcmp(cells_w[i].interp, "gil") == 0;
	cells_w[5].gil_enabled_after = 1;
	cells_w[6].error = "killed by signal 11 (SIGSEGV)";
	fixture_resultset(&rs, cells_w, 7);
	report_make(&rs, NULL, &r);
	assert_false(report_cell_timed(&r, 5));
	assert_true(report_cell_timed(&r, 1));
	assert_int_equal(r.nwarnings_of[WARN_GIL], 0);
	assert_int_equal(r.nwarnings_of[WARN_FAILED], 1);
	assert_int_equal(r.nwarnings_of[WARN_CHECK_CRASHED], 1);
	/* the check's noise is no warning: its time is not a result */
	assert_int_equal(r.nwarnings_of[WARN_NOISY], 1);
	assert_int_equal(r.nwarnings, 3);
	assert_int_equal(r.warnings[0].kind, WARN_FAILED);
	assert_int_equal(r.warnings[1].kind, WARN_CHECK_CRASHED);
	assert_string_equal(
	    r.warnings[1].text, "ft/check: killed by signal 11 (SIGSEGV)");
	assert_int_equal(r.warnings[2].kind, WARN_NOISY);
	assert_string_equal(r.warnings[2].group->workload, "obj");
	assert_text(report_gil_runtime(&r, 0), "enabled");
	assert_text(report_gil_runtime(&r, 1),
	    "disabled (check turns it on in its own process, by design)");
	brief = report_warnings_brief(&r);
	assert_string_equal(brief,
	    "1 cell failed; 1 known-limitation check crashed; 1 "
	    "measurement group is noisy");
	free(brief);
	report_free(&r);

	/* a timed cell whose GIL changed is a warning, and says so there */
	cells_w[1].gil_enabled_after = 1;
	report_make(&rs, NULL, &r);
	assert_int_equal(r.nwarnings_of[WARN_GIL], 1);
	assert_int_equal(r.warnings[1].kind, WARN_GIL);
	assert_text(report_gil_runtime(&r, 1),
	    "changed during the run in 1 cell (see Warnings)");
	report_free(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_units),
	    cmocka_unit_test(test_chart_names),
	    cmocka_unit_test(test_svg_compact),
	    cmocka_unit_test(test_charts_commit),
	    cmocka_unit_test(test_extras),
	    cmocka_unit_test(test_report_model),
	    cmocka_unit_test(test_headlines),
	    cmocka_unit_test(test_load_sentences),
	    cmocka_unit_test(test_warnings),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
