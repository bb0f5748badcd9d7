#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ftmatrix.h"

/*
 * Where chart files go. A render writes into a directory of its own beside
 * DIR/charts and swaps it into place when done, so an interrupted report
 * leaves the charts of the last finished one, never a half-written file;
 * gnuplot's SVGs lose what only makes them bigger on the way.
 */

#define STAGE_PREFIX ".charts-new."

/* Stages of reports that were killed: their process is gone. */
static void
stages_sweep(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t n = strlen(STAGE_PREFIX);

	while (d && (e = readdir(d))) {
		char *end, *path;
		long pid;

		if (strncmp(e->d_name, STAGE_PREFIX, n) != 0)
			continue;
		pid = strtol(e->d_name + n, &end, 10);
		if (*end || pid <= 0 || (kill(pid, 0) == 0 || errno != ESRCH))
			continue;
		path = path_join(dir, e->d_name);
		remove_tree(path);
		free(path);
	}
	if (d)
		closedir(d);
}

char *
charts_stage(const char *dir)
{
	char *name = xasprintf(STAGE_PREFIX "%ld", (long)getpid());
	char *stage = path_join(dir, name);

	free(name);
	stages_sweep(dir);
	if (remove_tree(stage) < 0 || mkdir_p(stage) < 0) {
		free(stage);
		return NULL;
	}
	return stage;
}

/* The names in a directory, without "." and "..". */
static char **
dir_names(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;

	*n = 0;
	while (d && (e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		names = xreallocarray(names, *n + 1, sizeof(*names));
		names[(*n)++] = xstrdup(e->d_name);
	}
	if (d)
		closedir(d);
	return names;
}

static void
names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* Whether every file in cdir is a chart m lists: then the whole directory
 * may be swapped. */
static int
charts_all_ours(const char *cdir, const struct manifest *m)
{
	size_t n;
	char **names = dir_names(cdir, &n);
	int ours = 1;

	for (size_t i = 0; ours && i < n; i++) {
		char *rel = path_join("charts", names[i]);

		ours = manifest_has(m, rel);
		free(rel);
	}
	names_free(names, n);
	return ours;
}

/* Moves the stage's files into cdir one by one, over the charts of the
 * same name, then removes the charts m lists that the stage does not
 * have: a reader's own files in cdir stay. */
static int
charts_merge(const char *cdir, const char *stage, char **names, size_t n,
    struct manifest *m)
{
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		char *from = path_join(stage, names[i]),
		     *to = path_join(cdir, names[i]);

		if (rename(from, to) < 0) {
			error("%s: %s", to, strerror(errno));
			rc = -1;
		}
		free(from);
		free(to);
	}
	for (size_t i = 0; i < m->n;) {
		const char *s = m->names[i];
		size_t k;

		for (k = 0; k < n; k++)
			if (strncmp(s, "charts/", 7) == 0 &&
			    strcmp(s + 7, names[k]) == 0)
				break;
		if (strncmp(s, "charts/", 7) != 0 || k < n) {
			i++;
			continue;
		}
		{
			char *path = path_join(m->dir, s);

			if (unlink(path) < 0 && errno != ENOENT)
				warn("%s: cannot remove: %s", path,
				    strerror(errno));
			free(path);
		}
		manifest_remove(m, s);
	}
	if (rc == 0)
		rc = remove_tree(stage);
	return rc;
}

/* Puts the stage in place of the charts m lists: in one step (readers see
 * the old set or the new one) when dir/charts holds nothing else, file by
 * file when it holds a reader's own files. The stage is synced first, so
 * a crash right after leaves whole files. */
int
charts_commit(const char *dir, const char *stage, struct manifest *m)
{
	char *cdir = path_join(dir, "charts"), *old = NULL;
	int fd = open(stage, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = -1;
	size_t n;
	char **names = dir_names(stage, &n);

	if (fd >= 0) {
		syncfs(fd);
		close(fd);
	}
	if (path_exists(cdir) && !charts_all_ours(cdir, m)) {
		rc = charts_merge(cdir, stage, names, n, m);
	} else if (renameat2(AT_FDCWD, stage, AT_FDCWD, cdir,
	               RENAME_EXCHANGE) == 0) {
		rc = remove_tree(stage); /* now the old charts */
	} else if (errno == ENOENT) {
		if (rename(stage, cdir) == 0)
			rc = 0;
		else
			error("%s: %s", cdir, strerror(errno));
	} else {
		/* a file system that cannot exchange: two renames, and a
		 * moment without charts rather than a mix of two renders */
		old = xasprintf("%s/.charts-old.%ld", dir, (long)getpid());
		if (remove_tree(old) < 0 || rename(cdir, old) < 0 ||
		    rename(stage, cdir) < 0)
			error("%s: %s", cdir, strerror(errno));
		else
			rc = remove_tree(old);
	}
	if (rc == 0) {
		/* the old set is gone: the list names the new one */
		for (size_t i = 0; i < m->n;)
			if (strncmp(m->names[i], "charts/", 7) == 0)
				manifest_remove(m, m->names[i]);
			else
				i++;
		for (size_t i = 0; i < n; i++) {
			char *rel = path_join("charts", names[i]);

			manifest_add(m, rel);
			free(rel);
		}
		rc = dir_fsync(dir);
	}
	names_free(names, n);
	free(old);
	free(cdir);
	return rc;
}

void
charts_discard(const char *stage)
{
	remove_tree(stage);
}

int
chart_file_whole(const char *path)
{
	static const unsigned char iend[12] = {
	    0, 0, 0, 0, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82};
	unsigned char tail[64];
	size_t len = strlen(path), n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), whole = 0;
	off_t size;

	if (fd < 0)
		return 0;
	size = lseek(fd, 0, SEEK_END);
	n = size > (off_t)sizeof(tail) ? sizeof(tail) : (size_t)(size > 0 ? size : 0);
	if (n && pread(fd, tail, n, size - (off_t)n) == (ssize_t)n) {
		if (len > 4 && strcmp(path + len - 4, ".png") == 0) {
			whole = n >= sizeof(iend) &&
			    memcmp(tail + n - sizeof(iend), iend, sizeof(iend)) == 0;
		} else {
			while (n && strchr(" \t\r\n", tail[n - 1]))
				n--;
			whole = n >= 6 && memcmp(tail + n - 6, "</svg>", 6) == 0;
		}
	}
	close(fd);
	return whole;
}

/* The end of the tag starting at p (gnuplot writes no '>' inside its
 * attribute values), or NULL. */
static const char *
tag_end(const char *p)
{
	const char *q = strchr(p, '>');

	return q ? q + 1 : NULL;
}

/* An element "<g ...>" with nothing but white space before its "</g>":
 * returns the end of that "</g>", else NULL. */
static const char *
empty_group(const char *p)
{
	const char *q;

	if (strncmp(p, "<g", 2) != 0 || (p[2] != ' ' && p[2] != '>') ||
	    !(q = tag_end(p)) || q[-2] == '/')
		return NULL;
	q += strspn(q, " \t\r\n");
	return strncmp(q, "</g>", 4) == 0 ? q + 4 : NULL;
}

/* "<title>gnuplot_plot_3</title>": a tooltip naming gnuplot's internals. */
static const char *
plot_title(const char *p)
{
	static const char open[] = "<title>gnuplot_plot_";
	const char *q;

	if (strncmp(p, open, sizeof(open) - 1) != 0)
		return NULL;
	q = p + sizeof(open) - 1;
	q += strspn(q, "0123456789");
	return strncmp(q, "</title>", 8) == 0 ? q + 8 : NULL;
}

/* One pass; returns how many empty groups it dropped (dropping one can
 * leave its parent empty). */
static size_t
compact_pass(const char *in, struct buf *out, int drop_defaults)
{
	size_t ndropped = 0;
	const char *p = in, *q;

	while (*p) {
		if ((q = plot_title(p))) {
			p = q;
		} else if ((q = empty_group(p))) {
			p = q;
			ndropped++;
		} else if (*p == '>' && strchr(" \t\r\n", p[1])) {
			q = p + 1 + strspn(p + 1, " \t\r\n");
			/* white space between tags goes, a text's stays */
			buf_add(out, p, *q == '<' ? 1 : (size_t)(q - p));
			p = q;
		} else if (drop_defaults &&
		    strncmp(p, " stroke-linecap=\"butt\"", 22) == 0) {
			p += 22;
		} else if (drop_defaults &&
		    strncmp(p, " stroke-linejoin=\"miter\"", 24) == 0) {
			p += 24;
		} else {
			buf_add(out, p++, 1);
		}
	}
	return ndropped;
}

/*
 * gnuplot's SVG, smaller and drawn the same: no empty groups, no white
 * space between tags, no per-plot "gnuplot_plot_N" tooltips, and no
 * stroke-linecap "butt" or stroke-linejoin "miter" (the initial values)
 * when nothing in the file sets another.
 */
char *
svg_compact(const char *svg)
{
	int drop_defaults = !strstr(svg, "stroke-linecap=\"r") &&
	    !strstr(svg, "stroke-linecap=\"s") &&
	    !strstr(svg, "stroke-linejoin=\"r") &&
	    !strstr(svg, "stroke-linejoin=\"b");
	struct buf a = {0};
	size_t dropped = compact_pass(svg, &a, drop_defaults);

	while (dropped) {
		struct buf b = {0};

		dropped = compact_pass(buf_str(&a), &b, 0);
		buf_free(&a);
		a = b;
	}
	return buf_detach(&a);
}

/* Rewrites a chart's SVG compacted; the stage is not in place yet, so a
 * plain write will do. */
int
svg_compact_file(const char *path)
{
	struct buf in = {0};
	char *out;
	FILE *f;
	int rc = -1;

	if (file_read(path, &in) < 0)
		return -1;
	out = svg_compact(buf_str(&in));
	f = fopen(path, "w");
	if (f) {
		int bad = fputs(out, f) < 0;

		if (fclose(f) == 0 && !bad)
			rc = 0;
	}
	if (rc < 0)
		error("%s: %s", path, strerror(errno));
	free(out);
	buf_free(&in);
	return rc;
}

/* Without --format svg the SVGs only fed the page: gnuplot writes both
 * kinds in one go, so the unwanted one goes afterwards. */
void
report_drop_charts(struct manifest *m, const char *ext)
{
	manifest_drop(m, "charts/", ext);
}
