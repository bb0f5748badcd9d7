# Resuming after the matrix changed: changes that leave old cells
# comparable (names, comments, baseline, timeout, more thread counts or
# repetitions) resume and run only the new cells; changes that would mix
# differently measured cells are refused with the reason, and the results
# file is left as it was.
. tests/e2e/lib.sh
. tests/e2e/method-lib.sh

t=$FTMATRIX_TEST_TMP/320
mkdir -p "$t"
body() { # threads repetitions samples iterations
	cat <<-YAML
	workloads: [cpu_loop]
	threads: [$1]
	repetitions: $2
	samples: $3
	warmup: 0
	iterations: $4
	YAML
}
{ matrix_head comparable; body 1 1 2 20000; } >"$t/m.yaml"
r=$t/out/results.json
"$FTMATRIX" run "$t/m.yaml" -o "$t/out" -q >/dev/null 2>"$t/stderr" ||
	{ cat "$t/stderr"; fail "first run"; }
check_json "$r" '(.cells | length) == 2'
cp "$r" "$t/before.json"

refused() { # what the error must say; the matrix is in $t/m2.yaml
	if "$FTMATRIX" run "$t/m2.yaml" -o "$t/out" >/dev/null 2>"$t/stderr"; then
		fail "resumed although $1"
	fi
	grep -q "cannot resume: $1" "$t/stderr" ||
		fail "expected \"cannot resume: $1\", got: $(cat "$t/stderr")"
	grep -q "undo the change, or use another -o DIR" "$t/stderr" ||
		fail "no way out suggested"
	cmp -s "$r" "$t/before.json" || fail "a refused resume changed $r"
}

{ matrix_head comparable; body 1 1 3 20000; } >"$t/m2.yaml"
refused '"samples" was 2, now 3'
{ matrix_head comparable; body 1 1 2 40000; } >"$t/m2.yaml"
refused 'workload "cpu_loop" ran 20000 iterations per sample, now 40000'
{ matrix_head comparable; body 1 1 2 20000; echo "min_time: 0.01"; } >"$t/m2.yaml"
refused '"min_time" was 0, now 0.01'
{ matrix_head comparable; body 1 1 2 20000; echo "memory_interval_ms: 0"; } >"$t/m2.yaml"
refused '"memory_interval_ms" was 50, now 0'
{ matrix_head comparable | sed 's/free_threaded: true/free_threaded: false/'
  body 1 1 2 20000; } >"$t/m2.yaml"
refused 'interpreter "3.13t" was {provider source, source debian:3.13.15, free_threaded 1}, now {provider source, source debian:3.13.15, free_threaded 0}'
{ matrix_head comparable | sed '/- id: "3.13t"/,$d'; body 1 1 2 20000; } >"$t/m2.yaml"
refused 'interpreter "3.13t" has cells there but is not in the matrix any more'
{ matrix_head comparable; body 2 1 2 20000; } >"$t/m2.yaml"
refused 'cell 3.13/cpu_loop/threads/1/0 is not planned by the matrix any more'
cpu=$(python3 -c 'import os; print(min(os.sched_getaffinity(0)))')
if "$FTMATRIX" run "$t/m.yaml" -o "$t/out" --affinity "$cpu" >/dev/null 2>"$t/stderr"; then
	fail "resumed with another CPU affinity"
fi
grep -q "cannot resume: CPU affinity was none, now $cpu" "$t/stderr" ||
	fail "affinity change: $(cat "$t/stderr")"

# comparable: a new name and description, comments, another baseline and
# timeout, one more thread count and one more repetition
{
	matrix_head renamed | sed 's/baseline: "3.13"/baseline: "3.13t"/'
	echo "description: \"the same measurement, more of it\""
	echo "# a comment"
	echo "timeout: 30"
	body "1, 2" 2 2 20000
} >"$t/m3.yaml"
"$FTMATRIX" run "$t/m3.yaml" -o "$t/out" >/dev/null 2>"$t/stderr" ||
	{ cat "$t/stderr"; fail "a comparable change was refused"; }
grep -q "resuming: 2 cells kept, 6 to run" "$t/stderr" ||
	fail "expected 6 new cells: $(cat "$t/stderr")"
check_json "$r" '(.cells | length) == 8 and ([.cells[].key] | unique | length) == 8'
check_json "$r" '.matrix.name == "renamed" and .settings.timeout_s == 30'
jq -c '.cells[0:2]' "$t/before.json" >"$t/expect"
jq -c '.cells[0:2]' "$r" >"$t/actual"
cmp -s "$t/expect" "$t/actual" || fail "the kept cells changed"
echo ok
