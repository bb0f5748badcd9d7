# ftmatrix compare --by machine: the same matrix on a second machine where
# everything takes twice as long and the free-threaded build 1.5 times
# more: its speedups are A's, its overheads 1.5 times A's, and no time of
# one machine is divided by the other's.
. tests/e2e/lib.sh

a=tests/fixtures/results-full.json
t=$FTMATRIX_TEST_TMP/620
mkdir -p "$t"
jq '.machine.cpu_model = "Arm Neoverse-N1" | .machine.hostname = "arm-runner"
	| (.cells[] | .wall_ns) |= map(. * 2 | floor)
	| (.cells[] | select(.interpreter == "3.13t") | .wall_ns) |= map(. * 1.5 | floor)' \
	"$a" >"$t/arm.json"
"$FTMATRIX" compare --by machine "$a" "$t/arm.json" >"$t/out" 2>"$t/err" ||
	{ cat "$t/err" >&2; fail "compare --by machine"; }
grep -q "^  B  $t/arm.json: Arm Neoverse-N1, 4 cores, .*host arm-runner$" "$t/out" ||
	fail "machine B not described"
grep -q "never divided" "$t/out" || fail "what is compared is not said"
grep -q "^A  3.13.15t: overhead 1.14x on one thread (median over 4 workloads); speedup 3.68x on 4 threads$" "$t/out" ||
	fail "machine A's headline"
grep -q "^B  3.13.15t: overhead 1.71x on one thread (median over 4 workloads); speedup 3.68x on 4 threads$" "$t/out" ||
	fail "machine B's headline"
row=$(grep -E "^3.13t +cpu_loop +threads +4 " "$t/out") || fail "no row for 3.13t cpu_loop x4"
# overhead A, speedup A, overhead B, speedup B
echo "$row" | grep -Eq " 0.31x \[[^]]*\] +3.70x \[[^]]*\] +0.47x \[[^]]*\] +3.70x \[" ||
	fail "3.13t cpu_loop x4: $row"
if grep -q "finding_" "$t/out"; then
	fail "correctness checks shown as timings"
fi
# refusals: nothing in common, and -o (a table only)
jq '.interpreters[].id |= "x" + . | .cells[].interpreter |= "x" + . | .cells[].key |= "x" + .' \
	"$a" >"$t/other.json"
if "$FTMATRIX" compare --by machine "$a" "$t/other.json" >/dev/null 2>"$t/none.err"; then
	fail "compared files with nothing in common"
fi
grep -q "no interpreter and workload measured in every file" "$t/none.err" || fail "nothing in common not said"
set +e
"$FTMATRIX" compare --by host "$a" "$t/arm.json" >/dev/null 2>"$t/by.err"
rc=$?
set -e
[ $rc -eq 2 ] && grep -q -- '--by: unknown "host" (expected machine)' "$t/by.err" || fail "--by host accepted"
echo ok
