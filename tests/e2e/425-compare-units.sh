# compare that cannot mislead: B ran cpu_loop with twice the iterations
# and took 10% longer per run, so it is 45% faster per iteration; B ran
# object_churn with strong scaling, so its rows on several threads are
# not the same work and get no verdict. Each file's pre-flight warnings
# are shown, and --fail-above fails a CI run on a real slowdown only.
. tests/e2e/lib.sh

a=tests/fixtures/results-full.json
t=$FTMATRIX_TEST_TMP/425
mkdir -p "$t"
jq '(.cells[] | select(.workload == "cpu_loop"))
		|= (.iterations *= 2 | .work_per_thread *= 2
			| .wall_ns |= map(. * 1.1 | floor))
	| (.cells[] | select(.workload == "object_churn" and .threads > 1))
		|= (.scaling = "strong")
	| .preflight = {"ran": true, "loadavg1": 3.2, "cores": 4,
		"governor": "powersave", "spread_cv": 0.04, "spread_n": 20,
		"others_busy": 0.4, "warnings": ["other processes used 40% of the CPUs"]}' \
	"$a" >"$t/b.json"

"$FTMATRIX" compare "$a" "$t/b.json" -o "$t/out" >"$t/stdout" 2>"$t/stderr" ||
	{ cat "$t/stderr" >&2; fail "compare failed"; }
cat "$t/stdout"
row() { # interpreter workload threads -> the row and the line after it
	grep -m1 -A1 -E "^$1 +$2 +threads +$3 " "$t/stdout" || fail "no row for $1 $2 $3"
}
for n in 1 2 4; do
	row 3.13.15t cpu_loop $n | head -1 | grep -q -- " -45.0% \[.*\] *faster$" ||
		fail "cpu_loop on $n threads is not 45% faster per iteration"
	row 3.13.15t cpu_loop $n | tail -1 |
		grep -q "^    iterations 100000 in A, 200000 in B; compared per unit of work$" ||
		fail "cpu_loop on $n threads does not say the iterations differ"
done
for n in 2 4; do
	row 3.13.15 object_churn $n | head -1 | grep -q " not comparable$" ||
		fail "object_churn on $n threads got a verdict"
	row 3.13.15 object_churn $n | tail -1 |
		grep -q "weak scaling in A, strong in B; not the same work: no verdict" ||
		fail "object_churn on $n threads does not say why"
done
row 3.13.15 object_churn 1 | head -1 | grep -q "within noise$" ||
	fail "one thread is the same work in both scaling modes"
grep -q "^     pre-flight: other processes used 40% of the CPUs$" "$t/stdout" ||
	fail "B's pre-flight warning is not shown"
grep -q "^3.13.15t (B against A): 3 faster, 0 slower, 11 within noise; median change +0.0% over 14 comparisons; 2 not comparable (no verdict).$" "$t/stdout" ||
	fail "the summary counts rows without a verdict"
grep -q '^A/unit\|  A/unit  ' "$t/stdout" || fail "no time per unit column"
# CSV and Markdown carry time per unit and the note
grep -q ',units_a,ns_per_unit_a,units_b,ns_per_unit_b,note,verdict$' "$t/out/compare.csv" ||
	fail "compare.csv header lacks time per unit"
grep -q ',cpu_loop,threads,1,.*,100000,40.*,200000,22.*,"\?iterations 100000 in A, 200000 in B; compared per unit of work"\?,faster$' "$t/out/compare.csv" ||
	fail "compare.csv cpu_loop row lacks its units and note"
[ "$(grep -c ',object_churn,threads,[24],.*,not-comparable$' "$t/out/compare.csv")" -eq 4 ] ||
	fail "compare.csv gives object_churn a verdict"
grep -q '| not comparable: weak scaling in A, strong in B' "$t/out/summary.md" ||
	fail "summary.md does not say why a row has no verdict"
grep -q '^  - pre-flight: other processes used 40% of the CPUs$' "$t/out/summary.md" ||
	fail "summary.md does not show B's pre-flight warning"
grep -q '<p class="notice">B: pre-flight: other processes used 40% of the CPUs</p>' "$t/out/report.html" ||
	fail "report.html does not show B's pre-flight warning"
grep -q '<td>not comparable: weak scaling in A, strong in B; not the same work: no verdict</td>' "$t/out/report.html" ||
	fail "report.html does not say why a row has no verdict"

# --fail-above: 45% faster fails nothing; 10% slower object_churn fails at 5
"$FTMATRIX" compare "$a" "$t/b.json" --fail-above 5 >/dev/null 2>"$t/err" ||
	fail "--fail-above failed on a faster run: $(cat "$t/err")"
jq '(.cells[] | select(.workload == "object_churn" and .interpreter == "3.13t" and .threads == 1)
		| .wall_ns) |= map(. * 1.1 | floor)' "$a" >"$t/slow.json"
set +e
"$FTMATRIX" compare "$a" "$t/slow.json" --fail-above 5 >/dev/null 2>"$t/err"
rc=$?
"$FTMATRIX" compare "$a" "$t/slow.json" --fail-above 15 >/dev/null 2>"$t/err2"
rc2=$?
"$FTMATRIX" compare "$a" "$t/slow.json" --fail-above lots >/dev/null 2>"$t/err3"
rc3=$?
set -e
[ "$rc" -eq 1 ] || fail "--fail-above 5 on a 10% slowdown: exit $rc, not 1"
grep -q "^ftmatrix: --fail-above 5: 3.13.15t object_churn/threads/1 is 10.0% slower in B (95% CI " "$t/err" ||
	fail "--fail-above does not name the slower workload: $(cat "$t/err")"
[ "$rc2" -eq 0 ] || fail "--fail-above 15 on a 10% slowdown: exit $rc2, not 0"
[ "$rc3" -eq 2 ] && grep -q -- '--fail-above: "lots" is not a percentage' "$t/err3" ||
	fail "a bad --fail-above is not refused"

# show: the same table for a results file; without a baseline, the first
# interpreter is the baseline and the output says so
"$FTMATRIX" show "$a" >"$t/show" || fail "show failed"
cat "$t/show"
grep -q "^baseline: 3.13.15$" "$t/show" || fail "show does not name the baseline"
grep -Eq "^cpu_loop per iteration +3.13.15 +40.0 ns \[" "$t/show" || fail "show lacks time per iteration"
grep -Eq "^ +3.13.15t +45.7 ns \[.*\] +\+14.3% \[.*\] slower +4 threads: 3.70x \[" "$t/show" ||
	fail "show lacks the overhead and speedup of 3.13.15t"
grep -q "^3.13.15t is 14% ± " "$t/show" || fail "show lacks the headline"
jq '.matrix.baseline = null' "$a" >"$t/nobase.json"
"$FTMATRIX" show "$t/nobase.json" >"$t/show2" || fail "show without a baseline failed"
grep -q "^baseline: 3.13.15 (the first interpreter: the matrix names no baseline)$" "$t/show2" ||
	fail "show does not say the first interpreter is the baseline"
grep -q "^3.13.15t is 14% ± " "$t/show2" || fail "show without a baseline has no overhead headline"
set +e
"$FTMATRIX" show "$t/missing.json" >/dev/null 2>"$t/err4"
rc4=$?
set -e
[ "$rc4" -eq 1 ] && grep -q "missing.json" "$t/err4" || fail "show of a missing file: exit $rc4"

# the page title speaks of free threading only when a build in the run is
sm=tests/fixtures/results-small.json
"$FTMATRIX" report "$sm" -o "$t/ft" --format html >/dev/null || fail "report of the small fixture"
grep -q "<h1>Free-threaded vs GIL CPython: small</h1>" "$t/ft/report.html" ||
	fail "a run with a free-threaded build is not titled so"
jq '(.interpreters[].identity.gil_disabled_build) = false
	| (.cells[].probe.identity.gil_disabled_build?) = false' "$sm" >"$t/gil.json"
"$FTMATRIX" report "$t/gil.json" -o "$t/gil" --format html >/dev/null || fail "report of GIL builds only"
grep -q "<h1>CPython: small</h1>" "$t/gil/report.html" ||
	fail "a run without a free-threaded build is titled free-threaded: $(grep -o '<h1>[^<]*</h1>' "$t/gil/report.html")"
echo ok
