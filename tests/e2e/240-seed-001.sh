# matrices/seed-001.yaml, shrunk (fewer and shorter iterations, 2 workers):
# thread pools against process pools with per-iteration latencies, and the
# memory profile sampled over the whole process tree while tasks hold
# their data.
. tests/e2e/lib.sh
. tests/e2e/probe-lib.sh

dir=$FTMATRIX_TEST_TMP/240
mkdir -p "$dir"
"$FTMATRIX" validate matrices/seed-001.yaml >/dev/null
sed -e 's/^    iterations: 20000$/    iterations: 2000/' \
	-e 's/^    tasks: 1000$/    tasks: 4/' \
	-e 's/^    task_warmup: 5$/    task_warmup: 1/' \
	-e 's/^    tasks: 30$/    tasks: 3/' \
	-e 's/^    task_warmup: 2$/    task_warmup: 1/' \
	-e 's/hold_ms: 1000/hold_ms: 150/' \
	-e 's/^threads: \[8\]$/threads: [2]/' \
	-e 's/^repetitions: 2$/repetitions: 1/' \
	matrices/seed-001.yaml >"$dir/seed.yaml"
grep -q 'hold_ms: 150' "$dir/seed.yaml" || fail "could not shrink seed-001.yaml"
probe_run "$dir/seed.yaml" "$dir/out"
r=$dir/out/results.json

# overhead: 4 engines, memory: 2 pools, on 2 interpreters
check_json "$r" '(.cells | length) == 2 * (4 + 2)'
check_json "$r" 'all(.cells[]; .status == "ok" and .threads == 2)'
# one sample, and on threads and processes up to extra_samples more in
# place of disturbed ones
check_json "$r" '.settings.extra_samples as $x | all(.cells[] | select(.workload == "seed001_overhead");
	(.probe.samples | length) >= 1 and (.probe.samples | length) <= 1 +
	    (if (.engine | startswith("executor")) then 0 else $x end) and
	(.probe.samples[0].task_ns | length) == 4 and
	.probe.samples[0].wall_ns >= (.probe.samples[0].task_ns | add))'
check_json "$r" '[.cells[] | select(.workload == "seed001_memory") | .engine]
	| sort == ["executor-processes", "executor-processes",
	    "executor-threads", "executor-threads"]'
# every iteration held for hold_ms, and memory was sampled meanwhile
check_json "$r" 'all(.cells[] | select(.workload == "seed001_memory");
	(.probe.samples[0].task_ns | length) == 3 and
	all(.probe.samples[0].task_ns[]; . >= 150000000) and
	.memory.interval_ms == 50 and .memory.nsamples >= 6 and
	.memory.rss_kib.max > 0 and .memory.uss_kib.max > 0 and
	.memory.pss_kib.max > 0 and
	.memory.rss_kib.min <= .memory.rss_kib.avg and
	.memory.rss_kib.avg <= .memory.rss_kib.max)'
# a pool of processes is several interpreters: more memory than threads
for i in 3.13 3.13t; do
	check_json "$r" "([.cells[] | select(.interpreter == \"$i\" and
		.workload == \"seed001_memory\") | {(.engine): .memory.rss_kib.max}]
		| add) as \$m | \$m[\"executor-processes\"] > \$m[\"executor-threads\"]"
done
echo ok
