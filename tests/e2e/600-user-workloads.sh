# A workload module of the user's, anywhere on disk: validate checks it
# without running it (file:line:col), list shows it, a matrix finds it by
# workloads_dir or path and run measures it from its own directory (it
# imports a module beside it) on every engine, recording its text and
# sha256; a module changed since is not mixed into a resumed run.
. tests/e2e/lib.sh

tmp=$FTMATRIX_TEST_TMP/600
mkdir -p "$tmp/bench" "$tmp/other"
cd "$tmp"

cat >bench/_helper.py <<'PY'
def square(i):
    return i * i
PY
cat >bench/sumsq.py <<'PY'
"""Sum of squares, with a helper module beside it."""
from _helper import square

DESCRIPTION = "sum of squares through a helper"
GROUP = "mine"
UNIT = "iterations"


def run(n):
    return sum(square(i) for i in range(n))
PY
cat >bench/broken.py <<'PY'
DESCRIPTION = 42
UNIT = "iterations"
ENGINES = ("threads", "fibres")
PY
cat >other/cpu_loop.py <<'PY'
DESCRIPTION = "my own cpu_loop"
GROUP = "mine"
UNIT = "iterations"


def run(n):
    for _ in range(n):
        pass
PY

# validate: a module alone, a directory, and a matrix naming them
"$FTMATRIX" validate bench/sumsq.py >out 2>err || { cat err >&2; fail "validate sumsq.py"; }
grep -Fxq "bench/sumsq.py: ok (workload sumsq)" out || fail "sumsq.py not ok: $(cat out)"
rc=0
"$FTMATRIX" validate bench/broken.py >out 2>err || rc=$?
[ "$rc" -eq 1 ] || fail "broken.py: exit status $rc"
for line in \
	'ftmatrix: bench/broken.py:1:15: DESCRIPTION must be a str' \
	'ftmatrix: bench/broken.py:1:1: missing GROUP = "..." (required: see probes/workloads/README.md)' \
	'ftmatrix: bench/broken.py:1:1: no run(n) function (a workload defines run(n), or thread_run(index, nthreads))' \
	'ftmatrix: bench/broken.py:3:23: unknown engine "fibres" in ENGINES (expected threads, processes, executor-threads, executor-processes)'; do
	grep -Fxq "$line" err || { cat err >&2; fail "missing: $line"; }
done
rc=0
"$FTMATRIX" validate --workloads bench >out 2>err || rc=$?
[ "$rc" -eq 1 ] && grep -q "sumsq: ok\|bench/sumsq.py: ok" out && grep -q "broken.py:1:15" err ||
	fail "validate --workloads: rc $rc, $(cat out err)"

cat >m.yaml <<'YAML'
interpreters:
  - {id: gil, provider: source, source: "debian:3.13.15"}
workloads_dir: bench
workloads:
  - sumsq
  - broken
  - int_arithmetic
  - {name: cpu_loop, path: other/cpu_loop.py}
  - {name: x, path: bench/sumsq.py}
  - {name: gone, path: bench/gone.py}
YAML
rc=0
"$FTMATRIX" validate m.yaml >out 2>err || rc=$?
[ "$rc" -eq 1 ] || fail "m.yaml: exit status $rc"
for line in \
	"ftmatrix: $tmp/bench/broken.py:1:15: DESCRIPTION must be a str" \
	'ftmatrix: m.yaml:7:5: unknown workload "int_arithmetic" (did you mean "int_arith"?)' \
	"ftmatrix: m.yaml:8:5: workload \"cpu_loop\" ($tmp/other/cpu_loop.py) has the name of a catalog workload; rename the file, or give its entry \"override_catalog: true\"" \
	'ftmatrix: m.yaml:9:21: the file of workload "x" must be named x.py (the probe imports it by that name), not "sumsq.py"'; do
	grep -Fxq "$line" err || { cat err >&2; fail "missing: $line"; }
done
grep -q "m.yaml:10:24: no file" err || { cat err >&2; fail "a missing path not reported"; }

# the clash is allowed when the entry says so; a workloads_dir that is
# not one is named
cat >ok.yaml <<'YAML'
interpreters:
  - {id: gil, provider: source, source: "debian:3.13.15"}
  - {id: ft, provider: source, source: "debian:3.13.15", free_threaded: true}
workloads_dir: [bench]
workloads:
  - {name: sumsq, iterations: 2000, engines: [threads, processes, executor-threads]}
  - {name: cpu_loop, path: other/cpu_loop.py, override_catalog: true, iterations: 2000}
threads: [1, 2]
repetitions: 1
samples: 2
YAML
"$FTMATRIX" validate ok.yaml >out 2>err || { cat err >&2; fail "ok.yaml refused"; }
sed 's/workloads_dir: \[bench\]/workloads_dir: [nowhere]/' ok.yaml >nodir.yaml
rc=0
"$FTMATRIX" validate nodir.yaml >out 2>err || rc=$?
[ "$rc" -eq 1 ] && grep -q "nodir.yaml:4:17: \".*/nowhere\" is not a directory" err ||
	{ cat err >&2; fail "a missing workloads_dir not named"; }

# list: the user's first, with their files
"$FTMATRIX" list --workloads bench >out 2>err || fail "list --workloads"
head -1 out | grep -Fxq "Your workloads (--workloads)" || fail "list: no heading: $(head -3 out)"
grep -q "^  sumsq  *sum of squares through a helper" out || fail "list: sumsq missing"
grep -q "bench/sumsq.py" out || fail "list: no path"
grep -q "^  cpu_loop " out || fail "list: the catalog is gone"
"$FTMATRIX" list --json --workloads bench >list.json || fail "list --json --workloads"
check_json list.json '.[] | select(.name == "sumsq") | .path == "bench/sumsq.py" and .group == "mine"'

# run: measured from its own directory, on every engine asked for
"$FTMATRIX" run ok.yaml -o run -q >out 2>err || { cat err >&2; fail "run ok.yaml"; }
check_json run/results.json '[.cells[] | select(.status != "ok")] | length == 0'
check_json run/results.json '[.cells[] | .workload] | unique == ["cpu_loop", "sumsq"]'
check_json run/results.json '[.cells[] | select(.workload == "sumsq") | .engine] | unique == ["executor-threads", "processes", "threads"]'
sha=$(sha256sum bench/sumsq.py | cut -d' ' -f1)
check_json run/results.json --arg sha "$sha" --arg p "$tmp/bench/sumsq.py" \
	'.matrix.workload_files.sumsq | .sha256 == $sha and .path == $p and (.text | test("def run"))'
check_json run/results.json '.matrix.workload_files.cpu_loop.text | test("my own cpu_loop")'
grep -q "Workload sumsq as measured" run/report.html || fail "report: the module is not shown"

# a module changed since: a resume is refused, naming it
echo "# changed" >>bench/sumsq.py
rm run/report.html
rc=0
"$FTMATRIX" run ok.yaml -o run -q >out 2>err || rc=$?
[ "$rc" -eq 1 ] && grep -q "workload sumsq changed since its cells there were measured" err ||
	{ cat err >&2; fail "a changed module was resumed (rc $rc)"; }
exit 0
