# scripts/crosscheck (make crosscheck): pyperf, installed from PyPI into a
# venv per interpreter under the cache, times the same workload bodies as
# ftmatrix, and a table puts both tools' figures side by side. Tiny sizes:
# this checks the plumbing and the table's shape, never the numbers.
. tests/e2e/lib.sh

t=$FTMATRIX_TEST_TMP/380
scripts/crosscheck --tiny -o "$t" cpu_loop fts_str_const@main >"$t.out" 2>"$t.err" ||
	{ tail -30 "$t.err" >&2; fail "scripts/crosscheck"; }

# the table: a header and a row per workload and interpreter, in order
tsv=$t/crosscheck.tsv
[ "$(head -1 "$tsv")" = "$(printf 'workload\tinterpreter\tftmatrix_ns\tpyperf_ns\tftmatrix_over\tpyperf_over\tdiff')" ] ||
	fail "crosscheck.tsv header: $(head -1 "$tsv")"
[ "$(tail -n +2 "$tsv" | cut -f1,2 | tr '\t' ' ')" = "cpu_loop 3.13.15
cpu_loop 3.13.15t
fts_str_const@main 3.13.15
fts_str_const@main 3.13.15t" ] || fail "crosscheck.tsv rows: $(cat "$tsv")"
tail -n +2 "$tsv" | awk -F '\t' '
	NF != 7 { print "fields: " $0; bad = 1 }
	!($3 > 0 && $4 > 0 && $6 > 0) { print "not a time or ratio: " $0; bad = 1 }
	# (ftmatrix gives no overhead when every sample was disturbed)
	$5 !~ /^[0-9.]+ \[[0-9.]+, [0-9.]+\]$/ && $5 != "not resolved" { print "no CI: " $0; bad = 1 }
	$7 !~ /^[-+][0-9.]+%$/ && !($5 == "not resolved" && $7 == "-") { print "diff: " $0; bad = 1 }
	# the baseline against itself
	$2 == "3.13.15" && ($5 !~ /^1\.000 / || $6 != "1.000") { print "baseline: " $0; bad = 1 }
	END { exit bad }' || fail "crosscheck.tsv: $(cat "$tsv")"
# printed, with what the columns mean
grep -q '^fts_str_const@main  *3.13.15t ' "$t.out" || fail "no table printed: $(cat "$t.out")"
grep -q "overhead: time against 3.13.15" "$t.out" || fail "no legend: $(cat "$t.out")"

# the same bodies: an imported module, and the workload's own text as the
# __main__ script for @main
grep -q '^import cpu_loop$' "$t/pyperf-cpu_loop.py" || fail "cpu_loop is not imported"
n=$(wc -l <probes/workloads/fts_str_const.py)
head -n "$n" "$t/pyperf-fts_str_const@main.py" | cmp -s - probes/workloads/fts_str_const.py ||
	fail "the @main script does not start with the workload's text"
check_json "$t/pyperf-3.13t-fts_str_const@main.json" '.metadata.ftmatrix_load == "main" or (.benchmarks[0].metadata.ftmatrix_load == "main")'
# pyperf went into a venv under the cache, not into the interpreter
cache=${FTMATRIX_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ftmatrix}
ls -d "$cache"/crosscheck/venv-*-pyperf-* >/dev/null 2>&1 || fail "no venv under $cache/crosscheck"
for py in $(cut -f3 "$t/interpreters.tsv"); do
	if "$py" -c 'import pyperf' 2>/dev/null; then
		fail "pyperf was installed into $py itself"
	fi
done
