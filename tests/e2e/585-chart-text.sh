# Legitimate text never breaks a chart: a label that starts with a quote
# ('fast' build) is drawn in every chart, and a file compared with itself
# (every change exactly 0%, no interval) draws its bars on a range that is
# not empty.
. tests/e2e/lib.sh

t=$FTMATRIX_TEST_TMP/580
rm -rf "$t"
mkdir -p "$t"
cd "$t"
jq --arg l "'fast' build" '.interpreters[0].label = $l' \
	"$FTMATRIX_ROOT/tests/fixtures/results-small.json" >quoted.json
"$FTMATRIX" report quoted.json -o quoted >quoted.log 2>&1 || { cat quoted.log; fail "report of a label with quotes"; }
n=0
for gp in quoted/charts/*.gp; do
	n=$((n + 1))
	base=${gp%.gp}
	[ -s "$base.png" ] || fail "$base.png was not drawn"
	grep -q "fast' build" "$base.svg" || fail "$base.svg does not show the label"
done
[ "$n" -ge 4 ] || fail "only $n charts"

# one rep of one sample per cell: every ratio is 1 with no interval
jq '.cells |= map(select(.rep == 0) | if .wall_ns then .wall_ns |= .[:1] | .cpu_ns |= .[:1] else . end)
    | .matrix.text |= sub("repetitions: 2"; "repetitions: 1")' \
	"$FTMATRIX_ROOT/tests/fixtures/results-small.json" >one.json
"$FTMATRIX" compare one.json one.json -o same >same.out 2>same.err || { cat same.err; fail "compare of a file with itself"; }
grep -q "empty x range" same.err && fail "gnuplot refused an empty range"
[ -s same/charts/compare-B.png ] || fail "no compare chart"
grep -q '^set xrange \[0:0\]' same/charts/compare-B.gp && fail "an empty range was written"
echo ok
