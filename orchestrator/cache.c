#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ftmatrix.h"

int
lock_file_open(const char *path, int flags)
{
	/* a symlink planted where the lock goes would have us create or
	 * open a file elsewhere */
	int fd = open(path, flags | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);

	if (fd < 0 && errno == ELOOP)
		error("%s: the lock file is a symlink; remove it (ftmatrix "
		      "never follows one there)",
		    path);
	else if (fd < 0)
		error("%s: %s", path, strerror(errno));
	return fd;
}

/* Why dir cannot hold our cache, or NULL: it must be a directory owned by
 * us and writable by nobody else, for it holds programs we run. */
static char *
cache_dir_problem(const char *dir)
{
	struct stat st;

	if (lstat(dir, &st) == 0 && S_ISLNK(st.st_mode) &&
	    st.st_uid != geteuid() && st.st_uid != 0)
		return xasprintf("it is a symlink owned by uid %ld, not you "
		                 "(uid %ld)",
		    (long)st.st_uid, (long)geteuid());
	if (stat(dir, &st) < 0)
		return xasprintf("%s", strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return xstrdup("it is not a directory");
	if (st.st_uid != geteuid())
		return xasprintf("it is owned by uid %ld, not you (uid %ld)",
		    (long)st.st_uid, (long)geteuid());
	if (st.st_mode & (S_IWGRP | S_IWOTH))
		return xasprintf("other users can write to it (mode %04o)",
		    (unsigned)(st.st_mode & 07777));
	return NULL;
}

/* Why a directory above the cache lets someone else swap what is below
 * it, or NULL: owned by another user than us or root, or writable by
 * others without the sticky bit /tmp has. */
static char *
cache_parent_problem(const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0)
		return xasprintf("%s", strerror(errno));
	if (st.st_uid != geteuid() && st.st_uid != 0)
		return xasprintf("it is owned by uid %ld, not you (uid %ld)",
		    (long)st.st_uid, (long)geteuid());
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX))
		return xasprintf("other users can write to it (mode %04o)",
		    (unsigned)(st.st_mode & 07777));
	return NULL;
}

/* Makes the cache directory and the parents it lacks, 0700, and checks
 * it, each parent we made and those above; exits with the reason when one
 * is not ours alone. */
static void
cache_dir_make(const char *dir)
{
	char *p = xstrdup(dir), *s, *why = NULL;

	for (s = p + 1;; s++) {
		int last = *s == '\0';

		if (!last && *s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) == 0 || last) {
			if ((why = cache_dir_problem(p)))
				break;
		} else if (errno != EEXIST) {
			why = xstrdup(strerror(errno));
			break;
		} else if ((why = cache_parent_problem(p))) {
			break;
		}
		if (last)
			break;
		*s = '/';
	}
	if (why)
		fatal("cannot use %s for the cache: %s; the cache holds "
		      "programs ftmatrix runs, so it must be yours alone: fix "
		      "that, or set FTMATRIX_CACHE to a directory of your own",
		    p, why);
	free(p);
}

static char *cache;

static void
cache_find(void)
{
	const char *e;

	if ((e = getenv("FTMATRIX_CACHE")) && *e)
		cache = xstrdup(e);
	else if ((e = getenv("XDG_CACHE_HOME")) && *e)
		cache = path_join(e, "ftmatrix");
	else if ((e = getenv("HOME")) && *e)
		cache = xasprintf("%s/.cache/ftmatrix", e);
	else
		/* never a shared place such as /tmp, where another user
		 * could plant what we run */
		fatal("no cache directory: $HOME is not set; set "
		      "FTMATRIX_CACHE (or HOME) to a directory of your own");
	if (cache[0] != '/')
		fatal("the cache directory %s is not an absolute path; set "
		      "FTMATRIX_CACHE to one",
		    cache);
	cache_dir_make(cache);
}

/* Found and made on first use, once, whichever thread asks first. */
const char *
cache_dir(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, cache_find);
	return cache;
}
