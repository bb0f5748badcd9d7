# ftmatrix report on a results file with every part of the data contract:
# the layout, every chart as SVG and PNG, a self-contained HTML, and the
# summary numbers recomputed here from results.json with jq.
. tests/e2e/lib.sh

fx=tests/fixtures/results-full.json
out=$FTMATRIX_TEST_TMP/400
"$FTMATRIX" report "$fx" -o "$out" >"$out.stdout" || fail "report failed"
grep -qx "$out/report.html" "$out.stdout" || fail "report did not print its path"

# the layout
for f in report.html results.csv cells.csv summary.md; do
	[ -s "$out/$f" ] || fail "no $f"
done
for c in overhead scaling-summary scaling-cpu_loop scaling-object_churn \
	engines-seed001_overhead latency-seed001_overhead latency-cpu_loop \
	memory-seed001_overhead timeline-seed001_overhead; do
	[ -s "$out/charts/$c.svg" ] || fail "no chart $c.svg"
	[ -s "$out/charts/$c.png" ] || fail "no chart $c.png"
done
# every SVG has its PNG, and neither is empty; PNGs are 1200 px wide
for svg in "$out"/charts/*.svg; do
	png=${svg%.svg}.png
	[ -s "$svg" ] && [ -s "$png" ] || fail "$svg or its PNG is missing or empty"
	grep -q "<svg" "$svg" || fail "$svg is not an SVG"
	width=$(od -An -tu1 -j16 -N4 "$png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
	[ "$width" -eq 1200 ] || fail "$png is $width px wide, not 1200"
done
# one colour per interpreter in every chart that shows it
if grep -h "title '3.13.15t" "$out"/charts/*.gp | grep -v "#d55e00"; then
	fail "a chart draws 3.13.15t in another colour"
fi
grep -q "title '3.13.15t" "$out/charts/overhead.gp" || fail "overhead chart does not name 3.13.15t"
grep -q 'background:#d55e00"></span>3.13.15t<' "$out/report.html" || fail "tables do not use 3.13.15t's colour"
# correctness runs are findings, not performance: no charts of their times
[ ! -e "$out/charts/scaling-finding_frames.svg" ] || fail "a findings run was charted"

# self-contained: no network reference, CSS and charts inline
html=$out/report.html
if grep -Eio "(src|href)[[:space:]]*=[[:space:]]*[\"']?[[:space:]]*(https?:)?//" "$html"; then
	fail "report.html refers to the network"
fi
if grep -Eio "<link|<script[^>]*src|<img|url\([\"']?(https?:)?//|@import" "$html"; then
	fail "report.html loads something from outside itself"
fi
[ "$(grep -c "<svg" "$html")" -ge 9 ] || fail "charts are not inline"
grep -q "<style>" "$html" || fail "CSS is not inline"

# the sections a reader looks for
for id in summary machine interpreters overhead scaling engines latency \
	memory tables findings metrics warnings reproduce; do
	grep -q "<section id=\"$id\">" "$html" || fail "no section $id"
done

# the headline, recomputed: median over timed workloads (not the checks,
# nor the C probes, whose metrics are the point) of the ratio of medians on
# one thread, and of the speedup on 4 threads (weak scaling)
jqlib='def median: sort | if length == 0 then null elif length % 2 == 1
		then .[length / 2 | floor]
		else (.[length / 2 - 1] + .[length / 2]) / 2 end;
	def pooled($i; $w; $t): [.cells[] | select(.interpreter == $i and
		.workload == $w and .engine == "threads" and .threads == $t and
		.status == "ok") | .wall_ns[]];
	def timed: ([.cells[] | select(((.probe.findings // []) | length > 0)
			or (.probe.kind == "c" or .probe.kind == "finding"))
		| .workload] | unique) as $f
		| [.cells[].workload] | unique - $f;'
over=$(jq -r "$jqlib"'
	. as $r | [timed[] as $w | ($r | pooled("3.13t"; $w; 1) | median) /
		($r | pooled("3.13"; $w; 1) | median)] | median | (. - 1) * 100' "$fx")
pct=$(printf "%.0f" "$over")
nw=$(jq -r "$jqlib"'timed | length' "$fx")
[ "$nw" -eq 4 ] || fail "expected 4 timed workloads in the fixture, got $nw"
grep -q "3.13.15t is $pct% ± [0-9.]*% slower than 3.13.15 on one thread (median over $nw workloads" "$html" ||
	fail "headline does not say 3.13.15t is $pct% slower over $nw workloads"
sp() {
	jq -r "$jqlib"'
		. as $r | [timed[] as $w | ($r | pooled("'"$1"'"; $w; 1) | median) /
			($r | pooled("'"$1"'"; $w; 4) | median) * 4] | median' "$fx"
}
ft=$(printf "%.2f" "$(sp 3.13t)")
gil=$(printf "%.2f" "$(sp 3.13)")
grep -q "it scales ${ft}x on 4 threads where 3.13.15 stays at ${gil}x" "$html" ||
	fail "headline does not say ${ft}x against ${gil}x on 4 threads"
grep -q "3.13.15t is $pct% ± " "$out/summary.md" || fail "summary.md lacks the headline"
# memory: mean PSS over repetitions on one thread, against the baseline's
pss() {
	jq -r "$jqlib"'def mean: add / length;
		def pss($i; $w): [.cells[] | select(.interpreter == $i and
			.workload == $w and .engine == "threads" and
			.threads == 1 and .status == "ok") | .memory.pss_kib.avg] | mean;
		. as $r | [timed[] as $w | ($r | pss("3.13t"; $w)) /
			($r | pss("3.13"; $w))] | median' "$fx"
}
mem=$(printf "%.2f" "$(pss)")
grep -q "3.13.15t uses ${mem}x the memory (PSS) of 3.13.15 on one thread (median over $nw workloads)" "$html" ||
	fail "memory headline does not say ${mem}x"

# CSV: one row per interpreter, workload, engine and thread count
groups=$(jq '[.cells[] | [.interpreter, .workload, .engine, .threads]] | unique | length' "$fx")
[ "$(($(wc -l <"$out/results.csv") - 1))" -eq "$groups" ] || fail "results.csv does not have $groups rows"
[ "$(($(wc -l <"$out/cells.csv") - 1))" -eq "$(jq '.cells | length' "$fx")" ] || fail "cells.csv does not have a row per cell"
med=$(jq -r "$jqlib"'pooled("3.13"; "cpu_loop"; 1) | median' "$fx")
grep -q "^3.13,3.13.15,cpu_loop,threads,1,2,0,10,[^,]*,$med," "$out/results.csv" ||
	fail "results.csv median of 3.13/cpu_loop/1 is not $med"
grep -q '^3.13t/finding_frames/threads/2/0,3.13t,finding_frames,threads,2,0,crashed,killed by signal 11 (SIGSEGV),' "$out/cells.csv" ||
	fail "cells.csv lacks the crashed cell"

# Markdown for release notes
grep -q '^## Single-thread overhead vs 3.13.15' "$out/summary.md" || fail "no overhead table"
grep -q '^| cpu_loop | +[0-9.]*% (' "$out/summary.md" || fail "no cpu_loop overhead row"
grep -q '^| cpu_loop (weak) | 4 | ' "$out/summary.md" || fail "no speedup row"
grep -q '^## Memory' "$out/summary.md" || fail "no memory table"
grep -q '^| Shared iterator across threads | ok | issue |' "$out/summary.md" || fail "no findings table"

# findings: the issue, and the crashed run shown as a crash
grep -q 'o-issue">issue</span> items were lost or duplicated' "$html" || fail "shared_iterator issue not shown"
grep -q 'o-crash">crash</span> killed by signal 11' "$html" || fail "crashed finding not shown as a crash"
# C-level metrics with their units
grep -q 'sizeof_pyobject' "$html" && grep -q '>16 B<' "$html" && grep -q '>32 B<' "$html" ||
	fail "sizeof_pyobject not shown as 16 B and 32 B"
# each metric names the workload that reported it (two may share a name)
grep -q '<code>sizeof_pyobject</code>.*</td><td>capi_probes</td>' "$html" ||
	fail "a metric without its workload"
# warnings: GIL re-enabled, failed cell with its error, unavailable interpreter
grep -q 'GIL re-enabled:</span> 3.13t/cpu_loop/threads/2/1' "$html" || fail "no GIL warning"
grep -q 'failed:</span> 3.13t/object_churn/threads/4/1: 1 error in the workload: MemoryError' "$html" || fail "no failed-cell warning"
grep -q 'unavailable:</span> 3.12: pyenv: version 3.12.1 is not installed' "$html" || fail "no unavailable warning"
# summary.md says there are warnings and of what kind, as the HTML does
grep -q '^\*\*Warnings:\*\* .*1 interpreter was not available.*1 cell failed.*cell ran with the GIL re-enabled' "$out/summary.md" ||
	fail "summary.md does not mention the warnings: $(grep -i warn "$out/summary.md")"
grep -q 'ftmatrix run matrices/full.yaml -o out/full' "$html" || fail "no command to reproduce"

# options: dark theme, HiDPI PNGs, a subset of formats, bad flags
"$FTMATRIX" report "$fx" -o "$out-dark" --theme dark --hidpi >/dev/null || fail "dark report failed"
grep -q '<body class="dark">' "$out-dark/report.html" || fail "dark theme not applied to the page"
grep -q "background rgb '#16181d'" "$out-dark/charts/overhead.gp" || fail "dark theme not applied to charts"
width=$(od -An -tu1 -j16 -N4 "$out-dark/charts/overhead.png" | awk '{ print $1 * 16777216 + $2 * 65536 + $3 * 256 + $4 }')
[ "$width" -eq 2400 ] || fail "--hidpi PNG is $width px wide, not 2400"
"$FTMATRIX" report "$fx" -o "$out-csv" --format csv,md >/dev/null || fail "csv,md report failed"
[ -s "$out-csv/results.csv" ] && [ -s "$out-csv/summary.md" ] || fail "--format csv,md wrote too little"
[ ! -e "$out-csv/report.html" ] && [ ! -e "$out-csv/charts" ] || fail "--format csv,md wrote HTML or charts"
"$FTMATRIX" report "$fx" -o "$out-png" --format png >/dev/null || fail "png report failed"
[ -s "$out-png/charts/overhead.png" ] || fail "--format png wrote no PNG"
! ls "$out-png"/charts/*.svg >/dev/null 2>&1 || fail "--format png left SVGs"
[ ! -e "$out-png/report.html" ] || fail "--format png wrote HTML"
"$FTMATRIX" report "$fx" -o "$out-html" --format html >/dev/null || fail "html report failed"
[ "$(grep -c "<svg" "$out-html/report.html")" -ge 9 ] || fail "--format html has no inline charts"
! ls "$out-html"/charts/*.svg "$out-html"/charts/*.png >/dev/null 2>&1 || fail "--format html left chart files"
set +e
"$FTMATRIX" report "$fx" -o "$out-bad" --format html,pdf 2>"$out.err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "unknown format: exit $rc, not 2"
grep -q -- '--format: unknown format "pdf"' "$out.err" || fail "unknown format not named"
set +e
"$FTMATRIX" report "$fx" --theme sepia 2>"$out.err"
rc=$?
set -e
[ "$rc" -eq 2 ] && grep -q -- '--theme: unknown theme "sepia"' "$out.err" || fail "bad --theme not refused"
echo ok
