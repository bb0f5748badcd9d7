# A matrix from the command line: --print-matrix prints YAML that loads
# back as the same matrix; a run from flags alone measures a file of the
# user's on two builds; -w, --threads, --repetitions and --samples change a
# matrix file, and results.json and the report say how. Flag mistakes are
# named by flag.
. tests/e2e/lib.sh

tmp=$FTMATRIX_TEST_TMP/610
mkdir -p "$tmp"
cd "$tmp"
cat >mybench.py <<'PY'
DESCRIPTION = "join a few strings"
GROUP = "mine"
UNIT = "joins"


def run(n):
    for i in range(n):
        "-".join(("a", "b", str(i)))
PY

flags="--python 3.13=source:debian:3.13.15 --python source:debian:3.13.15t
	--python pyenv:3.12.1 --python uv:3.14t --python /usr/bin/python3
	-w cpu_loop -w ./mybench.py --threads 1,2,4 --repetitions 2 --samples 3"
# shellcheck disable=SC2086
"$FTMATRIX" run $flags --print-matrix >p.yaml 2>err || { cat err >&2; fail "--print-matrix"; }
grep -Fxq '  - {id: "3.13", provider: source, source: "debian:3.13.15"}' p.yaml || fail "$(cat p.yaml)"
grep -Fxq '  - {id: "3.13.15t", provider: source, source: "debian:3.13.15", free_threaded: true}' p.yaml || fail "$(cat p.yaml)"
grep -Fxq '  - {id: pyenv-3.12.1, provider: pyenv, version: "3.12.1"}' p.yaml || fail "$(cat p.yaml)"
grep -Fxq '  - {id: "3.14t", provider: uv, request: "3.14t"}' p.yaml || fail "$(cat p.yaml)"
grep -Fxq '  - {id: python3, provider: path, path: /usr/bin/python3}' p.yaml || fail "$(cat p.yaml)"
grep -Fxq "  - {name: mybench, path: $tmp/mybench.py}" p.yaml || fail "$(cat p.yaml)"
grep -Fxq 'threads: [1, 2, 4]' p.yaml || fail "$(cat p.yaml)"
"$FTMATRIX" validate p.yaml >out 2>err || { cat err >&2; fail "the printed matrix does not validate"; }
grep -Fxq "p.yaml: ok (5 interpreters, 2 workloads, threads 1 2 4)" out || fail "$(cat out)"
# loaded back and printed again: the same matrix
(cd / && "$FTMATRIX" run "$tmp/p.yaml" -w cpu_loop -w "$tmp/mybench.py" --print-matrix) >again.yaml ||
	fail "p.yaml with the same workloads"
tail -n +2 p.yaml >a
tail -n +2 again.yaml >b
cmp -s a b || { diff a b >&2; fail "printed twice, not the same matrix"; }

# one command line, two builds, the user's function
"$FTMATRIX" run --python source:debian:3.13.15 --python source:debian:3.13.15t \
	-w ./mybench.py --threads 1,2 --repetitions 1 --samples 2 -o cli -q >out 2>err ||
	{ cat err >&2; fail "run from flags"; }
check_json cli/results.json '.matrix.name == "cli" and .complete'
check_json cli/results.json '[.interpreters[].id] == ["3.13.15", "3.13.15t"]'
check_json cli/results.json '[.cells[] | select(.workload == "mybench" and .status == "ok")] | length == 4'
check_json cli/results.json '.matrix.overrides == "--python source:debian:3.13.15 --python source:debian:3.13.15t -w ./mybench.py --threads 1,2 --repetitions 1 --samples 2"'
check_json cli/results.json '.matrix.workload_files.mybench.sha256 | length == 64'

# overrides on a file: recorded, in the matrix as run and the report
cat >m.yaml <<'YAML'
# a comment the changed matrix does not keep
interpreters:
  - {id: gil, provider: source, source: "debian:3.13.15"}
workloads:
  - {name: cpu_loop, iterations: 3000}
  - int_arith
threads: [1, 2]
repetitions: 3
YAML
"$FTMATRIX" run m.yaml -w cpu_loop --threads 2 --repetitions 1 --samples 2 -o over -q >out 2>err ||
	{ cat err >&2; fail "run with overrides"; }
check_json over/results.json '.matrix.overrides == "-w cpu_loop --threads 2 --repetitions 1 --samples 2"'
check_json over/results.json '.matrix.path == "m.yaml" and (.matrix.text | test("iterations: 3000"))'
check_json over/results.json '[.cells[] | [.workload, .threads, .iterations]] | unique == [["cpu_loop", 2, 3000]]'
check_json over/results.json '[.cells[]] | length == 1'
grep -q "The command line made or changed the matrix: <code>-w cpu_loop --threads 2" over/report.html ||
	fail "report: overrides not shown"
grep -q "ftmatrix run m.yaml -w cpu_loop --threads 2 --repetitions 1 --samples 2 -o over" over/report.html ||
	fail "report: reproduce command without the overrides"

# mistakes, named by flag
rc=0
"$FTMATRIX" run --python python3 -w int_arithmetic -w ./nothere.py --samples 0 >out 2>err || rc=$?
[ "$rc" -eq 2 ] || fail "bad flags: exit status $rc"
for line in 'ftmatrix: --samples 0: expected a count from 1 to 100000' \
	'ftmatrix: -w int_arithmetic: unknown workload (did you mean int_arith?)' \
	'ftmatrix: -w ./nothere.py: no such file'; do
	grep -Fxq "$line" err || { cat err >&2; fail "missing: $line"; }
done
rc=0
"$FTMATRIX" run --python python3 --threads 1,x -w cpu_loop >out 2>err || rc=$?
[ "$rc" -eq 2 ] && grep -Fq -- "--threads 1,x: x is not a thread count" err || fail "bad --threads: $(cat err)"
rc=0
"$FTMATRIX" run -w cpu_loop >out 2>err || rc=$?
[ "$rc" -eq 2 ] && grep -q "give a MATRIX file, or --python for each interpreter" err || fail "no matrix: $(cat err)"
rc=0
"$FTMATRIX" run m.yaml --python python3 >out 2>err || rc=$?
[ "$rc" -eq 2 ] && grep -q -- "--python makes a matrix without a file" err || fail "--python with a file: $(cat err)"
exit 0
