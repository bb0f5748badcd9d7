/*
 * Internal to the results-*.c files, which together wrap jansson: making
 * JSON values and reading members with errors that name the file, the
 * place and the member. Nothing outside them includes this.
 */
#include <jansson.h>

/* NULL, non-finite numbers and -1 tristates all become null. */
json_t *jv_str(const char *s);
json_t *jv_tristate(int v);
json_t *jv_num(double v); /* integral values as integers */
json_t *jv_doc(const char *text); /* embedded JSON text as a value */
json_t *jv_real(double v);
json_t *jv_array(const double *x, size_t n);

/* Reading: a missing member or null leaves the default; a member of the
 * wrong type is an error (the first one only is printed). */
struct reader {
	const char *path;
	const char *where; /* "cell 3 (3.13t/...)" or "" */
	int failed;
	struct strset cell_keys; /* the keys of the cells read so far */
	struct strset interp_ids; /* the interpreters' ids */
	struct strset workloads;  /* the planned workloads */
};

void rd_bad(struct reader *r, const char *member, const char *expected);
char *rd_str(struct reader *r, json_t *o, const char *name);
char *rd_text(struct reader *r, json_t *o, const char *name);
long rd_int(struct reader *r, json_t *o, const char *name, long dflt);
int rd_bool(struct reader *r, json_t *o, const char *name, int dflt);
double rd_real(struct reader *r, json_t *o, const char *name, double dflt);
char *rd_doc(struct reader *r, json_t *v, const char *name);
double *rd_numbers(struct reader *r, json_t *v, const char *name, size_t *n);

/* results-sections.c: the sections beyond the flat field tables */
json_t *memory_to_json(const struct memory_profile *mp);
json_t *rusage_to_json(const struct cell_rusage *ru);
int rusage_from_json(struct reader *r, json_t *o, struct cell_rusage *ru);
json_t *settings_to_json(const struct run_settings *s);
void settings_from_json(struct reader *r, json_t *o, struct run_settings *s);
json_t *preflight_to_json(const struct preflight *p);
void preflight_from_json(struct reader *r, json_t *o, struct preflight *p);
json_t *calibrations_to_json(const struct resultset *rs);
int calibrations_from_json(struct reader *r, json_t *a, struct resultset *rs);

/* results-analysis.c: "analysis"; reading gives NULL when it does not fit
 * rs's cells (then it is computed again) */
json_t *analysis_to_json(const struct analysis *a, const struct resultset *rs);
struct analysis *analysis_from_json(json_t *o, const struct resultset *rs);

/* results-shards.c: "shard" and "hosts" */
json_t *shard_to_json(const struct shard_info *s);
int shard_from_json(struct reader *r, json_t *o, struct shard_info *s);
json_t *hosts_to_json(const struct resultset *rs);
int hosts_from_json(struct reader *r, json_t *a, struct resultset *rs);

/* results-check.c: what a file must hold beyond each member's type */
int check_sections(const char *path, json_t *root);
/* matrix "workloads": strings, none twice; fills r->workloads */
int check_workloads(struct reader *r, const struct resultset *rs);
int check_interp(struct reader *r, const struct resultset *rs, size_t i);
int check_cell(struct reader *r, const struct resultset *rs,
    const struct result_cell *c);
