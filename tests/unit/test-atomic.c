/* file_write_atomic: readers see the old file or the new one, the mode
 * follows the umask, and no temporary file or planted symlink is used. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ftmatrix.h"

static char dir[64];

static int
dir_entries(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			n++;
	closedir(d);
	return n;
}

static char *
slurp(const char *path)
{
	struct buf b = {0};

	assert_int_equal(file_read(path, &b), 0);
	return buf_detach(&b);
}

static void
test_write_replace(void **state)
{
	char *path = path_join(dir, "results.json"), *s;
	struct stat st;
	mode_t old = umask(027);

	(void)state;
	assert_int_equal(file_write_atomic(path, "old\n", 4), 0);
	assert_int_equal(file_write_atomic(path, "new\n", 4), 0);
	s = slurp(path);
	assert_string_equal(s, "new\n");
	free(s);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0640);
	/* nothing left behind */
	assert_int_equal(dir_entries(), 1);
	umask(old);
	unlink(path);
	free(path);
}

static void
test_planted_symlink(void **state)
{
	char *path = path_join(dir, "report.html");
	char *victim = path_join(dir, "victim");
	char *trap = xasprintf("%s.tmp.%ld", path, (long)getpid()), *s;

	(void)state;
	assert_int_equal(file_write_atomic(victim, "keep\n", 5), 0);
	/* where a predictable temporary name would have been */
	assert_int_equal(symlink(victim, trap), 0);
	assert_int_equal(file_write_atomic(path, "report\n", 7), 0);
	s = slurp(victim);
	assert_string_equal(s, "keep\n");
	free(s);
	s = slurp(path);
	assert_string_equal(s, "report\n");
	free(s);
	unlink(trap);
	unlink(victim);
	unlink(path);
	free(trap);
	free(victim);
	free(path);
}

static void
test_cannot_write(void **state)
{
	char *path = path_join(dir, "missing/results.json");
	FILE *saved = stderr;

	(void)state;
	stderr = fopen("/dev/null", "w");
	assert_int_equal(file_write_atomic(path, "x", 1), -1);
	fclose(stderr);
	stderr = saved;
	assert_int_equal(dir_entries(), 0);
	free(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_write_replace),
	    cmocka_unit_test(test_planted_symlink),
	    cmocka_unit_test(test_cannot_write),
	};
	int rc;

	strcpy(dir, "/tmp/test-atomic-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(dir);
	return rc;
}
