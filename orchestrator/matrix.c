#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ftmatrix.h"
#include "matrix-tree.h"

static const char *const engine_names[] = {
    "threads", "processes", "executor-threads", "executor-processes"};

static const char *const scaling_names[] = {"weak", "strong"};

enum {
	TK_NAME,
	TK_DESCRIPTION,
	TK_BASELINE,
	TK_INTERPRETERS,
	TK_WORKLOADS,
	TK_ENGINES,
	TK_THREADS,
	TK_REPETITIONS,
	TK_SAMPLES,
	TK_WARMUP,
	TK_ITERATIONS,
	TK_SCALING,
	TK_TIMEOUT,
	TK_MIN_TIME,
	TK_AFFINITY,
	TK_MEMORY_INTERVAL,
	TK_DRIFT_THRESHOLD,
	TK_EXTRA_SAMPLES,
	TK_TARGET_CI,
	TK_MAX_TIME,
	TK_WORKLOADS_DIR,
	NTK
};

static const char *const top_keys[NTK] = {"name", "description", "baseline",
    "interpreters", "workloads", "engines", "threads", "repetitions", "samples",
    "warmup", "iterations", "scaling", "timeout", "min_time", "affinity",
    "memory_interval_ms", "drift_threshold", "extra_samples", "target_ci",
    "max_time", "workloads_dir"};

/* A fraction such as 0.05, or a percentage such as "5%"; at most 1. */
static void
parse_fraction(struct ctx *c, const char *what, const struct node *v,
    int zero_ok, double *out)
{
	const char *expected = zero_ok
	    ? "a fraction from 0 to 1, or a percentage such as \"5%\""
	    : "a fraction greater than 0 and at most 1, or a percentage "
	      "such as \"5%\"";
	double x;

	if (want_scalar(c, what, v, expected) < 0)
		return;
	if (fraction_parse(v->str, &x) < 0 || (x == 0 && !zero_ok)) {
		problem(c, v, "\"%s\" must be %s, not %s", what, expected,
		    quote(v->str));
		return;
	}
	*out = x;
}

static void
parse_workload(struct ctx *c, const struct node *item, struct matrix *m)
{
	struct workload_spec *w = &m->workloads[m->nworkloads];
	static const char *const keys[] = {"name", "iterations", "engines",
	    "threads", "tasks", "task_warmup", "params", "path",
	    "override_catalog", "load"};
	const struct node *seen[NELEM(keys)] = {0}, *name = NULL;
	long long x;
	size_t i;

	w->line = item->line;
	w->col = item->col;
	if (item->kind == NODE_SCALAR) {
		name = item;
	} else if (item->kind == NODE_MAP) {
		for (i = 0; i + 1 < item->nkids; i += 2) {
			const struct node *v = item->kids[i + 1];

			int k = key_lookup(
			    c, item->kids[i], keys, NELEM(keys), seen, NULL);

			switch (k) {
			case 0:
				if (want_scalar(c, "name", v, "a string") == 0)
					name = v;
				break;
			case 1:
				if (get_int(c, "iterations", v, 1,
				        1000000000000LL, &x) == 0)
					w->iterations = (long)x;
				break;
			case 7:
				if (get_str(c, "path", v, &w->path, 0) == 0) {
					w->path_line = v->line;
					w->path_col = v->col;
				}
				break;
			case 8:
				get_bool(c, "override_catalog", v,
				    &w->override_catalog);
				break;
			default:
				if (k > 1)
					workload_option(
					    c, keys[k], item->kids[i + 1], w);
			}
		}
		if (!seen[0])
			problem(c, item, "workload is missing \"name\"");
	} else {
		problem(c, item,
		    "a workload must be a name or a mapping {name: ..., "
		    "iterations: ...}, not %s",
		    node_describe(item));
	}
	if (name && !valid_chars(name->str, "_", 1)) {
		problem(c, name,
		    "invalid workload name %s (use lowercase letters, digits "
		    "and _)",
		    quote(name->str));
		name = NULL;
	}
	if (!name) {
		workload_options_free(w);
		return;
	}
	w->module = xstrdup(name->str);
	w->name = w->load_given
	    ? xasprintf("%s%c%s", name->str, WORKLOAD_LOAD_SEP,
	          w->load == LOAD_MAIN ? "main" : "import")
	    : xstrdup(name->str);
	m->nworkloads++;
}

static void
parse_workloads(struct ctx *c, const struct node *v, struct matrix *m)
{
	struct named *names;
	unsigned char *dup;
	size_t i;

	if (v->kind == NODE_BAD)
		return;
	if (v->kind != NODE_SEQ) {
		problem(c, v,
		    "\"workloads\" must be a sequence of workload names, not "
		    "%s",
		    node_describe(v));
		return;
	}
	if (!v->nkids) {
		problem(c, v, "\"workloads\" must not be empty");
		return;
	}
	m->workloads = xcalloc(v->nkids, sizeof(*m->workloads));
	for (i = 0; i < v->nkids; i++)
		if (v->kids[i]->kind != NODE_BAD)
			parse_workload(c, v->kids[i], m);
	names = xcalloc(m->nworkloads, sizeof(*names));
	dup = xcalloc(m->nworkloads, 1);
	for (i = 0; i < m->nworkloads; i++) {
		names[i].s = m->workloads[i].name;
		names[i].i = i;
	}
	mark_dups(names, m->nworkloads, dup);
	for (i = 0; i < m->nworkloads; i++)
		if (dup[i])
			problem_at(c, m->workloads[i].line, m->workloads[i].col,
			    "duplicate workload %s",
			    quote(m->workloads[i].name));
	free(names);
	free(dup);
}

static void
parse_engines(struct ctx *c, struct node *v, struct matrix *m)
{
	struct node *const *items;
	const char *name;
	size_t i, n;
	int seen[NELEM(engine_names)] = {0}, k;

	if (list_items(
	        c, "engines", &v, "a sequence of engine names", &items, &n) < 0)
		return;
	m->engines = xcalloc(n, sizeof(char *));
	for (i = 0; i < n; i++) {
		name = get_choice(c, "engine", items[i], engine_names,
		    NELEM(engine_names), NULL);
		if (!name)
			continue;
		k = name_index(name, engine_names, NELEM(engine_names));
		if (seen[k]++) {
			problem(
			    c, items[i], "duplicate engine %s", quote(name));
			continue;
		}
		m->engines[m->nengines++] = xstrdup(name);
	}
}

static void
parse_threads(struct ctx *c, struct node *v, struct matrix *m)
{
	struct node *const *items;
	unsigned char seen[1025] = {0};
	long long x;
	size_t i, n;

	if (list_items(c, "threads", &v, "a sequence of thread counts", &items,
	        &n) < 0)
		return;
	m->threads = xcalloc(n, sizeof(int));
	for (i = 0; i < n; i++) {
		if (get_int(c, "threads", items[i], 1, 1024, &x) < 0)
			continue;
		if (seen[x]++) {
			problem(c, items[i], "duplicate thread count %lld", x);
			continue;
		}
		m->threads[m->nthreads++] = (int)x;
	}
}

/* Seconds in (0, max], or [0, max] when zero is allowed (0 = off). */
static void
parse_seconds(struct ctx *c, const char *what, const struct node *v,
    int zero_ok, double max, double *out)
{
	char expected[96];
	const char *s;
	char *end;
	double x;

	snprintf(expected, sizeof(expected),
	    "a number of seconds %s 0 and at most %g",
	    zero_ok ? "from" : "greater than", max);
	if (want_scalar(c, what, v, expected) < 0)
		return;
	s = v->str;
	/* strtod alone would take "inf", "nan" and hex */
	if (!*s || strspn(s, "0123456789.eE+-") != strlen(s))
		goto bad;
	errno = 0;
	x = strtod(s, &end);
	if (errno || *end || !isfinite(x) || x < 0 || (x == 0 && !zero_ok) ||
	    x > max)
		goto bad;
	*out = x;
	return;
bad:
	problem(c, v, "\"%s\" must be %s, not %s", what, expected, quote(s));
}

static void
parse_affinity(struct ctx *c, const struct node *v, struct matrix *m)
{
	struct cpus cpus;
	const char *why;
	char *s = NULL;

	if (get_str(c, "affinity", v, &s, 0) < 0)
		return;
	if (cpus_parse(s, &cpus, &why) < 0) {
		problem(c, v,
		    "\"affinity\" must be a CPU list like \"0-3,6\" "
		    "or \"all\", not %s (%s)",
		    quote(s), why);
		free(s);
		return;
	}
	free(m->affinity);
	m->affinity = s;
}

static char *
name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	char *name;
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".yaml"))
		n -= 5;
	else if (n > 4 && !strcmp(base + n - 4, ".yml"))
		n -= 4;
	name = xstrndup(base, n);
	if (valid_name(name))
		return name;
	free(name);
	return xstrdup("matrix");
}

/* One top-level key's value, into m (interpreters' nodes into *nodes, for
 * the checks that need them all). */
static void
parse_top_key(struct ctx *c, int k, struct node *v,
    struct matrix *m, struct interp_nodes **nodes)
{
	const char *name;
	long long x;

	switch (k) {
	case TK_NAME:
		if (get_str(c, "name", v, &m->name, 0) == 0 &&
		    !valid_name(m->name))
			problem(c, v,
			    "invalid matrix name %s (use letters, "
			    "digits and . _ + -, starting with a "
			    "letter or digit)",
			    quote(m->name));
		break;
	case TK_DESCRIPTION:
		get_str(c, "description", v, &m->description, 1);
		break;
	case TK_BASELINE:
		get_str(c, "baseline", v, &m->baseline, 0);
		break;
	case TK_INTERPRETERS:
		parse_interps(c, v, m, nodes);
		break;
	case TK_WORKLOADS:
		parse_workloads(c, v, m);
		break;
	case TK_ENGINES:
		parse_engines(c, v, m);
		break;
	case TK_THREADS:
		parse_threads(c, v, m);
		break;
	case TK_REPETITIONS:
		set_int(c, "repetitions", v, 1, 10000, &m->repetitions);
		break;
	case TK_SAMPLES:
		set_int(c, "samples", v, 1, 100000, &m->samples);
		break;
	case TK_WARMUP:
		set_int(c, "warmup", v, 0, 10000, &m->warmup);
		break;
	case TK_ITERATIONS:
		if (get_int(c, "iterations", v, 1, 1000000000000LL,
		        &x) == 0)
			m->iterations = (long)x;
		break;
	case TK_SCALING:
		name = get_choice(c, "scaling", v, scaling_names,
		    NELEM(scaling_names), " or ");
		if (name) {
			free(m->scaling);
			m->scaling = xstrdup(name);
		}
		break;
	case TK_TIMEOUT:
		parse_seconds(c, "timeout", v, 0, 86400, &m->timeout_s);
		break;
	case TK_MIN_TIME:
		parse_seconds(c, "min_time", v, 1, 60, &m->min_time_s);
		break;
	case TK_AFFINITY:
		parse_affinity(c, v, m);
		break;
	case TK_MEMORY_INTERVAL:
		set_int(c, "memory_interval_ms", v, 0, 60000,
		    &m->memory_interval_ms);
		break;
	case TK_DRIFT_THRESHOLD:
		parse_fraction(c, "drift_threshold", v, 1,
		    &m->drift_threshold);
		break;
	case TK_EXTRA_SAMPLES:
		set_int(c, "extra_samples", v, 0, 100000,
		    &m->extra_samples);
		break;
	case TK_TARGET_CI:
		parse_fraction(c, "target_ci", v, 0, &m->target_ci);
		break;
	case TK_MAX_TIME:
		parse_seconds(c, "max_time", v, 1, 604800,
		    &m->max_time_s);
		break;
	case TK_WORKLOADS_DIR:
		parse_workloads_dirs(c, v, m);
		break;
	}
}

static void
check_matrix(struct ctx *c, const struct node *root, struct matrix *m)
{
	const struct node *seen[NTK] = {0};
	unsigned char guessed[NTK] = {0};
	struct interp_nodes *nodes = NULL;
	size_t i;

	for (i = 0; i + 1 < root->nkids; i += 2)
		parse_top_key(c,
		    key_lookup(c, root->kids[i], top_keys, NTK, seen, guessed),
		    root->kids[i + 1], m, &nodes);
	if (!seen[TK_INTERPRETERS] && !guessed[TK_INTERPRETERS])
		problem(c, root,
		    "the matrix is missing \"interpreters\" (a sequence of "
		    "interpreters to compare)");
	if (!seen[TK_WORKLOADS] && !guessed[TK_WORKLOADS])
		problem(c, root,
		    "the matrix is missing \"workloads\" (a sequence of "
		    "workload names)");
	/* without interpreters, every baseline would be wrong */
	check_interps(
	    c, m, nodes, seen[TK_INTERPRETERS] ? seen[TK_BASELINE] : NULL);
	free(nodes);
	if (!seen[TK_ENGINES]) {
		m->engines = xcalloc(1, sizeof(char *));
		m->engines[m->nengines++] = xstrdup("threads");
	}
	if (!seen[TK_THREADS]) {
		m->threads = xcalloc(2, sizeof(int));
		m->threads[m->nthreads++] = 1;
		m->threads[m->nthreads++] = 2;
	}
}

/* Every cell is a probe process and a results entry: a matrix that asks for
 * millions is a mistake, and its plan alone would not fit in memory. */
static void
check_cells(struct ctx *c, const struct node *root, const struct matrix *m)
{
	unsigned long long n = 1;
	size_t f[] = {m->ninterps, m->nworkloads, m->nengines, m->nthreads,
	    (size_t)m->repetitions};
	size_t i;
	int overflow = 0;

	for (i = 0; i < NELEM(f); i++)
		overflow |= __builtin_mul_overflow(n, f[i], &n);
	if (overflow || n > MATRIX_MAX_CELLS)
		problem(c, root,
		    "the matrix asks for %s%llu cells (interpreters x "
		    "workloads x engines x threads x repetitions), at most %d",
		    overflow ? "more than " : "", overflow ? ULLONG_MAX : n,
		    MATRIX_MAX_CELLS);
}

int
matrix_parse(const char *name, const char *text, size_t len, struct matrix *m)
{
	return matrix_parse_catalog(name, text, len, NULL, m);
}

int
matrix_parse_catalog(const char *name, const char *text, size_t len,
    const struct catalog *cat, struct matrix *m)
{
	struct ctx c = {0};
	struct node *root = NULL;
	struct catalog merged = {0};
	int module_problems = 0;

	memset(m, 0, sizeof(*m));
	c.file = name ? name : "matrix";
	m->path = xstrdup(c.file);
	m->text = xmalloc(len + 1);
	if (len)
		memcpy(m->text, text, len);
	m->text[len] = '\0';
	m->repetitions = 3;
	m->samples = 5;
	m->warmup = 1;
	m->iterations = 100000;
	m->timeout_s = 600;
	m->memory_interval_ms = 50;
	m->drift_threshold = DRIFT_THRESHOLD_DEFAULT;
	m->extra_samples = -1; /* as many as samples */

	if (len > MATRIX_MAX_BYTES)
		problem_at(
		    &c, 1, 1, "file too large (a matrix is at most 1 MiB)");
	else if (tree_build(&c, m->text, len, &root) == 0) {
		if (!root || (root->kind == NODE_SCALAR && !*root->str))
			problem_at(&c, 1, 1,
			    "the matrix is empty (it needs \"interpreters\" "
			    "and \"workloads\")");
		else if (root->kind != NODE_MAP)
			problem(&c, root,
			    "the matrix must be a mapping with "
			    "\"interpreters\" and \"workloads\", not %s",
			    node_describe(root));
		else {
			check_matrix(&c, root, m);
			check_cells(&c, root, m);
			if (cat) {
				module_problems =
				    workloads_resolve(&c, m, cat, &merged);
				cat = &merged;
			}
			check_workload_options(&c, m, cat);
			catalog_free(&merged);
		}
	}
	node_free(root);
	if (!m->name)
		m->name = name_from_path(c.file);
	if (!m->scaling)
		m->scaling = xstrdup("weak");
	return problems_flush(&c) + module_problems;
}

/* Reads at most MATRIX_MAX_BYTES + 1 of path into b; -1 after saying why
 * not. Bounded, so /dev/zero or a huge file cannot fill memory. */
static int
matrix_read(const char *path, struct buf *b)
{
	struct stat st;
	char chunk[65536];
	ssize_t n;
	int fd;

	/* O_NONBLOCK: a FIFO nobody writes to must not hang the open */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		error("cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		error("cannot read %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		error("cannot read %s: it is a directory", path);
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	while (b->len <= MATRIX_MAX_BYTES) {
		n = read(fd, chunk, sizeof(chunk));
		if (n == 0)
			break;
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			error("cannot read %s: %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		buf_add(b, chunk, n);
	}
	close(fd);
	if (b->len > MATRIX_MAX_BYTES) {
		error(
		    "%s:1:1: file too large (a matrix is at most 1 MiB)", path);
		return -1;
	}
	return 0;
}

int
matrix_load(const char *path, struct matrix *m)
{
	struct buf b = {0};
	int rc;

	if (matrix_read(path, &b) < 0) {
		buf_free(&b);
		memset(m, 0, sizeof(*m));
		m->path = xstrdup(path);
		return 1;
	}
	rc = matrix_parse(path, buf_str(&b), b.len, m);
	buf_free(&b);
	return rc;
}

void
workload_spec_free(struct workload_spec *w)
{
	free(w->name);
	free(w->path);
	free(w->module);
	free(w->module_file);
	free(w->module_dir);
	workload_options_free(w);
}

void
matrix_free(struct matrix *m)
{
	size_t i, j;

	for (i = 0; i < m->ninterps; i++) {
		struct interp_spec *in = &m->interps[i];

		free(in->id);
		free(in->label);
		free(in->request);
		free(in->version);
		free(in->path);
		free(in->source);
		free(in->sha256);
		free(in->variant_of);
		for (j = 0; j < in->nconfigure_args; j++)
			free(in->configure_args[j]);
		free(in->configure_args);
		for (j = 0; j < in->nenv; j++) {
			free(in->env[j].name);
			free(in->env[j].value);
		}
		free(in->env);
	}
	free(m->interps);
	for (i = 0; i < m->nworkloads; i++)
		workload_spec_free(&m->workloads[i]);
	for (i = 0; i < m->nworkloads_dirs; i++)
		free(m->workloads_dirs[i]);
	free(m->workloads_dirs);
	free(m->workloads);
	for (i = 0; i < m->nengines; i++)
		free(m->engines[i]);
	free(m->engines);
	free(m->threads);
	free(m->path);
	free(m->name);
	free(m->description);
	free(m->text);
	free(m->baseline);
	free(m->scaling);
	free(m->affinity);
	memset(m, 0, sizeof(*m));
}

int
matrix_open(const char *path, struct matrix *m)
{
	struct matrix_input in = {.path = path};

	return matrix_open_input(&in, m);
}

int
matrix_open_input(const struct matrix_input *in, struct matrix *m)
{
	const char *path = in->path;
	/* a URL's password stays out of messages and results */
	char *name = url_display(path);
	struct catalog cat;
	struct buf b = {0};
	char *changed = NULL;
	int problems = 1, unread = 0;

	memset(m, 0, sizeof(*m));
	if (in->text)
		buf_puts(&b, in->text);
	else if (url_is_remote(path))
		unread = fetch_text(path, MATRIX_MAX_BYTES, &b) < 0;
	else
		unread = matrix_read(path, &b) < 0;
	if (unread) {
		m->path = xstrdup(name);
	} else if (in->overrides && !in->text &&
	    matrix_overrides_any(in->overrides) &&
	    !(changed = matrix_override_text(
	          name, buf_str(&b), b.len, in->overrides))) {
		problems = matrix_parse(name, buf_str(&b), b.len, m);
		if (!problems) {
			error("%s: cannot apply the command line's changes",
			    name);
			problems = 1;
		}
	} else if (catalog_load_dirs(
	               &cat, in->workloads_dirs, in->nworkloads_dirs) < 0) {
		m->path = xstrdup(name);
	} else {
		const char *text = changed ? changed : buf_str(&b);

		problems = matrix_parse_catalog(
		    name, text, changed ? strlen(changed) : b.len, &cat, m);
		catalog_free(&cat);
	}
	buf_free(&b);
	free(changed);
	free(name);
	return problems;
}
