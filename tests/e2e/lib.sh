# Shared by the end-to-end tests: sourced, not run.
set -eu
: "${FTMATRIX:?run through tests/run}"
cd "$FTMATRIX_ROOT"

fail() {
	echo "FAIL: $*" >&2
	exit 1
}

# Asserts a jq expression is true of a JSON file.
check_json() {
	file=$1
	shift
	jq -e "$@" "$file" >/dev/null || fail "$file: expected $*"
}

# The quick matrix, run once per test session and shared by the tests that
# only read its output.
quick_results() {
	dir=$FTMATRIX_TEST_TMP/quick
	if [ ! -f "$dir/report.html" ]; then
		"$FTMATRIX" run matrices/quick.yaml -o "$dir" >"$dir.out" 2>"$dir.err" ||
			{ cat "$dir.err" >&2; fail "ftmatrix run matrices/quick.yaml"; }
	fi
	echo "$dir"
}
