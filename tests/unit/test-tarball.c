/*
 * tarball.c's member rules: what a CPython tarball may hold before it is
 * unpacked with --strip-components=1 into a fresh directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ftmatrix.h"

#define N(x) (sizeof(x) / sizeof((x)[0]))
#define F(name)                                                                \
	{                                                                      \
		'-', name, NULL                                                \
	}
#define D(name)                                                                \
	{                                                                      \
		'd', name, NULL                                                \
	}
#define L(name, target)                                                        \
	{                                                                      \
		'l', name, target                                              \
	}
#define H(name, target)                                                        \
	{                                                                      \
		'h', name, target                                              \
	}

/* Checks members; returns the message (to free) or NULL when accepted. */
static char *
check(const struct tar_member *m, size_t n)
{
	char *why = NULL;
	int rc = tarball_members_check(m, n, 1, &why);

	if (rc == 0)
		assert_null(why);
	else
		assert_non_null(why);
	return why;
}

static void
refused(const struct tar_member *m, size_t n, const char *member,
    const char *reason)
{
	char *why = check(m, n);

	if (!why)
		fail_msg("accepted, expected refusal of %s", member);
	if (!strstr(why, member) || !strstr(why, reason))
		fail_msg("message \"%s\" should name %s and say %s", why,
		    member, reason);
	free(why);
}

static void
a_plain_source_tree_is_accepted(void **state)
{
	static const struct tar_member m[] = {D("Python-3.13.15/"),
	    F("Python-3.13.15/configure"), D("Python-3.13.15/Include/"),
	    F("Python-3.13.15/Include/Python.h"),
	    /* in-tree links, as some tarballs have */
	    L("Python-3.13.15/Include/py.h", "Python.h"),
	    L("Python-3.13.15/Lib/x/up", "../../Include/Python.h"),
	    L("Python-3.13.15/Doc/same", "."),
	    H("Python-3.13.15/hard", "Python-3.13.15/configure"),
	    F("./Python-3.13.15/README.rst")};

	(void)state;
	assert_null(check(m, N(m)));
}

static void
hard_links_to_symlinks_pointing_up_are_refused(void **state)
{
	/* the symlink stays inside where it is; its hard link, one level
	 * up, is the same symlink read from there: out */
	static const struct tar_member up[] = {
	    L("Python-3.13.15/a/up", ".."),
	    H("Python-3.13.15/x", "Python-3.13.15/a/up")};
	/* through another hard link, and spelt with "./" */
	static const struct tar_member chain[] = {
	    H("Python-3.13.15/h2", "./Python-3.13.15/a/b/h1"),
	    H("Python-3.13.15/a/b/h1", "Python-3.13.15/a/b/up"),
	    L("Python-3.13.15/a/b/up", "../..")};
	/* pointing up at all, even where it would stay inside */
	static const struct tar_member deep[] = {
	    L("Python-3.13.15/a/up", "../configure"),
	    H("Python-3.13.15/a/b/c/x", "Python-3.13.15/a/up")};
	/* a hard link loop ends nowhere */
	static const struct tar_member loop[] = {
	    H("Python-3.13.15/p", "Python-3.13.15/q"),
	    H("Python-3.13.15/q", "Python-3.13.15/p")};
	/* to a symlink pointing down: fine */
	static const struct tar_member ok[] = {F("Python-3.13.15/a/f"),
	    L("Python-3.13.15/a/down", "f"),
	    H("Python-3.13.15/a/same", "Python-3.13.15/a/down")};

	(void)state;
	refused(up, N(up), "Python-3.13.15/x", "a hard link to a symlink");
	refused(chain, N(chain), "Python-3.13.15/h2",
	    "a hard link to a symlink");
	refused(deep, N(deep), "Python-3.13.15/a/b/c/x",
	    "a hard link to a symlink");
	refused(loop, N(loop), "Python-3.13.15/p", "loop");
	assert_null(check(ok, N(ok)));
}

static void
dot_dot_members_are_refused(void **state)
{
	static const struct tar_member m[] = {
	    F("Python-3.13.15/ok"), F("Python-3.13.15/../../etc/cron.d/x")};

	(void)state;
	refused(m, N(m), "../../etc/cron.d/x", "\"..\"");
}

static void
absolute_members_are_refused(void **state)
{
	static const struct tar_member m[] = {F("/etc/passwd")};

	(void)state;
	refused(m, N(m), "/etc/passwd", "absolute path");
}

static void
absolute_symlinks_are_refused(void **state)
{
	static const struct tar_member m[] = {
	    L("Python-3.13.15/x", "/etc/passwd")};

	(void)state;
	refused(m, N(m), "Python-3.13.15/x", "absolute path");
}

static void
symlinks_climbing_out_are_refused(void **state)
{
	/* after stripping "Python-3.13.15/", "a/l" is one directory deep:
	 * one ".." stays inside, two leave */
	static const struct tar_member ok[] = {L("Python-3.13.15/a/l", "..")};
	static const struct tar_member out[] = {
	    L("Python-3.13.15/a/l", "../../x")};
	static const struct tar_member top[] = {L("Python-3.13.15/l", "..")};

	(void)state;
	assert_null(check(ok, N(ok)));
	refused(out, N(out), "Python-3.13.15/a/l", "pointing outside");
	refused(top, N(top), "Python-3.13.15/l", "pointing outside");
}

static void
dot_counts_as_a_component_for_strip_but_not_depth(void **state)
{
	/* tar strips "." like any component, so "./P/l" lands in P/l, one
	 * directory deep, where a "." component adds no depth */
	static const struct tar_member in[] = {L("./Python-3.13.15/l", "..")};
	static const struct tar_member out[] = {
	    L("./Python-3.13.15/./l", "../..")};

	(void)state;
	assert_null(check(in, N(in)));
	refused(out, N(out), "./Python-3.13.15/./l", "pointing outside");
}

static void
dot_dot_inside_a_link_target_is_refused(void **state)
{
	/* "d/.." is lexically harmless, but d may itself be a symlink */
	static const struct tar_member m[] = {
	    L("Python-3.13.15/a/l", "d/../x")};

	(void)state;
	refused(m, N(m), "Python-3.13.15/a/l", "after a directory name");
}

static void
writing_through_a_symlink_is_refused(void **state)
{
	/* whichever comes first in the archive */
	static const struct tar_member m[] = {
	    L("Python-3.13.15/d", "sub"), F("Python-3.13.15/d/x")};
	static const struct tar_member later[] = {
	    F("Python-3.13.15/d/x"), L("Python-3.13.15/d", "sub")};

	(void)state;
	refused(m, N(m), "Python-3.13.15/d/x", "through one of the archive's");
	refused(later, N(later), "Python-3.13.15/d/x", "symlinks");
}

static void
hard_links_out_are_refused(void **state)
{
	static const struct tar_member abs[] = {
	    H("Python-3.13.15/h", "/etc/shadow")};
	static const struct tar_member up[] = {
	    H("Python-3.13.15/h", "../etc/shadow")};

	(void)state;
	refused(abs, N(abs), "Python-3.13.15/h", "outside the archive");
	refused(up, N(up), "Python-3.13.15/h", "outside the archive");
}

static void
devices_and_fifos_are_refused(void **state)
{
	static const struct tar_member dev[] = {
	    {'c', "Python-3.13.15/null", NULL}};
	static const struct tar_member fifo[] = {
	    {'p', "Python-3.13.15/f", NULL}};

	(void)state;
	refused(dev, N(dev), "Python-3.13.15/null", "device file");
	refused(fifo, N(fifo), "Python-3.13.15/f", "FIFO");
}

static void
control_characters_are_not_echoed(void **state)
{
	static const struct tar_member m[] = {F("/x\033[2Jy")};
	char *why;

	(void)state;
	why = check(m, N(m));
	assert_non_null(why);
	assert_null(strchr(why, '\033'));
	assert_non_null(strstr(why, "/x?[2Jy"));
	free(why);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_plain_source_tree_is_accepted),
	    cmocka_unit_test(hard_links_to_symlinks_pointing_up_are_refused),
	    cmocka_unit_test(dot_dot_members_are_refused),
	    cmocka_unit_test(absolute_members_are_refused),
	    cmocka_unit_test(absolute_symlinks_are_refused),
	    cmocka_unit_test(symlinks_climbing_out_are_refused),
	    cmocka_unit_test(dot_counts_as_a_component_for_strip_but_not_depth),
	    cmocka_unit_test(dot_dot_inside_a_link_target_is_refused),
	    cmocka_unit_test(writing_through_a_symlink_is_refused),
	    cmocka_unit_test(hard_links_out_are_refused),
	    cmocka_unit_test(devices_and_fifos_are_refused),
	    cmocka_unit_test(control_characters_are_not_echoed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
