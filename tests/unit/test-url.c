/* url_display: what messages show of a URL keeps no password. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdlib.h>

#include "ftmatrix.h"

static void
shows(const char *url, const char *want)
{
	char *got = url_display(url);

	assert_string_equal(got, want);
	free(got);
}

static void
test_url_display(void **state)
{
	(void)state;
	shows("https://example.org/m.yaml", "https://example.org/m.yaml");
	shows("https://alice:hunter2@example.org/m.yaml",
	    "https://***@example.org/m.yaml");
	shows("http://token@127.0.0.1:8080", "http://***@127.0.0.1:8080");
	/* the last @ before the path ends the user information */
	shows("https://a@b:c@d@example.org/x", "https://***@example.org/x");
	/* an @ after the host is not user information */
	shows("https://example.org/users/@me?q=a@b",
	    "https://example.org/users/@me?q=a@b");
	shows("matrices/quick.yaml", "matrices/quick.yaml");
	shows("/tmp/a@b.yaml", "/tmp/a@b.yaml");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_url_display),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
