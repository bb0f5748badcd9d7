# The C-level probes on the GIL and the free-threaded build: each reports
# its metrics, with units; the object header is 16 bytes with the GIL and
# 32 without; on the processes engine too.
. tests/e2e/lib.sh
. tests/e2e/probe-lib.sh

dir=$FTMATRIX_TEST_TMP/220
mkdir -p "$dir"
m=$dir/cprobes.yaml
{
	probe_matrix cprobes
	cat <<-'YAML'
	workloads:
	  - {name: c_refcount_shared, iterations: 100000, engines: [threads, processes]}
	  - {name: c_refcount_private, iterations: 100000}
	  - {name: c_gilstate, iterations: 2000}
	  - {name: c_attach_detach, iterations: 10000}
	  - {name: c_object_sizes, iterations: 10000, threads: [1]}
	engines: [threads]
	threads: [1, 2]
	repetitions: 1
	samples: 2
	warmup: 0
	timeout: 120
	YAML
} >"$m"
probe_run "$m" "$dir/out"
r=$dir/out/results.json
check_json "$r" '(.cells | length) == 2 * (4 + 2 + 2 + 2 + 1)'
check_json "$r" 'all(.cells[]; .status == "ok" and .probe.kind == "c")'

metric() { # workload metric
	check_json "$r" "all(.cells[] | select(.workload == \"$1\");
		.probe.metrics.$2.value > 0 and .probe.metrics.$2.unit == \"ns\" and
		(.probe.metrics.$2.description | length) > 10)"
}
metric c_refcount_shared refcount_shared_ns
metric c_refcount_private refcount_private_ns
metric c_gilstate gilstate_roundtrip_ns
metric c_attach_detach attach_detach_ns
metric c_object_sizes object_alloc_free_ns

# header sizes: the free-threaded header adds the owner thread id, a
# mutex, GC bits and the split reference count
sizes='.cells[] | select(.workload == "c_object_sizes") | .probe.metrics'
check_json "$r" "[$sizes] | length == 2"
check_json "$r" "[.cells[] | select(.workload == \"c_object_sizes\" and
	.interpreter == \"3.13\") | .probe.metrics] | all(
	.sizeof_pyobject.value == 16 and .sizeof_pyvarobject.value == 24 and
	.getsizeof_none.value == 16 and .sizeof_pyobject.unit == \"bytes\")"
check_json "$r" "[.cells[] | select(.workload == \"c_object_sizes\" and
	.interpreter == \"3.13t\") | .probe.metrics] | all(
	.sizeof_pyobject.value == 32 and .sizeof_pyvarobject.value == 40 and
	.getsizeof_none.value == 32)"
check_json "$r" "all($sizes; .getsizeof_empty_list.value > .sizeof_pyobject.value
	and .getsizeof_empty_dict.value > 0 and .getsizeof_float.value > 0)"
# the probe's identity says the same
check_json "$r" 'all(.cells[]; .probe.identity.sizeof_pyobject ==
	(if .interpreter == "3.13t" then 32 else 16 end))'
echo ok
