# Cells that crash, hang past the timeout or print something other than the
# probe's JSON are recorded with their error, exit status and stderr, and
# the run goes on to measure the rest and write the report.
. tests/e2e/lib.sh
. tests/e2e/method-lib.sh

FTMATRIX_DATADIR=$(test_datadir)
export FTMATRIX_DATADIR
t=$FTMATRIX_TEST_TMP/300
mkdir -p "$t"
{
	matrix_head failures
	cat <<-YAML
	workloads: [cpu_loop, fault_crash, fault_hang, fault_garbage, fault_silent_exit]
	threads: [1]
	repetitions: 1
	samples: 2
	warmup: 0
	iterations: 20000
	timeout: 3
	YAML
} >"$t/m.yaml"

"$FTMATRIX" run "$t/m.yaml" -o "$t/out" >"$t/stdout" 2>"$t/stderr" ||
	{ cat "$t/stderr"; fail "a run with failing cells must still succeed"; }
r=$t/out/results.json
[ -s "$t/out/report.html" ] || fail "no report"
check_json "$r" '.complete == true and (.cells | length) == 10'
check_json "$r" '[.cells[].key] | length == (unique | length)'
# the good cells were measured despite their neighbours
check_json "$r" '.settings.extra_samples as $x | [.cells[] | select(.workload == "cpu_loop")] | length == 2 and all(.status == "ok" and (.wall_ns | length) >= 2 and (.wall_ns | length) <= 2 + $x)'

cell() { # interp workload: the cell as compact JSON
	jq -c --arg i "$1" --arg w "$2" '.cells[] | select(.interpreter == $i and .workload == $w)' "$r"
}
for i in 3.13 3.13t; do
	c=$(cell $i fault_crash)
	printf "%s\n" "$c" | jq -e '.status == "crashed" and (.error | test("signal 11 \\(SIGSEGV\\)")) and .exit_status == -1' >/dev/null ||
		fail "$i fault_crash: $c"
	printf "%s\n" "$c" | jq -e '.stderr_tail | test("Fatal Python error: Segmentation fault")' >/dev/null ||
		fail "$i fault_crash: no stderr tail: $c"

	c=$(cell $i fault_hang)
	printf "%s\n" "$c" | jq -e '.status == "timeout" and (.error | test("^timed out after 3\\.")) and .wall_ns == []' >/dev/null ||
		fail "$i fault_hang: $c"

	c=$(cell $i fault_garbage)
	printf "%s\n" "$c" | jq -e '.status == "bad-output" and (.error | test("not its JSON report")) and (.error | test("exit status 0"))' >/dev/null ||
		fail "$i fault_garbage: $c"

	c=$(cell $i fault_silent_exit)
	printf "%s\n" "$c" | jq -e '.status == "bad-output" and .exit_status == 0 and (.error | test("exit status 0"))' >/dev/null ||
		fail "$i fault_silent_exit: $c"
done
# the timed-out probe left nothing behind: no probe of this test's data
# directory (another test run's are not ours to see) runs fault_hang
left=$(pids_with_args "--workloads-dir=$FTMATRIX_DATADIR/probes/workloads" \
	--workload=fault_hang)
[ -z "$left" ] || fail "a timed-out probe is still running: $left"
grep -q "8 cells failed" "$t/stderr" || fail "no summary of failed cells: $(cat "$t/stderr")"

# A failed cell is data: running the command again keeps it, and measures
# nothing. --retry-failed measures the failed cells again, and only them.
ok_before=$(jq -c '[.cells[] | select(.status == "ok") | {key, wall_ns}] | sort_by(.key)' "$r")
failed_before=$(jq -c '[.cells[] | select(.status != "ok") | {key, status}] | sort_by(.key)' "$r")
"$FTMATRIX" run "$t/m.yaml" -o "$t/out" >"$t/stdout2" 2>"$t/stderr2" ||
	{ cat "$t/stderr2"; fail "resuming a finished run failed"; }
grep -q "10 cells kept, 0 to run" "$t/stderr2" || fail "a finished run measured again: $(cat "$t/stderr2")"
[ "$(jq -c '[.cells[] | {key, status, wall_ns}] | sort_by(.key)' "$r")" = \
  "$(jq -c '[.cells[] | {key, status, wall_ns}] | sort_by(.key)' "$t/out/results.json")" ] ||
	fail "resuming a finished run changed its cells"
"$FTMATRIX" run "$t/m.yaml" -o "$t/out" --retry-failed >"$t/stdout3" 2>"$t/stderr3" ||
	{ cat "$t/stderr3"; fail "--retry-failed failed"; }
grep -q "8 failed cells to measure again" "$t/stderr3" || fail "no count of cells to retry: $(cat "$t/stderr3")"
grep -q "2 cells kept, 8 to run" "$t/stderr3" || fail "--retry-failed: $(cat "$t/stderr3")"
check_json "$r" '.complete == true and (.cells | length) == 10'
check_json "$r" '[.cells[].key] | length == (unique | length)'
[ "$(jq -c '[.cells[] | select(.status == "ok") | {key, wall_ns}] | sort_by(.key)' "$r")" = "$ok_before" ] ||
	fail "--retry-failed touched a cell that had succeeded"
[ "$(jq -c '[.cells[] | select(.status != "ok") | {key, status}] | sort_by(.key)' "$r")" = "$failed_before" ] ||
	fail "the retried cells did not fail the same way again"
echo ok
