# An interrupted report keeps the charts of the last one that finished:
# charts are drawn aside and swapped into place whole, so a half-written
# SVG or PNG never replaces a good one, and the next report sweeps away
# what the killed one left.
. tests/e2e/lib.sh

fx=tests/fixtures/results-full.json
out=$FTMATRIX_TEST_TMP/440
"$FTMATRIX" report "$fx" -o "$out" >/dev/null || fail "report failed"
cp -r "$out/charts" "$out.charts-before"
cp "$out/report.html" "$out.html-before"

# the real gnuplot after a pause, so the kill lands mid-render
mkdir -p "$out.bin"
printf '#!/bin/sh\nsleep 0.3\nexec %s "$@"\n' "$(command -v gnuplot)" >"$out.bin/gnuplot"
chmod +x "$out.bin/gnuplot"
# the dark theme changes every chart file
PATH="$out.bin:$PATH" "$FTMATRIX" report "$fx" -o "$out" --theme dark \
	>/dev/null 2>"$out.err" &
pid=$!
i=0
until ls "$out"/.charts-new.*/*.svg >/dev/null 2>&1; do
	kill -0 "$pid" 2>/dev/null || fail "report ended before it could be interrupted"
	i=$((i + 1))
	[ "$i" -lt 600 ] || fail "no chart was drawn within 60 s"
	sleep 0.1
done
kill -TERM "$pid"
if wait "$pid"; then
	fail "the interrupted report exited 0"
fi
diff -r "$out.charts-before" "$out/charts" >/dev/null ||
	fail "an interrupted report changed the charts in place"
cmp -s "$out.html-before" "$out/report.html" ||
	fail "an interrupted report changed report.html"

"$FTMATRIX" report "$fx" -o "$out" --theme dark >/dev/null || fail "report after the interruption failed"
if ls -d "$out"/.charts-* 2>/dev/null; then
	fail "the interrupted report's stage was left behind"
fi
grep -q "background rgb '#16181d'" "$out/charts/overhead.gp" || fail "the new charts are not in place"
[ -s "$out/charts/overhead.svg" ] && [ -s "$out/charts/overhead.png" ] || fail "no overhead chart"
echo ok
