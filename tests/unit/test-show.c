#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ftmatrix.h"
#include "fixtures.h"

static void
test_unit_singular(void **state)
{
	(void)state;
	assert_text(show_unit_singular("iterations"), "iteration");
	assert_text(show_unit_singular("acquire/release pairs"),
	    "acquire/release pair");
	assert_text(show_unit_singular("chunks of 1000 loop iterations"),
	    "chunk of 1000 loop iterations");
	assert_text(show_unit_singular("batches of 100 objects"),
	    "batch of 100 objects");
	assert_text(show_unit_singular("copies"), "copy");
	assert_text(show_unit_singular("passes over 1000 items"),
	    "pass over 1000 items");
	assert_text(show_unit_singular("one check (iterations unused)"),
	    "one check (iterations unused)");
	assert_text(show_ratio_text(1.1, 1.05, 1.15, 1),
	    "+10.0% [+5.0%, +15.0%] slower");
	assert_text(show_ratio_text(1.01, 0.98, 1.04, 1),
	    "+1.0% [-2.0%, +4.0%] within noise");
	assert_text(
	    show_ratio_text(1.2, 1.2, 1.2, 0), "+20.0% (one value, no CI)");
}

/* ft's speedup on 2 threads cannot be told from none; gil's is 2 */
static double gil1[] = {100, 100, 100, 100}, gil2[] = {100, 100, 100, 100};
static double ft1[] = {100, 120, 80, 100}, ft2[] = {200, 160, 240, 200};

#define MEM(n)                                                                 \
	"{\"interval_ms\": 50, \"nsamples\": " #n ", \"pss_kib\": "            \
	"{\"min\": 1000, \"max\": 2000, \"avg\": 1500}}"
#define MEM_FT(n)                                                              \
	"{\"interval_ms\": 50, \"nsamples\": " #n ", \"pss_kib\": "            \
	"{\"min\": 1000, \"max\": 2000, \"avg\": 1800}}"
#define PROBE "{\"probe_version\": 2, \"unit\": \"iterations\"}"

#define CELL(in, wl, th, samples, mem)                                         \
	FIXTURE_CELL(in, wl, th, "ok", samples, .iterations = 10,              \
	    .work_per_thread = 10, .probe_json = PROBE, .memory_json = mem)

static struct result_cell cells[] = {
    CELL("gil", "cpu_loop", 1, gil1, MEM(12)),
    CELL("ft", "cpu_loop", 1, ft1, MEM_FT(12)),
    CELL("gil", "cpu_loop", 1, gil1, MEM(12)),
    CELL("ft", "cpu_loop", 1, ft1, MEM_FT(12)),
    CELL("gil", "cpu_loop", 2, gil2, NULL),
    CELL("ft", "cpu_loop", 2, ft2, NULL),
};

static void
resultset_init(struct resultset *rs)
{
	fixture_resultset(rs, cells, sizeof(cells) / sizeof(cells[0]));
	rs->matrix_name = "t";
}

static char *
find(char **h, size_t n, const char *what)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(h[i], what))
			return h[i];
	return NULL;
}

static void
headlines_free(char **h, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(h[i]);
	free(h);
}

static void
test_headline_noise(void **state)
{
	struct resultset rs;
	struct report r;
	size_t nh;
	char **h;

	(void)state;
	resultset_init(&rs);
	report_make(&rs, NULL, &r);
	h = report_headlines(&r, &nh);
	assert_non_null(find(h, nh, "it scales "));
	assert_non_null(find(h, nh, "; 3.13.15t's is within noise of 1x."));
	/* 12 memory samples a cell: a claim, with its interval */
	assert_non_null(find(h, nh,
	    "3.13.15t uses 1.20x the memory (PSS) of 3.13.15 on one thread "
	    "(median over 1 workload), 95% CI 1.20–1.20x."));
	headlines_free(h, nh);
	report_free(&r);

	/* one cell a side: no interval to speak of */
	rs.ncells = 4;
	cells[3] = cells[5];
	report_make(&rs, NULL, &r);
	h = report_headlines(&r, &nh);
	assert_non_null(find(h, nh,
	    "3.13.15t uses 1.20x the memory (PSS) of 3.13.15 on one thread "
	    "(median over 1 workload; one value per interpreter on some "
	    "workload, so no confidence interval)."));
	headlines_free(h, nh);
	report_free(&r);
	resultset_init(&rs);
	cells[3] = cells[1];

	/* 4 samples in a cell back no memory claim */
	cells[1].memory_json = MEM_FT(4);
	report_make(&rs, NULL, &r);
	h = report_headlines(&r, &nh);
	assert_null(find(h, nh, "the memory (PSS)"));
	headlines_free(h, nh);
	report_free(&r);
	cells[1].memory_json = MEM_FT(12);
}

static void
test_show(void **state)
{
	struct resultset rs;
	char *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	resultset_init(&rs);
	rs.baseline = NULL;
	f = open_memstream(&text, &len);
	show_print(f, &rs);
	fclose(f);
	assert_non_null(strstr(text,
	    "baseline: 3.13.15 (the first interpreter: the matrix names no "
	    "baseline)"));
	/* time per unit: 100 ns a sample over 10 iterations */
	assert_non_null(strstr(text, "cpu_loop per iteration"));
	assert_non_null(strstr(text, "10.0 ns"));
	assert_non_null(strstr(text, "2 threads: "));
	assert_non_null(strstr(text, "within noise"));
	assert_non_null(strstr(text, "3.13.15t uses 1.20x the memory"));
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_unit_singular),
	    cmocka_unit_test(test_headline_noise),
	    cmocka_unit_test(test_show),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
