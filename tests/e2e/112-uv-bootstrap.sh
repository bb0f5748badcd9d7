# ftmatrix uv-bootstrap: uv's PyPI wheel (here a wheel made from the real
# pinned uv, served over https by a server on 127.0.0.1 and as a file URL),
# checked against the sha256 pinned in scripts/uv-pin or given with
# --sha256, never one from the server; plain http refused; uv installed
# into the cache's tools directory and then used by the uv provider when uv
# is not on PATH. Every refusal installs nothing.
. tests/e2e/lib.sh
. tests/lib/prov.sh

real_uv_setup
t=$FTMATRIX_TEST_TMP/112
v=$(sed -n 's/^version //p' scripts/uv-pin)
pinned_wheel=$(sed -n 's/^wheel //p' scripts/uv-pin)
pinned_sha=$(sed -n 's/^sha256 //p' scripts/uv-pin)
mkdir -p "$t/www"
trap http_stop EXIT
FTMATRIX_CACHE=$t/cache
export FTMATRIX_CACHE
PATH=$(path_without_uv)
export PATH
installed=$FTMATRIX_CACHE/tools/uv-$v/uv

# a wheel laid out as uv's, holding the real uv (with the metadata pip reads)
"$SERVER_PYTHON" - "$t/www/$pinned_wheel" "$v" "$REAL_UV" <<'PY'
import sys, zipfile
path, v, uv = sys.argv[1:]
info = "uv-%s.dist-info/" % v
with zipfile.ZipFile(path, "w") as z:
    for name in ("uv", "uvx"):
        z.write(uv, "uv-%s.data/scripts/%s" % (v, name))
    z.writestr(info + "METADATA", "Metadata-Version: 2.1\nName: uv\nVersion: %s\n" % v)
    z.writestr(info + "WHEEL", "Wheel-Version: 1.0\nGenerator: ftmatrix-tests\n"
               "Root-Is-Purelib: false\nTag: py3-none-manylinux_2_17_x86_64\n")
    z.writestr(info + "RECORD", "")
PY
cp "$t/www/$pinned_wheel" "$t/www/uv-$v-py3-none-any.whl"
sha=$(sha256sum "$t/www/$pinned_wheel" | cut -d' ' -f1)
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$t/key.pem" -out "$t/cert.pem" 2>/dev/null ||
	fail "openssl cannot make a certificate"
http_start "$t/www" --tls "$t/cert.pem" "$t/key.pem"
CURL_CA_BUNDLE=$t/cert.pem
export CURL_CA_BUNDLE

refused() { # WHAT SAID ARGS...
	what=$1 said=$2
	shift 2
	if "$FTMATRIX" uv-bootstrap "$@" >"$t/out" 2>"$t/err"; then
		fail "$what: installed"
	fi
	grep -Fq -- "$said" "$t/err" || { cat "$t/err"; fail "$what: does not say: $said"; }
	[ ! -e "$installed" ] || fail "$what: uv installed"
	[ -z "$(ls -A "$FTMATRIX_CACHE/tools/uv-$v" 2>/dev/null)" ] || fail "$what: left files behind"
}

# plain http: refused before anything is downloaded
refused "http" "http://127.0.0.1:9/$pinned_wheel: refusing plain http" \
	--url "http://127.0.0.1:9/$pinned_wheel" --sha256 "$sha"
# a wheel scripts/uv-pin has no sha256 for, and none given: not downloaded
refused "no sha256" "scripts/uv-pin has no sha256 for uv-$v-py3-none-any.whl; give --sha256" \
	--url "$HTTP_URL/uv-$v-py3-none-any.whl"
if grep -q "GET /uv-$v-py3-none-any.whl " "$HTTP_LOG"; then fail "downloaded a wheel it could not check"; fi
# the pinned wheel's name, other bytes: the pinned sha256 refuses them
refused "pinned sha256" "checksum mismatch: expected sha256 $pinned_sha" \
	--url "$HTTP_URL/$pinned_wheel"
grep -Fq "uv-bootstrap failed; nothing was installed" "$t/err" || fail "no way forward"

# no --url: pip downloads the pinned wheel from the index it is set up to
# use (here a folder of wheels, no index), and the pinned sha256 still
# decides: this wheel is not the pinned bytes
mkdir -p "$t/pip" "$t/nopip"
cp "$t/www/$pinned_wheel" "$t/pip/"
pip_from() { PIP_NO_INDEX=1 PIP_FIND_LINKS=$1 PIP_CONFIG_FILE=/dev/null; export PIP_NO_INDEX PIP_FIND_LINKS PIP_CONFIG_FILE; }
(
	pip_from "$t/pip"
	refused "pip, pinned sha256" "$pinned_wheel: checksum mismatch: expected sha256 $pinned_sha"
	grep -Fq "pip downloads $pinned_wheel" "$t/err" || { cat "$t/err"; fail "pip not asked"; }
	pip_from "$t/nopip"
	refused "pip, no wheel" "pip could not download uv==$v from the index it is set up to use; give --url"
	grep -Fq "python3 -m pip failed" "$t/err" || { cat "$t/err"; fail "pip's failure not named"; }
	# a sha256 the user gives applies to pip's wheel too
	pip_from "$t/pip"
	"$FTMATRIX" uv-bootstrap --sha256 "$sha" >"$t/pip.out" 2>"$t/pip.err" ||
		{ cat "$t/pip.err"; fail "uv-bootstrap through pip"; }
	[ "$(cat "$t/pip.out")" = "$installed" ] || fail "pip: printed $(cat "$t/pip.out")"
	"$installed" --version | grep -q "^uv $v " || fail "pip: the installed uv does not run"
	[ -z "$(find "$FTMATRIX_CACHE/tools/uv-$v" -name '.pip.*')" ] || fail "pip's folder left behind"
	rm -rf "$FTMATRIX_CACHE/tools/uv-$v"
) || exit 1
# a wrong --sha256
refused "wrong --sha256" "checksum mismatch: expected sha256 $(printf '1%.0s' $(seq 64))" \
	--url "$HTTP_URL/$pinned_wheel" --sha256 "$(printf '1%.0s' $(seq 64))"
if "$FTMATRIX" uv-bootstrap --sha256 nothex >/dev/null 2>&1; then fail "--sha256 nothex accepted"; fi

# the right --sha256, over https
url=$HTTP_URL/$pinned_wheel
"$FTMATRIX" uv-bootstrap --url "$url" --sha256 "$sha" >"$t/ok.out" 2>"$t/ok.err" ||
	{ cat "$t/ok.err"; fail "uv-bootstrap"; }
[ "$(cat "$t/ok.out")" = "$installed" ] || fail "did not print where uv went"
"$installed" --version | grep -q "^uv $v " || fail "the installed uv does not run"
[ -x "$FTMATRIX_CACHE/tools/uv-$v/uvx" ] || fail "uvx not installed"
grep -Fq "sha256 $sha matches --sha256" "$t/ok.err" || fail "the check not said"
grep -Fq "the uv provider uses it when uv is not on PATH" "$t/ok.err" || fail "not said how it is used"
# again: already there, unless --force
"$FTMATRIX" uv-bootstrap --url "$url" --sha256 "$sha" >/dev/null 2>"$t/again.err" || fail "second uv-bootstrap"
grep -q "uv $v is already there (--force fetches it again)" "$t/again.err" || fail "downloaded again"
n=$(grep -c "GET /$pinned_wheel " "$HTTP_LOG")
"$FTMATRIX" uv-bootstrap --force --url "$url" --sha256 "$sha" >/dev/null 2>&1 || fail "--force"
[ "$(grep -c "GET /$pinned_wheel " "$HTTP_LOG")" -eq $((n + 1)) ] || fail "--force did not download"
# a file URL does as well
rm -rf "$FTMATRIX_CACHE/tools"
"$FTMATRIX" uv-bootstrap --url "file://$t/www/$pinned_wheel" --sha256 "$sha" >/dev/null 2>"$t/file.err" ||
	{ cat "$t/file.err"; fail "uv-bootstrap from a file URL"; }

# the uv provider now finds it without uv on PATH nor FTMATRIX_UV
unset FTMATRIX_UV
printf 'name: uv\ninterpreters:\n  - id: "3.13"\n    provider: uv\n    request: "3.13"\n' >"$t/m.yaml"
printf 'workloads: [cpu_loop]\nengines: [threads]\nthreads: [1]\n' >>"$t/m.yaml"
"$FTMATRIX" interpreters "$t/m.yaml" --json >"$t/m.json" 2>"$t/m.err" || { cat "$t/m.err"; fail "bootstrapped uv unused"; }
check_json "$t/m.json" '.[0].available and .[0].identity.version == "3.13.15"'
"$FTMATRIX" doctor >"$t/doctor.out" 2>&1 || true
grep -Eq "^  ok +uv +uv $v .*\($installed\)$" "$t/doctor.out" || { cat "$t/doctor.out"; fail "doctor does not see it"; }
echo ok
