# run ends with the answer in the terminal (on stderr: stdout stays the
# report's path), and `show` prints the same for its results, or for a
# partial run.
. tests/e2e/lib.sh

dir=$(quick_results)
t=$FTMATRIX_TEST_TMP/445
mkdir -p "$t"
"$FTMATRIX" show "$dir/results.json" >"$t/show" || fail "show failed"
cat "$t/show"
grep -q "^quick: 4 interpreters, 2 workloads, 48 cells$" "$t/show" || fail "show's first line"
grep -q "^baseline: 3.13.15$" "$t/show" || fail "show does not name the baseline"
grep -Eq "^workload +interpreter +time per unit, 1 thread \[95% CI\] +vs 3.13.15 +speedup at the most threads \[95% CI\]$" "$t/show" ||
	fail "show has no table header"
# (a ratio whose every sample a busy machine disturbed is not resolved; a
# time or speedup with one value left, the others disturbed, has no
# interval)
grep -Eq "^cpu_loop per iteration +3.13.15 +[0-9.]+ [nµm]?s( \[[0-9.]+, [0-9.]+\])? +baseline +2 threads: ([0-9.]+x (\[|\(one value, no CI\))|not resolved \(every sample disturbed\))" "$t/show" ||
	fail "show has no cpu_loop row for the baseline"
grep -Eq "^ +3.13.15t +[0-9.]+ [nµm]?s \[[0-9.]+, [0-9.]+\] +([-+][0-9.]+% \[.*\] (slower|faster|within noise)|not resolved \(every sample disturbed\)) +2 threads: " "$t/show" ||
	fail "show has no overhead for 3.13.15t"
grep -Eq "^3.13.15t (is|and) " "$t/show" || fail "show has no headline for 3.13.15t"
# what run printed at its end is the same
sed -n '/^quick: 4 interpreters/,/^warnings: /p' "$dir.err" >"$t/run-table"
sed -n '/^quick: 4 interpreters/,/^warnings: /p' "$t/show" >"$t/show-table"
[ -s "$t/run-table" ] || fail "run did not print the table"
diff "$t/run-table" "$t/show-table" || fail "run and show print different tables"

# a partial run: some cells, not complete
jq '.complete = false | .cells |= .[0:10] | del(.analysis)' "$dir/results.json" >"$t/partial.json"
"$FTMATRIX" show "$t/partial.json" >"$t/show2" || fail "show of a partial run failed"
grep -Eq "^quick: 4 interpreters, [12] workloads?, 10 cells \(incomplete run\)$" "$t/show2" ||
	fail "show does not say the run is incomplete: $(head -1 "$t/show2")"
echo ok
