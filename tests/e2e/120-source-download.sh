# The source provider's downloads (libcurl) from a real HTTP server on
# 127.0.0.1: success, a connection cut half-way then resumed with Range,
# 404, checksum mismatch, refused connection, file:// URLs, HTTPS with a
# private certificate authority, the progress bar on a terminal and plain
# lines elsewhere. The tarball is a tiny fake
# CPython (tests/lib/fake-cpython.sh) so nothing spends minutes compiling.
. tests/e2e/lib.sh
. tests/lib/prov.sh

local_pythons
t=$FTMATRIX_TEST_TMP/120
mkdir -p "$t/www"
trap http_stop EXIT
name=Python-3.13.15
fake_cpython "$t/www/$name.tar.gz" "$name" "$(py_field "$PY_GIL" 1)" ok 1024
sum=$(sha256sum "$t/www/$name.tar.gz" | cut -d' ' -f1)
size=$(stat -c %s "$t/www/$name.tar.gz")

matrix() { # FILE URL [SHA256]
	{
		printf 'name: download\ninterpreters:\n'
		printf '  - id: "dl"\n    provider: source\n    source: "%s"\n' "$2"
		[ -z "${3:-}" ] || printf '    sha256: "%s"\n' "$3"
		printf 'workloads: [cpu_loop]\nengines: [threads]\nthreads: [1]\n'
	} >"$1"
}

# the tarball the cache holds for a URL, if any
cached() {
	find "$1/tarballs" -name "$name.tar.gz" 2>/dev/null | head -1
}
no_leftovers() {
	if [ -n "$(find "$1/tarballs" -type f 2>/dev/null)" ]; then
		find "$1/tarballs" -type f
		fail "$2: a download was left in the cache"
	fi
}

http_start "$t/www"
url=$HTTP_URL/$name.tar.gz

# --- success, with no sha256 in the matrix: a hint how to pin it
matrix "$t/nosum.yaml" "$url"
FTMATRIX_CACHE=$t/c1 "$FTMATRIX" interpreters "$t/nosum.yaml" --json >"$t/ok.json" 2>"$t/ok.err" ||
	{ cat "$t/ok.err"; fail "download and build"; }
check_json "$t/ok.json" '.[0].available and .[0].request == "'"$url"'"'
f=$(cached "$t/c1")
[ -n "$f" ] && [ "$(sha256sum "$f" | cut -d' ' -f1)" = "$sum" ] || fail "the cached tarball is not the served one"
grep -Fq "ftmatrix: dl: downloading $url" "$t/ok.err" || fail "download not announced"
grep -Eq "ftmatrix: $name.tar.gz: 1\.0 MiB to download" "$t/ok.err" || fail "no plain size line"
grep -Eq "ftmatrix: $name.tar.gz: downloaded 1\.0 MiB in " "$t/ok.err" || fail "no done line"
if tr '\r' '\n' <"$t/ok.err" | grep -q '\[#'; then
	fail "a progress bar without a terminal"
fi
grep -Fq "dl: the matrix gives no sha256 for $url, so the download was not verified; to pin what was downloaded, add sha256: \"$sum\"" "$t/ok.err" ||
	fail "no sha256 hint"
[ "$(grep -c "GET /$name.tar.gz range=- status=200" "$HTTP_LOG")" -eq 1 ] || fail "not one GET"
# cached: no second download
FTMATRIX_CACHE=$t/c1 "$FTMATRIX" interpreters "$t/nosum.yaml" >/dev/null 2>&1 || fail "second run"
[ "$(grep -c "GET /$name.tar.gz" "$HTTP_LOG")" -eq 1 ] || fail "downloaded again"

# --- on a terminal: a bar with rate and ETA, drawn full at the end
matrix "$t/sum.yaml" "$url" "$sum"
FTMATRIX_CACHE=$t/c2 on_tty "$t/tty.out" "$FTMATRIX" interpreters "$t/sum.yaml" ||
	{ cat "$t/tty.out"; fail "download on a terminal"; }
tr '\r' '\n' <"$t/tty.out" | grep -Eq '^  \[#{24}\] +1\.0 / 1\.0 MiB +[0-9.]+ MiB/s +ETA [0-9:-]+' ||
	{ cat -v "$t/tty.out"; fail "no full progress bar with rate and ETA on a terminal"; }

# --- 404: said plainly, not retried, nothing left behind
matrix "$t/404.yaml" "$HTTP_URL/Python-9.9.9.tar.gz"
if FTMATRIX_CACHE=$t/c3 "$FTMATRIX" interpreters "$t/404.yaml" >/dev/null 2>"$t/404.err"; then
	fail "a 404 was provided"
fi
grep -Fq "cannot download $HTTP_URL/Python-9.9.9.tar.gz: HTTP 404 (not found)" "$t/404.err" ||
	{ cat "$t/404.err"; fail "404 not said"; }
[ "$(grep -c "GET /Python-9.9.9.tar.gz" "$HTTP_LOG")" -eq 1 ] || fail "a 404 was retried"
no_leftovers "$t/c3" 404

# --- checksum mismatch: refused, and the download deleted
bad=$(echo "$sum" | tr '0-9a-f' '1-9a-f0')
matrix "$t/bad.yaml" "$url" "$bad"
if FTMATRIX_CACHE=$t/c4 "$FTMATRIX" interpreters "$t/bad.yaml" >/dev/null 2>"$t/bad.err"; then
	fail "a mismatching tarball was used"
fi
grep -Fq "$url: checksum mismatch: expected sha256 $bad, got $sum; the download was deleted" "$t/bad.err" ||
	{ cat "$t/bad.err"; fail "mismatch not said"; }
no_leftovers "$t/c4" mismatch
[ ! -d "$t/c4/builds" ] || [ -z "$(ls "$t/c4/builds")" ] || fail "built from a mismatching tarball"

# --- a connection refused: retried with backoff, then said plainly
matrix "$t/refused.yaml" "http://127.0.0.1:1/$name.tar.gz"
if FTMATRIX_CACHE=$t/c5 "$FTMATRIX" interpreters "$t/refused.yaml" >/dev/null 2>"$t/refused.err"; then
	fail "a refused connection was provided"
fi
grep -Fq "http://127.0.0.1:1/$name.tar.gz: connection refused or host unreachable" "$t/refused.err" ||
	{ cat "$t/refused.err"; fail "refused not said"; }
grep -Fq "retrying in 1 s (attempt 2 of 4)" "$t/refused.err" || fail "not retried"
grep -Fq "retrying in 4 s (attempt 4 of 4)" "$t/refused.err" || fail "no backoff"
grep -Fq "(gave up after 4 attempts)" "$t/refused.err" || fail "did not give up"
no_leftovers "$t/c5" refused

# --- file:// URLs
matrix "$t/file.yaml" "file://$t/www/$name.tar.gz" "$sum"
FTMATRIX_CACHE=$t/c6 "$FTMATRIX" interpreters "$t/file.yaml" >/dev/null 2>"$t/file.err" ||
	{ cat "$t/file.err"; fail "file:// URL"; }
[ -n "$(cached "$t/c6")" ] || fail "file:// not cached"
http_stop

# --- HTTPS from a server whose certificate only CURL_CA_BUNDLE or
# SSL_CERT_FILE vouches for (the first wins, as for curl)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$t/key.pem" -out "$t/cert.pem" 2>/dev/null ||
	fail "openssl cannot make a certificate"
http_start "$t/www" --tls "$t/cert.pem" "$t/key.pem"
url=$HTTP_URL/$name.tar.gz
case $url in https://*) ;; *) fail "not an https URL: $url" ;; esac
matrix "$t/https.yaml" "$url" "$sum"
if env -u CURL_CA_BUNDLE -u SSL_CERT_FILE FTMATRIX_CACHE=$t/c8 \
	"$FTMATRIX" interpreters "$t/https.yaml" >/dev/null 2>"$t/untrusted.err"; then
	fail "an untrusted certificate was accepted"
fi
grep -Fq "cannot download $url: the server's TLS certificate is not trusted (" "$t/untrusted.err" ||
	{ cat "$t/untrusted.err"; fail "untrusted certificate not said"; }
grep -Fq "point SSL_CERT_FILE or CURL_CA_BUNDLE at a CA bundle" "$t/untrusted.err" || fail "no way forward"
if grep -q "retrying" "$t/untrusted.err"; then fail "an untrusted certificate was retried"; fi
env -u CURL_CA_BUNDLE SSL_CERT_FILE=$t/cert.pem FTMATRIX_CACHE=$t/c8 \
	"$FTMATRIX" interpreters "$t/https.yaml" >/dev/null 2>"$t/https.err" ||
	{ cat "$t/https.err"; fail "https download (SSL_CERT_FILE)"; }
[ "$(sha256sum "$(cached "$t/c8")" | cut -d' ' -f1)" = "$sum" ] || fail "https download differs"
CURL_CA_BUNDLE=$t/cert.pem SSL_CERT_FILE=/nonexistent FTMATRIX_CACHE=$t/c9 \
	"$FTMATRIX" interpreters "$t/https.yaml" >/dev/null 2>"$t/https2.err" ||
	{ cat "$t/https2.err"; fail "https download (CURL_CA_BUNDLE)"; }
http_stop

# --- the connection cut half-way through: resumed where it stopped
http_start "$t/www" --cut-first 1
url=$HTTP_URL/$name.tar.gz
matrix "$t/cut.yaml" "$url" "$sum"
FTMATRIX_CACHE=$t/c7 "$FTMATRIX" interpreters "$t/cut.yaml" >/dev/null 2>"$t/cut.err" ||
	{ cat "$t/cut.err"; fail "no resume after a cut"; }
grep -Fq "$url: connection cut" "$t/cut.err" || { cat "$t/cut.err"; fail "the cut not said"; }
grep -Eq "ftmatrix: $name.tar.gz: resuming at 0\.5 MiB" "$t/cut.err" || fail "not resumed"
sed -n 1p "$HTTP_LOG" | grep -q "GET /$name.tar.gz range=- status=200" || fail "first request"
half=$((size / 2))
sed -n 2p "$HTTP_LOG" | grep -q "GET /$name.tar.gz range=bytes=$half- status=206" ||
	{ cat "$HTTP_LOG"; fail "the second request did not ask for the rest"; }
[ "$(sha256sum "$(cached "$t/c7")" | cut -d' ' -f1)" = "$sum" ] || fail "resumed file differs"
echo ok
