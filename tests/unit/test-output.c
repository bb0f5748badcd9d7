/* What ftmatrix prints and writes for text it did not make: terminal
 * escapes made visible, spreadsheet formulas guarded, gnuplot strings that
 * parse, manifests that name nothing outside their directory, whole
 * charts told from cut-short ones, and the key set that finds repeats. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"

static void
check_term(const char *in, const char *want)
{
	char *got = term_safe(in);

	assert_string_equal(got, want);
	free(got);
}

static void
test_term_safe(void **state)
{
	(void)state;
	check_term("plain 3.13t ±2%", "plain 3.13t ±2%");
	check_term("\x1b]52;c;aGk=\x07", "\\x1b]52;c;aGk=\\x07");
	check_term("a\rb\nc\td\x7f", "a\\x0db\\nc\\td\\x7f");
	check_term("c1 \xc2\x9b" "31m", "c1 \\u009b31m");
	check_term("bad \xff\xc0 utf8", "bad \\xff\\xc0 utf8");
	check_term("cut \xe2\x82", "cut \\xe2\\x82");
	check_term(NULL, "");
}

static void
test_term_esc_lines(void **state)
{
	struct buf b = {0};

	(void)state;
	term_esc(&b, "line one\n\tline \x1b[2J two", 1);
	assert_string_equal(buf_str(&b), "line one\n\tline \\x1b[2J two");
	buf_free(&b);
}

static void
check_csv(const char *in, const char *want)
{
	struct buf b = {0};

	csv_esc(&b, in);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void
test_csv_formulas(void **state)
{
	(void)state;
	check_csv("=1+2", "\"'=1+2\"");
	check_csv("+cmd", "\"'+cmd\"");
	check_csv("-2+3", "\"'-2+3\"");
	check_csv("@SUM(A1)", "\"'@SUM(A1)\"");
	check_csv("\tx", "\"'\tx\"");
	check_csv("-1.5", "-1.5");
	check_csv("+3e4", "+3e4");
	check_csv("3.13t", "3.13t");
	check_csv("a,b", "\"a,b\"");
	check_csv("=\"x\"", "\"'=\"\"x\"\"\"");
	check_csv("", "");
}

static void
test_md_html(void **state)
{
	struct buf b = {0};

	(void)state;
	md_esc(&b, "<b>a|b</b> & c");
	assert_string_equal(buf_str(&b), "&lt;b&gt;a\\|b&lt;/b&gt; &amp; c");
	buf_free(&b);
}

static void
check_quote(const char *in, const char *want)
{
	struct buf b = {0};

	chart_quote(&b, in);
	assert_string_equal(buf_str(&b), want);
	buf_free(&b);
}

static void
test_chart_quote(void **state)
{
	(void)state;
	check_quote("3.13t", "'3.13t'");
	check_quote("'fast' build", "(\"'\".'fast'' build')");
	check_quote("it's", "'it''s'");
	check_quote("''", "(\"'\".\"'\")");
	check_quote("''x'", "(\"'\".\"'\".'x''')");
	check_quote("a\nb", "'a b'");
}

static void
test_manifest_names(void **state)
{
	static const char text[] =
	    "# a comment\nreport.html\ncharts/overhead.svg\n../etc/passwd\n"
	    "/etc/passwd\ncharts/../x\ncharts/a/b\ncharts/\n.\n..\n\n"
	    "summary.md\nreport.html";
	struct manifest m = {0};

	(void)state;
	manifest_parse(text, sizeof(text) - 1, &m);
	assert_int_equal(m.n, 3);
	assert_true(manifest_has(&m, "report.html"));
	assert_true(manifest_has(&m, "charts/overhead.svg"));
	assert_true(manifest_has(&m, "summary.md"));
	manifest_remove(&m, "report.html");
	assert_false(manifest_has(&m, "report.html"));
	manifest_free(&m);
}

static void
test_chart_whole(void **state)
{
	static const unsigned char png_end[] = {
	    0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
	char dir[] = "/tmp/ftmatrix-test-output-XXXXXX";
	char *png, *svg;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	png = path_join(dir, "a.png");
	svg = path_join(dir, "a.svg");
	f = fopen(png, "w");
	fputs("\x89PNG\r\n\x1a\nsome chunks", f);
	fclose(f);
	assert_false(chart_file_whole(png));
	f = fopen(png, "a");
	fwrite(png_end, 1, sizeof(png_end), f);
	fclose(f);
	assert_true(chart_file_whole(png));
	f = fopen(svg, "w");
	fputs("<svg><g>", f);
	fclose(f);
	assert_false(chart_file_whole(svg));
	f = fopen(svg, "a");
	fputs("</g></svg>\n", f);
	fclose(f);
	assert_true(chart_file_whole(svg));
	unlink(png);
	unlink(svg);
	assert_false(chart_file_whole(png));
	rmdir(dir);
	free(png);
	free(svg);
}

static void
test_strset(void **state)
{
	struct strset set = {0};
	char **keys = xcalloc(5000, sizeof(*keys));
	size_t found = 0;

	(void)state;
	for (size_t i = 0; i < 5000; i++) {
		keys[i] = xasprintf("3.13t/w%zu/threads/1/0", i);
		assert_int_equal(strset_add(&set, keys[i], i, NULL), 0);
	}
	assert_int_equal(set.n, 5000);
	assert_int_equal(strset_add(&set, "3.13t/w1234/threads/1/0", 9, &found), 1);
	assert_int_equal(found, 1234);
	assert_int_equal(strset_add(&set, "3.13t/w5000/threads/1/0", 9, &found), 0);
	strset_free(&set);
	for (size_t i = 0; i < 5000; i++)
		free(keys[i]);
	free(keys);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_term_safe),
	    cmocka_unit_test(test_term_esc_lines),
	    cmocka_unit_test(test_csv_formulas),
	    cmocka_unit_test(test_md_html),
	    cmocka_unit_test(test_chart_quote),
	    cmocka_unit_test(test_manifest_names),
	    cmocka_unit_test(test_chart_whole),
	    cmocka_unit_test(test_strset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
