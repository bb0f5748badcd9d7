/* A workload entry's own settings in a matrix:
 *   - name: seed001_overhead
 *     iterations: 20000      (matrix.c)
 *     engines: [threads]     instead of the matrix's engines
 *     threads: [8]           instead of the matrix's thread counts
 *     tasks: 1000            timed rounds per sample (latencies per round)
 *     task_warmup: 5         untimed rounds before them
 *     params: {hold_ms: 1000}  the module's PARAMS
 *     load: main             run it as the __main__ script (import: the
 *                            default, or the module's own LOAD); the
 *                            results call it seed001_overhead@main
 * Without engines, a workload runs on the matrix's engines its module
 * supports (ENGINES in the catalog); without threads, on the matrix's. */
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"
#include "matrix-tree.h"

static const char *const engine_names[] = {
    "threads", "processes", "executor-threads", "executor-processes"};
static const char *const load_names[] = {"import", "main"};

static void
add_engine(struct workload_spec *w, const char *name)
{
	w->engines =
	    xreallocarray(w->engines, w->nengines + 1, sizeof(*w->engines));
	w->engines[w->nengines++] = xstrdup(name);
}

static void
parse_engines(struct ctx *c, struct node *v, struct workload_spec *w)
{
	struct node *const *items;
	const char *name;
	size_t i, n, k;

	if (list_items(
	        c, "engines", &v, "a sequence of engine names", &items, &n) < 0)
		return;
	w->engines_given = 1;
	w->engines_node_line = v->line;
	w->engines_node_col = v->col;
	for (i = 0; i < n; i++) {
		name = get_choice(c, "engine", items[i], engine_names,
		    NELEM(engine_names), NULL);
		if (!name)
			continue;
		for (k = 0; k < w->nengines && strcmp(w->engines[k], name); k++)
			;
		if (k < w->nengines)
			problem(
			    c, items[i], "duplicate engine %s", quote(name));
		else
			add_engine(w, name);
	}
}

static void
parse_threads(struct ctx *c, struct node *v, struct workload_spec *w)
{
	struct node *const *items;
	long long x;
	size_t i, n, k;

	if (list_items(c, "threads", &v, "a sequence of thread counts", &items,
	        &n) < 0)
		return;
	w->threads_line = v->line;
	w->threads_col = v->col;
	w->threads = xcalloc(n, sizeof(int));
	for (i = 0; i < n; i++) {
		if (get_int(c, "threads", items[i], 1, 1024, &x) < 0)
			continue;
		for (k = 0; k < w->nthreads && w->threads[k] != x; k++)
			;
		if (k < w->nthreads)
			problem(c, items[i], "duplicate thread count %lld", x);
		else
			w->threads[w->nthreads++] = (int)x;
	}
}

static void
parse_params(struct ctx *c, const struct node *v, struct workload_spec *w)
{
	size_t i;

	if (v->kind == NODE_BAD)
		return;
	if (v->kind != NODE_MAP) {
		problem(c, v,
		    "\"params\" must be a mapping of names to values, e.g. "
		    "{hold_ms: 1000}, not %s",
		    node_describe(v));
		return;
	}
	w->params = xcalloc(v->nkids / 2 + 1, sizeof(char *));
	for (i = 0; i + 1 < v->nkids; i += 2) {
		const struct node *k = v->kids[i], *val = v->kids[i + 1];
		size_t j, len;

		if (want_scalar(c, "params key", k, "a name") < 0 ||
		    want_scalar(c, "params value", val, "a number or string") <
		        0)
			continue;
		if (!valid_chars(k->str, "_", 0) || !*k->str ||
		    (k->str[0] >= '0' && k->str[0] <= '9')) {
			problem(c, k,
			    "invalid parameter name %s (use letters, digits "
			    "and _)",
			    quote(k->str));
			continue;
		}
		len = strlen(k->str);
		for (j = 0; j < w->nparams; j++)
			if (!strncmp(w->params[j], k->str, len) &&
			    w->params[j][len] == '=')
				break;
		if (j < w->nparams) {
			problem(c, k, "duplicate parameter %s", quote(k->str));
			continue;
		}
		w->params[w->nparams++] = xasprintf("%s=%s", k->str, val->str);
	}
}

int
workload_option(
    struct ctx *c, const char *key, struct node *v, struct workload_spec *w)
{
	long long x;

	if (!strcmp(key, "engines"))
		parse_engines(c, v, w);
	else if (!strcmp(key, "threads"))
		parse_threads(c, v, w);
	else if (!strcmp(key, "tasks")) {
		if (get_int(c, "tasks", v, 1, 10000000, &x) == 0)
			w->tasks = (int)x;
	} else if (!strcmp(key, "task_warmup")) {
		if (get_int(c, "task_warmup", v, 0, 10000000, &x) == 0)
			w->task_warmup = (int)x;
	} else if (!strcmp(key, "params"))
		parse_params(c, v, w);
	else if (!strcmp(key, "load")) {
		const char *load = get_choice(
		    c, "load", v, load_names, NELEM(load_names), NULL);

		if (load) {
			w->load = !strcmp(load, "main") ? LOAD_MAIN
			                                : LOAD_IMPORT;
			w->load_given = 1;
		}
	} else
		return -1;
	return 0;
}

void
workload_options_free(struct workload_spec *w)
{
	size_t i;

	for (i = 0; i < w->nengines; i++)
		free(w->engines[i]);
	free(w->engines);
	free(w->threads);
	for (i = 0; i < w->nparams; i++)
		free(w->params[i]);
	free(w->params);
	w->engines = NULL;
	w->threads = NULL;
	w->params = NULL;
	w->nengines = w->nthreads = w->nparams = 0;
}

static int
in_list(const char *engines, const char *name)
{
	size_t n = strlen(name);
	const char *p = engines;

	while ((p = strstr(p, name))) {
		if ((p == engines || p[-1] == ',') &&
		    (p[n] == ',' || p[n] == '\0'))
			return 1;
		p += n;
	}
	return 0;
}

static int
has_engine(char *const *engines, size_t n, const char *name)
{
	for (size_t k = 0; k < n; k++)
		if (!strcmp(engines[k], name))
			return 1;
	return 0;
}

static int
has_threads(const int *threads, size_t n, int x)
{
	for (size_t k = 0; k < n; k++)
		if (threads[k] == x)
			return 1;
	return 0;
}

/* An entry without "load" is loaded as its module's LOAD says. */
static void
check_module_load(
    struct ctx *c, struct workload_spec *w, const struct workload_info *info)
{
	if (!info->load || !strcmp(info->load, "import"))
		w->load = LOAD_IMPORT;
	else if (!strcmp(info->load, "main"))
		w->load = LOAD_MAIN;
	else
		problem_at(c, w->line, w->col,
		    "workload %s declares LOAD = %s (expected \"import\" or "
		    "\"main\")",
		    quote(w->module), quote(info->load));
}

/* A process pool's workers import the module by name: they cannot run
 * the parent's __main__ script the way the probe does. */
static void
check_main_engines(struct ctx *c, struct workload_spec *w)
{
	size_t k;

	for (k = 0; k < w->nengines; k++)
		if (!strcmp(w->engines[k], "executor-processes"))
			problem_at(c, w->engines_node_line, w->engines_node_col,
			    "workload %s: engine \"executor-processes\" "
			    "cannot load it as __main__ (its pool's processes "
			    "import it); use threads, processes or "
			    "executor-threads",
			    quote(w->name));
}

/* A workload's own engines and threads replace the matrix's for it; the
 * matrix's lists then grow to hold them, so the plan (which walks the
 * matrix's lists) reaches every cell. A workload without its own gets the
 * matrix's, narrowed to the engines its module supports. */
void
check_workload_options(
    struct ctx *c, struct matrix *m, const struct catalog *cat)
{
	size_t nengines = m->nengines, nthreads = m->nthreads, i, k;

	for (i = 0; i < m->nworkloads; i++) {
		struct workload_spec *w = &m->workloads[i];
		const struct workload_info *info =
		    cat ? catalog_find(cat, w->module) : NULL;

		if (info && !w->load)
			check_module_load(c, w, info);
		if (w->load == LOAD_MAIN)
			check_main_engines(c, w);

		for (k = 0; info && k < w->nengines; k++)
			if (!in_list(info->engines, w->engines[k]))
				problem_at(c, w->engines_node_line,
				    w->engines_node_col,
				    "workload %s does not run on engine %s (it "
				    "supports: %s)",
				    quote(w->name), quote(w->engines[k]),
				    info->engines);
		if (!w->engines_given) {
			for (k = 0; k < nengines; k++)
				if ((!info ||
				        in_list(info->engines, m->engines[k])) &&
				    (w->load != LOAD_MAIN ||
				        strcmp(m->engines[k],
				            "executor-processes")))
					add_engine(w, m->engines[k]);
			if (info && !w->nengines && nengines)
				problem_at(c, w->line, w->col,
				    "workload %s runs on none of the matrix's "
				    "engines (it supports: %s); give it its "
				    "own "
				    "\"engines\"",
				    quote(w->name), info->engines);
		}
		if (!w->threads && nthreads) {
			w->threads = xcalloc(nthreads, sizeof(int));
			for (k = 0; k < nthreads; k++)
				w->threads[w->nthreads++] = m->threads[k];
		}
	}
	for (i = 0; i < m->nworkloads; i++) {
		const struct workload_spec *w = &m->workloads[i];

		for (k = 0; k < w->nengines; k++)
			if (!has_engine(
			        m->engines, m->nengines, w->engines[k])) {
				m->engines = xreallocarray(m->engines,
				    m->nengines + 1, sizeof(*m->engines));
				m->engines[m->nengines++] =
				    xstrdup(w->engines[k]);
			}
		for (k = 0; k < w->nthreads; k++)
			if (!has_threads(
			        m->threads, m->nthreads, w->threads[k])) {
				m->threads = xreallocarray(m->threads,
				    m->nthreads + 1, sizeof(*m->threads));
				m->threads[m->nthreads++] = w->threads[k];
			}
	}
}

int
matrix_cell_wanted(
    const struct matrix *m, size_t workload, const char *engine, int threads)
{
	const struct workload_spec *w = &m->workloads[workload];
	size_t k;
	int ok = w->nengines == 0;

	for (k = 0; k < w->nengines && !ok; k++)
		ok = !strcmp(w->engines[k], engine);
	if (!ok)
		return 0;
	if (!w->nthreads)
		return 1;
	for (k = 0; k < w->nthreads; k++)
		if (w->threads[k] == threads)
			return 1;
	return 0;
}

/* The key of a "workloads" entry: the entry itself or its "name", with
 * "@main" or "@import" when it says how to load it. */
static char *
entry_name(const struct node *item)
{
	const char *name = NULL, *load = NULL;
	size_t i;

	if (item->kind == NODE_SCALAR)
		return xstrdup(item->str);
	if (item->kind != NODE_MAP)
		return NULL;
	for (i = 0; i + 1 < item->nkids; i += 2) {
		const struct node *k = item->kids[i], *v = item->kids[i + 1];

		if (k->kind != NODE_SCALAR || v->kind != NODE_SCALAR)
			continue;
		if (strcmp(k->str, "name") == 0)
			name = v->str;
		else if (strcmp(k->str, "load") == 0)
			load = v->str;
	}
	if (!name)
		return NULL;
	return load ? xasprintf("%s%c%s", name, WORKLOAD_LOAD_SEP, load)
	            : xstrdup(name);
}

/*
 * Only the names, read without checking the rest: a results file keeps its
 * matrix as text, and a key this version of ftmatrix no longer knows must
 * not make old results unreadable.
 */
char **
matrix_text_workloads(const char *text, size_t len, size_t *n)
{
	struct ctx c = {.file = "matrix"};
	struct node *root = NULL;
	const struct node *list = NULL;
	char *name;
	char **names = NULL;
	size_t i;

	*n = 0;
	if (len <= MATRIX_MAX_BYTES && tree_build(&c, text, len, &root) == 0 &&
	    root && root->kind == NODE_MAP)
		for (i = 0; i + 1 < root->nkids; i += 2)
			if (root->kids[i]->kind == NODE_SCALAR &&
			    strcmp(root->kids[i]->str, "workloads") == 0)
				list = root->kids[i + 1];
	if (list && list->kind == NODE_SEQ) {
		names = xcalloc(list->nkids + 1, sizeof(*names));
		for (i = 0; i < list->nkids; i++)
			if ((name = entry_name(list->kids[i])) != NULL)
				names[(*n)++] = name;
	}
	problems_discard(&c);
	node_free(root);
	return names;
}
