/*
 * What can be said about a user's workload module without running it: the
 * file, its name, and the contract's constants and functions read off the
 * text (probes/workloads/README.md). Python itself finds the rest when the
 * probe imports it.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ftmatrix.h"

/* A top-level `NAME = value` or `def NAME(` line: where its value (or the
 * name) starts, 1-based; 0 when there is none. */
static int
find_line(const char *text, const char *name, int def, int *col)
{
	size_t n = strlen(name);
	const char *p = text;
	int line = 1;

	while (*p) {
		const char *q = p;

		if (def && strncmp(q, "def ", 4) == 0) {
			q += 4 + strspn(q + 4, " ");
			if (strncmp(q, name, n) == 0 &&
			    (q[n] == '(' || q[n] == ' ')) {
				*col = (int)(q - p) + 1;
				return line;
			}
		} else if (!def && strncmp(q, name, n) == 0 &&
		    (q[n] == ' ' || q[n] == '=' || q[n] == ':')) {
			q += n + strspn(q + n, " ");
			if (*q == ':') /* an annotation: NAME: str = ... */
				q = strchr(q, '=') ? strchr(q, '=') : q;
			if (*q == '=' && q[1] != '=') {
				q++;
				q += strspn(q, " ");
				*col = (int)(q - p) + 1;
				return line;
			}
		}
		p = strchr(p, '\n');
		if (!p)
			break;
		p++;
		line++;
	}
	return 0;
}

/* The start of line `line` (1-based) in text */
static const char *
line_at(const char *text, int line)
{
	while (--line > 0 && (text = strchr(text, '\n')))
		text++;
	return text ? text : "";
}

static int
is_string(const char *v)
{
	/* str, perhaps with a prefix the value stays a str with */
	while (*v == 'r' || *v == 'R' || *v == 'u' || *v == 'U')
		v++;
	return *v == '"' || *v == '\'' || *v == '(';
}

int
workload_name_valid(const char *s)
{
	if (!*s || isdigit((unsigned char)*s) || *s == '_')
		return 0;
	for (; *s; s++)
		if (!islower((unsigned char)*s) &&
		    !isdigit((unsigned char)*s) && *s != '_')
			return 0;
	return 1;
}

int
workload_module_check(const char *path, const char *name)
{
	static const char *const required[] = {"DESCRIPTION", "GROUP", "UNIT"};
	static const char *const engines[] = {
	    "threads", "processes", "executor-threads", "executor-processes"};
	struct buf b = {0};
	struct stat st;
	const char *text, *v;
	int problems = 0, line, col;
	size_t i;

	if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
		error("%s: no such workload file", path);
		return 1;
	}
	if (!workload_name_valid(name)) {
		error("%s:1:1: %s is not a workload name (the file name, "
		      "without .py, must be lowercase letters, digits and _, "
		      "starting with a letter)",
		    path, name);
		problems++;
	}
	if (file_read(path, &b) < 0)
		return problems + 1;
	text = buf_str(&b);
	for (i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		line = find_line(text, required[i], 0, &col);
		if (!line) {
			error("%s:1:1: missing %s = \"...\" (required: see "
			      "probes/workloads/README.md)",
			    path, required[i]);
			problems++;
			continue;
		}
		v = line_at(text, line) + col - 1;
		if (!is_string(v)) {
			error("%s:%d:%d: %s must be a str", path, line, col,
			    required[i]);
			problems++;
		}
	}
	if (!find_line(text, "C_WORKLOAD", 0, &col) &&
	    !find_line(text, "FINDING", 0, &col) &&
	    !find_line(text, "run", 1, &col) &&
	    !find_line(text, "thread_run", 1, &col)) {
		error("%s:1:1: no run(n) function (a workload defines run(n), "
		      "or thread_run(index, nthreads))",
		    path);
		problems++;
	}
	if (find_line(text, "FINDING", 0, &col) &&
	    !find_line(text, "check", 1, &col)) {
		error(
		    "%s:1:1: FINDING without a check(nthreads) function", path);
		problems++;
	}
	if ((line = find_line(text, "ENGINES", 0, &col))) {
		const char *p = line_at(text, line) + col - 1;
		const char *end = strpbrk(p, "\n)]");

		while (p < end) {
			size_t n;
			char *word;

			p += strcspn(p, "\"'\n");
			if (p >= end || *p == '\n')
				break;
			n = strcspn(p + 1, "\"'\n");
			word = xstrndup(p + 1, n);
			if (name_index_exact(word, engines, 4) < 0) {
				error("%s:%d:%d: unknown engine \"%s\" in "
				      "ENGINES (expected threads, processes, "
				      "executor-threads, executor-processes)",
				    path, line,
				    (int)(p - line_at(text, line)) + 1, word);
				problems++;
			}
			free(word);
			p += n + 2;
		}
	}
	buf_free(&b);
	return problems;
}

char *
workload_files_record(const struct matrix *m)
{
	struct workload_file *f = xcalloc(m->nworkloads + 1, sizeof(*f));
	struct buf *texts = xcalloc(m->nworkloads + 1, sizeof(*texts));
	size_t i, n = 0;
	char *json = NULL;

	for (i = 0; i < m->nworkloads; i++) {
		const struct workload_spec *w = &m->workloads[i];

		if (!w->module_file)
			continue;
		if (file_read(w->module_file, &texts[n]) < 0)
			continue;
		f[n].name = w->name;
		f[n].path = w->module_file;
		f[n].text = texts[n].data ? texts[n].data : "";
		sha256_hex(texts[n].data, texts[n].len, f[n].sha256);
		n++;
	}
	if (n)
		json = workload_files_json(f, n);
	for (i = 0; i < n; i++)
		buf_free(&texts[i]);
	free(texts);
	free(f);
	return json;
}

int
workload_files_unchanged(const struct matrix *m, const char *old,
    const char *now, const char *results_path)
{
	char a[65], b[65];
	size_t i;

	for (i = 0; i < m->nworkloads; i++) {
		const struct workload_spec *w = &m->workloads[i];

		if (!w->module_file || workload_file_sha256(old, w->name, a) < 0 ||
		    workload_file_sha256(now, w->name, b) < 0 ||
		    strcmp(a, b) == 0)
			continue;
		error("%s: workload %s changed since its cells there were "
		      "measured (%s: sha256 %.12s then, %.12s now); measure it "
		      "into a new directory (-o DIR)",
		    results_path, w->name, w->module_file, a, b);
		return -1;
	}
	return 0;
}

char *
workload_files_json(const struct workload_file *f, size_t n)
{
	json_t *o = jv_object();
	char *text;

	for (size_t i = 0; i < n; i++) {
		json_t *w = jv_object();

		jv_set(w, "path", jv_str(f[i].path));
		jv_set(w, "sha256", jv_str(f[i].sha256));
		/* jansson takes UTF-8 only; the sha256 still names the file */
		jv_set(w, "text", jv_str(f[i].text));
		jv_set(o, f[i].name, w);
	}
	text = jv_dump(o, JV_COMPACT);
	jv_free(o);
	return text;
}

int
workload_file_sha256(const char *json, const char *name, char out[65])
{
	json_t *o = json ? jv_parse(json, NULL) : NULL;
	const char *sha = jv_get_str(jv_get(o, name), "sha256");
	int rc = -1;

	if (sha && strlen(sha) == 64) {
		memcpy(out, sha, 65);
		rc = 0;
	}
	jv_free(o);
	return rc;
}
