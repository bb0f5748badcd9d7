# report.html in a real browser (headless Chromium, no network): it loads
# without script errors, the DOM has every section and the sorter ran, and
# screenshots at desktop and phone width are not blank.
. tests/e2e/lib.sh

command -v chromium >/dev/null || fail "chromium is not installed (make deps)"
command -v python3 >/dev/null || fail "python3 is not installed (make deps)"
out=$FTMATRIX_TEST_TMP/410
"$FTMATRIX" report tests/fixtures/results-full.json -o "$out" >/dev/null || fail "report failed"

# Chromium as root in a container: no sandbox, no GPU, nothing in the
# background that would reach the network, a profile of its own
chrome() {
	profile=$(mktemp -d "$FTMATRIX_TEST_TMP/chromium.XXXXXX")
	timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
		--no-first-run --disable-background-networking \
		--disable-component-update --disable-sync --disable-extensions \
		--user-data-dir="$profile" --enable-logging=stderr --v=0 \
		--hide-scrollbars "$@"
}

url=file://$out/report.html
chrome --dump-dom "$url" >"$out/dom.html" 2>"$out/dom.err" || {
	tail -20 "$out/dom.err" >&2
	fail "chromium could not load report.html"
}
# the page logs nothing; any console line is a script error or a failed load
if grep -E "CONSOLE|Uncaught" "$out/dom.err"; then
	fail "report.html logged to the console"
fi
for id in summary machine interpreters overhead scaling engines latency \
	memory tables findings metrics warnings reproduce; do
	grep -q "<section id=\"$id\">" "$out/dom.html" || fail "DOM has no section $id"
done
grep -q '<li>3.13.15t is [0-9]*% ± ' "$out/dom.html" || fail "DOM has no headline"
[ "$(grep -c '<svg' "$out/dom.html")" -ge 9 ] || fail "DOM has too few charts"
# the inline script ran: sortable headings became focusable
grep -q '<th tabindex="0" class="sort">Workload</th>' "$out/dom.html" ||
	fail "the table sorter did not run"

# screenshots: a blank page is one colour; a rendered one has text, charts
# and the interpreters' colours
for size in 1280,2400 390,1600; do
	png=$out/shot-${size%,*}.png
	chrome --window-size="$size" --screenshot="$png" "$url" >/dev/null 2>"$out/shot.err" ||
		fail "chromium could not take a screenshot at $size"
	set -- $(python3 tests/e2e/png-colours.py "$png")
	[ "$1" -eq "${size%,*}" ] || fail "screenshot is $1 px wide, not ${size%,*}"
	[ "$3" -gt 50 ] || fail "screenshot at $size has only $3 colours: blank?"
done
echo ok
