#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/* A member name fit for a message: control characters shown as '?'. */
static char *
printable(const char *s)
{
	char *p, *copy = xstrdup(s);

	for (p = copy; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return copy;
}

/* Splits a member path into its components: empty ones ("a//b", a
 * trailing "/") dropped, "." kept, because tar counts it when it strips. */
static char **
path_split(const char *path, size_t *n)
{
	char **parts = xcalloc(strlen(path) / 2 + 2, sizeof(*parts));
	const char *p = path, *end;

	*n = 0;
	while (*p) {
		end = p + strcspn(p, "/");
		if (end > p)
			parts[(*n)++] = xstrndup(p, end - p);
		p = *end ? end + 1 : end;
	}
	return parts;
}

static void
parts_free(char **parts, size_t n)
{
	while (n > 0)
		free(parts[--n]);
	free(parts);
}

/* Whether name, or what it would become after tar strips its first strip
 * components, goes through one of the archive's symlinks. */
static int
through_link(const char *name, const struct tar_member *m, size_t n)
{
	size_t len, i;

	for (i = 0; i < n; i++) {
		if (m[i].type != 'l')
			continue;
		len = strlen(m[i].name);
		while (len > 0 && m[i].name[len - 1] == '/')
			len--;
		if (len && strncmp(name, m[i].name, len) == 0 &&
		    name[len] == '/')
			return 1;
	}
	return 0;
}

/* The rules every path in the archive follows: relative, no "..". */
static const char *
path_problem(const char *path)
{
	char **parts;
	size_t n, i;
	const char *why = NULL;

	if (!*path)
		return "an empty name";
	if (path[0] == '/')
		return "an absolute path";
	parts = path_split(path, &n);
	for (i = 0; i < n && !why; i++)
		if (strcmp(parts[i], "..") == 0)
			why = "a path with a \"..\" component";
	parts_free(parts, n);
	return why;
}

/* A symlink's target must resolve inside the directory the archive is
 * unpacked into: relative, ".." only at its start, and no more of them
 * than the link's own directory is deep once tar has stripped strip
 * components. */
static const char *
link_problem(const char *name, const char *target, int strip)
{
	char **parts, **tparts;
	size_t n, tn, i, up = 0, depth = 0;
	const char *why = NULL;

	if (!*target)
		return "a symlink to nothing";
	if (target[0] == '/')
		return "a symlink to an absolute path";
	parts = path_split(name, &n);
	for (i = (size_t)strip; i + 1 < n; i++)
		if (strcmp(parts[i], ".") != 0)
			depth++;
	tparts = path_split(target, &tn);
	for (i = 0; i < tn && strcmp(tparts[i], "..") == 0; i++)
		up++;
	for (; i < tn && !why; i++)
		if (strcmp(tparts[i], "..") == 0)
			why = "a symlink with \"..\" after a directory name";
	if (!why && up > depth)
		why = "a symlink pointing outside the directory it is unpacked "
		      "into";
	parts_free(parts, n);
	parts_free(tparts, tn);
	return why;
}

/* Whether two member names are the same path: "./a/b/" is "a/b". */
static int
same_member(const char *a, const char *b)
{
	size_t na, nb;

	while (a[0] == '.' && a[1] == '/')
		a += 2;
	while (b[0] == '.' && b[1] == '/')
		b += 2;
	na = strlen(a);
	nb = strlen(b);
	while (na > 0 && a[na - 1] == '/')
		na--;
	while (nb > 0 && b[nb - 1] == '/')
		nb--;
	return na == nb && !strncmp(a, b, na);
}

/* A hard link to a symlink member is a second copy of that symlink where
 * the hard link is: its target is read from there. NULL, or why the
 * symlink it ends at (through other hard links too) would point out from
 * there, or points up at all. */
static const char *
hard_link_problem(const struct tar_member *link, const struct tar_member *m,
    size_t n, int strip)
{
	const char *target = link->target;
	size_t hops, i;

	for (hops = 0; hops <= n && target; hops++) {
		for (i = 0; i < n; i++)
			if ((m[i].type == 'l' || m[i].type == 'h') &&
			    same_member(m[i].name, target))
				break;
		if (i == n)
			return NULL;
		if (m[i].type == 'h') {
			target = m[i].target;
			continue;
		}
		if (!m[i].target || !*m[i].target || m[i].target[0] == '/' ||
		    !strncmp(m[i].target, "..", 2) ||
		    link_problem(link->name, m[i].target, strip))
			return "a hard link to a symlink that points up or "
			       "outside the directory it is unpacked into";
		return NULL;
	}
	return "a hard link in a loop of hard links";
}

int
tarball_members_check(
    const struct tar_member *m, size_t n, int strip, char **why)
{
	const char *problem = NULL;
	size_t i;

	*why = NULL;
	for (i = 0; i < n; i++) {
		const struct tar_member *x = &m[i];

		switch (x->type) {
		case '-':
		case 'd':
		case 'C': /* contiguous file: a plain file to GNU tar */
			break;
		case 'l':
			problem = link_problem(
			    x->name, x->target ? x->target : "", strip);
			break;
		case 'h':
			if (path_problem(x->target ? x->target : ""))
				problem =
				    "a hard link to a path outside the archive";
			else if (through_link(x->target, m, n))
				problem =
				    "a hard link through one of the archive's "
				    "symlinks";
			else
				problem = hard_link_problem(x, m, n, strip);
			break;
		case 'c':
		case 'b':
			problem = "a device file";
			break;
		case 'p':
			problem = "a FIFO";
			break;
		default:
			problem =
			    "a member of a kind tar cannot safely unpack here";
			break;
		}
		if (!problem)
			problem = path_problem(x->name);
		if (!problem && through_link(x->name, m, n))
			problem =
			    "a path through one of the archive's symlinks";
		if (problem) {
			char *name = printable(x->name), *target = NULL;

			if (x->target) {
				target = printable(x->target);
				*why =
				    xasprintf("member \"%s\" (%s \"%s\") is %s",
				        name, x->type == 'h' ? "link to" : "->",
				        target, problem);
			} else {
				*why = xasprintf(
				    "member \"%s\" is %s", name, problem);
			}
			free(name);
			free(target);
			return -1;
		}
	}
	return 0;
}

/* Reads one C-quoted string (tar --quoting-style=c) at *p, which points at
 * its opening quote; advances *p past the closing one. NULL when it is not
 * one, or holds a NUL. */
static char *
cstring_read(const char **p)
{
	const char *s = *p;
	struct buf b = {0};

	if (*s++ != '"')
		return NULL;
	while (*s && *s != '"') {
		char c = *s++;

		if (c == '\\') {
			switch ((c = *s++)) {
			case 'a':
				c = '\a';
				break;
			case 'b':
				c = '\b';
				break;
			case 'f':
				c = '\f';
				break;
			case 'n':
				c = '\n';
				break;
			case 'r':
				c = '\r';
				break;
			case 't':
				c = '\t';
				break;
			case 'v':
				c = '\v';
				break;
			case '\\':
			case '"':
			case '\'':
			case '?':
			case ' ':
				break;
			default:
				if (c >= '0' && c <= '7') {
					int v = c - '0', k;

					for (k = 0;
					     k < 2 && *s >= '0' && *s <= '7';
					     k++)
						v = v * 8 + (*s++ - '0');
					c = (char)v;
					break;
				}
				buf_free(&b);
				return NULL;
			}
			if (c == '\0') {
				buf_free(&b);
				return NULL;
			}
		}
		buf_add(&b, &c, 1);
	}
	if (*s != '"') {
		buf_free(&b);
		return NULL;
	}
	*p = s + 1;
	if (!b.data)
		buf_add(&b, "", 0);
	return buf_detach(&b);
}

/* One line of `tar -tv --quoting-style=c --numeric-owner`:
 *   lrwxrwxrwx 0/0   0 2024-10-07 05:00 "Python-3.13.0/x" -> "y"
 * Numeric owners leave no '"' before the name, so the first one starts it. */
static int
listing_parse_line(const char *line, struct tar_member *m)
{
	const char *p = strchr(line, '"');

	memset(m, 0, sizeof(*m));
	if (!p || !line[0])
		return -1;
	m->type = line[0];
	if (!(m->name = cstring_read(&p)))
		return -1;
	if (strncmp(p, " -> ", 4) == 0)
		p += 4;
	else if (strncmp(p, " link to ", 9) == 0)
		p += 9;
	else
		return *p ? -1 : 0;
	if (!(m->target = cstring_read(&p)) || *p)
		return -1;
	return 0;
}

void
tar_members_free(struct tar_member *m, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(m[i].name);
		free(m[i].target);
	}
	free(m);
}

int
tarball_list(
    const char *path, struct tar_member **out, size_t *n, char **rewritten)
{
	char *argv[] = {"tar", "-tvf", (char *)path, "--quoting-style=c",
	    "--numeric-owner", NULL};
	char *env[] = {"LC_ALL=C", NULL};
	struct proc_opts o = {.argv = argv,
	    .env_extra = env,
	    .capture_stdout = 1,
	    .capture_stderr = 1,
	    .timeout_s = 600};
	struct proc_result r;
	struct tar_member *m = NULL;
	size_t cap = 0;
	const char *line, *end;
	int rc = -1;

	*out = NULL;
	*n = 0;
	if (rewritten)
		*rewritten = NULL;
	if (proc_run(&o, &r) < 0)
		return -1;
	if (r.exit_status != 0) {
		char *why = proc_describe(&r),
		     *tail = text_tail(buf_str(&r.err), 5);

		error("%s: tar cannot list it (%s): %s", path, why, tail);
		free(why);
		free(tail);
		goto out;
	}
	for (line = buf_str(&r.out); *line; line = *end ? end + 1 : end) {
		char *copy;

		end = line + strcspn(line, "\n");
		if (end == line)
			continue;
		if (*n == cap) {
			cap = cap ? 2 * cap : 256;
			m = xreallocarray(m, cap, sizeof(*m));
		}
		copy = xstrndup(line, end - line);
		if (listing_parse_line(copy, &m[*n]) < 0) {
			char *shown = printable(copy);

			free(m[*n].name);
			free(m[*n].target);
			error("%s: cannot read tar's listing line: %s", path,
			    shown);
			free(shown);
			free(copy);
			goto out;
		}
		free(copy);
		(*n)++;
	}
	/* GNU tar lists hard link targets with a leading "/" or "../"
	 * already removed, and says so */
	if (rewritten && (line = strstr(buf_str(&r.err), "Removing leading")))
		*rewritten = xstrndup(line, strcspn(line, "\n"));
	rc = 0;
out:
	proc_result_free(&r);
	if (rc < 0) {
		tar_members_free(m, *n);
		m = NULL;
		*n = 0;
	}
	*out = m;
	return rc;
}

int
tarball_check(const char *path, int strip)
{
	struct tar_member *m;
	size_t n;
	char *why, *rewritten;
	int rc;

	if (tarball_list(path, &m, &n, &rewritten) < 0)
		return -1;
	if (n == 0) {
		error("%s: the archive is empty", path);
		tar_members_free(m, n);
		free(rewritten);
		return -1;
	}
	rc = tarball_members_check(m, n, strip, &why);
	if (rc < 0) {
		error("%s: refused before unpacking anything: %s", path, why);
		free(why);
	} else if (rewritten) {
		error(
		    "%s: refused before unpacking anything: it has members or "
		    "links leading outside the directory it is unpacked into "
		    "(tar says: %s)",
		    path, rewritten);
		rc = -1;
	}
	free(rewritten);
	tar_members_free(m, n);
	return rc;
}

int
tarball_unpack(const char *path, const char *dir, int strip, const char *log)
{
	char strip_arg[32];
	char *argv[] = {"tar", "-xf", (char *)path, "-C", (char *)dir,
	    strip_arg, "--no-same-owner", "--no-same-permissions",
	    "--no-overwrite-dir", NULL};
	struct proc_opts o = {.argv = argv, .log_path = log, .timeout_s = 1800};
	struct proc_result r;
	int rc = -1;

	if (tarball_check(path, strip) < 0)
		return -1;
	snprintf(strip_arg, sizeof(strip_arg), "--strip-components=%d", strip);
	if (proc_run(&o, &r) < 0)
		return -1;
	if (r.exit_status == 0 && !r.interrupted) {
		rc = 0;
	} else {
		struct buf b = {0};
		char *why = proc_describe(&r), *tail;

		file_read(log, &b);
		tail = text_tail(buf_str(&b), 10);
		error("cannot unpack %s (tar: %s); last lines of %s:\n%s", path,
		    why, log, tail);
		free(why);
		free(tail);
		buf_free(&b);
	}
	proc_result_free(&r);
	return rc;
}
