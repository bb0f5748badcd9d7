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

# The PIDs of processes whose command line holds every ARG as a whole
# argument. Give something only this test run's processes have (a path
# under $FTMATRIX_TEST_TMP): a bare name would also find the processes of
# another test run on the same machine.
pids_with_args() {
	for p in /proc/[0-9]*; do
		# (a process may end while we look: its files go away)
		args=$({ tr '\0' '\n' <"$p/cmdline"; } 2>/dev/null) || continue
		for a in "$@"; do
			case "
$args
" in
			*"
$a
"*) ;;
			*) continue 2 ;;
			esac
		done
		echo "${p#/proc/}"
	done
}

# The Python of the tests' tools venv (jsonschema, pyperf), which
# scripts/install-deps makes under the cache.
tools_python() {
	py=${FTMATRIX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ftmatrix}/tools/pyvenv/bin/python
	[ -x "$py" ] || fail "no tools venv at $py: run scripts/install-deps"
	echo "$py"
}

# Validates results files against docs/results.schema.json.
check_schema() {
	"$(tools_python)" tests/e2e/check-schema.py docs/results.schema.json "$@" ||
		fail "results do not follow docs/results.schema.json: $*"
}
