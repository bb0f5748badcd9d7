# A damaged results.json (cut short, edited by hand) is refused with an
# error that names the cell where it breaks; nothing is half-read and the
# file is not touched, by run (resume) or report.
. tests/e2e/lib.sh
. tests/e2e/method-lib.sh

t=$FTMATRIX_TEST_TMP/340
mkdir -p "$t"
{
	matrix_head corrupt
	cat <<-YAML
	workloads: [cpu_loop]
	threads: [1]
	repetitions: 3
	samples: 2
	warmup: 0
	iterations: 20000
	YAML
} >"$t/m.yaml"
r=$t/out/results.json
"$FTMATRIX" run "$t/m.yaml" -o "$t/out" -q >/dev/null 2>"$t/stderr" ||
	{ cat "$t/stderr"; fail "first run"; }
check_json "$r" '(.cells | length) == 6'
cp "$r" "$t/good.json"

# cut inside the fourth cell (index 3), as a copy that ran out of space
key3=$(jq -r '.cells[3].key' "$r")
off=$(grep -b -o "\"key\": \"$key3\"" "$r" | cut -d: -f1)
head -c $((off + 200)) "$t/good.json" >"$r"
cp "$r" "$t/cut.json"
for cmd in "run $t/m.yaml -o $t/out" "report $r"; do
	# shellcheck disable=SC2086
	if "$FTMATRIX" $cmd >/dev/null 2>"$t/stderr"; then
		fail "ftmatrix $cmd accepted a truncated results file"
	fi
	grep -q "^ftmatrix: $r:[0-9]*:[0-9]*: corrupt or truncated results file: .*in cell 3 ($key3); the 3 cells before it read whole; nothing was read from it" "$t/stderr" ||
		fail "ftmatrix $cmd: $(cat "$t/stderr")"
	cmp -s "$r" "$t/cut.json" || fail "ftmatrix $cmd changed the damaged file"
done

# valid JSON, wrong content: each names the cell and what is wrong
edit() { # jq program, expected message
	jq "$1" "$t/good.json" >"$r"
	if "$FTMATRIX" run "$t/m.yaml" -o "$t/out" >/dev/null 2>"$t/stderr"; then
		fail "accepted: $1"
	fi
	grep -qF "$2" "$t/stderr" || fail "$1: expected \"$2\", got: $(cat "$t/stderr")"
}
k1=$(jq -r '.cells[1].key' "$t/good.json")
edit '.cells[1].wall_ns[0] = "fast"' "cell 1 ($k1): \"wall_ns\" is not an array of numbers"
edit '.cells[2] = .cells[0]' "cell 2 ($(jq -r '.cells[0].key' "$t/good.json")): the same key as cell 0"
edit '.cells[1].threads = 2' "cell 1 ($k1): \"key\" does not match its interpreter, workload, engine, threads and rep"
edit '.cells[1].interpreter = "3.12" | .cells[1].key = "3.12/cpu_loop/threads/1/0"' 'interpreter "3.12" is not among the file'"'"'s interpreters'
edit '.schema_version = 99' "schema version 99 is newer than this ftmatrix understands"

# the good file resumes and is complete
cp "$t/good.json" "$r"
"$FTMATRIX" run "$t/m.yaml" -o "$t/out" >/dev/null 2>"$t/stderr" || { cat "$t/stderr"; fail "good file"; }
grep -q "resuming: 6 cells kept, 0 to run" "$t/stderr" || fail "good file: $(cat "$t/stderr")"
echo ok
