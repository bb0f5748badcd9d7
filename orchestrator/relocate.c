/* A copy of an installed CPython prefix that runs from anywhere, as
 * python-build-standalone's builds do: ELF run paths become
 * $ORIGIN-relative, the configured prefix becomes /install (uv rewrites it
 * to where it installs, in the sysconfig data and pkg-config files), the
 * build tree becomes /build, debug info is stripped (it names the build
 * tree), and scripts find their interpreter next to themselves. The test
 * suite, bytecode caches and static libraries are left out. Nothing in the
 * copy may name the directory the interpreter was built in: that is
 * checked. */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ftmatrix.h"

void
build_vars_free(struct build_vars *v)
{
	free(v->prefix);
	free(v->builddir);
	free(v->version);
	free(v->ldversion);
}

int
build_vars_read(const char *python, struct build_vars *v)
{
	char *argv[] = {(char *)python, "-I", "-c",
	    "import sysconfig as s\n"
	    "for k in ('prefix', 'abs_builddir', 'VERSION', 'LDVERSION'):\n"
	    "    print(s.get_config_var(k) or '')\n",
	    NULL};
	struct proc_opts o = {.argv = argv,
	    .capture_stdout = 1,
	    .capture_stderr = 1,
	    .timeout_s = 60};
	struct proc_result r;
	char **field[] = {&v->prefix, &v->builddir, &v->version, &v->ldversion};
	const char *p;
	size_t i;
	int rc = -1;

	memset(v, 0, sizeof(*v));
	if (proc_run(&o, &r) < 0)
		return -1;
	p = buf_str(&r.out);
	for (i = 0; i < 4 && r.exit_status == 0; i++) {
		size_t n = strcspn(p, "\n");

		*field[i] = xstrndup(p, n);
		p += n + (p[n] == '\n');
	}
	if (r.exit_status != 0 || !v->ldversion || v->prefix[0] != '/' ||
	    strlen(v->prefix) <= strlen("/install") || !*v->version) {
		char *tail = text_tail(buf_str(&r.err), 3);

		error(
		    "%s: cannot read its prefix and version from sysconfig%s%s",
		    python, *tail ? ": " : "", tail);
		free(tail);
		build_vars_free(v);
	} else {
		rc = 0;
	}
	proc_result_free(&r);
	return rc;
}

int
tool_run(char *const *argv, struct buf *out)
{
	struct proc_opts o = {.argv = argv,
	    .capture_stdout = 1,
	    .capture_stderr = 1,
	    .timeout_s = 300};
	struct proc_result r;
	int rc = -1;

	if (proc_run(&o, &r) < 0)
		return -1;
	if (r.exit_status == 0) {
		rc = 0;
		if (out)
			buf_puts(out, buf_str(&r.out));
	} else {
		char *why = proc_describe(&r),
		     *tail = text_tail(buf_str(&r.err), 5);

		/* "tar -C", "patchelf --set-rpath", "python3 -m pip" */
		int m = argv[1] && strcmp(argv[1], "-m") == 0 && argv[2];

		error("%s %s%s%s failed (%s): %s", argv[0], argv[1],
		    m ? " " : "", m ? argv[2] : "", why, tail);
		free(why);
		free(tail);
	}
	proc_result_free(&r);
	return rc;
}

/* Copying the prefix into the stage: one walk, which lists the regular
 * files it copied. */
static struct buf walk_files;
static const char *walk_src, *walk_dst, *walk_test_dir;
static int walk_failed;

static int
copy_file(const char *from, const char *to, mode_t mode)
{
	struct buf data = {0};
	FILE *f = NULL;
	int fd, rc = -1;

	if (file_read(from, &data) < 0)
		return -1;
	fd = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode & 07777);
	f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (f && fwrite(data.data, 1, data.len, f) == data.len &&
	    fclose(f) == 0)
		rc = 0;
	else
		error("cannot write %s: %s", to, strerror(errno));
	if (fd >= 0 && !f)
		close(fd);
	buf_free(&data);
	return rc;
}

/* The test suite, bytecode caches (they name the prefix) and static
 * libraries stay out, as in python-build-standalone's archives. */
static int
copy_one(const char *path, const struct stat *st, int type, struct FTW *f)
{
	const char *base = path + f->base, *rel = path + strlen(walk_src);
	size_t n = strlen(base);
	char *to = xasprintf("%s%s", walk_dst, rel), link[PATH_MAX];
	ssize_t ln;
	int rc = FTW_CONTINUE;

	if (type == FTW_D &&
	    (strcmp(base, "__pycache__") == 0 ||
	        strcmp(rel, walk_test_dir) == 0)) {
		rc = FTW_SKIP_SUBTREE;
	} else if (type == FTW_D) {
		if (mkdir(to, st->st_mode & 07777) < 0 && errno != EEXIST) {
			error("cannot make %s: %s", to, strerror(errno));
			rc = FTW_STOP;
		}
	} else if (type == FTW_SL) {
		ln = readlink(path, link, sizeof(link) - 1);
		if (ln < 0 || (link[ln] = '\0', symlink(link, to) < 0)) {
			error("cannot copy the link %s: %s", path,
			    strerror(errno));
			rc = FTW_STOP;
		}
	} else if (type == FTW_F && S_ISREG(st->st_mode) &&
	    !(n > 2 && strcmp(base + n - 2, ".a") == 0)) {
		if (copy_file(path, to, st->st_mode) < 0)
			rc = FTW_STOP;
		else
			buf_printf(&walk_files, "%s\n", to);
	}
	free(to);
	if (rc == FTW_STOP)
		walk_failed = 1;
	return rc;
}

/* Replaces every occurrence of from with to in a text. */
char *
text_replace(const char *text, const char *from, const char *to)
{
	struct buf b = {0};
	size_t n = strlen(from);
	const char *p;

	while ((p = strstr(text, from))) {
		buf_add(&b, text, p - text);
		buf_puts(&b, to);
		text = p + n;
	}
	buf_puts(&b, text);
	return buf_detach(&b);
}

/* Rewrites a staged file in place (the archive is what must be whole). */
static int
file_replace(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(data, 1, len, f) != len || fclose(f) != 0) {
		error("cannot write %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int
contains(const struct buf *b, const char *s)
{
	return memmem(b->data, b->len, s, strlen(s)) != NULL;
}

/* ELF files, relocated together so patchelf and strip run once per
 * directory depth rather than once per file. */
#define ELF_DEPTHS 8
struct elf_batch {
	char **linked[ELF_DEPTHS]; /* by depth below the prefix */
	size_t nlinked[ELF_DEPTHS];
	char **all; /* linked or not (config/python.o) */
	size_t nall;
};

static void
elf_batch_add(
    struct elf_batch *eb, const char *stage, const char *path, int linked)
{
	const char *p = path + strlen(stage) + 1;
	size_t depth = 0;

	while ((p = strchr(p, '/'))) {
		depth++;
		p++;
	}
	if (depth >= ELF_DEPTHS)
		depth = ELF_DEPTHS - 1;
	eb->all = xreallocarray(eb->all, eb->nall + 1, sizeof(*eb->all));
	eb->all[eb->nall++] = xstrdup(path);
	if (!linked)
		return;
	eb->linked[depth] = xreallocarray(
	    eb->linked[depth], eb->nlinked[depth] + 1, sizeof(**eb->linked));
	eb->linked[depth][eb->nlinked[depth]++] = eb->all[eb->nall - 1];
}

static void
elf_batch_free(struct elf_batch *eb)
{
	size_t i;

	for (i = 0; i < eb->nall; i++)
		free(eb->all[i]);
	free(eb->all);
	for (i = 0; i < ELF_DEPTHS; i++)
		free(eb->linked[i]);
	memset(eb, 0, sizeof(*eb));
}

/* Runs tool, then its fixed arguments, then the files. */
static int
run_on_files(const char *const *head, size_t nhead, char **files, size_t n)
{
	char **argv = xcalloc(nhead + n + 1, sizeof(*argv));
	size_t i;
	int rc;

	for (i = 0; i < nhead; i++)
		argv[i] = (char *)head[i];
	for (i = 0; i < n; i++)
		argv[nhead + i] = files[i];
	rc = tool_run(argv, NULL);
	free(argv);
	return rc;
}

/* Run paths to $ORIGIN/../lib (as deep as each file is), debug info
 * stripped (it names the build tree), the prefix compiled in as a string
 * (getpath's fallback) made "/install", like python-build-standalone's. */
static int
elf_batch_relocate(struct elf_batch *eb, const struct build_vars *v)
{
	size_t d, i, plen = strlen(v->prefix);

	for (d = 0; d < ELF_DEPTHS; d++) {
		struct buf rpath = {0};
		const char *set[3] = {"patchelf", "--set-rpath", NULL};
		int rc;

		if (!eb->nlinked[d])
			continue;
		buf_puts(&rpath, "$ORIGIN/");
		for (i = 0; i < d; i++)
			buf_puts(&rpath, "../");
		buf_puts(&rpath, "lib");
		set[2] = buf_str(&rpath);
		rc = run_on_files(set, 3, eb->linked[d], eb->nlinked[d]);
		buf_free(&rpath);
		if (rc < 0)
			return -1;
	}
	{
		const char *strip[] = {"strip", "--strip-debug"};

		if (eb->nall && run_on_files(strip, 2, eb->all, eb->nall) < 0)
			return -1;
	}
	for (i = 0; i < eb->nall; i++) {
		struct buf data = {0};
		size_t k;
		int rc;

		if (file_read(eb->all[i], &data) < 0)
			return -1;
		for (k = 1; k + plen < data.len; k++) {
			char *at = data.data + k;

			if (at[-1] != '\0' ||
			    memcmp(at, v->prefix, plen) != 0 ||
			    at[plen] != '\0')
				continue;
			/* only "/install" and its NUL: the linker may point
			 * another string at the prefix's tail ("3.12.1" of
			 * ".../versions/3.12.1" is PY_VERSION), which must
			 * stay as it was */
			memcpy(at, "/install", 9);
		}
		rc = file_replace(eb->all[i], data.data, data.len);
		buf_free(&data);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* A text file: the build tree becomes /build, the prefix /install, and a
 * script's "#!PREFIX/bin/python3.13" runs the python3.13 next to it. */
static int
relocate_text(const char *path, struct buf *data, const struct build_vars *v)
{
	char *bin = path_join(v->prefix, "bin/"), *t1, *t2;
	const char *text = buf_str(data);
	struct buf b = {0};
	int rc;

	if (strncmp(text, "#!", 2) == 0 &&
	    strncmp(text + 2, bin, strlen(bin)) == 0) {
		const char *exe = text + 2 + strlen(bin);
		size_t n = strcspn(exe, " \n");

		/* sh runs the interpreter; Python sees a string literal */
		buf_printf(&b,
		    "#!/bin/sh\n"
		    "'''exec' \"$(dirname -- \"$(realpath -- \"$0\")\")/%.*s\" "
		    "\"$0\" \"$@\"\n' '''\n",
		    (int)n, exe);
		text = exe + strcspn(exe, "\n");
		text += *text == '\n';
	}
	buf_puts(&b, text);
	t1 = *v->builddir ? text_replace(buf_str(&b), v->builddir, "/build")
	                  : xstrdup(buf_str(&b));
	t2 = text_replace(t1, v->prefix, "/install");
	rc = file_replace(path, t2, strlen(t2));
	free(bin);
	free(t1);
	free(t2);
	buf_free(&b);
	return rc;
}

static int
relocate_file(const char *stage, const char *path, struct elf_batch *eb,
    const struct build_vars *v)
{
	struct buf data = {0};
	int rc = 0;

	if (file_read(path, &data) < 0)
		return -1;
	if (data.len >= 18 && memcmp(data.data, "\177ELF", 4) == 0)
		/* e_type, little-endian as on every target uv serves: an
		 * object file (config/python.o) has no run path */
		elf_batch_add(eb, stage, path,
		    data.data[16] != 1 && contains(&data, v->prefix));
	else if (!memchr(data.data, '\0', data.len) &&
	    (contains(&data, v->prefix) ||
	        (*v->builddir && contains(&data, v->builddir))))
		rc = relocate_text(path, &data, v);
	buf_free(&data);
	return rc;
}

/* Every staged file must be free of the prefix and the build tree. */
static int
check_relocated(const char *files, const struct build_vars *v)
{
	const char *line = files;
	int bad = 0;

	while (*line) {
		size_t n = strcspn(line, "\n");
		char *path = xstrndup(line, n);
		struct buf data = {0};

		if (file_read(path, &data) == 0 &&
		    (contains(&data, v->prefix) ||
		        (*v->builddir && contains(&data, v->builddir)))) {
			if (bad++ < 5)
				error("%s still names %s", path, v->prefix);
		}
		buf_free(&data);
		free(path);
		line += n + (line[n] == '\n');
	}
	if (bad)
		error("%d files cannot be relocated; nothing was packed", bad);
	return bad ? -1 : 0;
}

int
relocated_copy(const struct build_vars *v, const char *dest)
{
	struct elf_batch eb = {0};
	char *python = xstrdup(dest);
	const char *line;
	int rc = -1;

	buf_free(&walk_files);
	walk_failed = 0;
	walk_src = v->prefix;
	walk_dst = python;
	walk_test_dir = xasprintf("/lib/python%s/test", v->ldversion);
	if (mkdir_p(dest) < 0 || rmdir(dest) < 0)
		goto out;
	if (nftw(v->prefix, copy_one, 16, FTW_PHYS | FTW_ACTIONRETVAL) != 0 ||
	    walk_failed) {
		if (!walk_failed)
			error("cannot copy %s: %s", v->prefix, strerror(errno));
		goto out;
	}
	for (line = buf_str(&walk_files); *line;) {
		size_t n = strcspn(line, "\n");
		char *p = xstrndup(line, n);
		int r = relocate_file(python, p, &eb, v);

		free(p);
		if (r < 0)
			goto out;
		line += n + (line[n] == '\n');
	}
	if (elf_batch_relocate(&eb, v) < 0)
		goto out;
	rc = check_relocated(buf_str(&walk_files), v);
out:
	free((char *)walk_test_dir);
	walk_test_dir = NULL;
	buf_free(&walk_files);
	elf_batch_free(&eb);
	free(python);
	return rc;
}
