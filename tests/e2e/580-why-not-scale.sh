# Why a workload does not scale, on workloads whose cause is known: a lock
# held across the work (the threads wait), one shared object's reference
# count from every thread (they contend) and a loop beside a CPU hog on the
# other core (the machine). The report's sentence for each names that cause;
# the probe records each worker's switches, run-queue wait and counters.
. tests/e2e/lib.sh
. tests/e2e/method-lib.sh

FTMATRIX_DATADIR=$(test_datadir)
export FTMATRIX_DATADIR
t=$FTMATRIX_TEST_TMP/580
mkdir -p "$t"
{
	matrix_head why
	cat <<-YAML
	workloads:
	  - {name: why_lock, iterations: 2000}
	  - {name: why_refcount, iterations: 200000}
	engines: [threads, processes]
	threads: [1, 2]
	repetitions: 1
	samples: 3
	warmup: 1
	min_time: 0
	affinity: "0-1"
	# the evidence of the workers' counters alone: no sample is left out
	# for a slow phase (370 tests that; the hog run below keeps it)
	drift_threshold: 0
	YAML
} >"$t/m.yaml"
{
	matrix_head hog
	cat <<-YAML
	workloads:
	  - {name: why_busy, iterations: 300000}
	threads: [1, 2]
	repetitions: 1
	samples: 3
	warmup: 1
	min_time: 0
	affinity: "0-1"
	YAML
} >"$t/hog.yaml"

"$FTMATRIX" run "$t/m.yaml" -o "$t/out" >"$t/stdout" 2>"$t/stderr" ||
	{ cat "$t/stderr" >&2; fail "ftmatrix run m.yaml"; }

# a CPU hog on CPU 1 for the whole of the second run, stopped by its PID
taskset -c 1 sh -c 'while :; do :; done' &
hog=$!
trap 'kill "$hog" 2>/dev/null || true' EXIT
"$FTMATRIX" run "$t/hog.yaml" -o "$t/hog" >"$t/hog.stdout" \
	2>"$t/hog.stderr" || { cat "$t/hog.stderr" >&2; fail "ftmatrix run hog.yaml"; }
kill "$hog"
trap - EXIT

# every worker of the threads and processes engines: its switches and
# run-queue wait per sample, and its counters, or why a counter is absent
r=$t/out/results.json
check_json "$r" 'all(.cells[]; . as $c | all(.probe.samples[];
	(.thread_vcsw | length) == $c.threads and
	(.thread_ivcsw | length) == $c.threads and
	(.thread_runq_ns | length) == $c.threads))'
check_json "$r" 'all(.cells[]; . as $c | (.probe.worker_counters | length) ==
	$c.threads and all(.probe.worker_counters[]; . as $w |
	all("task_clock_ns", "context_switches", "cpu_migrations",
	    "page_faults", "cycles", "instructions", "cache_misses";
	    . as $k | ($w | has($k)) != ($w.absent | has($k)))))'

# The cause of a case, from the report's data-cause; "" when no sentence.
cause() {
	grep -o "<li data-cause=\"[a-z]*\">$2 on 3.13.15t: [^<]*" "$1" |
		sed 's/<li data-cause="\([a-z]*\)".*/\1/' | head -1
}
html=$t/out/report.html
grep -q '<h2>Why these do not scale</h2>' "$html" || fail "no section in the report"
grep -q '^## Why these do not scale' "$t/out/summary.md" ||
	fail "no section in summary.md"

got=$(cause "$html" why_lock)
[ "$got" = waiting ] || fail "why_lock: cause \"$got\", expected waiting"
grep "why_lock on 3.13.15t" "$t/out/summary.md" | grep -q "blocked" ||
	fail "why_lock: the sentence does not name the blocked time"

# threads contend only while they run at once: when others took the CPUs
# from this test's threads (a fifth of the time or more), the evidence
# says the machine, and it is right to; or the one-thread cell lost more
# to the others than the two-thread one did, and there is no case at all
got=$(cause "$html" why_refcount)
busy=$(jq '[.cells[] | select(.workload == "why_refcount" and
	.interpreter == "3.13t" and .engine == "threads" and .threads == 2) |
	.probe.samples[] | (.thread_runq_ns | add) / (.thread_wall_ns | add)] |
	add / length > 0.2' "$r")
if [ "$busy" = true ]; then
	echo "note: the machine was busy; why_refcount's cause: $got"
	[ "$got" = contention ] || [ "$got" = machine ] || [ -z "$got" ] ||
		fail "why_refcount: cause \"$got\" on a busy machine"
else
	[ "$got" = contention ] ||
		fail "why_refcount: cause \"$got\", expected contention"
	grep "why_refcount on 3.13.15t" "$t/out/summary.md" |
		grep -q "processes reach" || fail "why_refcount: no processes in it"
fi

got=$(cause "$t/hog/report.html" why_busy)
[ "$got" = machine ] || fail "why_busy beside a hog: cause \"$got\", expected machine"
# when the hog disturbed every sample, the speedup is not given and the
# sentence says why
if jq -e '.analysis.groups[] | select(.workload == "why_busy" and
	.interpreter == "3.13t" and .threads == 2) | .speedup == null' \
	"$t/hog/results.json" >/dev/null; then
	grep "why_busy on 3.13.15t" "$t/hog/summary.md" |
		grep -q "is not resolved: every sample.* was disturbed" ||
		fail "why_busy: an unresolved speedup without its reason"
fi

# an older results file, without any of it, still loads and says what
# would decide
jq 'del(.cells[].probe.worker_counters) |
	del(.cells[].probe.samples[].thread_vcsw) |
	del(.cells[].probe.samples[].thread_ivcsw) |
	del(.cells[].probe.samples[].thread_runq_ns) |
	del(.cells[].probe.samples[].thread_cpu_ns)' "$r" >"$t/old.json"
"$FTMATRIX" report "$t/old.json" -o "$t/old" >/dev/null 2>"$t/old.err" ||
	{ cat "$t/old.err" >&2; fail "report of an older results file"; }
got=$(cause "$t/old/report.html" why_lock)
[ "$got" = undecided ] || fail "why_lock without worker data: cause \"$got\""
grep "why_lock on 3.13.15t" "$t/old/summary.md" | grep -q "would\|records" ||
	fail "the undecided sentence does not name the measurement that decides"
