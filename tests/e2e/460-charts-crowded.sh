# Every chart kind stays readable with 8 interpreters of 30-character
# labels, 4 engines and 6 thread counts: gnuplot's own plot area
# (GPVAL_TERM_XMIN/XMAX/YMIN/YMAX, after the chart's script ran) keeps at
# least half of the PNG's width and height; in small multiples, the panels
# of a row and of a column together do. Legends sit outside the plot, value
# labels only where bars are wide enough. The same with 3 interpreters and
# 2 engines: single charts with long legends.
. tests/e2e/lib.sh

t=$FTMATRIX_TEST_TMP/460
mkdir -p "$t"
python3 tests/fixtures/make-results-worst.py >"$t/results.json" &&
	python3 tests/fixtures/make-results-worst.py 3 2 >"$t/mid.json" ||
	fail "cannot write the crowded results files"
"$FTMATRIX" report "$t/results.json" -o "$t/out" >/dev/null 2>"$t/err" ||
	{ cat "$t/err" >&2; fail "report of the crowded results file"; }
"$FTMATRIX" report "$t/mid.json" -o "$t/mid" >/dev/null 2>"$t/err" ||
	{ cat "$t/err" >&2; fail "report of the 3-interpreter results file"; }

# The PNG's width and height, from its header.
png_size() {
	od -An -tu1 -j16 -N8 "$1" |
		awk '{ print $1*16777216 + $2*65536 + $3*256 + $4, $5*16777216 + $6*65536 + $7*256 + $8 }'
}

# Every chart of a report directory: its plot area, where its key is.
check_charts() {
	cd "$1/charts"
	n=0
	for gp in *.gp; do
		name=${gp%.gp}
		[ -s "$name.png" ] || fail "$name: no PNG"
		# the script as the report ran it, then where its last plot went
		area=$( { cat "$gp"; echo 'print GPVAL_TERM_XMIN, GPVAL_TERM_XMAX,' \
			'GPVAL_TERM_YMIN, GPVAL_TERM_YMAX'; } | gnuplot 2>&1 >/dev/null |
			tail -1)
		layout=$(sed -n 's/^# layout \([0-9]*\) \([0-9]*\)$/\1 \2/p' "$gp" | head -1)
		[ -n "$layout" ] || layout="1 1"
		echo "$name $area $(png_size "$name.png") $layout" | awk '{
			w = ($3 - $2) * $8 / $6; h = ($5 - $4) * $9 / $7
			printf "%s: plot area %.2f of the width, %.2f of the height\n", $1, w, h
			if (!(w >= 0.5 && h >= 0.5)) exit 1
		}' || fail "$name: the plot area is less than half the picture"
		# a key inside the plot would cover it
		if grep -q '^set key' "$gp" && ! grep '^set key' "$gp" | tail -1 |
			grep -q 'at screen'; then
			fail "$name: its key is inside the plot"
		fi
		n=$((n + 1))
	done
	[ "$n" -ge 10 ] || fail "$1: only $n charts"
	cd - >/dev/null
}

check_charts "$t/mid"
# six bars to a cluster at six worker counts: too narrow for labels
if grep -q 'with labels' "$t/mid/charts/engines-cpu_loop.gp"; then
	fail "engines-cpu_loop: value labels on bars too narrow for them"
fi
check_charts "$t/out"
cd "$t/out/charts"
# every kind was drawn, the crowded ones as small multiples
for c in overhead scaling-summary scaling-cpu_loop engines-cpu_loop \
	latency-seed001_overhead memory-cpu_loop timeline-cpu_loop; do
	[ -s "$c.svg" ] || fail "no chart $c"
done
for c in scaling-cpu_loop engines-cpu_loop latency-seed001_overhead \
	memory-cpu_loop timeline-cpu_loop; do
	grep -q '^set multiplot' "$c.gp" || fail "$c is not small multiples"
done
