# ftmatrix run on the quick matrix, with a real GIL build and a real
# free-threaded build of 3.13.15: identities, samples and report.
. tests/e2e/lib.sh

dir=$(quick_results)
r=$dir/results.json
[ -f "$r" ] || fail "no results.json"
grep -q "report.html" "$dir.out" || fail "run did not print the report path"

check_json "$r" '.schema == "ftmatrix-results" and .schema_version == 3 and (.matrix.workloads | length) > 0'
check_json "$r" '.complete == true'
# both 3.13.15 builds, measured, with what they are
check_json "$r" '.interpreters[] | select(.id == "3.13") | .available and .identity.gil_disabled_build == false and .identity.version == "3.13.15"'
check_json "$r" '.interpreters[] | select(.id == "3.13t") | .available and .identity.gil_disabled_build == true and .identity.gil_enabled == false and .identity.abiflags == "t"'
# at run time the free-threaded build really ran without the GIL
check_json "$r" '[.cells[] | select(.interpreter == "3.13t")] | length > 0 and all(.gil_enabled_before == false and .gil_enabled_after == false)'
check_json "$r" '[.cells[] | select(.interpreter == "3.13")] | all(.gil_enabled_after == true)'

# every planned cell is there once, ok, with its samples
avail=$(jq '[.interpreters[] | select(.available)] | length' "$r")
want=$((avail * 2 * 2 * 3)) # workloads x threads x repetitions
check_json "$r" "(.cells | length) == $want"
check_json "$r" '[.cells[].key] | length == (unique | length)'
# 3 samples, and up to extra_samples more in place of disturbed ones; the
# drift snippet timed around each
check_json "$r" '.settings.extra_samples as $x | all(.cells[]; .status == "ok" and
	(.wall_ns | length) >= 3 and (.wall_ns | length) <= 3 + $x and
	all(.wall_ns[]; . > 0) and (.drift_ns | length) == (.wall_ns | length) and
	all(.drift_ns[]; . > 0) and (.disturbed | length) == (.wall_ns | length))'
check_json "$r" 'all(.cells[]; (.probe.samples[0].thread_wall_ns | length) == .threads)'

# the report and its charts
[ -s "$dir/report.html" ] || fail "no report.html"
ls "$dir"/charts/*.svg >/dev/null 2>&1 || fail "no SVG charts"
ls "$dir"/charts/*.png >/dev/null 2>&1 || fail "no PNG charts"
[ -s "$dir/charts/overhead.svg" ] || fail "no overhead chart"
[ -s "$dir/charts/scaling-cpu_loop.svg" ] || fail "no scaling chart for cpu_loop"
grep -q "3.13.15t" "$dir/report.html" || fail "report does not name 3.13.15t"
echo ok
