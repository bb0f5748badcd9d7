/*
 * Files of older versions of the format, read as the current one: what a
 * member added since holds is derived here, from what those files have,
 * and nowhere else. Version 3 added the matrix's planned workload names;
 * before it they are read from the matrix text, so this is the one place
 * loading results parses YAML, and only for such a file.
 */
#include <stdio.h>
#include <string.h>

#include "ftmatrix.h"

int
results_upgrade(const char *path, struct resultset *rs)
{
	size_t n;
	char **names;

	if (rs->schema_version >= 3)
		return 0;
	names =
	    matrix_text_workloads(rs->matrix_text, strlen(rs->matrix_text), &n);
	if (!names) {
		error("%s: matrix: \"text\" is not YAML with a \"workloads\" "
		      "list",
		    path);
		return -1;
	}
	rs->workloads = names;
	rs->nworkloads = n;
	return 0;
}
