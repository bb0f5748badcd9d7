/* json.c: a document read as an outline with one array's items streamed,
 * against the same document read whole. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ftmatrix.h"

/* The outline and its items put back together equal the whole document. */
static void
same_as_whole(const char *text)
{
	json_error_t e;
	json_t *whole = json_loadb(text, strlen(text), JSON_REJECT_DUPLICATES, &e);
	struct jv_items items;
	json_t *root = jv_outline(text, strlen(text), "cells", &items), *v;
	json_t *got = json_array();

	assert_non_null(whole);
	assert_non_null(root);
	while ((v = jv_items_next(&items)) != NULL)
		json_array_append(got, v);
	assert_false(items.bad);
	jv_items_free(&items);
	if (json_is_array(json_object_get(whole, "cells")))
		json_object_set(root, "cells", got);
	assert_true(json_equal(root, whole));
	json_decref(got);
	json_decref(root);
	json_decref(whole);
}

static void
test_outline_equals_whole(void **state)
{
	(void)state;
	same_as_whole("{\"cells\": []}");
	same_as_whole("{}");
	same_as_whole(" {\"a\": 1, \"cells\": [1, \"x\", null, true, [2]]}\n");
	/* brackets and quotes inside strings do not end the array */
	same_as_whole("{\"cells\": [\"]\", \"\\\"]\", \"\\\\\", {\"k]\": \"[{\"}],"
		      "\"after\": {\"b\": [3]}}");
	same_as_whole("{\"cells\":[{\"a\":[[[]]]},{}],\"z\":\"\\u00e9\"}");
	/* only the first member of that name is streamed */
	same_as_whole("{\"x\": {\"cells\": [1]}, \"cells\": [2, 3]}");
	/* a member of that name that is not an array is read as it is */
	same_as_whole("{\"cells\": 5}");
	same_as_whole("{\"cells\": {\"a\": [1]}}");
}

/* A text that is not one object without a repeated key: NULL, for the
 * caller to read it whole and say why. */
static void
test_outline_refuses(void **state)
{
	static const char *bad[] = {
		"",
		"   ",
		"[1]",
		"{",
		"{\"cells\": [1, 2]",
		"{\"cells\": [1, 2}",
		"{\"a\": 1, \"a\": 2, \"cells\": []}",
		"{\"cells\": [], \"cells\": []}",
		"{\"cells\": []} x",
		"{\"cells\": []}{}",
		"{\"a\" 1}",
		"{\"a\": 1,}",
		"{\"a\": 1 \"b\": 2}",
		"{a: 1}",
		"{\"a\": tru}",
		"{\"a\\u0000b\": 1}",
	};
	struct jv_items items;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		json_t *root = jv_outline(bad[i], strlen(bad[i]), "cells", &items);

		if (root)
			fail_msg("outline read %s", bad[i]);
	}
}

/* Items that are no list of JSON values: the reading stops and says bad,
 * though the brackets balance. */
static void
test_items_bad(void **state)
{
	static const char *bad[] = {
		"{\"cells\": [1 2]}",
		"{\"cells\": [1,]}",
		"{\"cells\": [,1]}",
		"{\"cells\": [1,,2]}",
		"{\"cells\": [{\"a\": 1, \"a\": 2}]}",
		"{\"cells\": [{}{}]}",
		"{\"cells\": [\"a\"\"b\"]}",
		"{\"cells\": [1x]}",
		"{\"cells\": [{\"a\": ]}]}",
	};
	struct jv_items items;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		json_t *root = jv_outline(bad[i], strlen(bad[i]), "cells", &items);

		if (!root)
			continue; /* refused at the outline: also a refusal */
		while (jv_items_next(&items) != NULL)
			;
		if (!items.bad)
			fail_msg("items read from %s", bad[i]);
		jv_items_free(&items);
		json_decref(root);
	}
}

/* An array in memory is read by the same calls. */
static void
test_items_of_memory(void **state)
{
	json_t *a = json_pack("[i, s, n]", 1, "x");
	struct jv_items items;
	size_t n = 0;

	(void)state;
	jv_items_of(&items, a);
	while (jv_items_next(&items) != NULL)
		n++;
	jv_items_free(&items);
	assert_int_equal(n, 3);
	assert_false(items.bad);
	jv_items_of(&items, NULL);
	assert_null(jv_items_next(&items));
	json_decref(a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_outline_equals_whole),
		cmocka_unit_test(test_outline_refuses),
		cmocka_unit_test(test_items_bad),
		cmocka_unit_test(test_items_of_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
