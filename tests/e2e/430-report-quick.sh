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
	def cellsof($i; $w; $t): [.cells[] | select(.interpreter == $i and
		.workload == $w and .engine == "threads" and .threads == $t and
		.status == "ok")];
	# the samples that count: not descheduled, and the drift snippet
	# within the threshold of the fastest for the interpreter and thread
	# count in the whole run (none: the ratio is not resolved)
	def ref($i; $t): [.cells[] | select(.interpreter == $i and
		.threads == $t and .status == "ok") | .drift_ns[] | select(. > 0)]
		| min;
	def pooled($i; $w; $t): . as $r | ($r | ref($i; $t)) as $ref |
		(1 + $r.settings.drift_threshold) as $k |
		($r | cellsof($i; $w; $t)) as $cs |
		[$cs[] | . as $c | range(0; .wall_ns | length) |
		    select($c.disturbed[.] != 2 and
		        ($c.drift_ns[.] <= 0 or $c.drift_ns[.] <= $ref * $k)) |
		    $c.wall_ns[.]];
	def workloads: [.cells[].workload] | unique;'
# overheads and speedups of the workloads whose samples were not all
# disturbed
overs=$(jq -c "$jqlib"'. as $r | [workloads[] as $w |
	($r | pooled("3.13t"; $w; 1)) as $a | ($r | pooled("3.13"; $w; 1)) as $b |
	select(($a | length) > 0 and ($b | length) > 0) |
	($a | median) / ($b | median)]' "$r")
nover=$(echo "$overs" | jq length)
# speedups over the workloads where the free-threaded build's is resolved;
# the GIL build's is given when it is resolved on the same ones
sp() { # interpreter, workloads of the free-threaded build's speedups
	jq -r "$jqlib"'. as $r | [workloads[] as $w |
		($r | pooled("'"$1"'"; $w; 1)) as $a |
		($r | pooled("'"$1"'"; $w; 2)) as $b |
		select(($a | length) > 0 and ($b | length) > 0) |
		select('"$2"' | index($w)) |
		($a | median) / ($b | median) * 2] | if length < ('"$2"' | length)
		then "none" else median end' "$r"
}
ftws=$(jq -c "$jqlib"'. as $r | [workloads[] as $w |
	select(($r | pooled("3.13t"; $w; 1) | length) > 0 and
	    ($r | pooled("3.13t"; $w; 2) | length) > 0) | $w]' "$r")
line=$(grep -oE "<li>$ft(:| |'s )[^<]*</li>" "$out/report.html" | head -1) ||
	fail "no headline for $ft"
echo "$line"
# (a busy machine can disturb every sample of a group: then the ratio is
# not given, and the headline says so)
if [ "$nover" -eq 0 ]; then
	case $line in
	*"overhead on one thread is not resolved"*) ;;
	*) fail "headline gives an overhead no sample supports" ;;
	esac
else
	over=$(echo "$overs" | jq -r "$jqlib"'median | (. - 1) * 100')
	abs=$(echo "$over" | awk '{ print $1 < 0 ? -$1 : $1 }')
	if awk "BEGIN { exit !($abs >= 9.95) }"; then
		pct=$(printf "%.0f" "$abs")
	else
		pct=$(printf "%.1f" "$abs")
	fi
	signed=$(printf "%+.1f" "$over")
	# a difference inside the noise is said as such, with its signed value
	case $line in
	*"$ft is $pct% ± "*" than $gil on one thread (median over $nover workload"*) ;;
	*"$ft and $gil cannot be told apart on one thread ($signed% ± "*", within noise; median over $nover workload"*) ;;
	# (a group left with one sample that counts has no interval)
	*"$ft is $pct% "*" than $gil on one thread (one value per interpreter on some workload, so no confidence interval; median over $nover workload"*) ;;
	*) fail "headline does not give the overhead $over% (expected $pct% or $signed%)" ;;
	esac
fi
if [ "$ftws" = "[]" ]; then
	case $line in
	*"speedup on 2 threads is not resolved"*) ;;
	*) fail "headline gives a speedup no sample supports" ;;
	esac
else
	sft=$(printf "%.2f" "$(sp 3.13t "$ftws")")
	sgil=$(sp 3.13 "$ftws")
	[ "$sgil" = none ] || sgil=$(printf "%.2f" "$sgil")
	case $sgil:$line in
	none:*"scales ${sft}x on 2 threads"*) ;;
	*:*"scales ${sft}x on 2 threads where $gil "*" ${sgil}x"*) ;;
	*) fail "headline does not give speedups ${sft}x and ${sgil}x" ;;
	esac
fi
echo ok
