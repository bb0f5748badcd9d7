/* matrix-tree.h: what the matrix*.c files share, and nothing else includes.
 * matrix-yaml.c turns YAML into a tree of nodes with marks, matrix.c and
 * matrix-interp.c check the tree into struct matrix, matrix-values.c reads
 * typed values off nodes, matrix-problems.c collects what is wrong. */

/* Limits that keep hostile input (a remote matrix, say) cheap to reject. */
#define MATRIX_MAX_BYTES (1024 * 1024)
#define MATRIX_MAX_DEPTH 32
#define MATRIX_MAX_NODES 100000
#define MATRIX_MAX_CELLS 100000
#define MATRIX_MAX_SHOWN 100 /* problems printed; the rest are counted */
#define QUOTE_MAX 64

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

enum node_kind { NODE_BAD, NODE_SCALAR, NODE_SEQ, NODE_MAP };

/* The document as a tree; NODE_BAD stands in for what was already reported
 * (an alias, a string with NUL in it) so mappings keep key/value pairs. */
struct node {
	enum node_kind kind;
	int line, col;
	char *str;
	struct node **kids; /* a mapping's are key, value, key, value, ... */
	size_t nkids, cap;
};

struct problem {
	int line, col;
	size_t seq;
	char *msg;
};

struct ctx {
	const char *file;
	struct problem *problems;
	size_t nproblems, problems_cap;
	size_t nnodes;
};

struct named {
	const char *s;
	size_t i;
};

/* Where an interpreter's id and variant_of were, for checks that need
 * every entry. */
struct interp_nodes {
	const struct node *id, *variant_of;
};

/* matrix-yaml.c: libyaml to a node tree. Returns -1 when the text is not a
 * YAML document we can check (syntax, nesting, size), after reporting. */
int tree_build(struct ctx *c, const char *text, size_t len, struct node **root);
void node_free(struct node *n);

/* matrix-problems.c: every problem is kept, then printed in file order */
void problem_at(struct ctx *c, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void problem(struct ctx *c, const struct node *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Prints the problems as file:line:col: message; returns how many. */
int problems_flush(struct ctx *c);
/* Forgets the problems without printing them. */
void problems_discard(struct ctx *c);
/* A value quoted for a message, escaped and cut short; four may be live. */
const char *quote(const char *s);
/* The node as a message shows it: its value quoted, or "a mapping". */
const char *node_describe(const struct node *n);
void names_join(
    struct buf *b, const char *const *names, size_t n, const char *last);
int name_index(const char *s, const char *const *names, size_t n);
/* The index of the name s is a likely misspelling of, else -1. */
int name_closest(const char *s, const char *const *names, size_t n);
int key_lookup(struct ctx *c, const struct node *key, const char *const *names,
    size_t n, const struct node **seen, unsigned char *guessed);

/* matrix-values.c: typed values, each reporting what was expected */
int want_scalar(struct ctx *c, const char *what, const struct node *v,
    const char *expected);
int get_str(struct ctx *c, const char *what, const struct node *v, char **out,
    int allow_empty);
int get_bool(struct ctx *c, const char *what, const struct node *v, int *out);
int get_int(struct ctx *c, const char *what, const struct node *v, long long lo,
    long long hi, long long *out);
void set_int(struct ctx *c, const char *what, const struct node *v,
    long long lo, long long hi, int *out);
const char *get_choice(struct ctx *c, const char *what, const struct node *v,
    const char *const *names, size_t n, const char *last);
int list_items(struct ctx *c, const char *what, struct node *const *vp,
    const char *expected, struct node *const **items, size_t *n);
int named_find_cmp(const void *key, const void *elem);
void mark_dups(struct named *v, size_t n, unsigned char *dup);
int valid_chars(const char *s, const char *extra, int lower_only);
int valid_name(const char *s);

/* matrix-user.c: the user's workloads (workloads_dir, path, --workloads) */
void parse_workloads_dirs(struct ctx *c, struct node *v, struct matrix *m);
/* Every workload must exist: in a path of its own, the --workloads
 * directories (cat's user entries), the matrix's workloads_dir or the
 * catalog, searched in that order; merged gets them in that order. Sets
 * each user workload's module and module_dir. Returns the problems found
 * in the modules (printed already); the matrix's go to c. */
int workloads_resolve(struct ctx *c, struct matrix *m,
    const struct catalog *cat, struct catalog *merged);

/* matrix-interp.c: the "interpreters" list */
void parse_interps(struct ctx *c, const struct node *v, struct matrix *m,
    struct interp_nodes **nodes);
void check_interps(struct ctx *c, struct matrix *m,
    const struct interp_nodes *nodes, const struct node *baseline_key);

/* matrix-workload.c: a workload entry's own keys (engines, threads, tasks,
 * task_warmup, params); -1 when key is not one of them */
int workload_option(
    struct ctx *c, const char *key, struct node *v, struct workload_spec *w);
void check_workload_options(
    struct ctx *c, struct matrix *m, const struct catalog *cat);
