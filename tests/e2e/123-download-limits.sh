# Tarball downloads are bounded: a size cap (announced or not) and a time
# limit over every attempt; a failed or oversized download never stays in
# the cache, and a partial one is kept to resume only when the matrix pins
# its sha256 (the result is verified) and it is under the cap.
. tests/e2e/lib.sh
. tests/lib/prov.sh

t=$FTMATRIX_TEST_TMP/123
rm -rf "$t"
mkdir -p "$t/www"
trap http_stop EXIT
head -c $((2 * 1024 * 1024 + 17)) /dev/urandom >"$t/www/big.tar.gz"
sum=$(sha256sum "$t/www/big.tar.gz" | cut -d' ' -f1)

matrix() { # FILE URL [SHA256]
	{
		printf 'interpreters:\n  - id: "dl"\n    provider: source\n    source: "%s"\n' "$2"
		[ -z "${3:-}" ] || printf '    sha256: "%s"\n' "$3"
		printf 'workloads: [cpu_loop]\n'
	} >"$1"
}
leftovers() {
	find "$1/tarballs" -type f 2>/dev/null
}

# --- over the cap: refused, nothing kept (with or without a sha256)
http_start "$t/www"
matrix "$t/big.yaml" "$HTTP_URL/big.tar.gz" "$sum"
rc=0
FTMATRIX_DOWNLOAD_MAX_MIB=1 FTMATRIX_CACHE=$t/c1 "$FTMATRIX" interpreters "$t/big.yaml" >/dev/null 2>"$t/err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$t/err"; fail "an oversized download: exit status $rc"; }
grep -Fq "cannot download $HTTP_URL/big.tar.gz: larger than 1 MiB (set FTMATRIX_DOWNLOAD_MAX_MIB to allow more)" "$t/err" ||
	{ cat "$t/err"; fail "the cap not said"; }
[ -z "$(leftovers "$t/c1")" ] || fail "an oversized download stayed: $(leftovers "$t/c1")"
http_stop

# --- cut every time, no sha256: the time limit ends the retries and the
# unverifiable partial file goes
http_start "$t/www" --cut-first 100
matrix "$t/cut.yaml" "$HTTP_URL/big.tar.gz"
rc=0
FTMATRIX_DOWNLOAD_TIMEOUT=2 FTMATRIX_CACHE=$t/c2 "$FTMATRIX" interpreters "$t/cut.yaml" >/dev/null 2>"$t/err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$t/err"; fail "a download cut every time: exit status $rc"; }
grep -Fq "(gave up: a download may take 2 s in all; set FTMATRIX_DOWNLOAD_TIMEOUT to allow more)" "$t/err" ||
	{ cat "$t/err"; fail "the time limit not said"; }
if grep -q "attempt 4 of 4" "$t/err"; then fail "retried past the time limit"; fi
[ -z "$(leftovers "$t/c2")" ] || fail "a failed download stayed: $(leftovers "$t/c2")"

http_stop

# --- the same with a sha256: the partial file is kept, and the next run
# resumes it and verifies the whole (the server cuts the first three GETs)
http_start "$t/www" --cut-first 3
matrix "$t/cut-sum.yaml" "$HTTP_URL/big.tar.gz" "$sum"
FTMATRIX_DOWNLOAD_TIMEOUT=2 FTMATRIX_CACHE=$t/c3 "$FTMATRIX" interpreters "$t/cut-sum.yaml" >/dev/null 2>"$t/err" &&
	fail "a download cut every time passed"
part=$(leftovers "$t/c3")
case $part in *.part) ;; *) fail "no partial download kept to resume: $part" ;; esac
FTMATRIX_CACHE=$t/c3 "$FTMATRIX" interpreters "$t/cut-sum.yaml" >/dev/null 2>"$t/err" || true
sed -n 2p "$t/err" | grep -Fq "big.tar.gz: resuming at" || { cat "$t/err"; fail "the partial download was not resumed"; }
grep -Fq "big.tar.gz: downloaded 2.0 MiB" "$t/err" || { cat "$t/err"; fail "the resumed download did not finish"; }
[ "$(sha256sum "$(leftovers "$t/c3")" | cut -d' ' -f1)" = "$sum" ] || fail "the resumed download differs"

# --- a partial file left at the cap is not resumed: it goes
part=$(dirname "$(leftovers "$t/c3")")/big.tar.gz.part
mv "$(leftovers "$t/c3")" "$part"
FTMATRIX_DOWNLOAD_MAX_MIB=1 FTMATRIX_CACHE=$t/c3 "$FTMATRIX" interpreters "$t/cut-sum.yaml" >/dev/null 2>"$t/err" || true
if grep -q "resuming" "$t/err"; then fail "a partial file over the cap was resumed"; fi
[ -z "$(leftovers "$t/c3")" ] || fail "an oversized partial file stayed: $(leftovers "$t/c3")"
http_stop
echo ok
