#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ftmatrix.h"

/*
 * Output directories are ours only when we made them so: DIR/.ftmatrix-
 * manifest marks one and lists the files ftmatrix wrote there, one path a
 * line. A report replaces or removes only what that list names, so a
 * reader's own charts/thesis-figure.svg survives a new report, and a
 * directory that holds other things and no marker is refused unless the
 * user says --force.
 */

static const char manifest_head[] =
    "# ftmatrix output directory: the files below were written by "
    "ftmatrix,\n# which replaces them on its next report; it touches "
    "nothing else here.\n";

/* "NAME" or "charts/NAME", NAME a plain file name: a manifest can name
 * nothing outside its directory, whoever wrote it. */
int
manifest_name_ok(const char *s)
{
	const char *base = strncmp(s, "charts/", 7) == 0 ? s + 7 : s;

	return *base && !strchr(base, '/') && strcmp(base, ".") != 0 &&
	    strcmp(base, "..") != 0 && strlen(s) < NAME_MAX;
}

int
manifest_has(const struct manifest *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->names[i], name) == 0)
			return 1;
	return 0;
}

void
manifest_add(struct manifest *m, const char *name)
{
	if (manifest_has(m, name))
		return;
	m->names = xreallocarray(m->names, m->n + 1, sizeof(*m->names));
	m->names[m->n++] = xstrdup(name);
}

void
manifest_remove(struct manifest *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (strcmp(m->names[i], name) == 0) {
			free(m->names[i]);
			m->names[i] = m->names[--m->n];
			return;
		}
}

/* Lines that are not a name we could have written (comments, junk from
 * an editor, "../x") are skipped: they name nothing to remove. */
void
manifest_parse(const char *text, size_t len, struct manifest *m)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		char *line = xstrndup(p, n);

		if (*line != '#' && strlen(line) == n && manifest_name_ok(line))
			manifest_add(m, line);
		free(line);
		p = nl ? nl + 1 : end;
	}
}

int
manifest_load(struct manifest *m, const char *dir)
{
	struct buf b = {0};

	memset(m, 0, sizeof(*m));
	m->dir = xstrdup(dir);
	m->path = path_join(dir, OUTDIR_MANIFEST);
	if (!path_exists(m->path))
		return 0;
	if (file_read(m->path, &b) < 0)
		return -1;
	manifest_parse(b.data ? b.data : "", b.len, m);
	buf_free(&b);
	return 0;
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
manifest_save(struct manifest *m)
{
	struct buf b = {0};
	int rc;

	if (m->n)
		qsort(m->names, m->n, sizeof(*m->names), cmp_name);
	buf_puts(&b, manifest_head);
	for (size_t i = 0; i < m->n; i++)
		buf_printf(&b, "%s\n", m->names[i]);
	rc = file_write_atomic(m->path, b.data, b.len);
	buf_free(&b);
	return rc;
}

void
manifest_free(struct manifest *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->names[i]);
	free(m->names);
	free(m->dir);
	free(m->path);
	memset(m, 0, sizeof(*m));
}

/* Removes the listed files whose names start with prefix and end with
 * suffix (either may be ""), and unlists them. */
void
manifest_drop(struct manifest *m, const char *prefix, const char *suffix)
{
	size_t np = strlen(prefix), ns = strlen(suffix);

	for (size_t i = 0; i < m->n;) {
		const char *s = m->names[i];
		size_t len = strlen(s);
		char *path;

		if (strncmp(s, prefix, np) != 0 || len < ns ||
		    strcmp(s + len - ns, suffix) != 0) {
			i++;
			continue;
		}
		path = path_join(m->dir, s);
		if (unlink(path) < 0 && errno != ENOENT)
			warn("%s: cannot remove: %s", path, strerror(errno));
		free(path);
		manifest_remove(m, s); /* moves the last name to i */
	}
}

/* What ftmatrix itself leaves in a directory it writes to. */
static int
own_entry(const char *name)
{
	return strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
	    strcmp(name, ".ftmatrix.lock") == 0 ||
	    strncmp(name, ".ftmatrix-write-test.", 21) == 0 ||
	    strncmp(name, ".charts-new.", 12) == 0;
}

/* Whether dir/name is the file at path (the results file a report reads
 * lives beside its report). */
static int
same_file(const char *dir, const char *name, const char *path)
{
	char *p = path_join(dir, name);
	struct stat a, b;
	int same = path && stat(p, &a) == 0 && stat(path, &b) == 0 &&
	    a.st_dev == b.st_dev && a.st_ino == b.st_ino;

	free(p);
	return same;
}

int
outdir_claim(const char *dir, const char *input, int force)
{
	char *marker;
	const char *other = NULL;
	struct dirent *e;
	DIR *d;
	int rc = 0;

	if (mkdir_p(dir) < 0) {
		error("%s: cannot create the output directory: %s", dir,
		    strerror(errno));
		return -1;
	}
	marker = path_join(dir, OUTDIR_MANIFEST);
	if (path_exists(marker)) {
		free(marker);
		return 0;
	}
	if (!(d = opendir(dir))) {
		error("%s: %s", dir, strerror(errno));
		free(marker);
		return -1;
	}
	while (!other && (e = readdir(d)))
		if (!own_entry(e->d_name) && !same_file(dir, e->d_name, input))
			other = e->d_name;
	if (other && !force) {
		error("%s: not an ftmatrix output directory and not empty (it "
		      "holds \"%s\"); choose an empty or new -o DIR, or add "
		      "--force to write there (ftmatrix then replaces only "
		      "the files it writes)",
		    dir, other);
		rc = -1;
	}
	closedir(d);
	if (rc == 0 && file_write_atomic(marker, manifest_head,
	                   sizeof(manifest_head) - 1) < 0)
		rc = -1;
	free(marker);
	return rc;
}
