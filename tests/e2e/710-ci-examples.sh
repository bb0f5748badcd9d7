# examples/github-actions.yml and examples/slurm-array.sh: the workflow
# passes actionlint, and the commands both run, run here (every shard one
# after another, then the merge), give one report with the cells and the
# structure of an unsharded run of the same matrix.
. tests/e2e/lib.sh
. tests/e2e/method-lib.sh

t=$FTMATRIX_TEST_TMP/610
mkdir -p "$t/bin" "$t/co" "$t/artifacts"
export FTMATRIX_DATADIR=$FTMATRIX_ROOT

# the linter scripts/install-deps installs (Go's actionlint), when Go is here
cache=${FTMATRIX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ftmatrix}
actionlint=$(command -v actionlint || echo "$cache/tools/bin/actionlint")
if [ -x "$actionlint" ]; then
	"$actionlint" examples/github-actions.yml || fail "actionlint: examples/github-actions.yml"
elif command -v go >/dev/null; then
	fail "actionlint is missing: run scripts/install-deps"
else
	echo "note: no Go toolchain for actionlint; the workflow is only parsed" >&2
fi
sh -n examples/slurm-array.sh || fail "examples/slurm-array.sh: syntax"

# the matrix, made small: the same commands, minutes become seconds
{
	matrix_head tiny
	cat <<'EOF'
workloads:
  - {name: cpu_loop, iterations: 20000}
  - {name: object_churn, iterations: 4000}
  - {name: int_arith, iterations: 20000}
  - {name: attr_access, iterations: 20000}
engines: [threads]
threads: [1, 2]
repetitions: 1
samples: 2
warmup: 0
timeout: 60
EOF
} >"$t/tiny.yaml"

# a checkout where the binary under test is already built: the workflow's
# "make ftmatrix" finds it, its "sudo scripts/install-deps" finds all
for f in ftmatrix scripts matrices probes reports Makefile; do
	ln -s "$FTMATRIX_ROOT/$f" "$t/co/$f"
done
cat >"$t/bin/make" <<'EOF'
#!/bin/sh
[ "$*" = ftmatrix ] && [ -x ./ftmatrix ] || { echo "make $*: not here" >&2; exit 1; }
EOF
cat >"$t/bin/sudo" <<'EOF'
#!/bin/sh
exec "$@"
EOF
chmod +x "$t/bin/make" "$t/bin/sudo"

gha() { # JOB NAME=VALUE...
	(cd "$t/co" && PATH=$t/bin:$PATH python3 "$FTMATRIX_ROOT/tests/e2e/gha-local.py" \
		"$FTMATRIX_ROOT/examples/github-actions.yml" "$@") >>"$t/gha.log" 2>&1 ||
		{ tail -20 "$t/gha.log" >&2; fail "workflow job $1 $*"; }
}
for k in 1 2 3; do
	gha shard "$t/artifacts" runner=local shard=$k MATRIX="$t/tiny.yaml" SHARDS=3
done
gha merge "$t/artifacts" runner=local MATRIX="$t/tiny.yaml" SHARDS=3
merged=$t/co/merged/local
[ -f "$merged/report.html" ] || fail "the merge job left no report.html"
[ -f "$t/artifacts/report-local/report.html" ] || fail "report.html is not an artifact"
check_json "$merged/results.json" '.shard.merged == [1, 2, 3] and .complete'

# each shard: whole workloads, its part recorded, the full matrix's sha256
all=
for k in 1 2 3; do
	r=$t/artifacts/results-local-shard-$k/results.json
	check_json "$r" ".shard.index == $k and .shard.count == 3 and .shard.estimated_s > 0"
	check_json "$r" '([.cells[].workload] | unique) == (.shard.workloads | sort)'
	check_json "$r" '(.cells | length) == 4 * (.shard.workloads | length)'
	check_json "$r" --arg s "$(sha256sum "$t/tiny.yaml" | cut -c1-64)" '.matrix.sha256 == $s'
	all="$all $(jq -r '.shard.workloads[]' "$r")"
done
[ "$(echo $all | tr ' ' '\n' | sort | tr '\n' ' ')" = "attr_access cpu_loop int_arith object_churn " ] ||
	fail "the shards' workloads are not each workload once: $all"

# the same matrix unsharded: the same cells, the same report structure
"$FTMATRIX" run "$t/tiny.yaml" -o "$t/whole" -q >/dev/null 2>"$t/whole.err" ||
	{ cat "$t/whole.err" >&2; fail "unsharded run"; }
keys() { jq -r '.cells[].key' "$1" | sort; }
[ "$(keys "$merged/results.json")" = "$(keys "$t/whole/results.json")" ] ||
	fail "the merged cells are not the unsharded run's"
sections() { grep -o '<section id="[^"]*"\|<h[23][^>]*>[^<]*' "$1" | sed 's/[0-9.]* [mµn]*s//g'; }
sections "$merged/report.html" >"$t/merged.sections"
sections "$t/whole/report.html" >"$t/whole.sections"
diff -u "$t/whole.sections" "$t/merged.sections" >&2 ||
	fail "the merged report's structure differs from the unsharded one"
rows() { cut -d, -f1-5 "$1"; }
[ "$(rows "$merged/results.csv")" = "$(rows "$t/whole/results.csv")" ] ||
	fail "results.csv rows differ"

# the Slurm array: two tasks one after another, then the merge
for k in 1 2; do
	SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=2 MATRIX=$t/tiny.yaml \
		OUT=$t/slurm FTMATRIX=$FTMATRIX sh examples/slurm-array.sh \
		>>"$t/slurm.log" 2>&1 || { cat "$t/slurm.log" >&2; fail "slurm task $k"; }
done
MATRIX=$t/tiny.yaml OUT=$t/slurm FTMATRIX=$FTMATRIX sh examples/slurm-array.sh merge \
	>>"$t/slurm.log" 2>&1 || { cat "$t/slurm.log" >&2; fail "slurm merge"; }
check_json "$t/slurm/merged/results.json" '.shard.merged == [1, 2] and .complete'
[ "$(keys "$t/slurm/merged/results.json")" = "$(keys "$t/whole/results.json")" ] ||
	fail "the Slurm merge's cells are not the unsharded run's"

# a results directory resumes only as the shard it holds
if "$FTMATRIX" run "$t/tiny.yaml" --shard 2/3 -o "$t/slurm/shard-1" 2>"$t/resume.err"; then
	fail "shard 2/3 resumed shard 1/2's results"
fi
grep -q "holds shard 1/2, not 2/3; use another output directory" "$t/resume.err" ||
	{ cat "$t/resume.err" >&2; fail "resume refusal not said"; }
set +e
"$FTMATRIX" run "$t/tiny.yaml" --shard 4/3 -o "$t/bad" 2>"$t/bad.err"
rc=$?
set -e
[ $rc -eq 2 ] && grep -q -- "--shard 4/3: expected K/N with 1 <= K <= N" "$t/bad.err" ||
	fail "--shard 4/3 accepted (exit $rc)"
echo ok
