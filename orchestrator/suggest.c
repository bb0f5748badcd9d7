/* "did you mean": the known name a misspelt one most likely stands for. */
#include <stdint.h>
#include <string.h>

#include "ftmatrix.h"

static size_t
edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), row[65], i, j;

	if (la > 64 || lb > 64)
		return SIZE_MAX;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t best = diag + (a[i - 1] != b[j - 1]);

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

/* How much of the shorter one the longer holds: the length of the shorter
 * when it is a prefix or a part of the longer ("int_arith" in
 * "int_arithmetic"), else 0. Short parts match too much to count. */
static size_t
contained(const char *s, const char *name)
{
	size_t ls = strlen(s), ln = strlen(name);
	const char *shorter = ls < ln ? s : name, *longer = ls < ln ? name : s;
	size_t n = ls < ln ? ls : ln;

	if (n < 4 || !strstr(longer, shorter))
		return 0;
	return n;
}

int
name_suggest(const char *s, const char *const *names, size_t n)
{
	size_t i, d, best_d = SIZE_MAX, part, best_part = 0;
	int best = -1, best_contained = -1;

	for (i = 0; i < n; i++) {
		if (!names[i])
			continue;
		d = edit_distance(s, names[i]);
		if (d < best_d) {
			best_d = d;
			best = (int)i;
		}
		part = contained(s, names[i]);
		if (part > best_part) {
			best_part = part;
			best_contained = (int)i;
		}
	}
	if (best >= 0 && best_d <= 2 && best_d < strlen(names[best]))
		return best;
	return best_contained;
}

int
name_index_exact(const char *s, const char *const *names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && strcmp(s, names[i]) == 0)
			return (int)i;
	return -1;
}
