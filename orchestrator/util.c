#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ftmatrix.h"

static void
vmessage(const char *prefix, const char *fmt, va_list ap)
{
	struct buf b = {0}, safe = {0};

	fflush(stdout);
	/* messages quote files and servers: no raw control characters */
	buf_vprintf(&b, fmt, ap);
	term_esc(&safe, buf_str(&b), 1);
	fprintf(stderr, "ftmatrix: %s%s\n", prefix, buf_str(&safe));
	buf_free(&b);
	buf_free(&safe);
}

void
fatal(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
	exit(1);
}

static struct buf *error_log;

void
error_record(struct buf *b)
{
	error_log = b;
}

void
error(const char *fmt, ...)
{
	va_list ap;

	if (error_log) {
		if (error_log->len)
			buf_puts(error_log, "\n");
		va_start(ap, fmt);
		buf_vprintf(error_log, fmt, ap);
		va_end(ap);
	}
	va_start(ap, fmt);
	vmessage("", fmt, ap);
	va_end(ap);
}

void
warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vmessage("warning: ", fmt, ap);
	va_end(ap);
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		fatal("out of memory");
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		fatal("out of memory");
	return p;
}

void *
xreallocarray(void *p, size_t nmemb, size_t size)
{
	if (size && nmemb > SIZE_MAX / size)
		fatal("out of memory");
	p = realloc(p, nmemb && size ? nmemb * size : 1);
	if (!p)
		fatal("out of memory");
	return p;
}

char *
xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		fatal("out of memory");
	return p;
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p)
		fatal("out of memory");
	return p;
}

/* Terminal columns of UTF-8 text, one per character (no wide ones). */
size_t
utf8_columns(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The printf field width ("%-*s") that fills columns with s. */
int
utf8_field(const char *s, size_t columns)
{
	return (int)(columns + strlen(s) - utf8_columns(s));
}

char *
xasprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		fatal("out of memory");
	va_end(ap);
	return s;
}

void
strv_push(char ***v, size_t *n, char *s)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = s;
}

int
file_read(const char *path, struct buf *b)
{
	char chunk[65536];
	struct stat st;
	ssize_t n;
	int fd;

	/* O_NONBLOCK: a FIFO must not hang the open; it is refused below,
	 * with devices, since /dev/zero would never end */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		error("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == 0 && !S_ISREG(st.st_mode)) {
		error("%s: %s", path,
		    S_ISDIR(st.st_mode) ? "is a directory"
					: "is not a regular file");
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	while ((n = read(fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			error("%s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		buf_add(b, chunk, n);
	}
	close(fd);
	if (!b->data)
		buf_add(b, "", 0);
	return 0;
}

/* fsync of a directory; file systems that cannot (EINVAL) are not an
 * error. */
int
dir_fsync(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0 || (fsync(fd) < 0 && errno != EINVAL)) {
		error("%s: %s", dir, strerror(errno));
		rc = -1;
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* fsync of the directory holding path */
static int
dir_sync(const char *path)
{
	char *copy = xstrdup(path);
	int rc = dir_fsync(dirname(copy));

	free(copy);
	return rc;
}

int
file_write_atomic(const char *path, const void *data, size_t len)
{
	char *tmp = xasprintf("%s.tmp.XXXXXX", path);
	const char *p = data;
	mode_t mask = umask(0);
	int fd;

	umask(mask);
	/* a fresh name, never a file (or a symlink) that was there before */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		error("%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	fchmod(fd, 0666 & ~mask);
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error("%s: %s", tmp, strerror(errno));
			goto fail;
		}
		p += n;
		len -= n;
	}
	if (fsync(fd) < 0) {
		error("%s: %s", tmp, strerror(errno));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		error("%s: %s", tmp, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		error("%s: %s", path, strerror(errno));
		goto fail;
	}
	free(tmp);
	/* the rename itself reaches the disk only with its directory */
	return dir_sync(path);
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

int
mkdir_p(const char *path)
{
	char *p = xstrdup(path), *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			goto fail;
		*s = '/';
	}
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		goto fail;
	free(p);
	return 0;
fail:
	error("cannot create directory %s: %s", p, strerror(errno));
	free(p);
	return -1;
}

int
path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

int
path_is_executable(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
	    access(path, X_OK) == 0;
}

char *
path_join(const char *a, const char *b)
{
	size_t n = strlen(a);

	if (n && a[n - 1] == '/')
		return xasprintf("%s%s", a, b);
	return xasprintf("%s/%s", a, b);
}

static int
remove_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 && errno != ENOENT ? -1 : 0;
}

char *
path_lookup(const char *name)
{
	const char *path = getenv("PATH");
	char *copy, *dir, *save = NULL, *found = NULL;

	copy = xstrdup(path ? path : "/usr/bin:/bin");
	for (dir = strtok_r(copy, ":", &save); dir && !found;
	     dir = strtok_r(NULL, ":", &save)) {
		char *p = path_join(*dir ? dir : ".", name);

		if (path_is_executable(p))
			found = p;
		else
			free(p);
	}
	free(copy);
	return found;
}

int
remove_tree(const char *path)
{
	if (!path_exists(path))
		return 0;
	if (nftw(path, remove_one, 16, FTW_DEPTH | FTW_PHYS) < 0) {
		error("cannot remove %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

#ifndef FTMATRIX_DATADIR
#define FTMATRIX_DATADIR "/usr/local/share/ftmatrix"
#endif

static char *datadir;

static void
data_find(void)
{
	char self[PATH_MAX], *d, *probe;
	const char *e;
	ssize_t n;

	if ((e = getenv("FTMATRIX_DATADIR")) && *e) {
		datadir = xstrdup(e);
		return;
	}
	/* a binary run from its build tree uses the tree's files */
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		d = dirname(self);
		probe = xasprintf("%s/probes/probe.c", d);
		if (path_exists(probe)) {
			free(probe);
			datadir = xstrdup(d);
			return;
		}
		free(probe);
		probe = xasprintf("%s/../probes/probe.c", d);
		if (path_exists(probe)) {
			free(probe);
			datadir = xasprintf("%s/..", d);
			return;
		}
		free(probe);
	}
	datadir = xstrdup(FTMATRIX_DATADIR);
}

/* Found on first use, once, whichever thread asks first: report models
 * are made in parallel (compare) and each asks for the catalog. */
const char *
data_dir(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, data_find);
	return datadir;
}

double
now_mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *
time_format(const char *fmt)
{
	char s[64];
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), fmt, &tm);
	return xstrdup(s);
}

char *
time_iso8601(void)
{
	return time_format("%Y-%m-%dT%H:%M:%SZ");
}

char *
time_stamp(void)
{
	return time_format("%Y%m%d-%H%M%S");
}

char *
text_tail(const char *s, int lines)
{
	const char *end = s + strlen(s), *p = end;

	while (p > s && (p[-1] == '\n' || p[-1] == ' '))
		p--;
	end = p;
	while (p > s) {
		if (p[-1] == '\n' && --lines == 0)
			break;
		p--;
	}
	return xstrndup(p, end - p);
}

int
parse_long(const char *s, long *out)
{
	char *end;

	errno = 0;
	*out = strtol(s, &end, 10);
	return errno || end == s || *end ? -1 : 0;
}

int
parse_double(const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	return errno || end == s || *end ? -1 : 0;
}

int
fraction_parse(const char *s, double *out)
{
	size_t n = strlen(s);
	char *end;
	double x;

	/* digits and one dot, then an optional "%": no signs, hex, inf */
	if (!n || strspn(s, "0123456789.") != n - (s[n - 1] == '%'))
		return -1;
	errno = 0;
	x = strtod(s, &end);
	if (errno || end == s || (*end && strcmp(end, "%") != 0))
		return -1;
	if (*end)
		x /= 100;
	if (!isfinite(x) || x < 0 || x > 1)
		return -1;
	*out = x;
	return 0;
}

int
seconds_parse(const char *s, double *out)
{
	char *end;
	double x;

	if (!*s || strspn(s, "0123456789.") != strlen(s))
		return -1;
	errno = 0;
	x = strtod(s, &end);
	if (errno || *end || !isfinite(x) || x < 0)
		return -1;
	*out = x;
	return 0;
}
