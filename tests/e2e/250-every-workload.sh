# Every workload in the catalog runs once, tiny, on two threads on the GIL
# and the free-threaded build: nothing in probes/workloads is left that
# only a long run would find broken. A finding's cell may crash (that is
# its result); everything else must be ok and say which group it is in.
. tests/e2e/lib.sh
. tests/e2e/probe-lib.sh

dir=$FTMATRIX_TEST_TMP/250
mkdir -p "$dir"
"$FTMATRIX" list --json >"$dir/list.json"
m=$dir/every.yaml
{
	probe_matrix every
	echo "workloads:"
	jq -r '.[] |
		if .kind == "finding" then
			"  - {name: \(.name), iterations: 1, params: {items: 2000, objects: 50, seconds: 0.05}}"
		elif .kind == "self-parallel" then
			"  - {name: \(.name), iterations: 4}"
		elif .name == "seed001_memory" then
			"  - {name: \(.name), iterations: 100, params: {hold_ms: 10}}"
		else
			"  - {name: \(.name), iterations: 20}"
		end' "$dir/list.json"
	cat <<-'YAML'
	engines: [threads]
	threads: [2]
	repetitions: 1
	samples: 1
	warmup: 0
	memory_interval_ms: 0
	timeout: 120
	YAML
} >"$m"
probe_run "$m" "$dir/out"
r=$dir/out/results.json
n=$(jq length "$dir/list.json")
check_json "$r" "(.cells | length) == 2 * $n"
check_json "$r" 'all(.cells[]; .status == "ok" or
	(.status == "crashed" and (.workload | startswith("finding_"))))'
check_json "$r" 'all(.cells[] | select(.interpreter == "3.13"); .status == "ok")'
jq -r '.[] | "\(.name) \(.group)"' "$dir/list.json" >"$dir/groups"
jq -r '.cells[] | select(.status == "ok") | "\(.workload) \(.group)"' "$r" |
	sort -u >"$dir/seen"
sort -u "$dir/groups" | join - "$dir/seen" | awk '$2 != $3' >"$dir/mismatch"
[ ! -s "$dir/mismatch" ] || { cat "$dir/mismatch"; fail "groups differ"; }
echo ok
