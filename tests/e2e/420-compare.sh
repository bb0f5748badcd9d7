# ftmatrix compare: B is A with the free-threaded build 10% faster on
# cpu_loop and 10% slower on object_churn (as a new release might be); the
# terminal table and the report must say so, and leave the rest alone.
. tests/e2e/lib.sh

a=tests/fixtures/results-full.json
t=$FTMATRIX_TEST_TMP/420
mkdir -p "$t"
b=$t/b.json
jq '(.cells[] | select(.interpreter == "3.13t" and .workload == "cpu_loop")
		| .wall_ns) |= map(. * 0.9 | floor)
	| (.cells[] | select(.interpreter == "3.13t" and .workload == "object_churn")
		| .wall_ns) |= map(. * 1.1 | floor)
	| (.cells[] | select(.interpreter == "3.13t" and .workload == "cpu_loop")
		| .memory.pss_kib.avg) |= (. * 1.2 | floor)
	| (.cells[] | select(.interpreter == "3.13t" and .workload == "finding_shared_iterator")
		| .probe.findings[0]) |= (.outcome = "ok" | .summary = "no item lost or duplicated")
	| (.interpreters[] | select(.id == "3.13t") | .label) = "3.13.16t"' \
	"$a" >"$b"

"$FTMATRIX" compare "$a" "$b" -o "$t/out" >"$t/stdout" 2>"$t/stderr" ||
	{ cat "$t/stderr" >&2; fail "compare failed"; }
row() { # interpreter workload threads -> the row of the terminal table
	grep -E "^$1 +$2 +threads +$3 " "$t/stdout" || fail "no row for $1 $2 $3"
}
for n in 1 2 4; do
	row "3.13.15t → 3.13.16t" cpu_loop $n | grep -q -- " -10.0% \[.*\] *faster$" ||
		fail "cpu_loop on $n threads is not 10% faster"
	row "3.13.15t → 3.13.16t" object_churn $n | grep -q " +10.0% \[.*\] *slower$" ||
		fail "object_churn on $n threads is not 10% slower"
	row "3.13.15" cpu_loop $n | grep -q " +0.0% \[.*\] *within noise$" ||
		fail "the unchanged GIL build moved on cpu_loop"
done
grep -q "^interpreters paired by id$" "$t/stdout" || fail "pairing not said"
grep -q "^3.13.15t → 3.13.16t (B against A): 3 faster, 3 slower, " "$t/stdout" || fail "no summary line"
if grep -q "finding_" "$t/stdout"; then
	fail "correctness runs were compared as timings"
fi
# memory: B's free-threaded build holds 20% more on cpu_loop, nothing else moved
mrow() { # interpreter workload threads -> the row of the memory table
	sed -n '/^memory of B against A/,/^known-limitation checks/p' "$t/stdout" |
		grep -E "^$1 +$2 +threads +$3 " || fail "no memory row for $1 $2 $3"
}
for n in 1 2 4; do
	mrow "3.13.15t → 3.13.16t" cpu_loop $n | grep -q " +20.0%$" ||
		fail "cpu_loop memory on $n threads is not +20%"
	mrow "3.13.15t → 3.13.16t" object_churn $n | grep -q " +0.0%$" ||
		fail "object_churn memory moved on $n threads"
done
# known-limitation checks side by side; the one that changed says so
grep -Eq "^3.13.15t → 3.13.16t +shared_iterator +issue +ok +changed$" "$t/stdout" ||
	fail "the fixed shared_iterator is not shown as changed"
grep -Eq "^3.13.15t → 3.13.16t +frame_access +crash +crash +same$" "$t/stdout" ||
	fail "an unchanged crash is not shown as same"
grep -q "^3.13.15t → 3.13.16t (B against A): memory (PSS) median change +0.0% over 16 comparisons; known-limitation check changed: shared_iterator issue → ok; 2 known-limitation checks unchanged.$" "$t/stdout" ||
	fail "no memory and findings sentence: $(grep 'known-limitation' "$t/stdout")"

# the report
for f in report.html compare.csv summary.md charts/compare-B.svg charts/compare-B.png; do
	[ -s "$t/out/$f" ] || fail "compare report has no $f"
done
html=$t/out/report.html
if grep -Eio "(src|href)[[:space:]]*=[[:space:]]*[\"']?[[:space:]]*(https?:)?//" "$html"; then
	fail "compare report refers to the network"
fi
grep -q '<section id="pair-B">' "$html" || fail "no B against A section"
grep -q '<svg' "$html" || fail "chart not inline"
[ "$(grep -c ',cpu_loop,threads,[124],.*,faster$' "$t/out/compare.csv")" -eq 3 ] || fail "compare.csv verdicts"
[ "$(grep -c ',object_churn,threads,[124],.*,slower$' "$t/out/compare.csv")" -eq 3 ] || fail "compare.csv verdicts"
grep -q '^| 3.13.15t → 3.13.16t | cpu_loop | 1 | ' "$t/out/summary.md" || fail "summary.md has no table"
grep -q '^| 3.13.15t → 3.13.16t | cpu_loop | 1 | .* | +20.0% |$' "$t/out/summary.md" || fail "summary.md has no memory table"
grep -q '^| 3.13.15t → 3.13.16t | Shared iterator across threads | issue | \*\*ok\*\* |$' "$t/out/summary.md" ||
	fail "summary.md has no findings table"
grep -q '<td class="changed">ok</td><td class="wrap">no item lost or duplicated</td>' "$html" ||
	fail "the report does not mark the changed check"
grep -q '<h3>Memory</h3>' "$html" || fail "the report has no memory table"

# files whose ids differ pair by kind (free-threaded or not) instead
jq '(.interpreters[] | .id) |= "other-" + .
	| (.cells[] | .interpreter) |= "other-" + .
	| (.cells[] | .key) |= "other-" + .' "$b" >"$t/c.json"
"$FTMATRIX" compare "$a" "$t/c.json" >"$t/stdout2" || fail "compare by kind failed"
grep -q "^interpreters paired by kind" "$t/stdout2" || fail "did not pair by kind"
grep -Eq "^3.13.15t → 3.13.16t +cpu_loop +threads +1 .* faster$" "$t/stdout2" || fail "kind pairing lost rows"

# a forced way that pairs nothing is an error, not an empty table
set +e
"$FTMATRIX" compare "$a" "$t/c.json" --match id >/dev/null 2>"$t/err"
rc=$?
set -e
[ "$rc" -eq 1 ] || fail "no common interpreter: exit $rc, not 1"
grep -q "no interpreter in common (by id)" "$t/err" || fail "no-common error not clear"
# usage errors
set +e
"$FTMATRIX" compare "$a" >/dev/null 2>&1
rc=$?
"$FTMATRIX" compare "$a" "$b" --match nearest >/dev/null 2>"$t/err"
rc2=$?
"$FTMATRIX" compare "$a" "$t/missing.json" >/dev/null 2>"$t/err3"
rc3=$?
set -e
[ "$rc" -eq 2 ] || fail "one file: exit $rc, not 2"
[ "$rc2" -eq 2 ] && grep -q -- '--match: unknown way "nearest"' "$t/err" || fail "bad --match not refused"
[ "$rc3" -eq 1 ] && grep -q "missing.json" "$t/err3" || fail "missing file not named"
# pyperf files are per interpreter of one results file: compare has none
set +e
"$FTMATRIX" compare "$a" "$b" -o "$t/pyperf" --format html,pyperf >/dev/null 2>"$t/err4"
rc4=$?
set -e
[ "$rc4" -eq 2 ] && grep -q -- '--format: pyperf is for report, not compare' "$t/err4" ||
	fail "compare --format pyperf not refused: exit $rc4"
[ ! -e "$t/pyperf" ] || fail "compare --format pyperf wrote $t/pyperf"
echo ok
