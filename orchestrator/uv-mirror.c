/* Packs interpreters built here as python-build-standalone install_only
 * archives, and the downloads JSON uv reads them from, so uv installs them
 * from a directory (UV_PYTHON_INSTALL_MIRROR, UV_PYTHON_DOWNLOADS_JSON_URL)
 * as it would from python-build-standalone's releases; relocate.c makes
 * what is packed run from wherever uv puts it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include "ftmatrix.h"

#define PBS_RELEASES                                                           \
	"https://github.com/astral-sh/python-build-standalone/releases/"       \
	"download/"

static char *
arch_name(void)
{
	struct utsname u;

	if (uname(&u) < 0)
		return xstrdup("x86_64");
	return xstrdup(u.machine);
}

/* The build tag python-build-standalone puts in names: the day the
 * interpreter was built (YYYYMMDD). */
static time_t
build_time(const char *python)
{
	struct stat st;

	return stat(python, &st) == 0 ? st.st_mtime : time(NULL);
}

static char *
build_tag(const char *python)
{
	struct tm tm;
	char s[16];
	time_t t = build_time(python);

	gmtime_r(&t, &tm);
	strftime(s, sizeof(s), "%Y%m%d", &tm);
	return xstrdup(s);
}

struct uv_mirror {
	char *dir, *json_path;
	json_t *downloads;
};

struct uv_mirror *
uv_mirror_open(const char *dir)
{
	struct uv_mirror *mi = xcalloc(1, sizeof(*mi));
	struct jv_error jerr;

	mi->dir = xstrdup(dir);
	mi->json_path = path_join(dir, UV_MIRROR_JSON);
	if (mkdir_p(dir) < 0) {
		uv_mirror_close(mi, 0);
		return NULL;
	}
	if (path_exists(mi->json_path)) {
		mi->downloads = jv_file_load(mi->json_path, &jerr);
		if (!jv_is_object(mi->downloads)) {
			error("%s:%d:%d: not a downloads JSON object (%s); "
			      "remove it or give another directory",
			    mi->json_path, jerr.line, jerr.column, jerr.text);
			uv_mirror_close(mi, 0);
			return NULL;
		}
	} else {
		mi->downloads = jv_object();
	}
	return mi;
}

int
uv_mirror_close(struct uv_mirror *mi, int save)
{
	int rc = 0;

	if (save) {
		char *text = jv_dump(mi->downloads, JV_SORTED);

		rc = file_write_atomic(mi->json_path, text, strlen(text));
		free(text);
	}
	jv_free(mi->downloads);
	free(mi->dir);
	free(mi->json_path);
	free(mi);
	return rc;
}

int
uv_mirror_add(struct uv_mirror *mi, const struct interp *in)
{
	const char *dir = mi->dir;
	json_t *downloads = mi->downloads;
	const struct identity *id = &in->identity;
	int ft = id->gil_disabled_build, major = 0, minor = 0, patch = 0;
	struct build_vars v;
	char *arch = arch_name(), *tag = NULL, *name = NULL, *key = NULL;
	char *stage = NULL, *staged = NULL, *tardir = NULL, *archive = NULL,
	     *tmp = NULL;
	char *url = NULL, sha[65];
	int rc = -1;

	if (build_vars_read(in->python, &v) < 0) {
		free(arch);
		return -1;
	}
	if (sscanf(id->version ? id->version : "", "%d.%d.%d", &major, &minor,
	        &patch) != 3) {
		error("%s: version \"%s\" is not X.Y.Z", in->spec->id,
		    id->version ? id->version : "");
		goto out;
	}
	tag = build_tag(in->python);
	key = xasprintf("cpython-%s%s-linux-%s-gnu", id->version,
	    ft ? "+freethreaded" : "", arch);
	name = xasprintf("cpython-%s+%s-%s-unknown-linux-gnu-%s"
	                 "install_only_stripped.tar.gz",
	    id->version, tag, arch, ft ? "freethreaded-" : "");
	tardir = path_join(dir, tag);
	archive = path_join(tardir, name);
	tmp = xasprintf("%s.tmp.%ld", archive, (long)getpid());
	stage = xasprintf("%s/.stage.%ld", dir, (long)getpid());
	fprintf(stderr, "ftmatrix: %s: packing %s as %s\n", in->spec->id,
	    v.prefix, name);
	remove_tree(stage);
	staged = path_join(stage, "python");
	if (mkdir_p(tardir) < 0 || relocated_copy(&v, staged) < 0)
		goto out;
	{
		/* the same build packs to the same bytes: names sorted, one
		 * owner and time, no time in the gzip header */
		char *mtime =
		    xasprintf("--mtime=@%ld", (long)build_time(in->python));
		char *tar[] = {"tar", "-C", stage, "--owner=0", "--group=0",
		    "--numeric-owner", "--sort=name", "--hard-dereference",
		    mtime, "-I", "gzip -1 -n", "-cf", tmp, "python", NULL};
		int r = tool_run(tar, NULL);

		free(mtime);
		if (r < 0)
			goto out;
	}
	if (sha256_file(tmp, sha) < 0 || rename(tmp, archive) < 0) {
		error("cannot write %s: %s", archive, strerror(errno));
		goto out;
	}
	url = xasprintf(PBS_RELEASES "%s/%s", tag, name);
	{
		/* uv reads "+" in a URL's path as "%2B", as the releases
		 * spell it */
		char *enc = text_replace(url, "+", "%2B");

		free(url);
		url = enc;
	}
	{
		json_t *d = jv_object(), *arch_o = jv_object();

		jv_set(arch_o, "family", jv_str(arch));
		jv_set(arch_o, "variant", NULL);
		jv_set(d, "name", jv_str("cpython"));
		jv_set(d, "arch", arch_o);
		jv_set(d, "os", jv_str("linux"));
		jv_set(d, "libc", jv_str("gnu"));
		jv_set(d, "major", jv_num(major));
		jv_set(d, "minor", jv_num(minor));
		jv_set(d, "patch", jv_num(patch));
		jv_set(d, "prerelease", jv_str(""));
		jv_set(d, "url", jv_str(url));
		jv_set(d, "sha256", jv_str(sha));
		if (ft)
			jv_set(d, "variant", jv_str("freethreaded"));
		jv_set(d, "build", jv_str(tag));
		jv_set(downloads, key, d);
	}
	fprintf(
	    stderr, "ftmatrix: %s: %s (sha256 %s)\n", in->spec->id, key, sha);
	rc = 0;
out:
	if (stage)
		remove_tree(stage);
	if (tmp)
		unlink(tmp);
	build_vars_free(&v);
	free(arch);
	free(tag);
	free(name);
	free(key);
	free(stage);
	free(staged);
	free(tardir);
	free(archive);
	free(tmp);
	free(url);
	return rc;
}
