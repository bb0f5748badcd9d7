# Every finding on the GIL and the free-threaded build, each in its own
# probe process: a cell is either ok with its one finding (id, outcome,
# summary, details) or crashed (the crash is the result). What 3.13.15
# does is fixed: the free-threaded build turns the GIL back on for an
# extension without Py_mod_gil and never frees functions once a thread has
# run; the GIL build has nothing to re-enable and frees everything.
. tests/e2e/lib.sh
. tests/e2e/probe-lib.sh

dir=$FTMATRIX_TEST_TMP/230
mkdir -p "$dir"
m=$dir/findings.yaml
{
	probe_matrix findings
	cat <<-'YAML'
	workloads:
	  - {name: finding_shared_iterator, params: {items: 20000}}
	  - {name: finding_shared_generator, params: {items: 20000}}
	  - {name: finding_frame_access, params: {seconds: 0.1}}
	  - {name: finding_immortalization, params: {objects: 300}}
	  - finding_gil_reenable
	engines: [threads]
	threads: [2]
	repetitions: 1
	samples: 1
	warmup: 0
	timeout: 120
	YAML
} >"$m"
probe_run "$m" "$dir/out"
r=$dir/out/results.json
check_json "$r" '(.cells | length) == 2 * 5'
check_json "$r" 'all(.cells[]; .status == "ok" or .status == "crashed")'
check_json "$r" 'all(.cells[] | select(.status == "ok");
	.probe.kind == "finding" and (.probe.findings | length) == 1 and
	.probe.findings[0].id == (.workload | ltrimstr("finding_")) and
	IN(.probe.findings[0].outcome; "ok", "issue", "unsupported") and
	(.probe.findings[0].summary | length) > 20 and
	(.probe.findings[0].title | length) > 0 and
	(.probe.findings[0].details | type) == "object")'
check_json "$r" 'all(.cells[] | select(.status == "crashed"); .error | length > 0)'
# with the GIL nothing goes wrong
check_json "$r" 'all(.cells[] | select(.interpreter == "3.13"); .status == "ok")'

finding() { # interpreter workload -> the finding
	jq -c --arg i "$1" --arg w "$2" '.cells[] |
		select(.interpreter == $i and .workload == $w) |
		.probe.findings[0] // {}' "$r"
}
f=$(finding 3.13 finding_gil_reenable)
echo "$f" | jq -e '.outcome == "unsupported" and
	.details.gil_enabled_after == true and .details.extension_works' \
	>/dev/null || fail "GIL build gil_reenable: $f"
f=$(finding 3.13t finding_gil_reenable)
echo "$f" | jq -e '.outcome == "issue" and .details.gil_enabled_before ==
	false and .details.gil_enabled_after == true and
	any(.details.warnings[]; test("RuntimeWarning"))' >/dev/null ||
	fail "free-threaded gil_reenable: $f"
# ... and the cell says the GIL changed under it
check_json "$r" '.cells[] | select(.interpreter == "3.13t" and
	.workload == "finding_gil_reenable") | .gil_enabled_before == false and
	.gil_enabled_after == true'

f=$(finding 3.13 finding_immortalization)
echo "$f" | jq -e '.outcome == "ok" and
	all(.details.kinds[]; .alive_after_collect == 0 or
	    .alive_after_collect == null)' >/dev/null ||
	fail "GIL build immortalization: $f"
f=$(finding 3.13t finding_immortalization)
echo "$f" | jq -e '.outcome == "issue" and
	.details.kinds.functions.alive_after_collect == 300 and
	.details.kinds.classes.alive_after_collect == 150' >/dev/null ||
	fail "free-threaded immortalization: $f"

# the iterator findings count every item they were given
f=$(finding 3.13 finding_shared_iterator)
echo "$f" | jq -e '.outcome == "ok" and (.details.kinds | length) == 5 and
	all(.details.kinds[]; .seen == 20000 and .lost == 0 and
	    .duplicated == 0)' >/dev/null || fail "GIL shared_iterator: $f"
f=$(finding 3.13t finding_shared_iterator)
[ "$f" = "{}" ] ||
	echo "$f" | jq -e '(.details.kinds | length) == 5 and
		all(.details.kinds[]; .seen > 0)' >/dev/null ||
	fail "free-threaded shared_iterator: $f"
f=$(finding 3.13 finding_frame_access)
echo "$f" | jq -e '.outcome == "ok" and .details.reads > 0 and
	.details.writes > 0' >/dev/null || fail "GIL frame_access: $f"
echo ok
