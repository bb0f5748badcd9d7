# Every file in tests/bad-results is refused by report, compare and publish
# with its expected message and exit status 1 (so are a FIFO, /dev/zero and
# a directory): nothing half-read, nothing
# written or sent, the file untouched, no crash or hang.
. tests/e2e/lib.sh
. tests/lib/api.sh

t=$FTMATRIX_TEST_TMP/540
rm -rf "$t"
mkdir -p "$t/www"
trap 'api_stop' EXIT
good=$FTMATRIX_ROOT/tests/fixtures/results-small.json
api_start "$t/www"
n=0

# refuse CMD...: exit status 1 within a minute, no sanitizer report
refuse() {
	rc=0
	timeout 60 "$FTMATRIX" "$@" >"$t/out" 2>"$t/err" || rc=$?
	[ "$rc" -ne 124 ] || fail "$*: hung"
	[ "$rc" -eq 1 ] || { cat "$t/err"; fail "$*: exit status $rc, expected 1"; }
	if grep -q -e "Sanitizer" -e "runtime error" "$t/err"; then
		cat "$t/err"
		fail "$*: sanitizer report"
	fi
	grep -Fxq -f "$expected" "$t/err" || { cat "$t/err"; fail "$*: expected $(cat "$expected")"; }
}

cd "$FTMATRIX_ROOT/tests/bad-results"
for f in *.json; do
	name=${f%.json}
	expected=$name.expected
	[ -s "$expected" ] || fail "$f has no $expected"
	cp "$f" "$t/before"
	refuse report "$f" -o "$t/report-$name"
	[ ! -e "$t/report-$name" ] || fail "report $f wrote $(ls "$t/report-$name")"
	refuse compare "$good" "$f"
	refuse publish "$f" "$API_URL/results"
	cmp -s "$f" "$t/before" || fail "$f was changed"
	n=$((n + 1))
done
# not files at all: refused at once, never read without end or waited on
mkfifo "$t/fifo.json"
mkdir -p "$t/dir.json"
for f in "$t/fifo.json" /dev/zero "$t/dir.json"; do
	case $f in
	*dir.json) printf 'ftmatrix: %s: is a directory\n' "$f" >"$t/expected" ;;
	*) printf 'ftmatrix: %s: is not a regular file\n' "$f" >"$t/expected" ;;
	esac
	expected=$t/expected
	refuse report "$f" -o "$t/report-special"
	refuse compare "$good" "$f"
	refuse publish "$f" "$API_URL/results"
	n=$((n + 1))
done
[ ! -e "$t/report-special" ] || fail "report wrote for a file that is not one"
[ "$(api_count POST)" -eq 0 ] || fail "a bad results file was sent"
[ "$n" -ge 30 ] || fail "only $n bad results files"
echo "ok: $n files"
