/*
 * Internal to the results-*.c files: their field tables are written
 * against jansson's values (json.c holds the helpers they share).
 */
#include <jansson.h>

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
