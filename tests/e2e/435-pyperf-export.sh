# report --format pyperf: one pyperf JSON file per interpreter, which
# pyperf (from PyPI, in a venv of a CPython built here) reads with stats,
# hist and compare_to; values are seconds per unit of work, one pyperf run
# per probe process.
. tests/e2e/lib.sh

fx=tests/fixtures/results-full.json
t=$FTMATRIX_TEST_TMP/435
py=$(tools_python)
"$FTMATRIX" report "$fx" -o "$t" --format pyperf >/dev/null || fail "report --format pyperf failed"
[ -s "$t/pyperf-3.13.json" ] && [ -s "$t/pyperf-3.13t.json" ] || fail "no pyperf file per interpreter"
[ ! -e "$t/pyperf-3.12.json" ] || fail "an unavailable interpreter got a pyperf file"
[ ! -e "$t/report.html" ] || fail "--format pyperf wrote HTML"

# the values: each cell's samples over its work per thread, in seconds
want=$(jq -c '[.cells[] | select(.interpreter == "3.13t" and .workload == "cpu_loop"
	and .engine == "threads" and .threads == 4 and .status == "ok")
	| [.wall_ns[] / 100000 / 1e9]]' "$fx")
got=$(jq -c '[.benchmarks[] | select(.metadata.name == "cpu_loop/threads/4") | .runs[] | .values]' "$t/pyperf-3.13t.json")
[ "$(echo "$want" | "$py" -c 'import json,sys; print([[round(v, 15) for v in r] for r in json.load(sys.stdin)])')" = \
	"$(echo "$got" | "$py" -c 'import json,sys; print([[round(v, 15) for v in r] for r in json.load(sys.stdin)])')" ] ||
	fail "cpu_loop/threads/4 values: $got, expected $want"
jq -e '[.benchmarks[].metadata.name] | index("finding_shared_iterator/threads/2") | not' "$t/pyperf-3.13t.json" >/dev/null ||
	fail "a correctness check was exported as a benchmark"

cd "$t"
"$py" -m pyperf stats pyperf-3.13t.json >stats.out 2>&1 || { cat stats.out; fail "pyperf stats refused the file"; }
grep -q "^cpu_loop/threads/1$" stats.out || fail "pyperf stats lacks cpu_loop/threads/1"
grep -q "^Number of run with values: 2$" stats.out || fail "pyperf stats: not one run per probe process"
grep -q "^Median +- MAD: *45.7 ns" stats.out || fail "pyperf stats: cpu_loop is not 45.7 ns per iteration"
"$py" -m pyperf hist pyperf-3.13.json >hist.out 2>&1 || { cat hist.out; fail "pyperf hist refused the file"; }
grep -q "^object_churn/threads/2$" hist.out || fail "pyperf hist lacks object_churn/threads/2"
"$py" -m pyperf compare_to pyperf-3.13.json pyperf-3.13t.json --table >cmp.out 2>&1 ||
	{ cat cmp.out; fail "pyperf compare_to refused the files"; }
cat cmp.out
grep -Eq "^\| cpu_loop/threads/1 +\| 40.1 ns +\| 45.7 ns: 1.14x slower +\|$" cmp.out ||
	fail "pyperf compare_to does not find 3.13.15t 1.14x slower on cpu_loop"
echo ok
