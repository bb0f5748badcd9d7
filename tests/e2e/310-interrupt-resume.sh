# Ctrl-C in the middle of a real run: the probe in flight is stopped, every
# finished cell is kept, the exit status is 130; running the same command
# again measures only the missing cells, so in the end each planned cell is
# there exactly once. SIGTERM behaves the same.
. tests/e2e/lib.sh
. tests/e2e/method-lib.sh

FTMATRIX_DATADIR=$(test_datadir)
export FTMATRIX_DATADIR
t=$FTMATRIX_TEST_TMP/310
mkdir -p "$t"
{
	matrix_head interrupt
	cat <<-YAML
	workloads: [cpu_loop, gate]
	threads: [1, 2]
	repetitions: 2
	samples: 2
	warmup: 1
	iterations: 20000
	# probe processes are counted: one per cell, none replaced
	drift_threshold: 0
	YAML
} >"$t/m.yaml"
r=$t/out/results.json
planned=16 # 2 interpreters x 2 workloads x 2 thread counts x 2 repetitions

# Stops the run with signal $1 while the gate workload's probe process
# numbered $2 (counting only gate cells) waits in setup(); expects $3
# cells kept.
interrupt() {
	rm -rf "$t/gate"
	mkdir -p "$t/gate"
	FTMATRIX_TEST_GATE=$t/gate FTMATRIX_TEST_GATE_AT=$2 \
		"$FTMATRIX" run "$t/m.yaml" -o "$t/out" >"$t/stdout" 2>"$t/stderr" &
	pid=$!
	wait_for "$t/gate/blocked"
	# meanwhile the directory is this run's alone
	if "$FTMATRIX" run "$t/m.yaml" -o "$t/out" >/dev/null 2>"$t/second"; then
		fail "a second run wrote into a directory in use"
	fi
	grep -q "$t/out: another ftmatrix run is writing there" "$t/second" ||
		fail "second run: $(cat "$t/second")"
	kill -s "$1" $pid
	rc=0
	wait $pid || rc=$?
	[ "$rc" -eq 130 ] || { cat "$t/stderr"; fail "SIG$1: exit status $rc, expected 130"; }
	grep -q "interrupted; $3 cells kept in $r" "$t/stderr" ||
		fail "SIG$1: no word of what was kept: $(cat "$t/stderr")"
	grep -q "resume with: ftmatrix run $t/m.yaml -o $t/out" "$t/stderr" ||
		fail "SIG$1: no resume command"
	check_json "$r" ".complete == false and (.cells | length) == $3"
	check_json "$r" '[.cells[].key] | length == (unique | length)'
	check_json "$r" 'all(.cells[]; .status == "ok")'
	# the statistics of what was kept, derived when the run stopped
	check_json "$r" '(.analysis.groups | length) > 0 and .analysis.bootstrap.seed > 0'
	# the probe held in the gate is gone with its process group
	blocked=$(ls "$t/gate/started" | sort -n | tail -1)
	kill -0 "$blocked" 2>/dev/null && fail "SIG$1: the probe in flight still runs"
	:
}

# Cells in order: cpu_loop x1 for 3.13, 3.13t, cpu_loop x2 for both, then
# gate: the first gate process is the 5th cell, with 4 cells done.
interrupt INT 1 4
cp "$r" "$t/after-int.json"
# Resumed, stopped again: its third gate process is gate x2 on 3.13.
interrupt TERM 3 6
# the first four cells are the same measurements, untouched
jq -c '.cells[0:4]' "$t/after-int.json" >"$t/expect"
jq -c '.cells[0:4]' "$r" >"$t/actual"
cmp -s "$t/expect" "$t/actual" || fail "resuming changed cells already measured"

# Finished without a gate: only the missing cells run
"$FTMATRIX" run "$t/m.yaml" -o "$t/out" >"$t/stdout" 2>"$t/stderr" ||
	{ cat "$t/stderr"; fail "resume"; }
grep -q "resuming: 6 cells kept, 10 to run" "$t/stderr" ||
	fail "resume did not say what it kept: $(cat "$t/stderr")"
check_json "$r" ".complete == true and (.cells | length) == $planned"
check_json "$r" '[.cells[].key] | length == (unique | length)'
check_json "$r" '.settings.extra_samples as $x | all(.cells[]; .status == "ok" and (.wall_ns | length) >= 2 and (.wall_ns | length) <= 2 + $x)'
# every planned cell, by key
for i in 3.13 3.13t; do
	for w in cpu_loop gate; do
		for n in 1 2; do
			for rep in 0 1; do
				check_json "$r" "any(.cells[]; .key == \"$i/$w/threads/$n/$rep\")"
			done
		done
	done
done
[ -s "$t/out/report.html" ] || fail "no report after the resumed run"
# every group (interpreter, workload, engine, threads) pools its 2 processes
# (less the samples a slow phase disturbed, unless all were)
check_json "$r" '.settings.extra_samples as $x | (.analysis.groups | length) == 8 and all(.analysis.groups[];
	.samples.measured >= 4 and .samples.measured <= 4 + 2 * $x and
	.wall.processes + .samples.processes_left_out == 2 and
	(.wall.n == .samples.measured - .samples.slow_phase - .samples.descheduled or
	    (.samples.all_disturbed and .wall.n == .samples.measured)))'
check_json "$r" 'all(.analysis.groups[] | select(.threads == 2); .speedup.value > 0 and .speedup.ci_lo <= .speedup.value and .speedup.value <= .speedup.ci_hi)'
check_json "$r" 'all(.analysis.groups[] | select(.interpreter == "3.13t"); .overhead.value > 0)'

# A complete run resumed again measures nothing and re-renders the report
"$FTMATRIX" run "$t/m.yaml" -o "$t/out" >"$t/stdout" 2>"$t/stderr" || fail "rerun"
grep -q "resuming: $planned cells kept, 0 to run" "$t/stderr" || fail "rerun ran cells"
check_json "$r" "(.cells | length) == $planned"
echo ok
