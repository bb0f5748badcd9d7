# Text from a matrix or a results file (labels, here) reaches gnuplot
# scripts, SVG and HTML: quotes, newlines, gnuplot's system() and
# backquotes, and HTML tags stay text. Nothing runs, nothing is injected.
. tests/e2e/lib.sh

t=$FTMATRIX_TEST_TMP/570
rm -rf "$t"
mkdir -p "$t"
cd "$t"
label='a'"'"'" '"\\n"'system("touch '"$t"'/pwned1") "b'"'"'; system("touch '"$t"'/pwned2"); `touch '"$t"'/pwned3` <img src=x onerror=alert(1)>"><script>alert(2)</script>'
jq --arg l "$label" '.interpreters[0].label = ($l | gsub("\\\\n"; "\n"))' \
	"$FTMATRIX_ROOT/tests/fixtures/results-small.json" >evil.json
jq -e '.interpreters[0].label | test("\n")' evil.json >/dev/null || fail "the label has no newline"
"$FTMATRIX" report evil.json -o out >out.log 2>&1 || { cat out.log; fail "report"; }
ls pwned* >/dev/null 2>&1 && fail "a label ran a command through gnuplot"
[ -s out/report.html ] || fail "no report"
if grep -q -e "<script>alert" -e "<img src=x" out/report.html out/charts/*.svg; then
	fail "a label's markup reached the report unescaped"
fi
grep -q "onerror=alert(1)" out/report.html || fail "the label is not shown at all"
# every plot line of every script still parses as one command
for gp in out/charts/*.gp; do
	if grep -q '^system(' "$gp"; then fail "$gp: a label broke a line"; fi
done
echo ok
