/*
 * What the report, show, diagnosis and compare unit tests build their
 * result sets from: a GIL build and a free-threaded one of 3.13.15, cells
 * in memory; and the assertions the unit tests share. Included after
 * cmocka.h and ftmatrix.h.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define assert_near(actual, expected, eps)                                     \
	do {                                                                   \
		double actual_ = (actual), expected_ = (expected);             \
		if (!(fabs(actual_ - expected_) <= (eps)))                     \
			fail_msg("%s = %.17g, expected %.17g", #actual,        \
			    actual_, expected_);                               \
	} while (0)

/* A cell of one run on threads, weak scaling, with its wall times;
 * further members (.probe_json = ...) follow. */
#define FIXTURE_CELL(in, wl, th, st, samples, ...)                             \
	{                                                                      \
		.key = in "/" wl, .interp = in, .workload = wl,                \
		.engine = "threads", .threads = th, .status = st,              \
		.scaling = "weak", .gil_enabled_before = -1,                   \
		.gil_enabled_after = -1, .wall_ns = samples,                   \
		.nwall = sizeof(samples) / sizeof(double), __VA_ARGS__         \
	}

/* Checks a string the test owns, then frees it. */
static inline void
assert_text(char *got, const char *want)
{
	assert_string_equal(got, want);
	free(got);
}

/* "gil" (3.13.15) and "ft" (3.13.15t) */
static inline struct result_interp *
fixture_interps(void)
{
	static struct result_interp interps[] = {
	    {.id = "gil",
	        .label = "3.13.15",
	        .available = 1,
	        .identity = {.gil_disabled_build = 0, .gil_enabled = 1}},
	    {.id = "ft",
	        .label = "3.13.15t",
	        .available = 1,
	        .identity = {.gil_disabled_build = 1, .gil_enabled = 0}},
	};

	return interps;
}

/* A complete result set of the two interpreters, gil the baseline. */
static inline void
fixture_resultset(struct resultset *rs, struct result_cell *cells, size_t n)
{
	memset(rs, 0, sizeof(*rs));
	rs->baseline = "gil";
	rs->interps = fixture_interps();
	rs->ninterps = 2;
	rs->cells = cells;
	rs->ncells = rs->cells_cap = n;
	rs->complete = 1;
}
