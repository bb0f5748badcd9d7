# The report of a real run (the quick matrix, GIL and free-threaded
# 3.13.15): `ftmatrix report` redraws exactly what `ftmatrix run` wrote, and
# the headline's numbers are the ones results.json gives, recomputed here.
. tests/e2e/lib.sh

dir=$(quick_results)
r=$dir/results.json
out=$FTMATRIX_TEST_TMP/430
"$FTMATRIX" report "$r" -o "$out" >/dev/null || fail "report of the quick run failed"
# run and report share one code path: same data, same page, same tables
cmp "$dir/report.html" "$out/report.html" || fail "report.html differs from the run's"
cmp "$dir/summary.md" "$out/summary.md" || fail "summary.md differs from the run's"
cmp "$dir/results.csv" "$out/results.csv" || fail "results.csv differs from the run's"
for c in overhead scaling-cpu_loop scaling-object_churn scaling-summary \
	latency-cpu_loop; do
	[ -s "$out/charts/$c.svg" ] && [ -s "$out/charts/$c.png" ] || fail "no chart $c"
done

ft=$(jq -r '.interpreters[] | select(.id == "3.13t") | .label' "$r")
gil=$(jq -r '.interpreters[] | select(.id == "3.13") | .label' "$r")
jqlib='def median: sort | if length % 2 == 1 then .[length / 2 | floor]
		else (.[length / 2 - 1] + .[length / 2]) / 2 end;
	def pooled($i; $w; $t): [.cells[] | select(.interpreter == $i and
		.workload == $w and .engine == "threads" and .threads == $t and
		.status == "ok") | .wall_ns[]];
	def workloads: [.cells[].workload] | unique;'
over=$(jq -r "$jqlib"'. as $r | [workloads[] as $w |
	($r | pooled("3.13t"; $w; 1) | median) /
	($r | pooled("3.13"; $w; 1) | median)] | median | (. - 1) * 100' "$r")
sp() {
	jq -r "$jqlib"'. as $r | [workloads[] as $w |
		($r | pooled("'"$1"'"; $w; 1) | median) /
		($r | pooled("'"$1"'"; $w; 2) | median) * 2] | median' "$r"
}
sft=$(printf "%.2f" "$(sp 3.13t)")
sgil=$(printf "%.2f" "$(sp 3.13)")
abs=$(echo "$over" | awk '{ print $1 < 0 ? -$1 : $1 }')
if awk "BEGIN { exit !($abs >= 9.95) }"; then
	pct=$(printf "%.0f" "$abs")
else
	pct=$(printf "%.1f" "$abs")
fi
signed=$(printf "%+.1f" "$over")
# a difference inside the noise is said as such, with its signed value
line=$(grep -oE "<li>$ft (is|and) [^<]*</li>" "$out/report.html") || fail "no headline for $ft"
echo "$line"
case $line in
*"$ft is $pct% ± "*" than $gil on one thread (median over 2 workloads"*) ;;
*"$ft and $gil cannot be told apart on one thread ($signed% ± "*", within noise; median over 2 workloads"*) ;;
*) fail "headline does not give the overhead $over% (expected $pct% or $signed%)" ;;
esac
case $line in
*"it scales ${sft}x on 2 threads where $gil "*" ${sgil}x."*) ;;
*) fail "headline does not give speedups ${sft}x and ${sgil}x" ;;
esac
echo ok
