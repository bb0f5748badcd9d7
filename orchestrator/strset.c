#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ftmatrix.h"

/*
 * A set of strings, each with the index of what it names: open addressing
 * with linear probing, kept at most half full. The strings are not copied;
 * they must outlive the set. Loading a results file looks every cell's key
 * up once, so a file of n cells costs O(n), not O(n^2).
 */

static uint64_t
strset_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void
strset_grow(struct strset *set)
{
	size_t cap = set->cap ? set->cap * 2 : 64, i;
	struct strset_slot *old = set->slots;
	size_t oldcap = set->cap;

	set->slots = xcalloc(cap, sizeof(*set->slots));
	set->cap = cap;
	for (i = 0; i < oldcap; i++) {
		size_t k;

		if (!old[i].key)
			continue;
		k = strset_hash(old[i].key) & (cap - 1);
		while (set->slots[k].key)
			k = (k + 1) & (cap - 1);
		set->slots[k] = old[i];
	}
	free(old);
}

int
strset_add(struct strset *set, const char *key, size_t value, size_t *found)
{
	size_t k;

	if (2 * (set->n + 1) > set->cap)
		strset_grow(set);
	k = strset_hash(key) & (set->cap - 1);
	for (; set->slots[k].key; k = (k + 1) & (set->cap - 1))
		if (strcmp(set->slots[k].key, key) == 0) {
			if (found)
				*found = set->slots[k].value;
			return 1;
		}
	set->slots[k].key = key;
	set->slots[k].value = value;
	set->n++;
	return 0;
}

void
strset_free(struct strset *set)
{
	free(set->slots);
	memset(set, 0, sizeof(*set));
}

int
strset_find(const struct strset *set, const char *key, size_t *value)
{
	size_t k;

	if (!set->cap)
		return 0;
	k = strset_hash(key) & (set->cap - 1);
	for (; set->slots[k].key; k = (k + 1) & (set->cap - 1))
		if (strcmp(set->slots[k].key, key) == 0) {
			if (value)
				*value = set->slots[k].value;
			return 1;
		}
	return 0;
}
