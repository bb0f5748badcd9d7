# What a reader of a report stumbles over, on the fixture and variants of
# it: a known-limitation check that re-enables the GIL in its own process
# is no GIL change of the interpreter (a timed cell's still is); a workload
# without speedups has no empty row in the scaling chart and tables; the
# few warnings that matter come first and noise is summarised apart; the
# memory section and the noise summary are there whatever was measured,
# saying why when they are empty.
. tests/e2e/lib.sh

fx=tests/fixtures/results-full.json
t=$FTMATRIX_TEST_TMP/450
mkdir -p "$t"
"$FTMATRIX" report "$fx" -o "$t/full" >/dev/null || fail "report failed"
html=$t/full/report.html

gil_row() {
	grep -o '<th>GIL at run time</th>.*</tr>' "$1" || fail "$1: no GIL row"
}
kinds() {
	grep -o 'class="kind">[^:]*:</span> [^:]*' "$1" | sed 's/class="kind">//; s|:</span>||'
}

# 1. the GIL: the timed cell that changed it counts, the check does not
case $(gil_row "$html") in
*'<td>enabled</td><td>changed during the run in 1 cell (see Warnings)</td>'*) ;;
*) fail "the GIL row does not show the one timed cell that changed it: $(gil_row "$html")" ;;
esac
[ "$(grep -c 'GIL re-enabled:</span>' "$html")" -eq 1 ] || fail "not exactly one GIL warning"
grep -q 'GIL re-enabled:</span> 3.13t/cpu_loop/threads/2/1:' "$html" || fail "no GIL warning for the timed cell"
jq '(.cells[] | select(.key == "3.13t/cpu_loop/threads/2/1")
	| .gil_enabled_after, .probe.gil_enabled_after) = false' "$fx" >"$t/check-only.json"
"$FTMATRIX" report "$t/check-only.json" -o "$t/check-only" >/dev/null || fail "report failed"
case $(gil_row "$t/check-only/report.html") in
*'<td>enabled</td><td>disabled (finding_gil_reenable turns it on in its own process, by design)</td>'*) ;;
*) fail "the check's GIL change counted for the interpreter: $(gil_row "$t/check-only/report.html")" ;;
esac
if grep -Eq 'GIL re-enabled:</span>|ran with the GIL re-enabled' "$t/check-only/report.html"; then
	fail "a known-limitation check's GIL change became a warning"
fi
grep -q 'o-issue">issue</span> importing a module without Py_mod_gil' "$t/check-only/report.html" ||
	fail "the GIL re-enable check is not under Known limitations"

# 2. c_object_sizes ran on one thread only: overhead, but no speedup row
out=$t/full
if grep -q "c_object_sizes" "$out/charts/scaling-summary.gp" "$out/charts/scaling-summary.dat"; then
	fail "scaling-summary has a row for c_object_sizes, which has no speedup"
fi
[ ! -e "$out/charts/scaling-c_object_sizes.svg" ] || fail "a scaling chart without speedups"
grep -q "^| c_object_sizes | [+-][0-9.]*% (" "$out/summary.md" || fail "summary.md lost c_object_sizes' overhead"
if grep -q "^| c_object_sizes (weak) |" "$out/summary.md"; then
	fail "summary.md has an empty speedup row for c_object_sizes"
fi
# every speedup row of summary.md has a number in it
if grep "^| [a-z_0-9]* (weak) | [0-9]* |" "$out/summary.md" | grep -v "[0-9]x |"; then
	fail "summary.md has a speedup row of dashes"
fi
# a C probe is charted apart from Python code, on its own scale
grep -q "'c_object_sizes'" "$out/charts/overhead-cprobes.gp" || fail "no C-level overhead chart"
if grep -q "'c_object_sizes'" "$out/charts/overhead.gp"; then
	fail "the C probe is in the Python overhead chart"
fi
grep -q '<figure id="chart-overhead-cprobes">' "$html" || fail "the C-level overhead chart is not in the page"

# 3. warnings: the ones that matter in order, the noise apart and folded
kinds "$html" >"$t/kinds"
printf '%s\n' "unavailable 3.12" "failed 3.13t/object_churn/threads/4/1" \
	"GIL re-enabled 3.13t/cpu_loop/threads/2/1" \
	"frequency scaling the CPU governor was &quot;schedutil&quot;; &quot;performance&quot; gives steadier numbers</li>" \
	"check crashed 3.13t/finding_frames/threads/2/0" \
	"check crashed 3.13t/finding_frames/threads/2/1" >"$t/kinds.want"
diff "$t/kinds.want" "$t/kinds" || fail "warnings are not the expected ones, most serious first"
grep -q '<p class="notice">Warnings: 1 interpreter was not available; 1 cell failed; 1 cell ran with the GIL re-enabled; 1 warning about the machine; 2 known-limitation checks crashed' "$html" ||
	fail "the summary does not say what the warnings are"
# noise: a timed cell and a check made noisy; only the timed one counts
jq '(.cells[] | select(.key == "3.13/cpu_loop/threads/1/0" or
		.key == "3.13/finding_shared_iterator/threads/2/0") | .wall_ns)
	|= (.[0] *= 3)' "$fx" >"$t/noisy.json"
"$FTMATRIX" report "$t/noisy.json" -o "$t/noisy" >/dev/null || fail "report failed"
h=$t/noisy/report.html
if grep -q '"kind">noisy' "$h"; then
	fail "noisy groups are in the list of warnings that matter"
fi
noise=$(sed -n '/<h3 id="noise">/,/<\/details>/p' "$h")
[ -n "$noise" ] || fail "no noise summary"
echo "$noise" | grep -q '<details class="more"><summary>Every noisy group' || fail "the noisy groups are not folded"
echo "$noise" | grep -q '<td>cpu_loop</td><td>threads</td><td class="num" data-v="1">1</td>' ||
	fail "the noisy cpu_loop group is not listed"
if echo "$noise" | grep -q finding_; then
	fail "a known-limitation check's time was called noisy"
fi
n=$(echo "$noise" | grep -c '<tr><td data-v="">')
echo "$noise" | grep -q "<p>$n of [0-9]* measured groups" || fail "the noise summary does not count $n groups"
grep -q "<p class=\"notice\">Warnings: .*; $n measurement groups are noisy. " "$h" ||
	fail "the summary does not count the $n noisy groups"

# 4. empty is said, not left out: no noisy group, no memory sample
"$FTMATRIX" report tests/fixtures/results-small.json -o "$t/small" >/dev/null || fail "report failed"
h=$t/small/report.html
grep -q '<h3 id="noise">Noisy measurements</h3>' "$h" || fail "no noise heading when nothing is noisy"
grep -q '<p>None of the 8 measured groups varies more than a number to rely on should' "$h" ||
	fail "the quiet run does not say that nothing is noisy"
grep -q '<section id="memory">' "$h" && grep -q '<a href="#memory">Memory</a>' "$h" ||
	fail "no memory section or link when memory was not sampled"
grep -q 'Not sampled: the run had <code>memory_interval_ms: 0</code>' "$h" ||
	fail "the memory section does not say why it is empty"
jq '.settings.memory_interval_ms = 50' tests/fixtures/results-small.json >"$t/short.json"
"$FTMATRIX" report "$t/short.json" -o "$t/short" >/dev/null || fail "report failed"
grep -q 'No sample: memory is read every 50 ms while a probe runs, and every probe process ended before the first' "$t/short/report.html" ||
	fail "a run too short for a memory sample is not explained"
echo ok
