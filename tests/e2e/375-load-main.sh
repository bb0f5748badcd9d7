# load: main runs a workload as the __main__ script, compiled the way
# `python script.py` compiles it; load: import (the default) imports it.
# On 3.13.15t the two differ in which constants are immortal: a str
# constant is immortal when imported and mortal as __main__, a tuple
# constant the other way round (sys.getrefcount shows it). Both ways are
# keyed apart in the results, and each cell says how it was loaded.
. tests/e2e/lib.sh
. tests/e2e/method-lib.sh

FTMATRIX_DATADIR=$(test_datadir)
export FTMATRIX_DATADIR
t=$FTMATRIX_TEST_TMP/370
mkdir -p "$t"
{
	matrix_head load
	cat <<-YAML
	workloads:
	  - load_constants
	  - {name: load_constants, load: main, engines: [threads, executor-threads]}
	  - load_script
	  - {name: load_script, load: import}
	threads: [2]
	repetitions: 1
	samples: 1
	warmup: 0
	iterations: 1000
	min_time: 0
	memory_interval_ms: 0
	YAML
} >"$t/m.yaml"
r=$t/out/results.json
"$FTMATRIX" run -q "$t/m.yaml" -o "$t/out" >"$t/stdout" 2>"$t/stderr" ||
	{ cat "$t/stderr"; fail "run"; }
check_json "$r" 'all(.cells[]; .status == "ok")'
check_json "$r" '[.cells[].workload] | unique == ["load_constants", "load_constants@main", "load_script", "load_script@import"]'
check_json "$r" '[.cells[] | select(.workload == "load_constants@main") | .engine] | sort == ["executor-threads", "executor-threads", "threads", "threads"]'
# what the probe did, in every cell
check_json "$r" 'all(.cells[] | select(.workload == "load_constants"); .probe.load == "import" and .probe.metrics.loaded_as_main.value == 0)'
check_json "$r" 'all(.cells[] | select(.workload == "load_constants@main"); .probe.load == "main" and .probe.metrics.loaded_as_main.value == 1)'
# results with both keys read back and draw a report naming both
"$FTMATRIX" report "$r" -o "$t/report" --format html >"$t/report.out" 2>&1 ||
	{ cat "$t/report.out"; fail "report"; }
grep -q "load_constants@main" "$t/report/report.html" || fail "report.html: no load_constants@main"

# a module's own LOAD is its default; the entry's load: wins
check_json "$r" 'all(.cells[] | select(.workload == "load_script"); .probe.load == "main" and .probe.metrics.loaded_as_main.value == 1)'
check_json "$r" 'all(.cells[] | select(.workload == "load_script@import"); .probe.load == "import" and .probe.metrics.loaded_as_main.value == 0)'
"$FTMATRIX" list --json >"$t/list.json"
check_json "$t/list.json" '.[] | select(.name == "load_script") | .load == "main" and .engines == ["threads", "processes", "executor-threads"]'
check_json "$t/list.json" '.[] | select(.name == "load_constants") | .load == "import" and (.engines | length) == 4'

# immortal: a reference count no program reaches (3.13 reports 2**32-1)
imm='. >= 1073741824'
ft='select(.interpreter == "3.13t") | .probe.metrics'
check_json "$r" "all(.cells[] | select(.workload == \"load_constants\") | $ft; (.str_const_refcount.value | $imm) and (.tuple_const_refcount.value | $imm | not))"
check_json "$r" "all(.cells[] | select(.workload == \"load_constants@main\") | $ft; (.str_const_refcount.value | $imm | not) and (.tuple_const_refcount.value | $imm))"
# with the GIL neither is immortal, either way
check_json "$r" 'all(.cells[] | select(.interpreter == "3.13") | .probe.metrics; (.str_const_refcount.value < 1000) and (.tuple_const_refcount.value < 1000))'

# the same as `python script.py` and `import`, on the interpreter itself
py=$(jq -r '.interpreters[] | select(.id == "3.13t") | .identity.executable' "$r")
(cd tests/workloads && "$py" -B -c '
import sys, load_constants as m
s, t = m.metrics()["str_const_refcount"][0], m.metrics()["tuple_const_refcount"][0]
sys.exit(0 if s >= 2**30 and t < 1000 else 1)') || fail "imported by $py: not as the probe imports"
cp tests/workloads/load_constants.py "$t/script.py"
echo 'import sys; m = metrics(); sys.exit(0 if m["str_const_refcount"][0] < 1000 and m["tuple_const_refcount"][0] >= 2**30 else 1)' >>"$t/script.py"
"$py" "$t/script.py" || fail "$py script.py: not as the probe runs __main__"

# a process pool imports by name: refused for __main__, with the reason
{
	matrix_head load
	printf 'workloads:\n  - {name: load_constants, load: main, engines: [executor-processes]}\n'
} >"$t/bad.yaml"
if "$FTMATRIX" validate "$t/bad.yaml" >"$t/bad.out" 2>&1; then
	fail "executor-processes with load: main was accepted"
fi
grep -q 'bad.yaml:12:49: workload "load_constants@main": engine "executor-processes" cannot load it as __main__' "$t/bad.out" ||
	fail "unexpected message: $(cat "$t/bad.out")"

# the catalog runs the ftscaling constant workloads both ways
"$FTMATRIX" validate matrices/catalog.yaml >/dev/null || fail "catalog.yaml does not validate"
for w in fts_str_const fts_tuple_const fts_dict_create; do
	grep -q "^  - {name: $w, iterations: [0-9]*}$" matrices/catalog.yaml &&
		grep -q "^  - {name: $w, iterations: [0-9]*, load: main}$" matrices/catalog.yaml ||
		fail "catalog.yaml: $w not run both ways"
done
# fts_dict_create's two-key display takes its keys from a tuple constant;
# fts_dict_one_key is ftscalingbench's create_dict, without one
(cd probes/workloads && "$py" -B -c '
import dis, sys, fts_dict_create as two, fts_dict_one_key as one
ops = lambda m: {i.opname for i in dis.get_instructions(m.run)}
sys.exit(0 if "BUILD_CONST_KEY_MAP" in ops(two) and "BUILD_MAP" in ops(one)
         and "BUILD_CONST_KEY_MAP" not in ops(one) else 1)') ||
	fail "fts_dict_create / fts_dict_one_key do not compile as described"
