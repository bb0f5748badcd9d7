# Every results file follows docs/results.schema.json: the fixtures, the
# quick run, and every results file the tests before this one produced
# that ftmatrix itself reads (files the tests damaged on purpose are
# refused by ftmatrix, and left out here).
. tests/e2e/lib.sh

dir=$(quick_results)
set -- tests/fixtures/results-full.json tests/fixtures/results-small.json "$dir/results.json"
for f in $(find "$FTMATRIX_TEST_TMP" -name '*.json' -size +0 | sort); do
	case $f in "$dir/results.json") continue ;; esac
	jq -e '.schema == "ftmatrix-results"' "$f" >/dev/null 2>&1 || continue
	"$FTMATRIX" show "$f" >/dev/null 2>&1 || continue
	set -- "$@" "$f"
done
echo "validating $# results files"
check_schema "$@"

# the schema is strict on what exists: a wrong type or value is caught
jq '.cells[0].threads = "two"' tests/fixtures/results-small.json >"$FTMATRIX_TEST_TMP/990-bad.json"
if "$(tools_python)" tests/e2e/check-schema.py docs/results.schema.json "$FTMATRIX_TEST_TMP/990-bad.json" 2>/dev/null; then
	fail "the schema accepts a cell with threads \"two\""
fi
jq '.cells[0].status = "great"' tests/fixtures/results-small.json >"$FTMATRIX_TEST_TMP/990-bad.json"
if "$(tools_python)" tests/e2e/check-schema.py docs/results.schema.json "$FTMATRIX_TEST_TMP/990-bad.json" 2>/dev/null; then
	fail "the schema accepts a cell with status \"great\""
fi
# and open to members a newer ftmatrix adds
jq '.shard = {"index": 1} | .cells[0].drift_ns = [1, 2]' tests/fixtures/results-small.json >"$FTMATRIX_TEST_TMP/990-new.json"
check_schema "$FTMATRIX_TEST_TMP/990-new.json"
# every field the format document names is in the schema and back
for f in $(jq -r '[paths(type == "object" and has("properties")) as $p | getpath($p).properties | keys[]] | unique[]' docs/results.schema.json); do
	grep -q "\`$f\`" docs/results-format.md || fail "docs/results-format.md does not describe \"$f\""
done
echo ok
