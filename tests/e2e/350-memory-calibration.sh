# Memory is sampled over the probe's whole process tree into each cell's
# "memory" (probes/CONTRACT.md); iterations per sample are calibrated once per
# workload to min_time and every cell of it runs that count.
. tests/e2e/lib.sh
. tests/e2e/method-lib.sh

FTMATRIX_DATADIR=$(test_datadir)
export FTMATRIX_DATADIR
t=$FTMATRIX_TEST_TMP/350
mkdir -p "$t"
{
	matrix_head memory
	cat <<-YAML
	workloads:
	  - cpu_loop
	  - name: memory_hold
	    iterations: 1000
	  - name: memory_tree
	    iterations: 1000
	threads: [1, 2]
	repetitions: 1
	samples: 2
	warmup: 0
	iterations: 1000
	min_time: 0.02
	memory_interval_ms: 20
	YAML
} >"$t/m.yaml"
r=$t/out/results.json
"$FTMATRIX" run "$t/m.yaml" -o "$t/out" -v >"$t/stdout" 2>"$t/stderr" ||
	{ cat "$t/stderr"; fail "run"; }
check_json "$r" 'all(.cells[]; .status == "ok")'

# calibration: cpu_loop only (the others have their own count), a power of
# two times the starting count, at least min_time on every interpreter
check_json "$r" '.settings.min_time_s == 0.02 and (.calibration | length) == 1'
check_json "$r" '.calibration[0] | .workload == "cpu_loop" and .min_time_s == 0.02'
check_json "$r" '.calibration[0] | [.interpreters[].interpreter] == ["3.13", "3.13t"]'
check_json "$r" '.calibration[0] | all(.interpreters[]; .sample_ns >= 2e7 and .probes >= 1)'
check_json "$r" '.calibration[0] | .iterations == ([.interpreters[].iterations] | max)'
n=$(jq '.calibration[0].iterations' "$r")
check_json "$r" "($n / 1000) as \$k | \$k >= 2 and (\$k | log2 | . == floor)"
# every cell of a workload did the same work, thread counts and interpreters alike
check_json "$r" "all(.cells[] | select(.workload == \"cpu_loop\"); .iterations == $n)"
check_json "$r" 'all(.cells[] | select(.workload != "cpu_loop"); .iterations == 1000)'
grep -q "cpu_loop: $n iterations per sample (at least 0.02 s on every interpreter)" "$t/stderr" ||
	fail "calibration not reported: $(cat "$t/stderr")"

# memory, as the data contract says
check_json "$r" 'all(.cells[]; .memory.interval_ms == 20 and .memory.nsamples >= 1)'
check_json "$r" 'all(.cells[]; .memory | (.timeline | length) >= 1 and all(.timeline[]; length == 4))'
check_json "$r" 'all(.cells[]; .memory | .rss_kib.min <= .rss_kib.avg and .rss_kib.avg <= .rss_kib.max)'
check_json "$r" 'all(.cells[]; .memory | .uss_kib.max <= .rss_kib.max and .pss_kib.max <= .rss_kib.max)'
check_json "$r" 'all(.cells[]; .memory.timeline | [.[][0]] | . == sort)'
# 64 MiB held by the probe itself
check_json "$r" 'all(.cells[] | select(.workload == "memory_hold"); .memory.rss_kib.max >= 65536 and .memory.uss_kib.max >= 65536)'
# 64 MiB in each of two children, one a child of a non-main thread
check_json "$r" 'all(.cells[] | select(.workload == "memory_tree"); .memory.max_processes >= 3 and .memory.rss_kib.max >= 131072 and .memory.uss_kib.max >= 131072 and .memory.pss_kib.max >= 131072)'
# what the kernel says about the probe process itself
check_json "$r" 'all(.cells[]; .rusage.maxrss_kib > 0 and .rusage.user_s >= 0)'
check_json "$r" 'all(.cells[] | select(.workload == "memory_hold"); .rusage.maxrss_kib >= 65536)'
echo ok
