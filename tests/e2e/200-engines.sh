# The four engines on the GIL and the free-threaded build: every cell ok,
# one timing per worker, the GIL state each build really ran with, task
# latencies when tasks are asked for, and strong scaling's split of work.
. tests/e2e/lib.sh
. tests/e2e/probe-lib.sh

dir=$FTMATRIX_TEST_TMP/200
mkdir -p "$dir"
m=$dir/engines.yaml
{
	probe_matrix engines
	cat <<-'YAML'
	workloads:
	  - {name: cpu_loop, iterations: 20000}
	  - name: seed001_overhead
	    iterations: 2000
	    tasks: 3
	    task_warmup: 1
	    threads: [2]
	  - name: object_churn
	    iterations: 3000
	    engines: [threads, processes]
	    threads: [2]
	    params: {unused: 7}
	engines: [threads, processes, executor-threads, executor-processes]
	threads: [1, 2]
	repetitions: 1
	samples: 2
	warmup: 1
	timeout: 120
	YAML
} >"$m"
probe_run "$m" "$dir/out"
r=$dir/out/results.json

# 2 interpreters x (cpu_loop 4 engines x 2 counts + seed001 4 engines + 2)
check_json "$r" '(.cells | length) == 2 * (8 + 4 + 2)'
check_json "$r" 'all(.cells[]; .status == "ok" and .probe.kind == "timing")'
for e in threads processes; do
	check_json "$r" "[.cells[] | select(.engine == \"$e\")] | length == 2 * 4"
done
for e in executor-threads executor-processes; do
	check_json "$r" "[.cells[] | select(.engine == \"$e\")] | length == 2 * 3"
done
# one wall and CPU time per worker, whatever the engine
# (executors measure no extra samples in place of disturbed ones)
check_json "$r" '.settings.extra_samples as $x | all(.cells[];
	.probe.workers == .threads and (.probe.samples | length) >= 2 and
	(.probe.samples | length) <= 2 +
	    (if (.engine | startswith("executor")) then 0 else $x end))'
check_json "$r" 'all(.cells[]; . as $c | all(.probe.samples[];
	(.thread_wall_ns | length) == $c.threads and
	all(.thread_cpu_ns[]; . > 0)))'
# worker processes and process pools report the GIL state they ran with
check_json "$r" 'all(.cells[] | select(.interpreter == "3.13t");
	.gil_enabled_before == false and .gil_enabled_after == false and
	.probe.identity.gil_disabled_build == true)'
check_json "$r" 'all(.cells[] | select(.interpreter == "3.13");
	.gil_enabled_before == true and .gil_enabled_after == true)'
# tasks: 3 timed rounds per sample, each with its latency
check_json "$r" 'all(.cells[] | select(.workload == "seed001_overhead");
	.probe.tasks == 3 and .probe.task_warmup == 1 and
	all(.probe.samples[]; (.task_ns | length) == 3 and all(.task_ns[]; . > 0)
	    and .wall_ns >= (.task_ns | max)))'
check_json "$r" 'all(.cells[] | select(.workload != "seed001_overhead");
	all(.probe.samples[]; has("task_ns") | not))'
check_json "$r" 'all(.cells[] | select(.workload == "object_churn");
	.probe.params == {"unused": "7"})'

# strong scaling: the same total work split over the workers
{
	probe_matrix strong
	cat <<-'YAML'
	workloads: [{name: cpu_loop, iterations: 20000}]
	engines: [threads, processes]
	threads: [2]
	repetitions: 1
	samples: 1
	warmup: 0
	scaling: strong
	YAML
} >"$dir/strong.yaml"
probe_run "$dir/strong.yaml" "$dir/strong"
check_json "$dir/strong/results.json" '(.cells | length) == 4 and
	all(.cells[]; .status == "ok" and .probe.scaling == "strong" and
	    .work_per_thread == 10000)'

# the probe itself: a bad flag is a usage error naming it
cache=${FTMATRIX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ftmatrix}
probe=$(ls -t "$cache"/probes/*/probe 2>/dev/null | head -1)
if [ -n "$probe" ]; then
	set +e
	"$probe" --workloads-dir probes/workloads --workload cpu_loop \
		--engine fibers >/dev/null 2>"$dir/usage.err"
	rc=$?
	set -e
	[ "$rc" -eq 2 ] || fail "probe --engine fibers: exit $rc, expected 2"
	grep -q 'unknown engine "fibers"' "$dir/usage.err" ||
		fail "probe --engine fibers: no message naming the engine"
fi
echo ok
