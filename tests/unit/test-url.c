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

/* url_is_loopback: the host as curl reads it, never a prefix of a name */
static void
test_url_loopback(void **state)
{
	(void)state;
	assert_true(url_is_loopback("http://127.0.0.1:8080/results"));
	assert_true(url_is_loopback("http://127.1.2.3/"));
	assert_true(url_is_loopback("http://localhost/x"));
	assert_true(url_is_loopback("http://[::1]:9/x"));
	assert_true(url_is_loopback("http://user:pw@127.0.0.1/x"));
	assert_false(url_is_loopback("http://127.0.0.1.attacker.example/"));
	assert_false(url_is_loopback("http://127.attacker.example/"));
	assert_false(url_is_loopback("http://localhost.attacker.example/"));
	assert_false(url_is_loopback("http://localhostx/"));
	assert_false(url_is_loopback("http://127.0.0.1@attacker.example/"));
	assert_false(url_is_loopback("http://attacker.example#@127.0.0.1/"));
	/* curl reads this as user "attacker.example\\" at 127.0.0.1, and
	 * connects there: the same parser decides both */
	assert_true(url_is_loopback("http://attacker.example\\@127.0.0.1/"));
	assert_false(url_is_loopback("http://[::2]/"));
	assert_false(url_is_loopback("http://[::ffff:10.0.0.1]/"));
	assert_false(url_is_loopback("http://10.0.0.1/"));
	assert_false(url_is_loopback("ftp://127.0.0.1/"));
	assert_false(url_is_loopback("127.0.0.1"));
	assert_true(url_is_plain_http("http://example.org/"));
	assert_false(url_is_plain_http("https://example.org/"));
	assert_false(url_is_plain_http("file:///etc/passwd"));
	assert_true(url_is_http("https://example.org/"));
	assert_false(url_is_http("gopher://example.org/"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_url_display),
	    cmocka_unit_test(test_url_loopback),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
