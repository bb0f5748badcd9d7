/* cpus.c: CPU lists for pinning. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "ftmatrix.h"

static void
lists_and_ranges(void **state)
{
	struct cpus c;
	const char *why = NULL;

	(void)state;
	assert_int_equal(cpus_parse("0", &c, &why), 0);
	assert_int_equal(c.count, 1);
	assert_string_equal(c.text, "0");
	assert_int_equal(cpus_parse("6,0-3", &c, &why), 0);
	assert_int_equal(c.count, 5);
	assert_true(cpus_has(&c, 0) && cpus_has(&c, 3) && cpus_has(&c, 6));
	assert_false(cpus_has(&c, 4) || cpus_has(&c, 5) || cpus_has(&c, 7));
	assert_string_equal(c.text, "0-3,6");
	/* repeats and overlaps count once, and print canonically */
	assert_int_equal(cpus_parse("2,1-3,3,5-5", &c, &why), 0);
	assert_int_equal(c.count, 4);
	assert_string_equal(c.text, "1-3,5");
	assert_int_equal(cpus_parse("1023", &c, &why), 0);
	assert_string_equal(c.text, "1023");
	assert_false(cpus_has(&c, 1024) || cpus_has(&c, -1));
}

static void
bad_lists_say_why(void **state)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
	    {"", "expected a CPU number (0 to 1023)"},
	    {"a", "expected a CPU number (0 to 1023)"},
	    {"1024", "expected a CPU number (0 to 1023)"},
	    {"-1", "expected a CPU number (0 to 1023)"},
	    {"3-1", "expected a range like 0-3"},
	    {"1-", "expected a range like 0-3"},
	    {"1,", "expected a CPU number (0 to 1023)"},
	    {"1;2", "expected a CPU list like 0-3,6"},
	    {"1 2", "expected a CPU list like 0-3,6"},
	};
	struct cpus c;
	const char *why;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why = NULL;
		assert_int_equal(cpus_parse(bad[i].text, &c, &why), -1);
		assert_string_equal(why, bad[i].why);
	}
}

static void
all_is_what_we_may_use(void **state)
{
	struct cpus all, allowed;
	const char *why;

	(void)state;
	assert_int_equal(cpus_parse("all", &all, &why), 0);
	assert_int_equal(cpus_allowed(&allowed), 0);
	assert_true(all.count >= 1);
	assert_int_equal(all.count, allowed.count);
	assert_string_equal(all.text, allowed.text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(lists_and_ranges),
	    cmocka_unit_test(bad_lists_say_why),
	    cmocka_unit_test(all_is_what_we_may_use),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
