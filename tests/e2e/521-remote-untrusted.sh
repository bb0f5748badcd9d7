# A matrix from a URL is untrusted: it may only use uv requests and source
# tarballs over https with a sha256 (and debian: sources); validate,
# interpreters and run refuse anything else, each at file:line:col, unless
# --trust-matrix is given. An https URL is never followed to plain http.
. tests/e2e/lib.sh
. tests/lib/api.sh

t=$FTMATRIX_TEST_TMP/521
rm -rf "$t"
mkdir -p "$t/www"
trap 'api_stop' EXIT
sum=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef

cat >"$t/www/hostile.yaml" <<YAML
name: hostile
interpreters:
  - {id: p, provider: path, path: /bin/sh}
  - {id: e, provider: uv, request: "3.13", env: {LD_PRELOAD: /tmp/x.so, PERL5OPT: -d}}
  - {id: c, provider: source, source: "https://example.org/Python-3.13.0.tar.xz", sha256: "$sum", configure: ["--prefix=/usr"]}
  - {id: f, provider: source, source: "file:///etc/passwd"}
  - {id: l, provider: source, source: "/etc/passwd"}
  - {id: h, provider: source, source: "http://example.org/Python-3.13.0.tar.xz", sha256: "$sum"}
  - {id: n, provider: source, source: "https://example.org/Python-3.13.0.tar.xz"}
  - {id: y, provider: pyenv, version: "3.12.1"}
  - {id: v, provider: variant, variant_of: e, env: {PYTHON_GIL: "0"}}
  - {id: u, provider: uv, request: "/tmp/x/bin/python3"}
  - {id: ok-uv, provider: uv, request: "3.13t"}
  - {id: ok-src, provider: source, source: "https://example.org/Python-3.13.0.tar.xz", sha256: "$sum"}
  - {id: ok-deb, provider: source, source: "debian:3.13.15"}
workloads: [cpu_loop]
YAML
printf 'interpreters:\n  - {id: p, provider: path, path: /nonexistent/python3}\nworkloads: [cpu_loop]\n' >"$t/www/path.yaml"
cat >"$t/www/plain.yaml" <<YAML
name: plain
interpreters:
  - {id: ok-uv, provider: uv, request: "3.13t"}
  - {id: ok-deb, provider: source, source: "debian:3.13.15"}
workloads: [cpu_loop]
YAML

api_start "$t/www"
u=$API_URL/files/hostile.yaml
for cmd in validate interpreters run; do
	rc=0
	set -- "$u"
	[ "$cmd" != run ] || set -- "$u" -o "$t/run"
	"$FTMATRIX" $cmd "$@" >"$t/out" 2>"$t/err" || rc=$?
	[ "$rc" -eq 1 ] || { cat "$t/err"; fail "$cmd of a hostile remote matrix: exit status $rc"; }
	for line in \
		"$u:3:5: interpreter \"p\" asks for what a matrix from a URL may not: provider path, which runs /bin/sh" \
		"$u:4:5: interpreter \"e\" asks for what a matrix from a URL may not: env LD_PRELOAD, PERL5OPT" \
		"$u:5:5: interpreter \"c\" asks for what a matrix from a URL may not: configure flags --prefix=/usr" \
		"$u:6:5: interpreter \"f\" asks for what a matrix from a URL may not: source file:///etc/passwd, not an https URL" \
		"$u:7:5: interpreter \"l\" asks for what a matrix from a URL may not: source /etc/passwd, not an https URL" \
		"$u:8:5: interpreter \"h\" asks for what a matrix from a URL may not: source http://example.org/Python-3.13.0.tar.xz, not an https URL" \
		"$u:9:5: interpreter \"n\" asks for what a matrix from a URL may not: source https://example.org/Python-3.13.0.tar.xz without a sha256" \
		"$u:10:5: interpreter \"y\" asks for what a matrix from a URL may not: provider pyenv, which runs an interpreter of this machine" \
		"$u:11:5: interpreter \"v\" asks for what a matrix from a URL may not: env PYTHON_GIL" \
		"$u:12:5: interpreter \"u\" asks for what a matrix from a URL may not: uv request /tmp/x/bin/python3, a path" \
		"$u: refused: a matrix from a URL may only use uv requests and source tarballs over https with a sha256 (or debian: sources); read it, and if you trust it, run it again with --trust-matrix"; do
		grep -Fxq "ftmatrix: $line" "$t/err" || { cat "$t/err"; fail "$cmd: no line: $line"; }
	done
	[ "$(grep -c "asks for what a matrix from a URL may not" "$t/err")" -eq 10 ] ||
		{ cat "$t/err"; fail "$cmd: the allowed interpreters were refused too"; }
	if grep -q "ok-" "$t/err"; then fail "$cmd: an allowed interpreter was named"; fi
	[ ! -s "$t/out" ] || fail "$cmd printed: $(cat "$t/out")"
done
[ ! -e "$t/run" ] || fail "run made its output directory"

# --trust-matrix: validate accepts it; what is allowed passes without it
"$FTMATRIX" validate --trust-matrix "$u" >"$t/out" 2>"$t/err" || { cat "$t/err"; fail "validate --trust-matrix"; }
grep -Fq "$u: ok (13 interpreters" "$t/out" || fail "validate --trust-matrix said: $(cat "$t/out")"
"$FTMATRIX" validate "$API_URL/files/plain.yaml" >"$t/out" 2>"$t/err" || { cat "$t/err"; fail "an allowed remote matrix"; }
# a local copy of the same file is the user's own: nothing refused
cp "$t/www/hostile.yaml" "$t/local.yaml"
"$FTMATRIX" validate "$t/local.yaml" >"$t/out" 2>"$t/err" || { cat "$t/err"; fail "a local matrix was refused"; }
# interpreters and run --trust-matrix get past the check, to provisioning
for cmd in interpreters run; do
	set -- "$API_URL/files/path.yaml"
	[ "$cmd" != run ] || set -- "$@" -o "$t/run2"
	"$FTMATRIX" $cmd "$@" >/dev/null 2>"$t/err" && fail "$cmd: path.yaml ran"
	grep -Fq "asks for what a matrix from a URL may not: provider path, which runs /nonexistent/python3" "$t/err" ||
		{ cat "$t/err"; fail "$cmd: path.yaml not refused"; }
	"$FTMATRIX" $cmd --trust-matrix "$@" >/dev/null 2>"$t/err" || true
	if grep -q "asks for what" "$t/err"; then fail "$cmd --trust-matrix still refused"; fi
	grep -Fq "/nonexistent/python3" "$t/err" || { cat "$t/err"; fail "$cmd --trust-matrix: not provisioned"; }
done
api_stop

# https is followed only to https
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 \
	-addext subjectAltName=IP:127.0.0.1 -keyout "$t/key.pem" -out "$t/cert.pem" 2>/dev/null ||
	fail "openssl cannot make a certificate"
api_start "$t/www"
http_port=${API_URL##*:}
http_pid=$API_PID
API_PID=
API_SERVER_HTTP_PORT=$http_port api_start "$t/www" --tls "$t/cert.pem" "$t/key.pem"
trap 'api_stop; kill "$http_pid" 2>/dev/null || true' EXIT
rc=0
env -u CURL_CA_BUNDLE SSL_CERT_FILE="$t/cert.pem" "$FTMATRIX" validate "$API_URL/to-http/plain.yaml" \
	>"$t/out" 2>"$t/err" || rc=$?
[ "$rc" -eq 1 ] || { cat "$t/err"; fail "https to http: exit status $rc"; }
grep -Fq "cannot download $API_URL/to-http/plain.yaml: a redirect leaves https" "$t/err" ||
	{ cat "$t/err"; fail "https to http not refused"; }
env -u CURL_CA_BUNDLE SSL_CERT_FILE="$t/cert.pem" "$FTMATRIX" validate "$API_URL/redirect/1/plain.yaml" \
	>"$t/out" 2>"$t/err" || { cat "$t/err"; fail "https to https"; }
echo ok
