# ftmatrix uv-bootstrap against a real HTTP server on 127.0.0.1 serving a
# uv release archive laid out as uv's are (uv-TARGET/uv, uvx) with its
# published .sha256: installed into the cache and then used by the uv
# provider when uv is not on PATH; a checksum mismatch or a missing
# checksum installs nothing.
. tests/e2e/lib.sh
. tests/lib/prov.sh

standin_setup
t=$FTMATRIX_TEST_TMP/112
mkdir -p "$t/www" "$t/pkg/uv-x86_64-unknown-linux-gnu"
trap http_stop EXIT
FTMATRIX_CACHE=$t/cache
export FTMATRIX_CACHE
PATH=$(path_without_uv)
export PATH

# the "release": the stand-in, as uv and uvx
cp "$STANDIN_DIR/uv" "$t/pkg/uv-x86_64-unknown-linux-gnu/uv"
cp "$STANDIN_DIR/uv" "$t/pkg/uv-x86_64-unknown-linux-gnu/uvx"
tar -czf "$t/www/uv-x86_64-unknown-linux-gnu.tar.gz" -C "$t/pkg" uv-x86_64-unknown-linux-gnu
(cd "$t/www" && sha256sum uv-x86_64-unknown-linux-gnu.tar.gz >uv-x86_64-unknown-linux-gnu.tar.gz.sha256)
# a copy whose published checksum is wrong, and one with none
cp "$t/www/uv-x86_64-unknown-linux-gnu.tar.gz" "$t/www/bad.tar.gz"
echo "$(printf '0%.0s' $(seq 64))  bad.tar.gz" >"$t/www/bad.tar.gz.sha256"
cp "$t/www/uv-x86_64-unknown-linux-gnu.tar.gz" "$t/www/nosum.tar.gz"
http_start "$t/www"

# no uv anywhere: the uv provider says how to get it
printf 'name: uv\ninterpreters:\n  - id: "3.13"\n    provider: uv\n    request: "3.13"\n' >"$t/m.yaml"
printf 'workloads: [cpu_loop]\nengines: [threads]\nthreads: [1]\n' >>"$t/m.yaml"
if "$FTMATRIX" interpreters "$t/m.yaml" >/dev/null 2>"$t/none.err"; then
	fail "provisioned without any uv"
fi
grep -Fq "uv is not on PATH" "$t/none.err" || fail "no uv: not said"

# a wrong checksum: refused, nothing installed
if "$FTMATRIX" uv-bootstrap --url "$HTTP_URL/bad.tar.gz" >"$t/bad.out" 2>"$t/bad.err"; then
	fail "installed uv with a wrong checksum"
fi
grep -Fq "$HTTP_URL/bad.tar.gz: checksum mismatch: expected sha256 0000" "$t/bad.err" ||
	{ cat "$t/bad.err"; fail "mismatch not said"; }
grep -Fq "uv-bootstrap failed; install uv yourself" "$t/bad.err" || fail "no way forward"
[ ! -e "$FTMATRIX_CACHE/uv/uv" ] || fail "uv installed despite the mismatch"

# no published checksum: nothing is downloaded at all
if "$FTMATRIX" uv-bootstrap --url "$HTTP_URL/nosum.tar.gz" >/dev/null 2>"$t/nosum.err"; then
	fail "installed uv without a checksum"
fi
grep -Fq "cannot get uv's published checksum $HTTP_URL/nosum.tar.gz.sha256; nothing was installed" "$t/nosum.err" ||
	{ cat "$t/nosum.err"; fail "missing checksum not said"; }
if grep -q "GET /nosum.tar.gz " "$HTTP_LOG"; then fail "downloaded an archive it could not check"; fi
[ ! -e "$FTMATRIX_CACHE/uv/uv" ] || fail "uv installed without a checksum"

# the real thing
url=$HTTP_URL/uv-x86_64-unknown-linux-gnu.tar.gz
"$FTMATRIX" uv-bootstrap --url "$url" >"$t/ok.out" 2>"$t/ok.err" || { cat "$t/ok.err"; fail "uv-bootstrap"; }
[ "$(cat "$t/ok.out")" = "$FTMATRIX_CACHE/uv/uv" ] || fail "did not print where uv went"
"$FTMATRIX_CACHE/uv/uv" --version | grep -q "^uv " || fail "the installed uv does not run"
[ -x "$FTMATRIX_CACHE/uv/uvx" ] || fail "uvx not installed"
grep -Fq "sha256 $(cut -d' ' -f1 "$t/www/uv-x86_64-unknown-linux-gnu.tar.gz.sha256") matches $url.sha256" "$t/ok.err" ||
	fail "the check not said"
# again: already there, unless --force
"$FTMATRIX" uv-bootstrap --url "$url" >/dev/null 2>"$t/again.err" || fail "second uv-bootstrap"
grep -q "uv is already there (--force fetches it again)" "$t/again.err" || fail "downloaded again"
n=$(grep -c "GET /uv-x86_64-unknown-linux-gnu.tar.gz " "$HTTP_LOG")
"$FTMATRIX" uv-bootstrap --force --url "$url" >/dev/null 2>&1 || fail "--force"
[ "$(grep -c "GET /uv-x86_64-unknown-linux-gnu.tar.gz " "$HTTP_LOG")" -eq $((n + 1)) ] || fail "--force did not download"

# the uv provider now finds it without uv on PATH
"$FTMATRIX" interpreters "$t/m.yaml" --json >"$t/m.json" 2>"$t/m.err" || { cat "$t/m.err"; fail "bootstrapped uv unused"; }
check_json "$t/m.json" '.[0].available and .[0].identity.version == "3.13.15"'
"$FTMATRIX" doctor >"$t/doctor.out" 2>&1 || true
grep -Eq "^  ok +uv +uv .*\($FTMATRIX_CACHE/uv/uv\)$" "$t/doctor.out" || { cat "$t/doctor.out"; fail "doctor does not see it"; }
echo ok
