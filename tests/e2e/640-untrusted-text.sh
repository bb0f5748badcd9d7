# Text from a results file never reaches the terminal raw (ESC, OSC 52,
# C1 controls are shown escaped), never runs as a spreadsheet formula in
# CSV, and never becomes HTML in Markdown.
. tests/e2e/lib.sh

t=$FTMATRIX_TEST_TMP/610
rm -rf "$t"
mkdir -p "$t"
cd "$t"
fixture=$FTMATRIX_ROOT/tests/fixtures/results-small.json
osc=$(printf '\033]52;c;cHduZWQ=\007')
csi=$(printf '\033[2J')
c1=$(printf '\302\233')
jq --arg l "evil${osc}${csi}${c1}label" '.interpreters[0].label = $l' "$fixture" >evil.json
"$FTMATRIX" compare evil.json evil.json >cmp.out 2>cmp.err || { cat cmp.err; fail "compare"; }
grep -q "evil" cmp.out || fail "the label is not shown"
if LC_ALL=C grep -q "$(printf '[\033\007]')" cmp.out cmp.err; then
	fail "compare printed a raw control character"
fi
if LC_ALL=C grep -q "$c1" cmp.out; then fail "compare printed a raw C1 control"; fi
grep -qF 'evil\x1b]52;c;cHduZWQ=\x07\x1b[2J\u009blabel' cmp.out || { cat cmp.out; fail "the controls are not shown escaped"; }

# an error message quoting the file
jq --arg i "x${osc}" '.cells[0].interpreter = $i' "$fixture" >bad.json
if "$FTMATRIX" report bad.json -o bad >bad.out 2>bad.err; then fail "a bad cell was accepted"; fi
grep -q 'x\\x1b]52' bad.err || { cat bad.err; fail "the message does not show the text escaped"; }
if LC_ALL=C grep -q "$(printf '[\033\007]')" bad.err; then fail "an error printed a raw control character"; fi

# CSV formulas and Markdown HTML
jq '.interpreters[0].label = "=HYPERLINK(\"http://x/\",\"y\")" | .interpreters[1].label = "-1.5"' "$fixture" >csv.json
"$FTMATRIX" report csv.json -o csv --format csv,md >csv.out 2>csv.err || { cat csv.err; fail "report csv"; }
grep -q "\"'=HYPERLINK(\"\"http://x/\"\",\"\"y\"\")\"" csv/results.csv || { head -3 csv/results.csv; fail "a formula reached the CSV unguarded"; }
grep -q ",=HYPERLINK" csv/results.csv && fail "a formula starts a CSV field"
grep -q ",-1.5," csv/results.csv || fail "a number label was changed"
jq '.interpreters[0].label = "<img src=x onerror=alert(1)>"' "$fixture" >md.json
"$FTMATRIX" report md.json -o md --format md >md.out 2>md.err || { cat md.err; fail "report md"; }
grep -q "&lt;img src=x onerror=alert(1)&gt;" md/summary.md || fail "the Markdown does not show the label escaped"
grep -q "<img" md/summary.md && fail "HTML reached the Markdown"
echo ok
