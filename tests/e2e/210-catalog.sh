# The catalog: `ftmatrix list --json` names every module in probes/workloads
# with what a reader needs, the text listing shows them by group, and one
# workload of every group runs on the GIL and the free-threaded build.
. tests/e2e/lib.sh
. tests/e2e/probe-lib.sh

dir=$FTMATRIX_TEST_TMP/210
mkdir -p "$dir"
"$FTMATRIX" list --json >"$dir/list.json"
"$FTMATRIX" list >"$dir/list.txt"

# every module but the _helpers, and nothing else
ls probes/workloads/*.py | sed 's|.*/||; s|\.py$||' | grep -v '^_' | sort \
	>"$dir/modules"
jq -r '.[].name' "$dir/list.json" | sort >"$dir/listed"
diff "$dir/modules" "$dir/listed" >"$dir/diff" ||
	{ cat "$dir/diff"; fail "list --json does not match probes/workloads"; }
check_json "$dir/list.json" 'all(.[]; (.name | length) > 0 and
	(.description | length) > 10 and (.measures | length) > 5 and
	(.unit | length) > 0 and (.group_title != .group) and
	(.engines | length) > 0 and
	all(.engines[]; IN("threads", "processes", "executor-threads",
	    "executor-processes")) and
	IN(.kind; "timing", "c", "finding", "self-parallel"))'
# every category of the benchmark plan has workloads
for g in basic objects refcount allocation sync shared-data false-sharing \
	lock-free memory-ordering specialization interpreter ftscaling \
	progression patterns seed-001 cprobes findings; do
	check_json "$dir/list.json" "[.[] | select(.group == \"$g\")] | length > 0"
done
check_json "$dir/list.json" '[.[] | select(.group == "progression")] | length == 4'
check_json "$dir/list.json" 'all(.[] | select(.kind == "finding"); .engines == ["threads"])'
check_json "$dir/list.json" 'all(.[] | select(.kind == "c"); .engines == ["threads", "processes"])'
# the text listing: a heading per group, every workload
grep -q '^Known limitations, as findings (findings)$' "$dir/list.txt" ||
	fail "list: no findings heading"
while read -r name; do
	grep -q "^  $name " "$dir/list.txt" || fail "list: $name missing"
done <"$dir/modules"
if "$FTMATRIX" list --bogus >/dev/null 2>&1; then
	fail "list --bogus succeeded"
fi

# one timing workload of every group (besides the C probes and findings,
# which have their own tests), on both builds, two threads
m=$dir/groups.yaml
{
	probe_matrix groups
	cat <<-'YAML'
	workloads:
	  - {name: float_arith, iterations: 5000}
	  - {name: object_finalizers, iterations: 2000}
	  - {name: refcount_shared, iterations: 10000}
	  - {name: alloc_lists, iterations: 1000}
	  - {name: barrier_wait, iterations: 200}
	  - {name: data_shared_list_read, iterations: 5000}
	  - {name: counters_adjacent, iterations: 5000}
	  - {name: lockfree_simplequeue, iterations: 5000}
	  - {name: event_handoff, iterations: 50}
	  - {name: spec_cold_private, iterations: 5000}
	  - {name: frames_introspect, iterations: 2000}
	  - {name: fts_typing_namedtuple, iterations: 2000}
	  - {name: wordfreq_optimized, iterations: 200}
	  - {name: pattern_hybrid, iterations: 8}
	  - {name: seed001_memory, iterations: 2000, tasks: 2, params: {hold_ms: 20}, engines: [executor-processes]}
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
check_json "$r" '(.cells | length) == 2 * 15'
check_json "$r" 'all(.cells[]; .status == "ok")'
# each cell carries its catalog group
jq -r '.cells[] | "\(.workload) \(.group)"' "$r" | sort -u >"$dir/groups"
while read -r w g; do
	want=$(jq -r --arg w "$w" '.[] | select(.name == $w) | .group' "$dir/list.json")
	[ "$g" = "$want" ] || fail "$w: group $g in results, $want in the catalog"
done <"$dir/groups"
# metrics a Python workload reports, and the hybrid pattern's shape
check_json "$r" 'all(.cells[] | select(.workload == "counters_adjacent");
	.probe.metrics.counter_spacing_bytes.value > 0 and
	.probe.metrics.counter_spacing_bytes.unit == "bytes")'
check_json "$r" 'all(.cells[] | select(.workload == "pattern_hybrid");
	.probe.kind == "self-parallel" and .probe.workers == 1 and .probe.metrics.hybrid_processes.value == 1 and
	.probe.metrics.hybrid_threads_per_process.value == 2 and
	.work_per_thread == 16)'
# seed 001's memory task holds for hold_ms in every round
check_json "$r" 'all(.cells[] | select(.workload == "seed001_memory");
	all(.probe.samples[].task_ns[]; . >= 20000000))'
echo ok
